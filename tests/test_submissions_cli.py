"""python -m dashboard submissions: the grid and reminders on the street of tests/test_page_submissions.py
(plan year 2025, worked out there: 向阳 65 overdue periods, 东风 59)."""

import json
import subprocess
import sys

from dashboard.__main__ import main
from tests.conftest import ROOT, database_copy
from tests.test_page_submissions import EVIL, build_sent_street

E, W = "东风社区", "向阳社区"


def test_json_grid_and_reminders(tmp_path, capsys):
    path = database_copy(tmp_path / "cli.duckdb", build_sent_street)
    assert main(["submissions", "--year", "2025", "--db", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["year"] == 2025 and len(out["grid"]) == 26  # 2 communities × 13 ledgers
    reg = next(r for r in out["grid"] if r["community"] == E and r["ledger"] == "enterprises")
    # Feb covered by the 5 Mar batch (grace 10 days), Mar and Dec sent, Nov covered by 5 Dec, 8 months overdue
    assert [reg["months"][m] for m in ("1", "2", "3", "11", "12")] == [
        "✗ 逾期",
        "· 本期已报",
        "✓ 已报送",
        "· 本期已报",
        "✓ 已报送",
    ]
    assert reg["overdue"] == 8 and reg["cadence"] == "每月"
    assert sum(r["overdue"] for r in out["grid"] if r["community"] == W) == 65
    assert [line.split("：")[0] for line in out["reminders"]] == [W, E]


def test_one_month_as_text_and_one_community(tmp_path):
    path = database_copy(tmp_path / "cli.duckdb", build_sent_street)

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "dashboard", "submissions", "--year", "2025", "--db", str(path), *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )

    text = run("--month", "3").stdout
    assert "3月" in text and "4月" not in text.split("催报提醒")[0]
    assert any(E in line and "企业名录及建会台账" in line and "✓ 已报送" in line for line in text.splitlines())
    assert "催报提醒：" in text and f"{W}：企业名录及建会台账" in text
    mine = run("--community", W, "--json")
    out = json.loads(mine.stdout)
    assert {r["community"] for r in out["grid"]} == {W}
    assert E not in mine.stdout and EVIL not in mine.stdout
    bad = run("--today", "2025-13-01")
    assert bad.returncode == 2 and "格式不对" in bad.stderr and "Traceback" not in bad.stderr
    unknown = run("--community", "不存在社区")
    assert unknown.returncode == 2 and "请检查社区名称" in unknown.stderr and "Traceback" not in unknown.stderr
