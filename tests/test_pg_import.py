"""The importer, undo and the CLI on PostgreSQL (issue 22): the sample street imported into a DuckDB file
and into a PostgreSQL database of the test cluster (tests/pg.py) leaves every table the same, row for row
(timestamps aside); so do undoing batches and importing them again; a batch that fails leaves PostgreSQL
as it was. One xdist group: the module's pair of databases is imported once, on one worker.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pandas as pd
import pytest

from dashboard import config, db, pg, scope
from dashboard.__main__ import main
from dashboard.ledgers import derived, load, undo
from dashboard.sample import ensure_sample_loaded, sample_files

pytestmark = pytest.mark.xdist_group("pg_import")

LEFT_OUT = ("schema_version", "_scope_sessions")


def snapshot(con) -> dict[str, list[tuple]]:
    """Every table's rows (sorted), without its timestamp columns (when a row was written differs)."""
    schema = "public" if db.dialect_of(con) == pg.DIALECT else "main"
    tables = [
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = ? and table_type = 'BASE TABLE'"
            " order by table_name",
            [schema],
        ).fetchall()
        if r[0] not in LEFT_OUT
    ]
    out = {}
    for table in tables:
        columns = [
            name
            for name, kind in con.execute(
                "select column_name, data_type from information_schema.columns"
                " where table_schema = ? and table_name = ? order by ordinal_position",
                [schema, table],
            ).fetchall()
            if not kind.lower().startswith("timestamp")
        ]
        rows = con.execute(f"select {', '.join(columns)} from {table}").fetchall()
        out[table] = sorted(rows, key=lambda r: tuple((v is None, str(v)) for v in r))
    return out


def assert_same(pg_url: str, duck_path: Path) -> dict[str, list[tuple]]:
    with db.connect(pg_url) as con, db.connect(duck_path) as duck:
        new, old = snapshot(con), snapshot(duck)
    assert list(new) == list(old)
    for table in old:
        assert len(new[table]) == len(old[table]), table
        assert new[table] == old[table], table
    return new


@pytest.fixture(scope="module")
def pair(tmp_path_factory, pg_cluster):
    """(PostgreSQL URL, DuckDB file), the sample street imported into each by the importer."""
    folder = tmp_path_factory.mktemp("pg_import")
    mp = pytest.MonkeyPatch()
    mp.setenv(load.ARCHIVE_ENV, str(folder / "archive"))
    url = pg_cluster.new_database()
    try:
        assert ensure_sample_loaded(folder / "sample.duckdb")
        assert ensure_sample_loaded(url)
    finally:
        mp.undo()
    return url, folder / "sample.duckdb"


@pytest.fixture
def archive(tmp_path, monkeypatch):
    monkeypatch.setenv(load.ARCHIVE_ENV, str(tmp_path / "archive"))
    return tmp_path / "archive"


def test_the_sample_street_imports_the_same_on_both_engines(pair):
    url, path = pair
    tables = assert_same(url, path)
    assert len(tables["import_batches"]) == len(sample_files())
    assert len(tables["enterprises"]) > 1000 and len(tables["aid"]) > 1000
    assert len(tables["registry_parts"]) == 10 and tables["import_batch_parts"]


def test_undo_and_importing_again_stay_the_same_on_both_engines(pair, archive):
    url, path = pair
    with db.connect(url) as con:
        batches = dict(con.execute("select file_name, batch_id from import_batches where status = 'active'").fetchall())
    registry, aid = batches["企业建会台账_东风社区.xlsx"], batches["帮扶救助台账.xlsx"]
    for target in (url, path):
        with scope.using(scope.ALL), db.connect(target) as con:
            assert "已撤销批次" in undo.undo_batch(con, aid, "测试")
            # a registry batch: the other ledgers' enterprise keys and live flags are derived again
            assert "已撤销批次" in undo.undo_batch(con, registry, "测试")
            with pytest.raises(undo.UndoRefused, match="已经撤销过了"):
                undo.undo_batch(con, aid, "测试")
    tables = assert_same(url, path)
    assert sum(1 for r in tables["import_batches"] if "undone" in r) == 2
    with db.connect(url) as con:
        assert con.execute("select count(*) from aid where live").fetchone() == (0,)
    again = [f for f in sample_files() if f.name in ("企业建会台账_东风社区.xlsx", "帮扶救助台账.xlsx")]
    for target in (url, path):
        with scope.using(scope.ALL), db.connect(target) as con:
            results = load.import_files(con, again, street=config.load_settings().street, user="测试")
            assert [r.status for r in results] == ["imported", "imported"]
    assert_same(url, path)


def _counts(url: str) -> dict[str, int]:
    with db.connect(url) as con:
        return {t: len(rows) for t, rows in snapshot(con).items()}


def test_a_batch_that_fails_leaves_postgres_as_it_was(pair, archive, monkeypatch):
    from tests.ledger_fixtures import ent, lose_one_stored_row, parsed, sheet

    url, _ = pair
    with db.connect(url) as con:
        before = snapshot(con)
        street = config.load_settings().street
        # the rows stored are not the rows the summary reports: StoredMismatch, all rolled back
        real_write = load._write
        lose_one_stored_row(monkeypatch)
        p = parsed(sheet("enterprises", [ent("东风社区", "甲公司"), ent("东风社区", "乙公司")]))
        with pytest.raises(load.StoredMismatch, match="读取到 2 行可导入，应写入 2 行，实际写入 1 行"):
            load.import_parsed(con, p, street=street)
        monkeypatch.setattr(load, "_write", real_write)
        # an error half-way through the derived steps, after the rows are in
        with monkeypatch.context() as m:
            m.setattr(derived, "after_import", lambda *a, **k: 1 / 0)
            with pytest.raises(ZeroDivisionError):
                load.import_parsed(con, p, street=street)
        # a file that cannot be read: nothing is tried
        assert load.import_files(con, [Path(__file__).with_name("no-such-ledger.xlsx")])[0].status == "failed"
        # the connection is usable afterwards, with no stage table left behind
        assert con.execute("select count(*) from pg_tables where schemaname like 'pg_temp%'").fetchone() == (0,)
        assert snapshot(con) == before
        # and the same upload, now whole, is stored
        assert load.import_parsed(con, p, street=street).status == "imported"
        with scope.using(scope.ALL):
            undo.undo_batch(con, int(con.execute("select max(batch_id) from import_batches").fetchone()[0]), "测试")


def test_a_preview_on_postgres_changes_nothing(pair):
    from dashboard.ledgers import diff
    from tests.ledger_fixtures import ent, parsed, sheet

    url, path = pair
    p = parsed(sheet("enterprises", [ent("东风社区", "甲公司"), ent("东风社区", "乙公司")]))
    street = config.load_settings().street
    where = diff.ImpactScope(2026, None, ("东风社区",))
    with db.connect(url) as con, db.connect(path) as duck:
        before = snapshot(con)
        new, old = load.preview(con, p, street, impact=where), load.preview(duck, p, street, impact=where)
        assert snapshot(con) == before
    pd.testing.assert_frame_equal(new.plan, old.plan)
    assert new.removals.to_dict("records") == old.removals.to_dict("records")
    assert len(new.diff) == len(old.diff) and set(new.diff["change"]) == set(old.diff["change"])
    assert new.impact is not None and len(new.impact) == len(old.impact)


def test_the_cli_imports_validates_and_undoes_on_postgres(pg_url, archive, capsys):
    files = [str(f) for f in sample_files() if f.name in ("企业建会台账_东风社区.xlsx", "劳动争议调解台账.xlsx")]
    assert main(["undo", "--db", pg_url]) == 1
    assert "没有可以撤销的导入批次" in capsys.readouterr().err
    assert main(["import", *files, "--db", pg_url]) == 0
    out = capsys.readouterr().out
    assert "已导入批次 #1" in out and "已导入批次 #2" in out
    assert main(["import", files[0], "--db", pg_url]) == 0
    assert "完全相同" in capsys.readouterr().out
    assert main(["validate", files[0], "--db", pg_url]) == 0
    assert "导入后将新增 0 行、移除 0 行、修改 0 行" in capsys.readouterr().out
    assert main(["undo", "--db", pg_url, "--user", "李四"]) == 0
    assert "已撤销批次 #2（劳动争议调解台账.xlsx）" in capsys.readouterr().out
    assert main(["undo", "2", "--db", pg_url]) == 1
    assert "已经撤销过了" in capsys.readouterr().err
    assert main(["undo", "9", "--db", pg_url]) == 1
    assert "没有找到批次 #9" in capsys.readouterr().err
    with db.connect(pg_url) as con:
        assert con.execute("select batch_id, status, undone_by from import_batches order by 1").fetchall() == [
            (1, "active", None),
            (2, "undone", "李四"),
        ]
        assert con.execute("select count(*) from disputes").fetchone() == (0,)
        assert con.execute("select username, action, detail from audit_log").fetchall() == [
            ("李四", "undo", "#2 劳动争议调解台账.xlsx（命令行）")
        ]


def test_rebuilding_the_derived_columns_on_postgres_gives_what_the_importer_stored(pair):
    url, _ = pair
    with db.connect(url) as con:
        before = snapshot(con)
        con.execute("begin transaction")
        derived.rebuild(con)
        con.execute("commit")
        assert snapshot(con) == before


# ---- batch writes of several processes ------------------------------------------------------------------
# Two processes are two connections here, with derived.BATCH_WRITES (this process's own lock) let go, so
# that only the database's advisory lock stands between them.


def _waiting_for_the_lock(url: str) -> int:
    with db.connect(url) as con:
        return con.raw.execute(
            "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and wait_event = 'advisory'"
            " and datname = current_database()"
        ).fetchone()[0]


def test_an_import_waits_for_another_processs_batch_write(pg_url, monkeypatch):
    import threading

    import psycopg

    from tests.ledger_fixtures import ent, parsed, sheet

    monkeypatch.setattr(derived, "BATCH_WRITES", contextlib.nullcontext())
    p = parsed(sheet("enterprises", [ent("东风社区", "甲公司")]))
    with db.connect(pg_url):
        pass  # migrated
    holder = psycopg.connect(pg_url)  # another process in the middle of its batch write
    holder.execute("select pg_advisory_xact_lock(hashtext(%s))", [derived.BATCH_LOCK])
    results = []

    def run():
        with db.connect(pg_url) as con:
            results.append(load.import_parsed(con, p, street="示例街道"))

    worker = threading.Thread(target=run)
    worker.start()
    try:
        while not _waiting_for_the_lock(pg_url) and worker.is_alive():
            time.sleep(0.01)
        assert worker.is_alive() and not results
        with db.connect(pg_url) as con:
            assert con.execute("select count(*) from import_batches").fetchone() == (0,)
    finally:
        holder.commit()  # the other batch write ends
        worker.join(timeout=60)
        holder.close()
    assert [r.status for r in results] == ["imported"]


def test_the_same_file_from_two_processes_is_stored_once(pg_url, archive, monkeypatch):
    import threading

    from tests.ledger_fixtures import ent, parsed, sheet

    monkeypatch.setattr(derived, "BATCH_WRITES", contextlib.nullcontext())
    real = load._active_duplicate
    first_look = threading.local()

    def not_yet_on_the_first_look(con, sha):
        # both processes looked before either had stored the file
        if not getattr(first_look, "done", False):
            first_look.done = True
            return None
        return real(con, sha)

    monkeypatch.setattr(load, "_active_duplicate", not_yet_on_the_first_look)
    p = parsed(sheet("enterprises", [ent("东风社区", "甲公司"), ent("东风社区", "乙公司")]))
    with db.connect(pg_url):
        pass
    results, start = [], threading.Barrier(2)

    def run():
        with db.connect(pg_url) as con:
            start.wait()
            results.append(load.import_parsed(con, p, street="示例街道"))

    workers = [threading.Thread(target=run) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert sorted(r.status for r in results) == ["duplicate", "imported"]
    stored = next(r for r in results if r.status == "imported")
    assert next(r for r in results if r.status == "duplicate").batch_id == stored.batch_id
    with db.connect(pg_url) as con:
        assert con.execute("select count(*) from import_batches").fetchone() == (1,)
        assert con.execute("select count(*) from enterprises").fetchone() == (2,)


def test_one_batch_undone_from_two_processes_is_undone_once(pg_url, monkeypatch):
    import threading

    from tests.ledger_fixtures import ent, parsed, sheet

    monkeypatch.setattr(derived, "BATCH_WRITES", contextlib.nullcontext())
    with db.connect(pg_url) as con:
        batch = load.import_parsed(con, parsed(sheet("enterprises", [ent("东风社区", "甲公司")])), street="示例街道")
    outcomes, start = [], threading.Barrier(2)

    def run(user):
        with db.connect(pg_url) as con:
            start.wait()
            try:
                outcomes.append(undo.undo_batch(con, batch.batch_id, user))
            except undo.UndoRefused as exc:
                outcomes.append(exc)

    workers = [threading.Thread(target=run, args=(u,)) for u in ("甲", "乙")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert sum(isinstance(o, str) and "已撤销批次" in o for o in outcomes) == 1
    assert sum(isinstance(o, undo.UndoRefused) and "已经撤销过了" in str(o) for o in outcomes) == 1
    with db.connect(pg_url) as con:
        assert con.execute("select status from import_batches").fetchall() == [("undone",)]


def test_kill_9_before_commit_leaves_postgres_as_before_and_lets_the_next_batch_in(pg_url, tmp_path):
    """The import process dies holding its transaction and the batch lock: the server rolls it back and
    lets the lock go, and the next import goes through."""
    import os
    import signal
    import subprocess
    import sys

    from tests.test_ledgers_crash import ROOT, write_ledgers

    env = {**os.environ, load.ARCHIVE_ENV: str(tmp_path / "archive")}
    first = write_ledgers(tmp_path / "东风一.xlsx", 50, employees=30)
    second = write_ledgers(tmp_path / "东风二.xlsx", 500, employees=40)
    assert main(["import", "--db", pg_url, str(first)]) == 0
    with db.connect(pg_url) as con:
        before = snapshot(con)
    marker = tmp_path / "paused"
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "import", "--db", pg_url, str(second)],
        cwd=ROOT, env={**env, load.PAUSE_ENV: str(marker)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        while not (marker.exists() and marker.read_text(encoding="utf-8")):
            assert proc.poll() is None, "the import ended before reaching the pause"
            time.sleep(0.05)
        with db.connect(pg_url) as con:  # what a reader sees meanwhile: nothing of the batch
            assert snapshot(con) == before
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    with db.connect(pg_url) as con:
        assert snapshot(con) == before
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "import", "--db", pg_url, str(second)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with db.connect(pg_url) as con:
        assert con.execute("select count(*) from v_enterprises").fetchone() == (500,)
