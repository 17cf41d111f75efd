"""A stage table filled inside the import transaction with a whole DuckDB row group (122,880 rows) or more
must be read back whole: DuckDB 2.0.0 scanned such a temp table as empty, so a large ledger imported as
"新增 0 行" and stored nothing (fixed by pinning DuckDB 2.0.1)."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from dashboard import db
from dashboard.ledgers import load


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
