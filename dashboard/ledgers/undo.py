"""Undo an import batch: restore exactly the state before it, in one transaction.

The batch's rows are deleted, rows it superseded become current again, and the batch record stays,
marked undone, for the audit trail. A batch whose rows were in turn superseded by a later active
batch cannot be undone before that later one (its rows would otherwise come back half-replaced).
"""

from __future__ import annotations

import duckdb

from dashboard import spec
from dashboard.ledgers import derived
from dashboard.ledgers.load import UPSERT_LEDGERS


class UndoRefused(ValueError):
    """The batch cannot be undone now; the message (Chinese) says why and what to do."""


def blocking_batches(con: duckdb.DuckDBPyConnection, batch_id: int) -> list[int]:
    """Later active batches that superseded rows of this batch (undo those first)."""
    later: set[int] = set()
    for ledger in UPSERT_LEDGERS:
        rows = con.execute(
            f"select distinct x.superseded_by from main.{ledger} x "
            "join import_batches b on b.batch_id = x.superseded_by "
            "where x.batch_id = ? and b.status = 'active'",
            [batch_id],
        ).fetchall()
        later.update(int(r[0]) for r in rows)
    return sorted(later)


def undo_batch(con: duckdb.DuckDBPyConnection, batch_id: int, user: str) -> str:
    """Undo one active batch; returns a Chinese confirmation, raises UndoRefused otherwise."""
    with derived.BATCH_WRITES:  # never beside another batch write of this process (see there)
        return _undo_batch(con, batch_id, user)


def _undo_batch(con: duckdb.DuckDBPyConnection, batch_id: int, user: str) -> str:
    con.execute("begin transaction")
    try:
        derived.lock_batch_writes(con)  # after any other process's batch write (PostgreSQL)
        row = con.execute("select status, file_name from import_batches where batch_id = ?", [batch_id]).fetchone()
        if row is None:
            raise UndoRefused(f"没有找到批次 #{batch_id}，请刷新导入记录后再试。")
        status, file_name = row
        if status != "active":
            raise UndoRefused(f"批次 #{batch_id}（{file_name}）已经撤销过了，无需再撤销。")
        later = blocking_batches(con, batch_id)
        if later:
            names = "、".join(f"#{b}" for b in later)
            raise UndoRefused(
                f"批次 #{batch_id}（{file_name}）中的部分记录已被之后导入的批次 {names} 更新，"
                f"请先撤销批次 {names}，再撤销这一批。"
            )
        had_registry = derived.before_undo(con, batch_id)
        for ledger in spec.LEDGERS:
            con.execute(f"delete from main.{ledger} where batch_id = ?", [batch_id])
            if ledger in UPSERT_LEDGERS:
                con.execute(f"update main.{ledger} set superseded_by = null where superseded_by = ?", [batch_id])
        con.execute(
            "update import_batches set status = 'undone', undone_at = current_timestamp, undone_by = ? "
            "where batch_id = ?",
            [user, batch_id],
        )
        derived.after_undo(con, batch_id, had_registry)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return f"已撤销批次 #{batch_id}（{file_name}），数据已恢复到导入这一批之前的状态。"


def batch_history(con: duckdb.DuckDBPyConnection, limit: int = 200):
    """Import batches, newest first, for the Data page and the CLI."""
    return con.execute(
        """
        select batch_id, file_name, imported_at, imported_by, ledgers, communities,
               rows_added, rows_changed, rows_removed, rows_rejected, rows_warned,
               status, undone_at, undone_by, sha256
        from import_batches order by batch_id desc limit ?
        """,
        [limit],
    ).df()
