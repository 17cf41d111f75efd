"""A full disk during an import (issue 16 item 5): no temp file left behind, a Chinese sentence instead of
"[Errno 28] No space left on device" or DuckDB's "FATAL Error", and the stored data as it was.

What DuckDB 2.0.1 does on a full disk was measured on a 6 MB tmpfs: a COMMIT whose log cannot be
written raises TransactionException('Failed to commit: Could not write file "….wal": No space left on
device') and has rolled back already (a ROLLBACK then fails: "no transaction is active"); a COMMIT
whose log was written but whose automatic checkpoint was not raises FatalException("Transaction COMMIT
succeeded and is durable, but the autocheckpoint failed…"): the batch is stored, and every later
statement on the database fails with "database has been invalidated" until it is opened afresh.
FaultyConnection below reproduces both on a real connection.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import threading
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from dashboard import db
from dashboard.__main__ import main
from dashboard.ledgers import load
from dashboard.ui.data_widgets import TEST_UPLOADS
from tests.ledger_fixtures import STREET, ent, parsed, sheet

ROOT = Path(__file__).resolve().parent.parent
WAL_FULL = 'TransactionContext Error: Failed to commit: Could not write file "x.duckdb.wal": No space left on device'
CHECKPOINT_FULL = (
    "FATAL Error: Transaction COMMIT succeeded and is durable, but the autocheckpoint failed. Reopen the database"
    ' instance to recover. Failed to create checkpoint because of error: Could not write file "x.duckdb": No space'
    " left on device"
)
INVALIDATED = (
    "FATAL Error: Failed: database has been invalidated because of a previous fatal error. The database must be"
    ' restarted prior to being used again.\nOriginal error: "Could not write file "x.duckdb": No space left on device"'
)


class FaultyConnection:
    """A real connection whose COMMIT fails the way DuckDB's does on a full disk.

    mode "wal": the commit is rolled back and raises; "checkpoint": the commit is made, then raises a
    FatalException, and every later statement raises "database has been invalidated"."""

    def __init__(self, con, mode: str):
        self._con, self._mode, self.dead, self.used_after_death = con, mode, False, []

    def execute(self, sql, *args, **kwargs):
        if self.dead:
            self.used_after_death.append(sql)
            raise duckdb.FatalException(INVALIDATED)
        if sql.strip().lower() == "commit":
            if self._mode == "wal":
                self._con.execute("rollback")
                raise duckdb.TransactionException(WAL_FULL)
            self._con.execute("commit")
            self.dead = True
            raise duckdb.FatalException(CHECKPOINT_FULL)
        return self._con.execute(sql, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._con, name)


def no_room(monkeypatch, after: int = 1000) -> None:
    """os.write writes `after` bytes, then finds the disk full, as a real write would."""
    real = os.write
    written = {"n": 0}

    def write(fd, data):
        if written["n"] >= after:
            raise OSError(errno.ENOSPC, "No space left on device")
        n = real(fd, bytes(data[: after - written["n"]]))
        written["n"] += n
        return n

    monkeypatch.setattr(os, "write", write)


@pytest.fixture
def archive(tmp_path, monkeypatch):
    path = tmp_path / "archive"
    monkeypatch.setenv(load.ARCHIVE_ENV, str(path))
    return path


def registry(name: str = "甲公司", uscc: str = "91110000MA01234567"):
    return parsed(sheet("enterprises", [ent("东风社区", name, uscc)]))


def stored(path) -> tuple[int, list]:
    with db.connect(path) as con:
        return (
            con.execute("select count(*) from import_batches").fetchone()[0],
            con.execute("select name from v_enterprises order by name").fetchall(),
        )


def _before(path) -> None:
    with db.connect(path) as con:
        load.import_parsed(con, registry("旧公司", "91110000MA07654321"), street=STREET, raw=b"first file")


# ---- the importer ----------------------------------------------------------------------------------


def test_a_full_disk_while_archiving_leaves_no_temp_file_and_stores_nothing(tmp_path, archive, monkeypatch):
    path = tmp_path / "t.duckdb"
    _before(path)
    no_room(monkeypatch)
    with db.connect(path) as con, pytest.raises(load.DiskFull) as caught:
        load.import_parsed(con, registry(), street=STREET, raw=b"x" * 5000)
    monkeypatch.undo()
    assert str(caught.value) == "磁盘空间已满，本次导入未保存任何数据。请清理服务器磁盘后重试。"
    assert caught.value.result is None
    assert [p.name for p in archive.iterdir() if p.suffix == ".tmp"] == []  # no <sha>.xlsx.<pid>.tmp
    assert len(list(archive.iterdir())) == 1  # the first file's original only
    assert stored(path) == (1, [("旧公司",)])


def test_a_commit_that_finds_the_disk_full_stores_nothing_and_keeps_no_original(tmp_path, archive):
    path = tmp_path / "t.duckdb"
    _before(path)
    with db.connect(path) as con, pytest.raises(load.DiskFull) as caught:
        load.import_parsed(FaultyConnection(con, "wal"), registry(), street=STREET, raw=b"second file")
    assert str(caught.value) == load.DISK_FULL_MESSAGE and caught.value.result is None
    assert isinstance(caught.value.__cause__, duckdb.TransactionException)  # not "cannot rollback"
    assert stored(path) == (1, [("旧公司",)])
    assert len(list(archive.iterdir())) == 1  # the original of the batch not stored is not kept


def test_a_commit_made_durable_before_its_checkpoint_failed_is_reported_as_stored(tmp_path, archive):
    path = tmp_path / "t.duckdb"
    _before(path)
    with db.connect(path) as con:
        faulty = FaultyConnection(con, "checkpoint")
        with pytest.raises(load.DiskFull) as caught:
            load.import_parsed(faulty, registry(), street=STREET, raw=b"second file")
    assert faulty.used_after_death == []  # not even a ROLLBACK on the invalidated connection
    assert caught.value.invalidated and caught.value.result is None  # not known yet: the connection is dead
    assert caught.value.unsettled.batch_id == 2
    exc = load.settle(caught.value, path)  # asked of the database opened afresh
    assert exc.invalidated and exc.result is not None and exc.result.batch_id == 2
    assert str(exc).startswith("磁盘空间已满：本次导入已经保存（已导入批次 #2：新增 1 行")
    assert stored(path) == (2, [("甲公司",)])  # as DuckDB says: durable


def test_a_fatal_error_at_commit_that_stored_nothing_is_settled_as_nothing_stored(tmp_path, archive):
    """DuckDB rolled the commit back and then failed: the database opened afresh has no such batch."""
    path = tmp_path / "t.duckdb"
    _before(path)

    class RolledBackThenFatal(FaultyConnection):
        def execute(self, sql, *args, **kwargs):
            if sql.strip().lower() == "commit":
                self._con.execute("rollback")
                self.dead = True
                raise duckdb.FatalException(INVALIDATED)
            return super().execute(sql, *args, **kwargs)

    with db.connect(path) as con, pytest.raises(load.DiskFull) as caught:
        load.import_parsed(RolledBackThenFatal(con, "checkpoint"), registry(), street=STREET, raw=b"second")
    exc = load.settle(caught.value, path)
    assert str(exc) == load.DISK_FULL_MESSAGE and exc.result is None
    assert stored(path) == (1, [("旧公司",)])
    assert len(list(archive.iterdir())) == 1  # the second file's original is not kept


def test_is_disk_full_reads_errno_and_duckdb_text():
    assert db.is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    assert db.is_disk_full(duckdb.TransactionException(WAL_FULL))
    assert db.is_disk_full(duckdb.FatalException(INVALIDATED))
    assert not db.is_disk_full(duckdb.ConstraintException("Duplicate key"))
    assert db.is_invalidated(duckdb.FatalException(CHECKPOINT_FULL))
    assert db.is_invalidated(duckdb.FatalException(INVALIDATED))
    assert not db.is_invalidated(duckdb.TransactionException(WAL_FULL))


def invalidate_on_commit(con) -> None:
    """Make DuckDB itself invalidate the database at the next COMMIT, as a checkpoint that finds the
    disk full does: the commit is durable, its automatic checkpoint aborts (a DuckDB debug setting)."""
    con.execute("set checkpoint_threshold = '1KB'")
    con.execute("set debug_checkpoint_abort = 'before_truncate'")


def test_connect_never_hands_out_a_database_duckdb_invalidated(tmp_path):
    """While another connection of the process still holds the database DuckDB gave up on, DuckDB gives
    every new connection that same dead database: connect waits for the file to be opened afresh, or
    says so in Chinese."""
    path = tmp_path / "t.duckdb"
    dead = duckdb.connect(str(path))
    dead.execute("create table t (a int)")
    invalidate_on_commit(dead)
    dead.execute("begin transaction")
    dead.execute("insert into t select * from range(10000)")
    with pytest.raises(duckdb.FatalException, match="COMMIT succeeded"):
        dead.execute("commit")
    with pytest.raises(db.DatabaseInvalidated) as caught, db.connect(path, wait_seconds=0.5):
        pass
    assert "需要重新打开" in str(caught.value) and isinstance(caught.value, db.DatabaseBusy)
    threading.Timer(0.5, dead.close).start()  # the other page run ends
    with db.connect(path, wait_seconds=10) as con:
        assert con.execute("select count(*) from t").fetchone() == (10000,)


# ---- the command line ------------------------------------------------------------------------------


def _workbook(path: Path, name: str) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["东风社区企业建会情况台账"])
    ws.append(["序号", "企业名称", "职工人数（人）", "建会情况"])
    ws.append([1, name, 30, "是"])
    wb.save(path)
    return path


@pytest.fixture
def two_files(tmp_path, archive, monkeypatch):
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(tmp_path / "cli.duckdb"))
    return [str(_workbook(tmp_path / "东风1.xlsx", "甲公司")), str(_workbook(tmp_path / "东风2.xlsx", "乙公司"))]


def test_cli_says_the_disk_is_full_and_stops(two_files, tmp_path, archive, monkeypatch, capsys):
    no_room(monkeypatch)
    code = main(["import", *two_files])
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert code == 4
    assert "导入「东风1.xlsx」：磁盘空间已满，本次导入未保存任何数据。请清理服务器磁盘后重试。" in err
    assert "其余文件 「东风2.xlsx」 没有导入" in err
    assert "Errno" not in err and "No space left" not in err
    assert not archive.exists() or [p.name for p in archive.iterdir()] == []
    assert stored(tmp_path / "cli.duckdb") == (0, [])


def test_cli_never_reuses_a_connection_duckdb_invalidated(two_files, tmp_path, monkeypatch, capsys):
    """The first file's commit is made durable and its checkpoint fails: it is reported as stored, and
    the second file is not tried on the dead connection."""
    real = db.connect
    opened: list[FaultyConnection] = []

    @contextlib.contextmanager
    def faulty_connect(*args, **kwargs):
        with real(*args, **kwargs) as con:
            opened.append(FaultyConnection(con, "checkpoint"))
            yield opened[-1]

    monkeypatch.setattr(db, "connect", faulty_connect)
    code = main(["import", *two_files])
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert code == 4
    assert "磁盘空间已满：本次导入已经保存（已导入批次 #1" in err and "FATAL" not in err
    assert "其余文件 「东风2.xlsx」 没有导入" in err
    # the import's connection was not used after DuckDB gave up on it; the second one is settle()'s,
    # opened afresh to see whether the batch was stored
    assert [c.used_after_death for c in opened] == [[], []]
    assert stored(tmp_path / "cli.duckdb") == (1, [("甲公司",)])


# ---- the page --------------------------------------------------------------------------------------


def _upload(name: str) -> tuple[str, bytes]:
    buf = io.BytesIO()
    wb = Workbook()
    ws = wb.active
    ws.append(["东风社区企业建会情况台账"])
    ws.append(["序号", "企业名称", "职工人数（人）", "建会情况"])
    ws.append([1, name, 30, "是"])
    wb.save(buf)
    return (f"{name}.xlsx", buf.getvalue())


@pytest.fixture
def page_db(tmp_path, archive, monkeypatch):
    path = tmp_path / "page.duckdb"
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(path))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    _before(path)
    return path


def _commit(at: AppTest) -> AppTest:
    # the upload replaces 东风社区's registry with other enterprises: a mass removal, confirmed first
    for box in at.checkbox:
        if box.key and box.key.startswith("data_removals_"):
            at = box.check().run()
    return at.button(key=next(b.key for b in at.button if b.key.startswith("data_commit_"))).click().run()


def _page_texts(at: AppTest) -> str:
    return " ".join(e.value for kind in ("error", "warning", "success", "info") for e in getattr(at, kind))


def test_page_says_the_disk_is_full_when_the_original_cannot_be_kept(page_db, archive, monkeypatch):
    at = AppTest.from_file(str(ROOT / "app_pages" / "data.py"), default_timeout=60)
    at.session_state[TEST_UPLOADS] = [_upload("甲公司")]
    at.run()
    no_room(monkeypatch)
    _commit(at)
    monkeypatch.undo()
    assert not at.exception
    assert any("磁盘空间已满，本次导入未保存任何数据。请清理服务器磁盘后重试。" in e.value for e in at.error)
    assert "Errno" not in _page_texts(at)
    assert [p.name for p in archive.iterdir() if p.suffix == ".tmp"] == []
    assert stored(page_db) == (1, [("旧公司",)])
    assert any(b.key.startswith("data_commit_") for b in at.button)  # still there to try again


def test_page_says_the_disk_is_full_when_the_commit_fails(page_db, monkeypatch):
    real = load.import_parsed
    monkeypatch.setattr(load, "import_parsed", lambda con, *a, **k: real(FaultyConnection(con, "wal"), *a, **k))
    at = AppTest.from_file(str(ROOT / "app_pages" / "data.py"), default_timeout=60)
    at.session_state[TEST_UPLOADS] = [_upload("甲公司")]
    _commit(at.run())
    assert not at.exception
    assert any(load.DISK_FULL_MESSAGE in e.value for e in at.error)
    assert "FATAL" not in _page_texts(at) and "No space" not in _page_texts(at)
    assert stored(page_db) == (1, [("旧公司",)])


def test_page_after_an_invalidated_database_opens_it_afresh(page_db, monkeypatch):
    """The batch was made durable before DuckDB failed: the page says so, and its next run works on a
    database opened afresh instead of the invalidated one."""
    real = load.import_parsed
    monkeypatch.setattr(load, "import_parsed", lambda con, *a, **k: real(FaultyConnection(con, "checkpoint"), *a, **k))
    at = AppTest.from_file(str(ROOT / "app_pages" / "data.py"), default_timeout=60)
    at.session_state[TEST_UPLOADS] = [_upload("甲公司")]
    _commit(at.run())
    assert not at.exception
    assert any("磁盘空间已满：本次导入已经保存（已导入批次 #2" in w.value for w in at.warning)
    monkeypatch.undo()
    at.run()
    assert not at.exception and not at.error
    assert stored(page_db) == (2, [("甲公司",)])


def test_a_page_runs_hold_on_a_database_duckdb_invalidated_is_let_go(tmp_path):
    """The connection a page run keeps open (dashboard.ui.data.hold_database) notices that DuckDB
    invalidated the database, so the next run opens the file afresh instead of keeping it dead."""
    from dashboard.ui import data

    path = tmp_path / "t.duckdb"
    held = data._Held(path)
    assert held.usable()
    with db.connect(path) as con:
        con.execute("create table t (a int)")
        con.execute("set debug_checkpoint_abort = 'before_truncate'")
        with pytest.raises(duckdb.FatalException):
            con.execute("checkpoint")  # DuckDB's own fatal error, as a checkpoint on a full disk
    assert not held.usable()
    held.close()
    with db.connect(path) as con:  # opened afresh
        assert con.execute("select count(*) from t").fetchone() == (0,)
