"""python -m dashboard metrics: the JSON object the issue specifies, on the hand-written street."""

import json
import subprocess
import sys

from dashboard.__main__ import main
from tests.conftest import ROOT, database_copy
from tests.small_street import C1, C2, build_small_street


def test_metrics_json(tmp_path, capsys):
    path = database_copy(tmp_path / "cli.duckdb", build_small_street)
    assert main(["metrics", "--year", "2026", "--as-of", "2026-06-30", "--db", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"year", "as_of", "U1", "U2", "W1", "H1", "U3", "W2", "H2", "A1", "D1", "plan"}
    assert out["U1"] == {"numerator": 3, "denominator": 7, "rate": 42.86, "target": 95.0, "gap": 4}
    assert out["H2"] == {C1: 1, C2: 1}
    assert out["A1"]["春送岗位"] == {"people": 1, "cash": 0.0, "goods": 0.0}
    assert out["D1"] == {"cases": 4, "closed": 2, "success": 1, "collective": 2, "open_this_year": 2}


def test_metrics_text_names_short_communities(tmp_path):
    path = database_copy(tmp_path / "cli.duckdb", build_small_street)
    out = subprocess.run(
        [sys.executable, "-m", "dashboard", "metrics", "--year", "2026", "--as-of", "2026-06-30", "--db", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "U1 25人以上企业独立建会率: 42.86% (3/7), 目标 95.0%, 还差 4 家" in out
    assert "U3 新增建会: 未完成社区 1 个 向阳社区" in out
    assert "D1 劳动争议: 本年受理 4 件，已结案 2 件，调解成功 1 件，集体争议 2 件，本年受理未结 2 件" in out
