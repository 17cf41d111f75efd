"""The only module that opens DuckDB: connections, schema migrations, and running query files.

DuckDB lets one process at a time hold a database file read-write. The app therefore never keeps
the file open between reruns: every use opens a connection, takes a cursor and closes it, so a CLI
import can run while the dashboard is up. When the other side holds the lock we retry for a while
and then raise DatabaseBusy, whose message is shown to users as is.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard import config, pg, scope, spec

# DuckDB warns that Arrow from an execute() result copies the rows once more than con.sql() would; but
# con.sql() binds a query twice (docs/performance-notes.md) and refuses to run
# while an earlier execute() result is half-read. fetch_frame takes the copy.
warnings.filterwarnings("ignore", message="Arrow output on a DB-API result makes an extra copy", category=UserWarning)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Test-only hook (tests/test_crash_migration.py): when set to a file path, a migration writes that file
# and sleeps before its COMMIT, so the test can kill the process in the middle of the step.
PAUSE_ENV = "UNION_DASHBOARD_TEST_PAUSE_IN_MIGRATION"


# DuckDB's per-process cache of open databases races when threads (Streamlit sessions) open the same
# file at the same moment ("Unique file handle conflict"); opening one at a time avoids it.
_OPEN_LOCK = threading.Lock()


class DatabaseBusy(RuntimeError):
    """Another process holds the database file (an import from the command line, say)."""


class DatabaseInvalidated(DatabaseBusy):
    """DuckDB gave up on the open database after a fatal write error (a full disk, typically): every
    connection to it fails until all are closed and the file is opened afresh."""


INVALIDATED_MESSAGE = (
    "数据库在上一次写入失败后需要重新打开（常见原因是服务器磁盘已满），请稍后重试；"
    "如反复出现，请清理服务器磁盘或联系管理员。"
)


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc)
    return "lock" in text.lower() or "Conflicting lock" in text


# What the OS and DuckDB say when a write finds no room (DuckDB passes the OS text on: 'Could not write
# file "…": No space left on device'); EDQUOT is a full quota, the same to the user.
_DISK_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_DISK_FULL_TEXT = re.compile(r"No space left on device|Disk quota exceeded|disk is full", re.I)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def is_disk_full(exc: BaseException) -> bool:
    """Whether `exc` (or an exception it was raised from) says the disk is full."""
    return any(
        (isinstance(e, OSError) and e.errno in _DISK_FULL_ERRNOS) or bool(_DISK_FULL_TEXT.search(str(e)))
        for e in _causes(exc)
    )


def is_invalidated(exc: BaseException) -> bool:
    """Whether DuckDB has invalidated the database: after a FatalException ("FATAL Error: …", e.g. a
    checkpoint that could not be written) every statement on any of its connections fails with
    "database has been invalidated"; the connection must be closed, never used again."""
    return isinstance(exc, duckdb.FatalException) or "database has been invalidated" in str(exc)


def rollback_quietly(con) -> None:
    """Roll back if a transaction is still open. DuckDB has already rolled back a COMMIT that failed
    ("cannot rollback - no transaction is active"), and an invalidated database refuses everything;
    neither may hide the error that got us here (nor, on PostgreSQL, a connection the server dropped)."""
    errors: tuple[type[BaseException], ...] = (duckdb.Error,)
    if dialect_of(con) == pg.DIALECT:
        errors += (pg.psycopg_module().Error,)
    with contextlib.suppress(*errors):
        con.execute("rollback")


@contextmanager
def connect(path: str | Path | None = None, *, wait_seconds: float = 20.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the database read-write (creating and migrating it when needed) and close it after use.

    Under a limited scope (a community cadre in the app) the connection only reads that scope's rows.
    """
    target = config.db_path(path)
    if pg.is_url(target):
        with _connect_postgres(target, wait_seconds) as con:
            yield con
        return
    if str(target) != ":memory:":
        target.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    delay = 0.05
    while True:
        try:
            with _OPEN_LOCK:
                con = duckdb.connect(str(target))
            break
        except duckdb.IOException as exc:
            if not _is_lock_error(exc) or time.monotonic() >= deadline:
                if _is_lock_error(exc):
                    raise DatabaseBusy("数据库正被另一个程序（例如命令行导入）占用，请稍候再试。") from exc
                raise
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
    try:
        try:
            migrate(con)
        except duckdb.Error as exc:
            if not is_invalidated(exc):
                raise
            # Another connection of this process still holds the database DuckDB gave up on (a page run
            # that has not ended yet); DuckDB opens the file afresh once the last of them is closed.
            con.close()
            con = _reopen_valid(target, deadline, exc)
        # Limit reads to the current user's communities (dashboard/scope.py); the full database otherwise.
        yield scope.wrap(con)
    finally:
        con.close()


def _reopen_valid(target: Path, deadline: float, first: BaseException) -> duckdb.DuckDBPyConnection:
    delay = 0.1
    while time.monotonic() < deadline:
        time.sleep(delay)
        delay = min(delay * 2, 1.0)
        with _OPEN_LOCK:
            con = duckdb.connect(str(target))
        try:
            migrate(con)
            return con
        except duckdb.Error as exc:
            con.close()
            if not is_invalidated(exc):
                raise
    raise DatabaseInvalidated(INVALIDATED_MESSAGE) from first


@contextmanager
def _connect_postgres(url: str, wait_seconds: float) -> Iterator[pg.PgConnection]:
    """A connection to the PostgreSQL database at `url` (migrated when needed). Under a limited scope it is
    the scoped reader's connection (dashboard/pgscope.py): row-level security lets it read only the scope's
    rows, whatever SQL it runs."""
    psycopg = pg.psycopg_module()
    try:
        con = pg.PgConnection.open(url, connect_timeout=max(1, int(wait_seconds)))
    except psycopg.OperationalError as exc:  # the server is down, unreachable or refuses the login
        raise DatabaseBusy(PG_UNREACHABLE) from exc
    try:
        migrate_postgres(con)
        within = scope.resolve()
        if within.is_all:
            yield con
        else:
            from dashboard import pgscope

            with pgscope.reader(con, within) as scoped:
                yield scoped
    finally:
        con.close()


PG_MIGRATIONS_DIR = MIGRATIONS_DIR / "postgres"
PG_UNREACHABLE = "无法连接 PostgreSQL 数据库服务器（服务器未启动、网络不通或账号无权登录），请稍后再试或联系管理员。"


def pg_migration_files() -> list[tuple[int, Path]]:
    """PostgreSQL's migrations: postgres/NNNN_*.sql brings the schema to version NNNN from the file before it
    (0009_schema.sql: from nothing to DuckDB's version 9 in one step)."""
    files = sorted(PG_MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql"))
    return [(int(p.name[:4]), p) for p in files]


def migrate_postgres(con: pg.PgConnection) -> int:
    """Apply pending PostgreSQL migrations, each in its own transaction, one process at a time (an advisory
    lock); returns the resulting version. The files are PostgreSQL as written, not translated."""
    raw = con.raw
    raw.execute("create table if not exists schema_version (version integer primary key, applied_at timestamp)")
    current = raw.execute("select coalesce(max(version), 0) from schema_version").fetchone()[0]
    pending = [(v, p) for v, p in pg_migration_files() if v > current]
    if not pending:
        return current
    with raw.transaction():
        raw.execute("select pg_advisory_xact_lock(hashtext('union_dashboard.migrate'))")
        current = raw.execute("select coalesce(max(version), 0) from schema_version").fetchone()[0]
    for version, path in pending:
        if version <= current:
            continue
        with raw.transaction():
            raw.execute("select pg_advisory_xact_lock(hashtext('union_dashboard.migrate'))")
            now = raw.execute("select coalesce(max(version), 0) from schema_version").fetchone()[0]
            if version <= now:
                current = now
                continue
            raw.execute(path.read_text(encoding="utf-8"))
            for done in range(now + 1, version + 1):
                raw.execute("insert into schema_version values (%s, current_timestamp)", [done])
        current = version
    return current


def dialect_of(cur) -> str:
    """The dialect a connection or cursor runs: "postgres" for PostgreSQL, else DIALECT (DuckDB's)."""
    return getattr(cur, "dialect", None) or DIALECT


def migration_files() -> list[tuple[int, Path]]:
    files = sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql"))
    return [(int(p.name[:4]), p) for p in files]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    con.execute("create table if not exists schema_version (version integer primary key, applied_at timestamp)")
    row = con.execute("select coalesce(max(version), 0) from schema_version").fetchone()
    return int(row[0])


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply pending migrations, each in its own transaction; returns the resulting version."""
    current = schema_version(con)
    for version, path in migration_files():
        if version <= current:
            continue
        con.execute("begin transaction")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("insert into schema_version values (?, current_timestamp)", [version])
            if os.environ.get(PAUSE_ENV):
                Path(os.environ[PAUSE_ENV]).write_text(str(version), encoding="utf-8")
                time.sleep(60)
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        current = version
    return current


_PARAMETER = re.compile(r"\$([A-Za-z_]\w*)")

# ---- query text: fragments and vocabulary words -------------------------------------------------------
# A query file names shared pieces instead of copying them (README, "Queries"):
#   {{registry_filter}}, {{registry_filter(i)}}  queries/_fragments/registry_filter.sql, in parentheses, its
#       `{alias.}` written `i.` (or nothing without an alias) and `{alias}` written `i` (or nothing);
#       a fragment may name other fragments and words. queries/_fragments/<name>.<dialect>.sql, when there
#       is one, stands in for <name>.sql in that dialect (DIALECT: the one the app runs).
#   {{status.operating}}  the word spec.QUERY_WORDS["status"]["operating"] as a quoted literal.
# Placeholders in comments and string literals are left as they are; a fragment's comments are dropped.

DIALECT = "duckdb"
FRAGMENTS = "_fragments"  # under config.QUERIES_DIR
_TOKEN = re.compile(
    r"'(?:[^']|'')*'"  # a string literal
    r"|--[^\n]*"  # a comment
    r"|\{\{\s*(?P<name>[A-Za-z_][\w.]*)\s*(?:\(\s*(?P<alias>[A-Za-z_]\w*)?\s*\))?\s*\}\}"  # a placeholder
    r"|(?P<stray>\{\{)"  # anything else that opens one
)
_MAX_DEPTH = 5


# read_query's expanded texts, by (file, dialect), each with the stamp of the files it was made from:
# written out once and again only when the query or a fragment file changes
_EXPANDED: dict[tuple[str, str], tuple[tuple, str]] = {}


def read_query(name: str, dialect: str | None = None) -> str:
    """The text of queries/<name>.sql as it runs in `dialect` (DIALECT when None): its fragments and words
    expanded."""
    dialect = dialect or DIALECT
    path = config.QUERIES_DIR / f"{name}.sql"
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size, _fragments_stamp())
    kept = _EXPANDED.get((str(path), dialect))
    if kept is not None and kept[0] == stamp:
        return kept[1]
    text = expand(path.read_text(encoding="utf-8"), dialect)
    _EXPANDED[(str(path), dialect)] = (stamp, text)
    return text


def _fragments_stamp() -> tuple:
    try:
        with os.scandir(config.QUERIES_DIR / FRAGMENTS) as entries:
            return tuple(sorted((e.name, e.stat().st_mtime_ns, e.stat().st_size) for e in entries))
    except FileNotFoundError:
        return ()


def expand(sql: str, dialect: str | None = None, _depth: int = 0) -> str:
    """`sql` with every {{fragment}} and {{vocabulary.word}} placeholder written out (see above)."""
    dialect = dialect or DIALECT

    def replace(match: re.Match) -> str:
        if match["stray"]:
            raise ValueError(f"not a placeholder: {sql[match.start() : match.start() + 40]!r}")
        name = match["name"]
        if name is None:
            return match[0]  # a literal or a comment
        if "." in name:
            if match["alias"] is not None:
                raise ValueError(f"a word takes no alias: {match[0]}")
            return _word(name)
        return _fragment(name, match["alias"] or "", dialect, _depth + 1)

    return _TOKEN.sub(replace, sql)


def fragment_path(name: str, dialect: str | None = None) -> Path:
    """The file {{name}} stands for in `dialect`: queries/_fragments/<name>.<dialect>.sql if there is one,
    else queries/_fragments/<name>.sql."""
    folder = config.QUERIES_DIR / FRAGMENTS
    special = folder / f"{name}.{dialect or DIALECT}.sql"
    return special if special.exists() else folder / f"{name}.sql"


def _fragment(name: str, alias: str, dialect: str, depth: int) -> str:
    if depth > _MAX_DEPTH:
        raise ValueError(f"fragments nested more than {_MAX_DEPTH} deep at {{{{{name}}}}}")
    path = fragment_path(name, dialect)
    if not path.exists():
        raise ValueError(f"no query fragment {name!r} ({path})")
    text = _TOKEN.sub(lambda m: "" if m[0].startswith("--") else m[0], path.read_text(encoding="utf-8"))
    text = text.replace("{alias.}", f"{alias}." if alias else "").replace("{alias}", alias)
    body = "\n".join(line.rstrip() for line in expand(text, dialect, depth).strip().splitlines() if line.strip())
    return body if _enclosed(body) else f"({body})"


def _enclosed(sql: str) -> bool:
    """Whether `sql` is one parenthesised expression: its first "(" closes at its last character."""
    if not sql.startswith("("):
        return False
    code = _TOKEN.sub(lambda m: "''" if m[0].startswith("'") else m[0], sql)  # no parenthesis in a literal
    depth = 0
    for i, char in enumerate(code):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return i == len(code) - 1
    return False


def _word(name: str) -> str:
    vocabulary, _, key = name.partition(".")
    try:
        word = spec.QUERY_WORDS[vocabulary][key]
    except KeyError:
        raise ValueError(f"no word {{{{{name}}}}} in spec.QUERY_WORDS") from None
    return "'" + word.replace("'", "''") + "'"


def run_query(
    cur: duckdb.DuckDBPyConnection, name: str, params: dict | None = None, *, many_rows: bool = False
) -> pd.DataFrame:
    """Run queries/<name>.sql with bound parameters; only parameters the SQL names are passed.

    many_rows: the result is a list that can run to tens of thousands of rows (fetched through Arrow,
    fetch_frame); otherwise a few hundred at most (small_frame). Both give the same DataFrame."""
    sql = read_query(name, dialect_of(cur))
    named = set(_PARAMETER.findall(sql))
    bound = {k: v for k, v in (params or {}).items() if k in named}
    return fetch_frame(cur, sql, bound) if many_rows else small_frame(cur, sql, bound)


def small_frame(cur: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None) -> pd.DataFrame:
    """The rows of `sql` by DuckDB's own `.df()`: for an aggregate of a few hundred rows faster than
    fetch_frame, whose Arrow result DuckDB reads back through one more statement."""
    return cur.execute(sql, params or {}).df()


def fetch_frame(cur: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None) -> pd.DataFrame:
    """The rows of `sql` as a DataFrame with the columns and dtypes DuckDB's own `.df()` gives, fetched
    through Arrow.

    `.df()` makes a Python string of every text cell, which pandas then packs back into Arrow storage;
    taking DuckDB's Arrow text columns as they are is several times faster (docs/performance-notes.md).
    Numbers without NULLs and dates come straight from Arrow as
    `.df()` would make them; any other column (nullable integers, decimals, lists, ...) DuckDB converts
    itself, from the same Arrow table. tests/test_db_frames.py checks every query against `.df()`."""
    if dialect_of(cur) == pg.DIALECT:
        return cur.execute(sql, params or {}).df()  # DuckDB's own .df() of the rows (dashboard/pg.py)
    table = cur.execute(sql, params or {}).to_arrow_table()  # (con.sql() would bind the query twice)
    columns: list[pd.Series | None] = [_plain_column(column) for column in table.columns]
    rest = [i for i, column in enumerate(columns) if column is None]
    if rest:
        converted = cur.from_arrow(table.select(rest)).df()
        for j, i in enumerate(rest):
            columns[i] = converted.iloc[:, j]
    if not columns:
        return pd.DataFrame(index=pd.RangeIndex(table.num_rows))
    frame = pd.concat(columns, axis=1, ignore_index=True)
    frame.columns = _distinct_names(table.column_names)
    return frame


def _distinct_names(names: list[str]) -> list[str]:
    """Column names made unique as `.df()` makes them: a repeated name (case-insensitively) gets _1, _2..."""
    counts: dict[str, int] = {}
    out = []
    for name in names:
        if name.lower() not in counts:
            counts[name.lower()] = 0
            out.append(name)
            continue
        k = counts[name.lower()]
        while f"{name}_{k}".lower() in counts or k == counts[name.lower()]:
            k += 1
        counts[name.lower()] = k
        counts[f"{name}_{k}".lower()] = 0
        out.append(f"{name}_{k}")
    return out


_NULLABLE = {
    pa.bool_(): pd.BooleanDtype(),
    **{
        pa.int8(): pd.Int8Dtype(),
        pa.int16(): pd.Int16Dtype(),
        pa.int32(): pd.Int32Dtype(),
        pa.int64(): pd.Int64Dtype(),
    },
    **{pa.uint8(): pd.UInt8Dtype(), pa.uint16(): pd.UInt16Dtype()},
    **{pa.uint32(): pd.UInt32Dtype(), pa.uint64(): pd.UInt64Dtype()},
}


def _plain_column(column) -> pd.Series | None:
    """An Arrow column as `.df()` makes it, when that is simple; None for DuckDB to convert."""
    kind, rows, nulls = column.type, len(column), column.null_count
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        if nulls < rows:
            return column.to_pandas()  # pandas' str dtype over Arrow storage, as .df() infers it
        return pd.Series([None] * rows, dtype=object)  # .df(): no text to infer str from
    if pa.types.is_floating(kind) or (nulls == 0 and (pa.types.is_integer(kind) or pa.types.is_boolean(kind))):
        return column.to_pandas()  # NULL floats are NaN both ways
    if pa.types.is_integer(kind) or pa.types.is_boolean(kind):
        return column.to_pandas(types_mapper=_NULLABLE.get)  # .df(): pandas' nullable Int32, boolean, ...
    if pa.types.is_date32(kind):
        return column.cast(pa.timestamp("us")).to_pandas()
    return None


@dataclass(frozen=True)
class Rows:
    """The first rows of a query's result (`frame`, in the query's order) and how many rows it has."""

    frame: pd.DataFrame
    total: int


_COLUMN = re.compile(r"^[a-z_][a-z0-9_]*$")
_ORDER_BY = re.compile(r"order\s+by\b", re.IGNORECASE)
_LIMIT = re.compile(r"\b(limit|offset)\b", re.IGNORECASE)


def without_final_order(sql: str) -> str:
    """`sql` without its statement-level ORDER BY (one outside every parenthesis, comment and string),
    for counting its rows: DuckDB sorts a subquery's rows even under a bare count(*), which cost more
    than half a second for a district's aid rows (docs/performance-notes.md). Unchanged when there is no
    such ORDER BY or a LIMIT/OFFSET follows it (then the order decides which rows there are)."""
    depth, i, last = 0, 0, None
    while i < len(sql):
        ch = sql[i]
        if sql.startswith("--", i):
            i = sql.find("\n", i)
            i = len(sql) if i < 0 else i
            continue
        if sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = len(sql) if end < 0 else end + 2
            continue
        if ch in "'\"":
            end = i + 1
            while end < len(sql):
                if sql[end] == ch:
                    if sql[end + 1 : end + 2] == ch:  # a doubled quote inside the literal
                        end += 2
                        continue
                    break
                end += 1
            i = end + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and (i == 0 or not (sql[i - 1].isalnum() or sql[i - 1] == "_")) and _ORDER_BY.match(sql, i):
            last = i
        i += 1
    if last is None or _LIMIT.search(sql, last):
        return sql
    return sql[:last]


def run_rows(
    cur: duckdb.DuckDBPyConnection,
    name: str,
    params: dict | None = None,
    *,
    where: Mapping[str, object] | None = None,
    limit: int | None = None,
) -> Rows:
    """queries/<name>.sql narrowed to the rows whose columns equal `where`'s values (None: any value),
    in the query's own order, at most `limit` of them, and their number. A page showing the first few
    thousand of a district's 300,000 aid rows fetches those, not all of them.

    The query's ORDER BY holds for the rows returned: DuckDB keeps the order of a subquery's rows through
    a filter and a LIMIT (preserve_insertion_order, on by default; tests/test_db.py checks it).
    """
    sql = read_query(name, dialect_of(cur)).strip().rstrip(";")
    named = set(_PARAMETER.findall(sql))
    bound = {k: v for k, v in (params or {}).items() if k in named}
    tests = []
    for i, (column, value) in enumerate((where or {}).items()):
        if not _COLUMN.match(column):
            raise ValueError(f"not a column name: {column!r}")
        if value is not None:
            tests.append(f'q."{column}" = $_where_{i}')
            bound[f"_where_{i}"] = value
    narrowed = f"select * from (\n{sql}\n) q where {' and '.join(tests) or 'true'}"
    if limit is None:
        frame = fetch_frame(cur, narrowed, bound)
        return Rows(frame, len(frame))
    frame = fetch_frame(cur, f"{narrowed} limit {int(limit)}", bound)
    if len(frame) < limit:
        return Rows(frame, len(frame))
    counted = f"select * from (\n{without_final_order(sql)}\n) q where {' and '.join(tests) or 'true'}"
    return Rows(frame, int(cur.execute(f"select count(*) from ({counted})", bound).fetchone()[0]))


def side_by_side(
    cur: duckdb.DuckDBPyConnection, calls: dict[str, Callable[[duckdb.DuckDBPyConnection], object]], workers: int = 0
) -> dict[str, object]:
    """Run independent reads concurrently: {name: fn(cursor)} -> {name: result}.

    DuckDB runs a query over a table of one row group (up to 122,880 rows, a district's registry) on one
    thread, so a page's many small queries one after another leave the other cores idle. Each worker
    thread reads through a cursor of its own (a connection is not safe to share between threads; a
    cursor is a new connection to the same database, and a scoped connection's cursor is scoped too).
    DuckDB releases the GIL while a query runs. workers=0: one per CPU, at most 4; 1: one after another.
    """
    workers = workers or min(4, os.cpu_count() or 1)
    if workers <= 1 or len(calls) <= 1:
        return {name: fn(cur) for name, fn in calls.items()}
    local, opened, lock = threading.local(), [], threading.Lock()

    def run(fn):
        worker_cur = getattr(local, "cur", None)
        if worker_cur is None:
            worker_cur = local.cur = cur.cursor()
            with lock:
                opened.append(worker_cur)
        return fn(worker_cur)

    try:
        with ThreadPoolExecutor(max_workers=min(workers, len(calls))) as pool:
            futures = {name: pool.submit(run, fn) for name, fn in calls.items()}
            return {name: future.result() for name, future in futures.items()}
    finally:
        for worker_cur in opened:
            worker_cur.close()


def path_of(con: duckdb.DuckDBPyConnection) -> Path:
    """The database file a connection (or a cursor, scoped or not) reads, to open another connection to it."""
    if dialect_of(con) == pg.DIALECT:
        return con.url  # the owner's URL: what db.connect opens
    row = con.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()
    if not row or not row[0]:
        raise ValueError("in-memory database: no file to open another connection to")
    return Path(row[0])


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """Changes whenever a batch is imported or undone: the key for caching page data."""
    row = con.execute("select count(*), coalesce(max(batch_id), 0), count(undone_at) from import_batches").fetchone()
    return f"{row[0]}-{row[1]}-{row[2]}"


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("select count(*) from import_batches").fetchone()[0] == 0
