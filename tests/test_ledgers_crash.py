"""kill -9 in the middle of an import: the database opens afterwards exactly as it was before it.

The import runs in a subprocess (`python -m dashboard import`). A test-only environment hook makes it
write a marker file and sleep after every row is written but before COMMIT; the test then kills it
with SIGKILL, the harshest way a process can die.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import xlsxwriter

from dashboard import db, spec
from dashboard.ledgers import load

ROOT = Path(__file__).resolve().parent.parent


def write_ledgers(path: Path, n: int, *, employees: int) -> Path:
    """A 东风社区 workbook: an enterprises registry of n rows and an agreement per enterprise."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("企业名录")
    ws.write_row(0, 0, ["东风社区企业建会情况台账"])
    ws.write_row(1, 0, ["企业名称", "职工人数", "建会情况", "建会时间"])
    ag = wb.add_worksheet("工资协商")
    ag.write_row(0, 0, ["东风社区工资集体协商台账"])
    ag.write_row(1, 0, ["企业名称", "签订日期", "覆盖职工人数"])
    for i in range(n):
        ws.write_row(i + 2, 0, [f"企业{i:05d}", employees, "是", "2020-01-01"])
        ag.write_row(i + 2, 0, [f"企业{i:05d}", "2026-03-05", employees])
    wb.close()
    return path


def state(path: Path) -> dict:
    with db.connect(path) as con:
        out = {"batches": con.execute("select * exclude (imported_at) from import_batches order by 1").fetchall()}
        for ledger in spec.LEDGERS:
            out[ledger] = con.execute(f"select * from {ledger} order by all").fetchall()
    return out


def test_kill_9_before_commit_leaves_the_database_as_before(tmp_path):
    target = tmp_path / "crash.duckdb"
    env = {**os.environ, load.ARCHIVE_ENV: str(tmp_path / "archive"), "UNION_DASHBOARD_DB": str(target)}
    first = write_ledgers(tmp_path / "东风一.xlsx", 300, employees=30)
    second = write_ledgers(tmp_path / "东风二.xlsx", 20_000, employees=40)
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "import", "--db", str(target), str(first)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    before = state(target)
    assert len(before["enterprises"]) == 300 and len(before["wage_agreements"]) == 300

    marker = tmp_path / "paused"
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "import", "--db", str(target), str(second)],
        cwd=ROOT,
        env={**env, load.PAUSE_ENV: str(marker)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 300
        # the writer creates the file, then writes it: wait for the text, not just the file
        while not (marker.exists() and marker.read_text(encoding="utf-8")):
            assert proc.poll() is None, "the import ended before reaching the pause"
            assert time.monotonic() < deadline, "the import never reached the pause"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()

    assert state(target) == before
    # And the database still works: the same file imports cleanly afterwards.
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "import", "--db", str(target), str(second)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with db.connect(target) as con:
        assert con.execute("select count(*), min(employees) from v_enterprises").fetchone() == (20_000, 40)
        assert con.execute("select count(*) from v_wage_agreements").fetchone()[0] == 20_000
        assert con.execute("select count(*) from wage_agreements where superseded_by is not null").fetchone()[0] == 300
