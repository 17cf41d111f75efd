"""A community cadre's connection on PostgreSQL: scoped by the database, not by the app.

On DuckDB a scoped connection shadows the ledger tables with TEMP views (dashboard/scope.py). On
PostgreSQL the cadre's connection logs in as the database's reader role (`<database>_reader`, made by
dashboard/migrations/postgres/0009_schema.sql), which reads the ledger tables under row-level security:
a row is visible when its community is in `app_communities()` and its street in `app_streets()` (NULL:
not limited at that level), the lists public._scope_sessions holds for the connection's own backend; with
no such row (app_scoped()) nothing is. That list is written here by the owner's connection, which the reader
cannot use; the reader has no right on _scope_sessions, so no SQL sent on its connection (SET, a
hand-written SELECT of the raw tables, schema-qualified names) can widen it. Writes are refused to it
by its rights (SELECT only) and by read-only transactions.

The reader's password, when the server asks for one: UNION_DASHBOARD_PG_READER_PASSWORD (else the URL's).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from dashboard import pg
from dashboard.scope import Scope

READER_SUFFIX = "_reader"
CONSOLE_SUFFIX = "_console"


def role_url(url: str, suffix: str, password_env: str) -> str:
    """`url` logging in as the database's role <database><suffix> instead of the owner."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    info = conninfo_to_dict(url)
    info["user"] = f"{info['dbname']}{suffix}"
    if os.environ.get(password_env):
        info["password"] = os.environ[password_env]
    return make_conninfo(**info)


@contextmanager
def reader(owner: pg.PgConnection, within: Scope) -> Iterator[pg.PgConnection]:
    """A connection reading only `within`'s streets and communities (row-level security), opened beside
    `owner`."""
    import psycopg

    raw = psycopg.connect(
        role_url(owner.url, READER_SUFFIX, "UNION_DASHBOARD_PG_READER_PASSWORD"),
        autocommit=True,
        cursor_factory=psycopg.ClientCursor,
    )
    pid = raw.info.backend_pid
    try:
        owner.raw.execute(
            "insert into _scope_sessions (pid, communities, streets) values (%s, %s, %s) on conflict (pid) do update"
            " set communities = excluded.communities, streets = excluded.streets, opened_at = current_timestamp",
            [pid, _listed(within.communities), _listed(within.streets)],
        )
        con = pg.PgConnection(raw, owner=False)
        con.url = owner.url
        con.scope = within
        yield con
    finally:
        try:
            owner.raw.execute("delete from _scope_sessions where pid = %s", [pid])
        finally:
            raw.close()


def _listed(names: tuple[str, ...] | None) -> list[str] | None:
    """A scope level as the scope row holds it: None (not limited at this level) or the names, maybe none."""
    return None if names is None else list(names)
