"""kill -9 in the middle of a schema migration: the database opens afterwards at the state before the
interrupted step, and migrates cleanly on the next start.

The test builds a database holding data at the version just before the newest migration (as an older
release would have left it), then opens it from a subprocess (`python -m dashboard metrics`, which
migrates on connect). A test-only environment hook in db.migrate (db.PAUSE_ENV) makes that process
write a marker file and sleep after the migration's statements ran but before its COMMIT; the test
kills it with SIGKILL there. (kill -9 during an import is tests/test_ledgers_crash.py.)
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb

from dashboard import config, db, metrics, spec
from dashboard.filters import Filters
from tests.conftest import add_batch, database_at_version

ROOT = Path(__file__).resolve().parent.parent


def build_previous_version(path: Path) -> int:
    """A database migrated to every version but the newest, with a registry and an agreement in it.

    The rows go in at version 3, before anything was derived at import; the migrations after it derive
    for stored data what the importer of their day derived (keys, registry parts, ...)."""
    newest = db.migration_files()[-1][0]
    with database_at_version(path, 3) as con:
        add_batch(
            con,
            "enterprises",
            [
                {"community": "东风社区", "name": "甲公司", "employees": 30, "union_status": "独立建会"},
                {"community": "东风社区", "name": "乙公司", "employees": 12},
            ],
            derive=False,
        )
        add_batch(
            con,
            "wage_agreements",
            [{"community": "东风社区", "name": "甲公司", "signed_on": "2026-03-05", "expires_on": "2027-03-04"}],
            derive=False,
        )
    with database_at_version(path, newest - 1):
        pass  # the migrations up to the one before the newest derive what their importers derived
    return newest


def state(path: Path, like: dict | None = None) -> dict:
    """Everything a migration could touch, read without migrating (a plain read-only DuckDB open).
    With `like` (an earlier state), ledgers are read with that state's columns only, so the data a
    migration kept can be compared while columns it added are left out."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {
            "versions": con.execute("select version from schema_version order by 1").fetchall(),
            "tables": con.execute(
                "select table_name, column_name, data_type from information_schema.columns "
                "where table_schema = 'main' order by all"
            ).fetchall(),
            "views": con.execute("select view_name, sql from duckdb_views() where not internal order by 1").fetchall(),
            "batches": con.execute("select * exclude (imported_at) from import_batches order by 1").fetchall(),
        }
        for ledger in spec.LEDGERS:
            columns = ", ".join(c for t, c, _ in (like or out)["tables"] if t == ledger)
            if not columns:  # a ledger a later migration adds (the duty ledgers of version 8)
                continue
            out[ledger] = con.execute(f"select {columns} from {ledger} order by all").fetchall()
        return out
    finally:
        con.close()


def test_kill_9_during_a_migration_leaves_the_previous_version(tmp_path):
    target = tmp_path / "old.duckdb"
    newest = build_previous_version(target)
    before = state(target)
    assert before["versions"][-1][0] == newest - 1

    marker = tmp_path / "migrating"
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "metrics", "--year", "2026", "--db", str(target)],
        cwd=ROOT,
        env={**os.environ, db.PAUSE_ENV: str(marker)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        # the writer creates the file, then writes it: wait for the text, not just the file
        while not (marker.exists() and marker.read_text(encoding="utf-8")):
            assert proc.poll() is None, "the process ended before reaching the migration pause"
            assert time.monotonic() < deadline, "the migration never reached the pause"
            time.sleep(0.05)
        assert marker.read_text(encoding="utf-8") == str(newest)
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()

    # Exactly as before: the interrupted step left nothing behind, not even part of its statements.
    assert state(target) == before

    # The next start applies the migration cleanly and the data reads through it.
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "metrics", "--year", "2026", "--as-of", "2026-06-30", "--db", str(target),
         "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    after = state(target, like=before)
    assert after["versions"][-1][0] == newest
    kept = ("batches", *(lg for lg in spec.LEDGERS if lg in before))  # the duty ledgers are new in version 8
    assert {k: after[k] for k in kept} == {k: before[k] for k in kept}
    with db.connect(target) as con:
        # 甲公司: 30 staff, independent union, agreement in force on 2026-06-30; 乙公司 has no union.
        assert con.execute("select count(*) from v_enterprises").fetchone()[0] == 2
        filters = Filters(year=2026, as_of=date(2026, 6, 30))
        u1 = metrics.union_coverage_25plus(con.cursor(), filters, config.load_settings())
        assert u1[["numerator", "denominator"]].values.tolist() == [[1, 1]]
        # The agreement (no uscc) resolves to 甲公司 by name in its community.
        key = "N:示例街道|东风社区|甲公司"
        assert con.execute("select enterprise_key from v_wage_agreements").fetchall() == [(key,)]
        w1 = metrics.wage_agreement_signing(con.cursor(), filters, config.load_settings())
        assert w1[["numerator", "denominator"]].values.tolist() == [[1, 1]]
