"""python -m dashboard validate / import: output, exit codes, locked database."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import Workbook

from dashboard import db
from dashboard.__main__ import main
from dashboard.ledgers import load

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["序号", "企业名称", "职工人数（人）", "建会情况", "建会时间"]


def write_workbook(path: Path, rows: list[list], title: str | None = "东风社区企业建会情况台账") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "企业台账"
    if title:
        ws.append([title])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.setenv(load.ARCHIVE_ENV, str(tmp_path / "archive"))
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(tmp_path / "default.duckdb"))
    clean = write_workbook(tmp_path / "东风.xlsx", [HEADER, [1, "甲公司", 30, "是", "2020-01-01"]])
    messy = write_workbook(
        tmp_path / "东风2.xlsx", [HEADER, [1, "甲公司", 30, "是", "2020-01-01"], [2, "乙公司", "很多", "否", None]]
    )
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 truncated")
    nameless = write_workbook(tmp_path / "台账.xlsx", [HEADER, [1, "甲公司", 30, "是", "2020-01-01"]], title=None)
    return {"clean": clean, "messy": messy, "broken": broken, "nameless": nameless, "dir": tmp_path}


def test_validate_exit_codes(files, capsys):
    assert main(["validate", str(files["clean"])]) == 0
    out = capsys.readouterr().out
    assert "工作表「企业台账」：企业名录及建会台账，读取 1 行，拒收 0 行" in out
    assert main(["validate", str(files["clean"]), str(files["messy"])]) == 1
    out = capsys.readouterr().out
    assert "[错误] 工作表「企业台账」第4行「职工人数（人）」列：" in out
    assert main(["validate", str(files["messy"]), str(files["broken"])]) == 2
    assert "无法读取" in capsys.readouterr().out


def test_validate_json_lists_the_same_problems(files, capsys):
    assert main(["validate", "--json", str(files["messy"])]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report[0]["file"] == "东风2.xlsx" and report[0]["rows_rejected"] == 1
    errors = [p for p in report[0]["problems"] if p["severity"] == "error"]
    assert [(p["sheet"], p["row"], p["column"]) for p in errors] == [("企业台账", 4, "职工人数（人）")]


def test_validate_takes_the_community_as_an_option(files, capsys):
    assert main(["validate", str(files["nameless"])]) == 1  # no community anywhere
    assert main(["validate", "--community", "向阳", str(files["nameless"])]) == 0
    assert "拒收 0 行" in capsys.readouterr().out


def test_import_stores_batches_and_reports_duplicates(files, capsys):
    target = files["dir"] / "cli.duckdb"
    assert main(["import", "--db", str(target), "--user", "王五", str(files["clean"])]) == 0
    assert "已导入批次 #1" in capsys.readouterr().out
    assert main(["import", "--db", str(target), str(files["clean"])]) == 0
    assert "完全相同" in capsys.readouterr().out
    assert main(["import", "--db", str(target), "--community", "向阳", str(files["nameless"])]) == 0
    assert main(["import", "--db", str(target), str(files["messy"]), str(files["broken"])]) == 2
    with db.connect(target) as con:
        batches = con.execute("select batch_id, imported_by, communities from import_batches order by 1").fetchall()
        assert batches == [(1, "王五", ["东风社区"]), (2, "local", ["向阳社区"]), (3, "local", ["东风社区"])]
        assert con.execute("select count(*) from v_enterprises").fetchone()[0] == 2


def test_undo_undoes_the_newest_batch_or_the_one_named(files, capsys):
    target = files["dir"] / "undo.duckdb"
    assert main(["undo", "--db", str(target)]) == 1
    assert "没有可以撤销的导入批次" in capsys.readouterr().err
    assert main(["import", "--db", str(target), str(files["clean"])]) == 0
    assert main(["import", "--db", str(target), "--community", "向阳", str(files["nameless"])]) == 0
    capsys.readouterr()
    assert main(["undo", "--db", str(target), "--user", "王五"]) == 0
    assert "已撤销批次 #2（台账.xlsx），数据已恢复到导入这一批之前的状态。" in capsys.readouterr().out
    assert main(["undo", "2", "--db", str(target)]) == 1
    assert "批次 #2（台账.xlsx）已经撤销过了" in capsys.readouterr().err
    assert main(["undo", "1", "--db", str(target)]) == 0
    assert main(["undo", "--db", str(target)]) == 1  # nothing active is left
    with db.connect(target) as con:
        assert con.execute("select batch_id, status, undone_by from import_batches order by 1").fetchall() == [
            (1, "undone", "local"),
            (2, "undone", "王五"),
        ]
        assert con.execute("select count(*) from v_enterprises").fetchone() == (0,)
        assert con.execute("select username, detail from audit_log order by audit_id").fetchall() == [
            ("王五", "#2 台账.xlsx（命令行）"),
            ("local", "#1 东风.xlsx（命令行）"),
        ]


def test_import_reports_a_locked_database(files, capsys):
    target = files["dir"] / "locked.duckdb"
    with db.connect(target):
        pass
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(target)!r}); print('ok', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        started = time.monotonic()
        assert main(["import", "--db", str(target), "--wait", "1", str(files["clean"])]) == 3
        assert time.monotonic() - started < 10
        assert "数据库正被另一个程序" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()


def test_the_module_entry_point_runs_validate(files):
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "validate", str(files["messy"])],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "[错误]" in done.stdout
