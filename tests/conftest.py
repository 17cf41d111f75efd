"""Shared fixtures: small databases built from a handful of hand-written rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from dashboard import db
from dashboard.ledgers import derived

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def database_at_version(path: Path, version: int) -> Iterator:
    """A connection to `path` migrated up to schema `version` only: what an older release left behind."""
    files = [f for f in db.migration_files() if f[0] <= version]
    assert files[-1][0] == version, f"no migration {version}"
    with pytest.MonkeyPatch.context() as m:
        m.setattr(db, "migration_files", lambda: files)
        with db.connect(path) as con:
            yield con


def add_batch(
    con, ledger: str, rows: list[dict], *, street: str = "示例街道", status: str = "active", derive: bool = True
) -> int:
    """Insert one import batch holding `rows` of `ledger`; returns its batch id. Like the importer, it then
    stores what is derived from the rows (dashboard/ledgers/derived.py) unless derive=False (a database at
    a schema version before those existed)."""
    batch_id = con.execute("select nextval('batch_id_seq')").fetchone()[0]
    communities = sorted({r["community"] for r in rows})
    con.execute(
        "insert into import_batches (batch_id, file_name, sha256, street, ledgers, communities, status)"
        " values (?, ?, ?, ?, ?, ?, ?)",
        [batch_id, f"{ledger}-{batch_id}.xlsx", f"sha{batch_id}", street, [ledger], communities, status],
    )
    for row in rows:
        row = {"street": street, **row}
        if "name" in row and "name_norm" not in row:
            row["name_norm"] = row["name"]
        cols = ["batch_id", *row]
        con.execute(
            f"insert into {ledger} ({', '.join(cols)}) values ({', '.join('?' for _ in cols)})",
            [batch_id, *row.values()],
        )
    if derive:
        if ledger == "aid":  # the importer writes each aid row's person key with the row
            con.execute(f"update aid set person_key = {derived.person_key('aid')} where batch_id = ?", [batch_id])
        derived.after_import(con, batch_id)
    return batch_id


def app_database(path: Path, build, monkeypatch) -> Path:
    """build(con) into a new database file at `path` and point the app under test at it (no sample)."""
    with db.connect(path) as con:
        build(con)
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(path))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    return path


@pytest.fixture
def small_db(tmp_path, monkeypatch):
    """The small street (tests/small_street.py) in a database file the app under test opens."""
    from tests.small_street import build_small_street

    return app_database(tmp_path / "small.duckdb", build_small_street, monkeypatch)


@pytest.fixture
def con(tmp_path):
    with db.connect(tmp_path / "test.duckdb") as c:
        yield c


@pytest.fixture(autouse=True)
def _fresh_login_limits():
    """Failed logins counted in memory (unknown names, per client, overall) do not carry between tests."""
    from dashboard import auth

    auth.reset_limits()
