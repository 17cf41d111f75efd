"""What the importer stores besides the rows, so that reading needs no per-query resolution.

Three things are derived from the ledgers and kept in step with every change, inside the same
transaction as the change (schema versions 4 and 7, dashboard/migrations/0004_stored_keys.sql and
0007_live_rows.sql):

- `registry_parts`: which (street, community) registries each batch holds. `v_enterprises` picks each
  community's latest active registry from this small table instead of grouping the whole registry.
- `enterprise_key` on every row of enterprises, wage_agreements, harmonious and disputes: the registry
  enterprise the row concerns. A registry row's key is its uscc, else "N:street|community|name". Another
  ledger's row takes the key of the current registry enterprise with the same uscc, else with the same
  name in the same community, else its own uscc or name key (views v_key_by_uscc / v_key_by_name).

- `live` on every row of the ledgers and registry_parts: whether the v_* views show it. A ledger row is
  live while its batch is active and no later batch superseded it; a registry part while its batch is
  its community's latest active registry batch; a registry row while its part is live.

A new registry batch, or undoing one, can change which enterprise a row resolves to: the rows of its
communities (by name) and rows anywhere whose uscc those communities' registries hold or held (by
uscc). Those rows are resolved again; any other batch resolves only its own rows.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

import duckdb

from dashboard import spec

KEYED_LEDGERS = ("wage_agreements", "harmonious", "disputes")
# The work plan's duty ledgers (schema version 8) upsert too; they store no enterprise or person key.
UPSERT_LEDGERS = ("wage_agreements", "harmonious", "aid", "disputes", *(lg.name for lg in spec.PLAN_LEDGERS))

# The rules for `live` (schema version 7), over alias x; main.import_batches, not a cadre's shadow of it.
_LIVE_ROW = (
    "x.superseded_by is null and x.batch_id in (select batch_id from main.import_batches where status = 'active')"
)
_LIVE_PART = """coalesce(x.batch_id = (
    select max(p.batch_id) from main.registry_parts p join main.import_batches b using (batch_id)
    where b.status = 'active' and p.street = x.street and p.community = x.community), false)"""
_LIVE_REGISTRY_ROW = (
    "(x.street, x.community, x.batch_id) in (select street, community, batch_id from main.registry_parts where live)"
)

# Every transaction of this process that writes batches (an import, an undo, a preview that writes its
# batch to compute the indicators after it, then rolls back) holds this lock: DuckDB lets the later of two
# transactions writing the same rows fail ("Conflict on update"), so a preview must never make an import fail.
BATCH_WRITES = threading.RLock()

# Across processes (two app servers and a command-line import on one PostgreSQL database) the same: every
# batch write's transaction takes this advisory lock first, so batches queue instead of interleaving; a
# DuckDB file is written by one process at a time anyway.
BATCH_LOCK = "union_dashboard.batch_writes"


def lock_batch_writes(con) -> None:
    """Call right after a batch write's `begin transaction`: on PostgreSQL, wait for any other process's
    batch write to end (pg_advisory_xact_lock, released at commit or rollback); nothing on DuckDB."""
    if getattr(con, "dialect", None) == "postgres":
        con.raw.execute("select pg_advisory_xact_lock(hashtext(%s))", [BATCH_LOCK])


_OWN_KEY = "coalesce({t}.uscc, 'N:' || {t}.street || '|' || {t}.community || '|' || {t}.name_norm)"


_PERSON_KEY = "coalesce({t}.id_number, 'P:' || {t}.community || '|' || {t}.recipient)"


def person_key(table: str) -> str:
    """SQL for an aid row's person (its ID number, else 'P:' community and name) over `table`.

    The importer stores it on every aid row (schema version 6); its checks compare people with it."""
    return _PERSON_KEY.format(t=table)


def own_key(table: str) -> str:
    """SQL for a registry row's own key (its uscc, else street, community and name) over `table`."""
    return _OWN_KEY.format(t=table)


def _resolve(con: duckdb.DuckDBPyConnection, ledger: str, where: str, params: dict | None = None) -> None:
    """Set enterprise_key on the ledger's rows that match `where` (SQL over alias x)."""
    if con.execute(f"select count(*) from main.{ledger} x where {where}", params or {}).fetchone()[0] == 0:
        return  # the lookups below are costly over a large registry even with no row to resolve
    con.execute(
        f"""
        update main.{ledger} x
        set enterprise_key = coalesce(
            (select u.enterprise_key from v_key_by_uscc u where u.uscc = x.uscc),
            (select n.enterprise_key from v_key_by_name n
             where n.street = x.street and n.community = x.community and n.name_norm = x.name_norm),
            {own_key("x")})
        where {where}
        """,
        params or {},
    )


# Rows a registry change in some communities can move: rows of those communities (their name lookup),
# and rows anywhere whose uscc is, or was, in those communities' registries (their uscc lookup).
_TOUCHED = """
    (x.street, x.community) in (select street, community from _touched_parts)
    or x.uscc in (select uscc from _touched_usccs)
"""


def _note_touched(con: duckdb.DuckDBPyConnection, batch_id: int) -> None:
    """Remember the communities of a registry batch and every uscc their registries hold in any batch."""
    con.execute(
        "create or replace temp table _touched_parts as "
        "select distinct street, community from main.enterprises where batch_id = ?",
        [batch_id],
    )
    con.execute(
        "create or replace temp table _touched_usccs as select distinct e.uscc from main.enterprises e "
        "join _touched_parts using (street, community) where e.uscc is not null"
    )


def _resolve_touched(con: duckdb.DuckDBPyConnection) -> None:
    for ledger in KEYED_LEDGERS:
        _resolve(con, ledger, _TOUCHED)
    con.execute("drop table _touched_parts")
    con.execute("drop table _touched_usccs")


def _refresh_live(con: duckdb.DuckDBPyConnection, ledger: str, where: str, params: dict | None = None) -> None:
    """Set `live` by its rule on the ledger's rows that match `where` (SQL over alias x)."""
    con.execute(
        f"update main.{ledger} x set live = ({_LIVE_ROW}) where ({where}) and x.live is distinct from ({_LIVE_ROW})",
        params or {},
    )


def _refresh_registry_live(con: duckdb.DuckDBPyConnection, parts: str) -> None:
    """Set `live` on the registry parts, and their registry rows, that match `parts` (SQL over alias x)."""
    con.execute(f"update main.registry_parts x set live = {_LIVE_PART} where {parts}")
    con.execute(
        f"update main.enterprises x set live = {_LIVE_REGISTRY_ROW} "
        f"where ({parts}) and x.live is distinct from {_LIVE_REGISTRY_ROW}"
    )


_TOUCHED_PARTS = "(x.street, x.community) in (select street, community from _touched_parts)"


def has_registry(con: duckdb.DuckDBPyConnection, batch_id: int) -> bool:
    return con.execute("select count(*) from main.enterprises where batch_id = ?", [batch_id]).fetchone()[0] > 0


def after_import(con: duckdb.DuckDBPyConnection, batch_id: int, ledgers: Iterable[str] | None = None) -> None:
    """Call inside the import's transaction, once the batch's rows and its import_batches row are in.

    `ledgers`: the ledgers the batch wrote rows to (None: any). Only those hold rows of the batch or rows
    it superseded, so only their `live` flags can change.
    """
    written = set(UPSERT_LEDGERS) if ledgers is None else set(ledgers)
    if has_registry(con, batch_id):
        con.execute(
            "insert into main.registry_parts (batch_id, street, community) select distinct batch_id, street, community "
            "from main.enterprises where batch_id = ?",
            [batch_id],
        )
        con.execute(  # the importer wrote them already (load._write); rows written otherwise get them here
            f"update main.enterprises e set enterprise_key = {own_key('e')} "
            "where e.batch_id = ? and e.enterprise_key is null",
            [batch_id],
        )
        _note_touched(con, batch_id)
        _refresh_registry_live(con, _TOUCHED_PARTS)  # before resolving: the lookups read v_enterprises
        _resolve_touched(con)
    else:
        for ledger in KEYED_LEDGERS:
            _resolve(con, ledger, "x.batch_id = $batch_id", {"batch_id": batch_id})
    for ledger in UPSERT_LEDGERS:  # the batch's rows, and the rows it superseded
        if ledger in written:
            _refresh_live(con, ledger, "x.batch_id = $b or x.superseded_by = $b", {"b": batch_id})


def before_undo(con: duckdb.DuckDBPyConnection, batch_id: int) -> bool:
    """Call inside the undo's transaction before the batch's rows go; True if it held a registry."""
    if not has_registry(con, batch_id):
        return False
    _note_touched(con, batch_id)
    return True


def after_undo(con: duckdb.DuckDBPyConnection, batch_id: int, had_registry: bool) -> None:
    """Call inside the undo's transaction, after the batch's rows are gone and it is marked undone."""
    con.execute("delete from main.registry_parts where batch_id = ?", [batch_id])
    if had_registry:
        _refresh_registry_live(con, _TOUCHED_PARTS)
        _resolve_touched(con)
    for ledger in UPSERT_LEDGERS:  # rows the batch had superseded are no longer superseded
        _refresh_live(con, ledger, "not coalesce(x.live, false) and x.superseded_by is null")


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Derive everything again from the stored rows (for data written without the importer)."""
    con.execute("delete from main.registry_parts")
    con.execute(
        "insert into main.registry_parts (batch_id, street, community)"
        " select distinct e.batch_id, e.street, e.community from main.enterprises e"
    )
    con.execute(f"update main.enterprises e set enterprise_key = {own_key('e')}")
    con.execute(f"update main.aid a set person_key = {person_key('a')}")
    _refresh_registry_live(con, "true")
    for ledger in UPSERT_LEDGERS:
        _refresh_live(con, ledger, "true")
    resolve_all(con)


def resolve_all(con: duckdb.DuckDBPyConnection) -> None:
    """Resolve every keyed row against the current registry."""
    for ledger in KEYED_LEDGERS:
        _resolve(con, ledger, "true")
