"""Who is reading, and which communities they may read: applied on the connection, where data is read.

A community cadre (社区) may read only their own community. Rather than trusting every query, page and
export to filter, `db.connect()` asks this module for the current scope and, for a limited scope, shadows
the raw ledger tables on that connection with TEMP views filtered to the allowed communities. DuckDB
resolves an unqualified name in the temp schema first, also inside the stored v_* views (their bodies are
bound at query time), so every v_* view, every queries/*.sql file and any code that reads through
`db.connect()` — the meeting pack and reports included — sees only the allowed rows without knowing it.
Cursors (`con.cursor()`) are new DuckDB connections without those TEMP views, so a scoped connection is
wrapped in `ScopedConnection`, whose cursor() applies the same views to the cursor.

The scope is ambient (a ContextVar) because the reading code belongs to many modules: the UI sets it at
the start of every script run (dashboard.ui.page.setup). Once the UI has turned enforcement on (accounts
exist), a connection opened with no scope set fails instead of reading everything — so a code path that
forgot to set it (a deferred download running in another thread, say) cannot leak rows. Writes (imports,
audit records) run under `using(ALL)` explicitly.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

# Raw tables a community filter applies to, each holding a `community` column: the ledgers and
# registry_parts (which communities' registries each batch holds) and import_batch_parts (what each batch
# sent per ledger and community). Every v_* view reads these, so
# shadowing them scopes the views too.
LEDGER_TABLES = (
    "enterprises",
    "wage_agreements",
    "harmonious",
    "aid",
    "disputes",
    "registry_parts",
    # the work plan's duty ledgers (schema version 8)
    "study_tests",
    "trainings",
    "research_reports",
    "info_submissions",
    "visits",
    "union_funds",
    "sites",
    "activities",
    # what each batch sent per ledger and community (schema version 9, 报送情况)
    "import_batch_parts",
)
SCOPE_TABLE = "_scope_communities"
STREET_TABLE = "_scope_streets"


@dataclass(frozen=True)
class Scope:
    """communities=None: every community; a tuple: only those (empty: none at all). streets=None: every
    street; a tuple: only rows of those streets. Both hold: a cadre's scope is her (street, community),
    so a same-named community of another street is not hers."""

    communities: tuple[str, ...] | None
    streets: tuple[str, ...] | None = None

    @property
    def is_all(self) -> bool:
        return self.communities is None and self.streets is None

    @property
    def by_community(self) -> bool:
        """Limited to some communities (a cadre), not just to streets: ranks read on such a connection
        compare a community with itself, so the real ones come from dashboard/benchmarks.py."""
        return self.communities is not None

    def street_name(self, default: str) -> str:
        """The street(s) this scope reads, in words, when limited to streets; else `default`."""
        return "、".join(self.streets) if self.streets else default

    def key(self) -> str:
        """Part of every cache key, so two scopes never share cached page data."""
        names = "*" if self.communities is None else "|".join(sorted(self.communities))
        return names if self.streets is None else "街道:" + "|".join(sorted(self.streets)) + "/" + names


ALL = Scope(None)


@dataclass(frozen=True)
class Viewer:
    """The person using the app: name, role (区领导/领导/社区/分析员/管理员), for a cadre the community, and
    the street of a 领导 (街道领导) or cadre. A 领导 with no street (single-street accounts from before
    streets, dashboard/auth.py `viewer`) reads every street, as before; a cadre with no street reads her
    community by name alone, as before."""

    name: str
    role: str
    community: str | None = None
    street: str | None = None

    @property
    def scope(self) -> Scope:
        streets = (self.street,) if self.street else None
        if self.role == "社区":
            return Scope((self.community,) if self.community else (), streets)
        if self.role == "领导" and streets:
            return Scope(None, streets)
        return ALL


def for_command(street: str | None, community: str | None = None) -> Scope:
    """What a command-line run reads: --street (a 街道领导's street) and a community, else everything."""
    street = (street or "").strip() or None
    if street is None and community is None:
        return ALL
    return Scope((community,) if community else None, (street,) if street else None)


class ScopeMissing(RuntimeError):
    """A connection was opened in the app without saying whose data it reads."""


_scope: ContextVar[Scope | None] = ContextVar("union_dashboard_scope", default=None)
_viewer: ContextVar[Viewer | None] = ContextVar("union_dashboard_viewer", default=None)
_enforced = False


def enforce(on: bool = True) -> None:
    """Turn on (the app with accounts) or off (tests) the refusal of connections with no scope set."""
    global _enforced
    _enforced = on


def set_current(scope: Scope | None, viewer: Viewer | None = None) -> None:
    """Set the scope (and viewer) for the rest of this thread's script run."""
    _scope.set(scope)
    _viewer.set(viewer)


def current_viewer() -> Viewer | None:
    return _viewer.get()


def current_scope() -> Scope | None:
    """The scope set for this thread's run, or None when none has been set (unlike resolve())."""
    return _scope.get()


@contextmanager
def using(scope: Scope, viewer: Viewer | None = None) -> Iterator[None]:
    """Read (or write) under `scope` inside the block; the previous scope is restored after it."""
    t1, t2 = _scope.set(scope), _viewer.set(viewer if viewer is not None else _viewer.get())
    try:
        yield
    finally:
        _scope.reset(t1)
        _viewer.reset(t2)


def resolve() -> Scope:
    """The scope a connection opened now must use."""
    s = _scope.get()
    if s is not None:
        return s
    if _enforced:
        raise ScopeMissing("无法确认当前用户的数据范围，已拒绝读取数据。请刷新页面重新登录。")
    return ALL  # command line, tests, and the app in single-user local mode


def label(chosen: tuple[str, ...] | None, within: Scope | None = None, streets: tuple[str, ...] | None = None) -> str:
    """What a page's figures cover, in Chinese: the communities chosen in the filter bar, else every
    community the viewer may see. "全部社区" only when that is every community: a cadre reads their own.
    `streets`: the filter bar's 街道 (more than one street loaded), named before the communities."""
    if streets:
        return "、".join(streets) + " " + label(chosen, within)
    if chosen:
        return "、".join(chosen)
    within = within or resolve()
    if within.is_all:
        return "全部社区"
    if within.communities is None:  # a 街道领导: her street's communities
        return "、".join(within.streets) + "全部社区"
    return "、".join(within.communities) if within.communities else "未指定社区"


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def apply(con, scope: Scope) -> None:
    """Shadow the ledger tables and import_batches on `con` with TEMP views limited to `scope`."""
    if scope.is_all:
        return
    # The database's catalog name: `main.x` inside a temp view would find the temp view itself.
    catalog = _quote_ident(con.execute("select current_database()").fetchone()[0])
    conditions, batch_conditions = [], []
    if scope.streets is not None:
        con.execute(f"create or replace temp table {STREET_TABLE} (street varchar)")
        if scope.streets:
            con.executemany(f"insert into {STREET_TABLE} values (?)", [[s] for s in scope.streets])
        streets = f"(select street from temp.main.{STREET_TABLE})"
        conditions.append(f"street in {streets}")
        batch_conditions.append(f"street in {streets}")  # a batch is one street's file
    replace = ""
    if scope.communities is not None:
        con.execute(f"create or replace temp table {SCOPE_TABLE} (community varchar)")
        if scope.communities:
            con.executemany(f"insert into {SCOPE_TABLE} values (?)", [[c] for c in scope.communities])
        allowed = f"(select community from temp.main.{SCOPE_TABLE})"
        conditions.append(f"community in {allowed}")
        # A batch is visible when it touched an allowed community, listing only the allowed ones (its row
        # counts still cover the whole file).
        allowed_list = f"(select coalesce(list(community), []::varchar[]) from {allowed})"
        batch_conditions.append(f"list_has_any(communities, {allowed_list})")
        replace = f" replace (list_intersect(communities, {allowed_list}) as communities)"
    where = " and ".join(conditions)
    for table in LEDGER_TABLES:
        con.execute(f"create or replace temp view {table} as select * from {catalog}.main.{table} where {where}")
    con.execute(
        f"create or replace temp view import_batches as select *{replace}"
        f" from {catalog}.main.import_batches where {' and '.join(batch_conditions)}"
    )


class ScopedConnection:
    """A DuckDB connection whose reads are limited to a scope; cursor() gives a scoped cursor too."""

    def __init__(self, con, scope: Scope):
        self._con = con
        self.scope = scope
        apply(con, scope)

    def cursor(self) -> ScopedConnection:
        return ScopedConnection(self._con.cursor(), self.scope)

    def __getattr__(self, name):
        return getattr(self._con, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._con.close()


def of(con) -> Scope:
    """The scope a connection or cursor reads under: its own for a ScopedConnection, else every community."""
    if isinstance(con, ScopedConnection):
        return con.scope
    return getattr(con, "scope", None) or ALL  # a PostgreSQL reader's connection (dashboard/pgscope.py)


def wrap(con):
    """The connection to hand out under the current scope: itself, or a ScopedConnection."""
    s = resolve()
    return con if s.is_all else ScopedConnection(con, s)
