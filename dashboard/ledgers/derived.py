"""What the importer stores besides the rows, so that reading needs no per-query resolution.

Two things are derived from the ledgers and kept in step with every change, inside the same
transaction as the change (schema version 4, dashboard/migrations/0004_stored_keys.sql):

- `registry_parts`: which (street, community) registries each batch holds. `v_enterprises` picks each
  community's latest active registry from this small table instead of grouping the whole registry.
- `enterprise_key` on every row of enterprises, wage_agreements, harmonious and disputes: the registry
  enterprise the row concerns. A registry row's key is its uscc, else "N:street|community|name". Another
  ledger's row takes the key of the current registry enterprise with the same uscc, else with the same
  name in the same community, else its own uscc or name key (views v_key_by_uscc / v_key_by_name).

A new registry batch, or undoing one, can change which enterprise any row resolves to, so then every
keyed row is resolved again; any other batch resolves only its own rows.
"""

from __future__ import annotations

import duckdb

KEYED_LEDGERS = ("wage_agreements", "harmonious", "disputes")

_OWN_KEY = "coalesce({t}.uscc, 'N:' || {t}.street || '|' || {t}.community || '|' || {t}.name_norm)"


def own_key(table: str) -> str:
    """SQL for a registry row's own key (its uscc, else street, community and name) over `table`."""
    return _OWN_KEY.format(t=table)


def _resolve(con: duckdb.DuckDBPyConnection, ledger: str, batch_id: int | None) -> None:
    """Set enterprise_key on the ledger's rows (of one batch, or all when batch_id is None)."""
    only = "" if batch_id is None else f" where batch_id = {int(batch_id)}"
    if con.execute(f"select count(*) from main.{ledger}{only}").fetchone()[0] == 0:
        return  # the lookups below cost ~0.1 s over a 100k registry even with no row to resolve
    con.execute(
        f"""
        update main.{ledger} x
        set enterprise_key = coalesce(
            (select u.enterprise_key from v_key_by_uscc u where u.uscc = x.uscc),
            (select n.enterprise_key from v_key_by_name n
             where n.street = x.street and n.community = x.community and n.name_norm = x.name_norm),
            {own_key("x")})
        where $batch_id::bigint is null or x.batch_id = $batch_id::bigint
        """,
        {"batch_id": batch_id},
    )


def has_registry(con: duckdb.DuckDBPyConnection, batch_id: int) -> bool:
    return con.execute("select count(*) from main.enterprises where batch_id = ?", [batch_id]).fetchone()[0] > 0


def after_import(con: duckdb.DuckDBPyConnection, batch_id: int) -> None:
    """Call inside the import's transaction, once the batch's rows and its import_batches row are in."""
    if has_registry(con, batch_id):
        con.execute(
            "insert into main.registry_parts select distinct batch_id, street, community "
            "from main.enterprises where batch_id = ?",
            [batch_id],
        )
        con.execute(  # the importer wrote them already (load._write); rows written otherwise get them here
            f"update main.enterprises e set enterprise_key = {own_key('e')} "
            "where e.batch_id = ? and e.enterprise_key is null",
            [batch_id],
        )
        resolve_all(con)
    else:
        for ledger in KEYED_LEDGERS:
            _resolve(con, ledger, batch_id)


def after_undo(con: duckdb.DuckDBPyConnection, batch_id: int, had_registry: bool) -> None:
    """Call inside the undo's transaction, after the batch's rows are gone and it is marked undone."""
    con.execute("delete from main.registry_parts where batch_id = ?", [batch_id])
    if had_registry:
        resolve_all(con)


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Derive everything again from the stored rows (for data written without the importer)."""
    con.execute("delete from main.registry_parts")
    con.execute(
        "insert into main.registry_parts select distinct e.batch_id, e.street, e.community from main.enterprises e"
    )
    con.execute(f"update main.enterprises e set enterprise_key = {own_key('e')}")
    resolve_all(con)


def resolve_all(con: duckdb.DuckDBPyConnection) -> None:
    """Resolve every keyed row against the current registry."""
    for ledger in KEYED_LEDGERS:
        _resolve(con, ledger, None)
