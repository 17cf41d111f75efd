"""A stage table filled inside the import transaction with a whole DuckDB row group (122,880 rows) or more
must be read back whole: DuckDB 2.0.0 scanned such a temp table as empty, so a large ledger imported as
"新增 0 行" and stored nothing (fixed by pinning DuckDB 2.0.1)."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from dashboard import db
from dashboard.ledgers import load
from tests.conftest import connect_copy


@pytest.mark.parametrize("rows", [122_879, 122_880, 250_000])
def test_stage_filled_in_a_transaction_is_read_whole(tmp_path, rows):
    with db.connect(tmp_path / "t.duckdb") as con:
        frame = pd.DataFrame(
            {
                "community": pd.Series(["东风社区"] * rows, dtype="string"),
                "name": pd.Series([f"企业{i}" for i in range(rows)], dtype="string"),
                "name_norm": pd.Series([f"企业{i}" for i in range(rows)], dtype="string"),
                "status": pd.Series(["正常经营"] * rows, dtype="string"),
                "employees": pd.Series([30] * rows, dtype="Int64"),
                "union_status": pd.Series(["独立建会"] * rows, dtype="string"),
                "source_sheet": pd.Series(["s"] * rows, dtype="string"),
                "source_row": pd.Series(range(2, rows + 2), dtype="Int64"),
                "_seq": range(rows),
            }
        )
        con.execute("begin transaction")
        try:
            stage = load._stage_ledger(con, "enterprises", frame, "示例街道", 1)
            counted = load._count_enterprises(con, stage, "示例街道")
            assert counted["added"].sum() == rows
            assert con.execute(f"select count(name), min(_seq), max(_seq) from {stage}").fetchone() == (
                rows,
                0,
                rows - 1,
            )
        finally:
            con.execute("rollback")


def test_duckdb_version_reads_large_transaction_local_temp_tables():
    con = duckdb.connect()
    con.execute("begin")
    con.execute("create temp table s as select range::varchar as a from range(122880)")
    assert con.execute("select count(a) from s").fetchone()[0] == 122880


@pytest.fixture
def con(tmp_path, monkeypatch):
    monkeypatch.setenv(load.ARCHIVE_ENV, str(tmp_path / "archive"))
    with connect_copy(tmp_path / "t.duckdb") as c:
        yield c


def _rows(ledger: str, n: int) -> list[dict]:
    from datetime import date, timedelta

    from tests.ledger_fixtures import aid, dispute, ent

    start = date(2026, 1, 1)
    if ledger == "enterprises":
        return [ent("东风社区", f"企业{i}") for i in range(n)]
    if ledger == "aid":
        return [aid("东风社区", f"人{i}", None, "冬送温暖", start + timedelta(days=i % 300)) for i in range(n)]
    return [dispute("东风社区", f"A{i}", f"企业{i}", start + timedelta(days=i % 300)) for i in range(n)]


@pytest.mark.parametrize("ledger", ["enterprises", "aid", "disputes"])
def test_a_ledger_of_a_whole_row_group_is_stored_whole(con, ledger):
    from tests.ledger_fixtures import parsed, sheet

    n = 122_880
    result = load.import_parsed(con, parsed(sheet(ledger, _rows(ledger, n))), street="示例街道")
    assert result.status == "imported" and result.rows_added == n
    assert con.execute(f"select count(community) from {ledger} where batch_id = ?", [result.batch_id]).fetchone() == (
        n,
    )


def test_stored_rows_that_differ_from_the_summary_roll_the_batch_back(con, monkeypatch):
    from tests.ledger_fixtures import ent, lose_one_stored_row, parsed, sheet

    lose_one_stored_row(monkeypatch)
    p = parsed(sheet("enterprises", [ent("东风社区", "甲公司"), ent("东风社区", "乙公司")]))
    with pytest.raises(load.StoredMismatch, match="读取到 2 行可导入，应写入 2 行，实际写入 1 行"):
        load.import_parsed(con, p, street="示例街道")
    assert con.execute("select count(*) from enterprises").fetchone() == (0,)
    assert con.execute("select count(*) from import_batches").fetchone() == (0,)


def test_a_stage_that_loses_rows_rolls_the_batch_back(con, monkeypatch):
    """What DuckDB 2.0.0 did: the stage read back empty, so the summary said 0 and 0 rows were written.
    The summary agreeing with the table is not enough; both must equal what the parser accepted."""
    from tests.ledger_fixtures import ent, parsed, sheet

    real_stage = load._stage_ledger

    def stage_that_loses_rows(con, ledger, frame, street, batch_id):
        return real_stage(con, ledger, frame.iloc[0:0], street, batch_id)

    monkeypatch.setattr(load, "_stage_ledger", stage_that_loses_rows)
    p = parsed(sheet("enterprises", [ent("东风社区", "甲公司"), ent("东风社区", "乙公司")]))
    with pytest.raises(load.StoredMismatch, match="读取到 2 行可导入，应写入 0 行，实际写入 0 行"):
        load.import_parsed(con, p, street="示例街道")
    assert con.execute("select count(*) from import_batches").fetchone() == (0,)
