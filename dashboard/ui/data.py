"""Cached access to indicator functions from pages, keyed by the data version so imports show at once."""

from __future__ import annotations

import copy
import functools
import json
import threading
from collections.abc import Callable
from contextlib import ExitStack, suppress

import duckdb
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import auth, config, db, scope
from dashboard.config import Settings, load_settings
from dashboard.filters import Filters


def settings() -> Settings:
    return load_settings()


VERSION_KEY = "_data_version"

# Opening the database file is slow (DuckDB reads its catalog) and a page opens it many times (each
# load, lookup, the login and version checks); while one connection to the file is open in this process,
# DuckDB hands every further connect the same open database at almost no cost (docs/performance-notes.md).
_this_run = threading.local()


class _Held:
    """A connection that only keeps the database file open; nothing reads through it."""

    def __init__(self, path):
        self.path = path
        self._stack = ExitStack()
        with scope.using(scope.ALL):  # opened before the login gate has set a scope; never read from
            self._con = self._stack.enter_context(db.connect(path, wait_seconds=0))

    def usable(self) -> bool:
        """False once DuckDB has invalidated the database (a fatal write error, e.g. a full disk): then
        this connection must go, or every connect of the process would get the dead database again."""
        try:
            self._con.execute("select 1").fetchone()
        except duckdb.Error as exc:
            return not db.is_invalidated(exc)
        return True

    def close(self) -> None:
        self._stack.close()

    def __del__(self):
        with suppress(Exception):  # at interpreter shutdown the file is closed with the process
            self.close()


def hold_database() -> None:
    """Keep the database open for the rest of this script run (setup() calls it first thing).

    Streamlit runs each script run (and reruns queued during it) in a thread of its own, which ends with
    the run; the connection lives in that thread's locals and is closed when the thread ends, so the file
    is still never held between reruns and a command-line import waits at most for one page run. Outside
    a script run (tests, the command line) nothing is held.
    """
    if get_script_run_ctx(suppress_warning=True) is None:
        return
    path = config.db_path()
    held = getattr(_this_run, "held", None)
    if held is not None and held.path == path and held.usable():
        return
    _this_run.held = None
    if held is not None:
        held.close()
    with suppress(db.DatabaseBusy):  # an import holds the file: each load waits for it as before
        _this_run.held = _Held(path)


def release_database() -> None:
    """Close this run's hold on the database (after DuckDB invalidated it: see db.is_invalidated), so
    the next connect opens the file afresh."""
    held = getattr(_this_run, "held", None)
    _this_run.held = None
    if held is not None:
        with suppress(Exception):
            held.close()


def refresh_version() -> str:
    """Read the data version once for this script run (setup() calls it after the login gate has set
    the scope); every load of the run reuses it instead of opening the database again."""
    st.session_state[VERSION_KEY] = _read_version()
    return st.session_state[VERSION_KEY]


def data_version() -> str:
    """The database file and its batch state: part of every cache key, with the reader's scope.

    In a script run it is read once per run; outside one (a deferred download runs in a server thread
    after the run, with no session) it is read now, so a file is never built from a stale version."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return _read_version()
    return st.session_state.get(VERSION_KEY) or refresh_version()


def _read_version() -> str:
    try:
        with db.connect() as con:
            return f"{config.db_path()}:{db.data_version(con)}"
    except db.DatabaseBusy as exc:
        if get_script_run_ctx(suppress_warning=True) is None:
            raise
        st.warning(str(exc))
        st.stop()


# ---- the one cache of the app ----------------------------------------------------------------------
#
# Every result the app keeps between runs is kept here, under a key that holds who is asking (the
# reader's scope), the data version and the arguments; the value is computed under that same scope.
# Nothing computed for one scope can be served to another: a cadre's call never finds the street's
# result, whatever order the calls came in (single-user use first, accounts added while the server runs,
# a deferred download after the run). tests/test_data_cache.py fails if a page or module caches on its
# own (st.cache_data, st.cache_resource, functools caches) instead of through scoped_cache.
#
# Results are kept as computed and every caller gets a deep copy of its own, as from st.cache_data, which
# pickles each result when it is computed and unpickles it on every hit, far slower for long lists than a
# deep copy (text columns are immutable Arrow arrays, shared, not copied; docs/performance-notes.md).
# Nothing else ever sees the kept object, so no page can change what another session is shown.

_CACHED: dict[str, Callable] = {}


@st.cache_resource(show_spinner=False, max_entries=512)
def _kept(fn_key: str, reader: scope.Scope, version: str, args: tuple):
    del version  # part of the cache key only
    with scope.using(reader):
        return _CACHED[fn_key](*args)


def scoped_cache(fn: Callable) -> Callable:
    """fn(*args), kept until the next import or undo, per reader's scope: the caller's own deep copy.
    Arguments must be hashable by Streamlit (strings, dates, numbers, Filters)."""
    fn_key = f"{fn.__module__}.{fn.__qualname__}"
    _CACHED[fn_key] = fn

    @functools.wraps(fn)
    def cached(*args):
        reader = scope.resolve()  # refuses when accounts exist and no scope is set
        return copy.deepcopy(_kept(fn_key, reader, data_version(), args))

    cached.uncached = fn
    return cached


def _json(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


Indicator = Callable[..., object]  # fn(cursor, filters, settings, **options)

# Indicator functions by qualified name: the name goes into the cache key (with the reader's scope, the
# data version and the arguments, see scoped_cache), the function object itself never does.
_INDICATORS: dict[str, Indicator] = {}


def _name(fn: Indicator) -> str:
    if not callable(fn):
        raise TypeError(f"load/fetch take the indicator function itself, not {fn!r}")
    name = f"{fn.__module__}.{fn.__qualname__}"
    if "<" in name:  # a lambda or a function defined inside another: its name is not its own
        raise TypeError(f"load/fetch take a module-level function, not {name}")
    _INDICATORS[name] = fn
    return name


def _call(fn_name: str, cur, filters: Filters, settings: Settings, **options):
    """Run the indicator registered under fn_name (tests patch this to count the computations)."""
    return _INDICATORS[fn_name](cur, filters, settings, **options)


@scoped_cache
def _run(fn_name: str, filters: Filters, settings_json: str, options_json: str):
    with db.connect() as con:
        options = json.loads(options_json)
        return _call(fn_name, con.cursor(), filters, Settings(json.loads(settings_json)), **options)


def load(fn: Indicator, filters: Filters, **options):
    """fn(cursor, filters, settings, **options), cached until the next import or undo under the reader's
    scope (the key names fn by module and qualified name); the caller's own copy. Options are JSON values
    (a drill-down selection, a row limit)."""
    return _run(_name(fn), filters, _json(settings().raw), _json(options))


def fetch(fn: Indicator, filters: Filters, **options):
    """Like load, but not kept: for what is asked for once and may be large (every row for a download)."""
    with db.connect() as con:
        return _call(_name(fn), con.cursor(), filters, settings(), **options)


@scoped_cache
def lookup(query: str):
    """A parameterless lookup query (communities, available years), cached by data version."""
    with db.connect() as con:
        return db.run_query(con.cursor(), query)


def deferred(make: Callable[[], object]) -> Callable[[], object]:
    """make, to be run later in another thread (a download button's data is built when it is clicked,
    in a server thread with no session): it runs under the scope and viewer of the run that drew the
    button. With accounts, it refuses when that viewer no longer exists or was changed meanwhile (or the
    button was drawn in single-user mode before accounts were added)."""
    reader, viewer = scope.current_scope(), scope.current_viewer()

    def run():
        if reader is None:
            return make()  # no scope was set when drawn: resolve() decides (refuses when enforced)
        with scope.using(scope.ALL), db.connect() as con:
            if auth.has_accounts(con) and (viewer is None or auth.viewer(con, viewer.name) != viewer):
                raise scope.ScopeMissing("账号或权限已变更，请刷新页面后重新下载。")
        with scope.using(reader, viewer):
            return make()

    return run
