"""Undoing a batch restores exactly the state before it, or refuses in Chinese when it cannot."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard import spec
from dashboard.ledgers import load, undo
from tests.conftest import connect_copy
from tests.ledger_fixtures import STREET, agreement, ent, parsed, raw_of, sheet

USCC_A = "91110000MA01234567"


@pytest.fixture
def con(tmp_path, monkeypatch):
    monkeypatch.setenv(load.ARCHIVE_ENV, str(tmp_path / "archive"))
    with connect_copy(tmp_path / "t.duckdb") as c:
        yield c


def state(con) -> dict:
    """Every stored ledger row and every view, in a comparable form."""
    out = {}
    for ledger in spec.LEDGERS:
        out[ledger] = con.execute(f"select * from {ledger} order by all").fetchall()
        out["v_" + ledger] = con.execute(f"select * from v_{ledger} order by all").fetchall()
    return out


def first_batch():
    return parsed(
        sheet("enterprises", [ent("东风社区", "甲公司", USCC_A, employees=20), ent("东风社区", "乙公司")]),
        sheet("wage_agreements", [agreement("东风社区", "甲公司", USCC_A, date(2026, 3, 5))], "协商"),
        salt="1",
    )


def second_batch():
    return parsed(
        sheet("enterprises", [ent("东风社区", "甲公司", USCC_A, employees=26)]),
        sheet(
            "wage_agreements",
            [
                agreement("东风社区", "甲公司", USCC_A, date(2026, 3, 5), covered_employees=26),
                agreement("东风社区", "甲公司", USCC_A, date(2027, 3, 5)),
            ],
            "协商",
        ),
        salt="2",
    )


def test_undo_restores_exactly_the_state_before_the_batch(con):
    load.import_parsed(con, first_batch(), street=STREET)
    before = state(con)
    second = load.import_parsed(con, second_batch(), street=STREET)
    assert state(con) != before
    message = undo.undo_batch(con, second.batch_id, "管理员")
    assert f"#{second.batch_id}" in message
    assert state(con) == before
    assert con.execute(
        "select status, undone_by from import_batches where batch_id = ?", [second.batch_id]
    ).fetchone() == (
        "undone",
        "管理员",
    )


def test_an_earlier_batch_cannot_be_undone_while_a_later_one_replaced_its_rows(con):
    first = load.import_parsed(con, first_batch(), street=STREET)
    second = load.import_parsed(con, second_batch(), street=STREET)
    with pytest.raises(undo.UndoRefused) as refused:
        undo.undo_batch(con, first.batch_id, "管理员")
    assert f"请先撤销批次 #{second.batch_id}" in str(refused.value)
    assert con.execute("select count(*) from import_batches where status = 'active'").fetchone()[0] == 2
    undo.undo_batch(con, second.batch_id, "管理员")
    undo.undo_batch(con, first.batch_id, "管理员")
    assert all(rows == [] for rows in state(con).values())


def test_undoing_an_older_registry_snapshot_keeps_the_current_one(con):
    # Enterprises are not superseded row by row, so an older snapshot can go on its own.
    first = load.import_parsed(con, parsed(sheet("enterprises", [ent("东风社区", "甲公司")]), salt="a"), street=STREET)
    load.import_parsed(con, parsed(sheet("enterprises", [ent("东风社区", "乙公司")]), salt="b"), street=STREET)
    undo.undo_batch(con, first.batch_id, "管理员")
    assert con.execute("select name from v_enterprises").fetchall() == [("乙公司",)]
    assert con.execute("select count(*) from v_enterprises_history").fetchone()[0] == 1


def test_undo_of_an_unknown_or_undone_batch_is_refused(con):
    with pytest.raises(undo.UndoRefused, match="没有找到批次 #99"):
        undo.undo_batch(con, 99, "管理员")
    batch = load.import_parsed(con, first_batch(), street=STREET)
    undo.undo_batch(con, batch.batch_id, "管理员")
    with pytest.raises(undo.UndoRefused, match="已经撤销过"):
        undo.undo_batch(con, batch.batch_id, "管理员")


def test_an_undone_file_can_be_imported_again(con):
    p = first_batch()
    batch = load.import_parsed(con, p, street=STREET, raw=raw_of(p))
    undo.undo_batch(con, batch.batch_id, "管理员")
    again = load.import_parsed(con, p, street=STREET, raw=raw_of(p))
    assert again.status == "imported" and again.batch_id != batch.batch_id
    history = undo.batch_history(con)
    assert history["status"].tolist() == ["active", "undone"]
