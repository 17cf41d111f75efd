"""PostgreSQL behind the same SQL: a connection that speaks the part of DuckDB's Python API the code uses.

One source of SQL (docs/deployment.md, "How the SQL stays one source"): every statement is written as
DuckDB runs it (queries/*.sql with the portable fragments, the importer's and the accounts' statements) and
translated to PostgreSQL by sqlglot when it first runs, then kept (`translate`, cached by text). What
sqlglot writes wrongly is rewritten on its syntax tree here (`_postgres_tree`): make_date, list_position,
contains, len of a list, arg_max/arg_min, `group by all`, `insert or replace`, `main.` tables, `create or
replace table`. No query has a PostgreSQL copy.

Results come back as DuckDB's would: each result is made an Arrow table typed from PostgreSQL's column
types and handed to an in-memory DuckDB for `.df()`, so the DataFrames have DuckDB's own dtypes (text as
pandas' str, dates as datetime64, decimals as float64, nullable integers...). Frames go in as DuckDB's
register() takes them: a temp table, COPYed (`PgConnection.register`), which is how the importer stages.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import threading
from decimal import Decimal

import duckdb
import pandas as pd
import pyarrow as pa

# sqlglot (the translation) and psycopg (the server's driver) are imported when PostgreSQL is first used:
# a street's DuckDB needs neither, and importing them made every start's first page wait ~0.2-0.5 s
# longer (issue 21). `exp` is sqlglot's expression module once _load_sqlglot() has run (every function
# below that uses it is reached through translate()).
exp = None


def _load_sqlglot():
    global exp
    if exp is None:
        from sqlglot import exp as expressions

        exp = expressions


def psycopg_module():
    """psycopg, imported on first use (the server engine is optional: a street's DuckDB never needs it)."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is pinned in requirements.txt
        raise Error("psycopg is not installed") from None
    return psycopg


DIALECT = "postgres"
URL_PREFIXES = ("postgresql://", "postgres://")

# primary keys of the tables DuckDB's `insert or replace` writes to (on PostgreSQL: on conflict … do update)
PRIMARY_KEYS = {
    "saved_queries": ("username", "name"),
    "header_mappings": ("signature",),
    "users": ("username",),
}


def is_url(target) -> bool:
    return isinstance(target, str) and target.startswith(URL_PREFIXES)


# ---- translation ------------------------------------------------------------------------------------


def _is_list(node: exp.Expression) -> bool:
    if isinstance(node, exp.Array):
        return True
    if isinstance(node, exp.Cast):
        return node.to.sql("postgres").endswith("]")
    return False


def _arg_max(node: exp.ArgMax | exp.ArgMin) -> exp.Expression:
    """arg_max(x, y) -> (array_agg(x order by y desc) filter (where x and y are not null))[1]; a row y
    `(a, b, c)` orders by a desc, b desc, c desc (DuckDB compares rows field by field). arg_min: ascending."""
    value, key = node.this, node.expression
    keys = key.expressions if isinstance(key, exp.Tuple) else [key]
    desc = isinstance(node, exp.ArgMax)
    order = exp.Order(expressions=[exp.Ordered(this=k.copy(), desc=desc, nulls_first=False) for k in keys])
    agg = exp.ArrayAgg(this=exp.Order(this=value.copy(), expressions=order.expressions))
    known = exp.and_(*(exp.Not(this=exp.Is(this=x.copy(), expression=exp.Null())) for x in [value, *keys]))
    filtered = exp.Filter(this=agg, expression=exp.Where(this=known))
    return exp.Bracket(this=exp.Paren(this=filtered), expressions=[exp.Literal.number(1)], offset=1)


def _group_by_all(select: exp.Select) -> None:
    """`group by all` -> `group by 1, 2, …`: the positions of the select list's items without aggregates."""
    group = select.args.get("group")
    if not group or not group.args.get("all"):
        return
    positions = [
        exp.Literal.number(i)
        for i, item in enumerate(select.expressions, start=1)
        if not any(isinstance(n, (exp.AggFunc, exp.Window)) for n in item.walk())
    ]
    select.set("group", exp.Group(expressions=positions))


def _insert_or_replace(insert: exp.Insert) -> None:
    if (insert.args.get("alternative") or "").upper() != "REPLACE":
        return
    target = insert.this
    table = target.this if isinstance(target, exp.Schema) else target
    keys = PRIMARY_KEYS[table.name]
    columns = [c.name for c in target.expressions] if isinstance(target, exp.Schema) else []
    insert.set("alternative", None)
    sets = [exp.EQ(this=exp.column(c), expression=exp.column(c, table="excluded")) for c in columns if c not in keys]
    insert.set(
        "conflict",
        exp.OnConflict(
            conflict_keys=[exp.to_identifier(k) for k in keys],
            action=exp.var("DO UPDATE") if sets else exp.var("DO NOTHING"),
            expressions=sets or None,
        ),
    )


def _series(node: exp.GenerateSeries) -> exp.Expression:
    """DuckDB's range(a, b[, step]) stops before b; PostgreSQL's generate_series includes it. sqlglot writes
    `b - 1`, which is wrong for a date range: there the end is b less a microsecond."""
    if not node.args.get("is_end_exclusive"):
        return node
    start, end, step = node.args["start"], node.args["end"], node.args.get("step")
    if isinstance(step, exp.Interval):
        last = exp.Sub(
            this=end.copy(), expression=exp.Interval(this=exp.Literal.string("1"), unit=exp.var("MICROSECOND"))
        )
    else:  # DuckDB's range of integers is BIGINT
        start = exp.Cast(this=start, to=exp.DataType.build("bigint"))
        last = exp.Sub(this=end.copy(), expression=exp.Literal.number(1))
    args = [start.copy(), last] + ([step.copy()] if step is not None else [])
    return exp.Anonymous(this="generate_series", expressions=args)


def _star_except(select: exp.Select, ctes: dict[str, exp.Expression]) -> None:
    """`select * exclude (a, b) from cte` -> the CTE's other columns, listed (PostgreSQL has no exclude)."""
    stars = [
        e for e in select.expressions if isinstance(e, exp.Star) and (e.args.get("except_") or e.args.get("except"))
    ]
    if not stars:
        return
    source = select.args.get("from_") or select.args.get("from")
    table = source.this if source is not None else None
    body = ctes.get(table.name) if isinstance(table, exp.Table) else None
    if body is None or any(isinstance(e, exp.Star) for e in body.expressions):
        raise Error("`* exclude` on PostgreSQL needs a CTE with its columns listed")
    star = stars[0]
    dropped = {c.name for c in (star.args.get("except_") or star.args.get("except"))}
    kept = [exp.column(name) for name in body.named_selects if name not in dropped]
    index = select.expressions.index(star)
    select.set("expressions", select.expressions[:index] + kept + select.expressions[index + 1 :])


def _subquery_aliases(tree: exp.Expression) -> None:
    """PostgreSQL 15 wants an alias on every subquery in FROM or JOIN (16 does not)."""
    for n, sub in enumerate(tree.find_all(exp.Subquery)):
        if isinstance(sub.parent, (exp.From, exp.Join)) and not sub.alias:
            sub.set("alias", exp.TableAlias(this=exp.to_identifier(f"_q{n}")))


def _postgres_tree(tree: exp.Expression) -> exp.Expression:
    ctes = {cte.alias: cte.this for cte in tree.find_all(exp.CTE) if isinstance(cte.this, exp.Select)}
    for select in list(tree.find_all(exp.Select)):
        _star_except(select, ctes)
    _subquery_aliases(tree)

    def fix(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Explode) and isinstance(node.this, exp.GenerateSeries):
            return _series(node.this)
        if isinstance(node, exp.GenerateSeries):
            return _series(node)
        if isinstance(node, (exp.Year, exp.Month, exp.Day, exp.DateDiff)) and not node.meta.get("pg"):
            node.meta["pg"] = (
                True  # DuckDB's year(), datediff() are BIGINT; PostgreSQL's extract() numeric, date - date integer
            )
            return exp.Cast(this=node, to=exp.DataType.build("bigint"))
        if isinstance(node, exp.DateFromParts):
            parts = [exp.Cast(this=node.args[k], to=exp.DataType.build("int")) for k in ("year", "month", "day")]
            return exp.Anonymous(this="make_date", expressions=parts)  # PostgreSQL's takes integers only
        if isinstance(node, exp.Anonymous) and node.name.lower() == "list_position":
            return exp.Anonymous(this="array_position", expressions=node.expressions)
        if isinstance(node, exp.Contains):
            strpos = exp.Anonymous(this="strpos", expressions=[node.this, node.expression])
            return exp.GT(this=strpos, expression=exp.Literal.number(0))
        if isinstance(node, exp.Length) and _is_list(node.this):
            return exp.Anonymous(this="cardinality", expressions=[node.this])
        if isinstance(node, (exp.ArgMax, exp.ArgMin)):
            return _arg_max(node)
        if isinstance(node, exp.Table) and node.args.get("db") is not None and node.db == "main":
            node.set("db", exp.to_identifier("public"))  # DuckDB's own schema: the owner's tables
        if isinstance(node, exp.Select):
            _group_by_all(node)
        if isinstance(node, exp.Insert):
            _insert_or_replace(node)
        return node

    # a node put in place of another is not walked into in the same pass: pass again until nothing changes
    replaced = [True]

    def fix_once(node: exp.Expression) -> exp.Expression:
        new = fix(node)
        if new is not node:
            replaced[0] = True
        return new

    for _ in range(8):
        if not replaced[0]:
            break
        replaced[0] = False
        tree = tree.transform(fix_once, copy=False)
    return tree


def _replaced_table(tree: exp.Expression) -> list[str]:
    """`create or replace [temp] table t as …` -> `drop table if exists t` before `create table t as …`
    (PostgreSQL replaces views only); the drop to put first is returned."""
    if not (isinstance(tree, exp.Create) and tree.args.get("replace") and (tree.kind or "").upper() == "TABLE"):
        return []
    tree.set("replace", False)
    table = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
    temporary = any(isinstance(p, exp.TemporaryProperty) for p in tree.find_all(exp.TemporaryProperty))
    name = table.copy()
    if temporary:
        name.set("db", exp.to_identifier("pg_temp"))
    return [f"DROP TABLE IF EXISTS {name.sql('postgres')}"]


_MARK = "\x01"  # stands for a parameter while `%` signs are doubled


def _mark_parameters(tree: exp.Expression) -> None:
    for node in list(tree.find_all(exp.Placeholder)):
        name = node.name if node.name != "?" else ""
        node.replace(exp.var(f"{_MARK}{name}{_MARK}" if name else _MARK * 2))


def _psycopg_parameters(text: str) -> str:
    text = text.replace("%", "%%")
    return re.sub(f"{_MARK}([A-Za-z_]\\w*)?{_MARK}", lambda m: f"%({m[1]})s" if m[1] else "%s", text)


@functools.lru_cache(maxsize=4096)
def translate(sql: str) -> str:
    """`sql` (DuckDB, `$name` or `?` parameters) as PostgreSQL for psycopg (`%(name)s`, `%s`; every other
    `%` doubled, in literals and as the modulo operator)."""
    import sqlglot
    from sqlglot.dialects.postgres import Postgres
    from sqlglot.errors import ErrorLevel

    _load_sqlglot()
    statements = []
    for tree in sqlglot.parse(sql, read="duckdb", error_level=ErrorLevel.RAISE):
        if tree is None:
            continue
        tree = _postgres_tree(tree)
        statements.extend(_replaced_table(tree))
        _mark_parameters(tree)
        generator = Postgres().generator(unsupported_level=ErrorLevel.IGNORE, comments=False)
        statements.append(generator.generate(tree))
    return _psycopg_parameters(";\n".join(statements))


# ---- results as DuckDB gives them -------------------------------------------------------------------

_converter = threading.local()


def _duck() -> duckdb.DuckDBPyConnection:
    con = getattr(_converter, "con", None)
    if con is None:
        con = _converter.con = duckdb.connect()
    return con


def _arrow_type(type_code: int, values: list) -> pa.DataType:
    names = _TYPE_NAMES.get(type_code)
    if names is not None:
        return names
    sample = next((v for v in values if v is not None), None)
    if isinstance(sample, list):
        inner = next((x for v in values if v for x in v if x is not None), "")
        return pa.list_(pa.float64() if isinstance(inner, (float, Decimal)) else pa.string())
    return pa.string()


# PostgreSQL type oids -> Arrow types of the DuckDB column DuckDB would give (numeric: a double, as
# DuckDB's .df() turns its decimals into)
_TYPE_NAMES = {
    16: pa.bool_(),
    20: pa.int64(),
    21: pa.int16(),
    23: pa.int32(),
    25: pa.string(),
    1043: pa.string(),
    19: pa.string(),
    700: pa.float32(),
    701: pa.float64(),
    1700: pa.float64(),
    1082: pa.date32(),
    1114: pa.timestamp("us"),
    1184: pa.timestamp("us", tz="UTC"),
    1009: pa.list_(pa.string()),
    1015: pa.list_(pa.string()),
    1007: pa.list_(pa.int32()),
    1016: pa.list_(pa.int64()),
    1182: pa.list_(pa.date32()),
}


def _column(values: list, kind: pa.DataType) -> pa.Array:
    if kind == pa.float64():
        values = [None if v is None else float(v) for v in values]
    elif isinstance(kind, pa.TimestampType) and kind.tz:
        values = [None if v is None else v.astimezone(dt.UTC) for v in values]
    return pa.array(values, type=kind)


def to_arrow(description, rows: list[tuple]) -> pa.Table:
    names = [d.name for d in description]
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in names]
    arrays = [
        _column(list(vals), _arrow_type(d.type_code, list(vals))) for d, vals in zip(description, columns, strict=True)
    ]
    return pa.Table.from_arrays(arrays, names=_unique(names))


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name in seen:
            seen[name] += 1
            out.append(f"{name}_{seen[name]}")
        else:
            seen[name] = 0
            out.append(name)
    return out


# ---- the connection ---------------------------------------------------------------------------------


class Error(Exception):
    """Base of the errors this module raises itself."""


class PgConnection:
    """A psycopg connection behind DuckDB's connection API as this code uses it: execute(sql, params)
    returning itself, fetchone/fetchall/df/fetchdf/to_arrow_table/arrow, executemany, cursor(), close().
    Autocommit, so `begin transaction` / `commit` / `rollback` sent as statements work as on DuckDB."""

    dialect = DIALECT

    def __init__(self, raw, *, owner: bool = True, shared: bool = False):
        self.raw = raw
        self.owner = owner  # whether this connection may write (the schema owner)
        self._shared = shared  # a cursor(): closing it leaves the connection open
        self._cur = None
        self._lock = threading.RLock()

    @classmethod
    def open(cls, url: str, **kwargs) -> PgConnection:
        psycopg = psycopg_module()
        raw = psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor, **kwargs)
        con = cls(raw)
        con.url = url
        return con

    # DuckDB API
    def execute(self, sql: str, params=None) -> PgConnection:
        text = translate(sql)
        if params is None:
            params = {} if "%(" in text else []
        elif isinstance(params, tuple):
            params = list(params)
        cur = self.raw.cursor()
        cur.execute(text, params)
        self._cur = cur
        return self

    def executemany(self, sql: str, rows) -> PgConnection:
        cur = self.raw.cursor()
        cur.executemany(translate(sql), [list(r) if isinstance(r, tuple) else r for r in rows])
        self._cur = cur
        return self

    def _result(self):
        if self._cur is None or self._cur.description is None:
            raise Error("no result to fetch")
        return self._cur

    def fetchone(self):
        return self._result().fetchone()

    def fetchall(self):
        return self._result().fetchall()

    def fetchmany(self, size: int = 1):
        return self._result().fetchmany(size)

    @property
    def description(self):
        return self._result().description

    def to_arrow_table(self) -> pa.Table:
        cur = self._result()
        return to_arrow(cur.description, cur.fetchall())

    arrow = to_arrow_table
    fetch_arrow_table = to_arrow_table

    def df(self) -> pd.DataFrame:
        return _duck().from_arrow(self.to_arrow_table()).df()

    fetchdf = df

    url: str = ""
    scope = None  # a cadre's connection: the Scope row-level security holds it to (dashboard/pgscope.py)

    def cursor(self) -> PgConnection:
        cur = PgConnection(self.raw, owner=self.owner, shared=True)
        cur.url, cur.scope = self.url, self.scope
        return cur

    def register(self, name: str, frame) -> PgConnection:
        """DuckDB's register of a DataFrame or Arrow table as `name`: here a temp table of this session,
        typed from the frame's Arrow schema, replacing one of that name, its rows copied in (COPY). Inside
        a transaction it goes with the transaction; unregister() drops it."""
        table = as_arrow(frame)
        columns = ", ".join(f"{_quoted(f.name)} {_pg_type(f.type)}" for f in table.schema)
        cur = self.raw.cursor()
        cur.execute(f"drop table if exists pg_temp.{_quoted(name)}")
        cur.execute(f"create temp table {_quoted(name)} ({columns})")
        if table.num_rows:
            names = ", ".join(_quoted(f.name) for f in table.schema)
            values = [_python_values(column) for column in table.columns]
            with cur.copy(f"copy {_quoted(name)} ({names}) from stdin") as copy:
                for row in zip(*values, strict=True):
                    copy.write_row(row)
        return self

    def unregister(self, name: str) -> PgConnection:
        self.raw.execute(f"drop table if exists pg_temp.{_quoted(name)}")
        return self

    def close(self) -> None:
        if not self._shared:
            self.raw.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# ---- frames in, and the columns of a table --------------------------------------------------------------


def _quoted(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def as_arrow(frame) -> pa.Table:
    """A DataFrame (or Arrow table) as an Arrow table; a pandas column Arrow cannot type (mixed Python
    objects) is taken as text, as DuckDB's pandas scan would read it."""
    if isinstance(frame, pa.Table):
        return frame
    if isinstance(frame, pa.RecordBatch):
        return pa.Table.from_batches([frame])
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowException, ValueError, TypeError):
        arrays = []
        for name in frame.columns:
            column = frame[name]
            try:
                arrays.append(pa.Array.from_pandas(column))
            except (pa.ArrowException, ValueError, TypeError):
                arrays.append(pa.array([None if _missing(v) else str(v) for v in column], type=pa.string()))
        return pa.Table.from_arrays(arrays, names=[str(c) for c in frame.columns])


def _missing(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array
        return False


def _pg_type(kind: pa.DataType) -> str:
    """The PostgreSQL column type an Arrow column is copied into."""
    if pa.types.is_dictionary(kind):
        return _pg_type(kind.value_type)
    if pa.types.is_boolean(kind):
        return "boolean"
    if pa.types.is_integer(kind):
        return "bigint"
    if pa.types.is_floating(kind):
        return "double precision"
    if pa.types.is_decimal(kind):
        return f"numeric({kind.precision}, {kind.scale})"
    if pa.types.is_date(kind):
        return "date"
    if pa.types.is_timestamp(kind):
        return "timestamptz" if kind.tz else "timestamp"
    if pa.types.is_time(kind):
        return "time"
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return _pg_type(kind.value_type) + "[]"
    return "text"  # text, and anything else as its text


def _python_values(column: pa.ChunkedArray) -> list:
    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
        kind = kind.value_type
    if pa.types.is_floating(kind):  # NaN is no value (pandas' missing float)
        return [None if v is None or v != v else v for v in column.to_pylist()]
    if _pg_type(kind) == "text" and not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        return [None if v is None else str(v) for v in column.to_pylist()]
    return column.to_pylist()


# PostgreSQL's type names (format_type) as DuckDB names them, for SQL written as DuckDB runs it
_DUCKDB_TYPES = {
    "text": "VARCHAR",
    "character varying": "VARCHAR",
    "integer": "INTEGER",
    "bigint": "BIGINT",
    "smallint": "SMALLINT",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "double precision": "DOUBLE",
    "real": "FLOAT",
    "timestamp without time zone": "TIMESTAMP",
    "timestamp with time zone": "TIMESTAMP WITH TIME ZONE",
    "time without time zone": "TIME",
}


def duckdb_type(name: str) -> str:
    """A PostgreSQL type as DuckDB's duckdb_columns() names it: text -> VARCHAR, numeric(14,2) ->
    DECIMAL(14,2), text[] -> VARCHAR[]."""
    if name.endswith("[]"):
        return duckdb_type(name[:-2]) + "[]"
    found = re.fullmatch(r"numeric\((\d+),(\d+)\)", name.replace(" ", ""))
    if found:
        return f"DECIMAL({found[1]},{found[2]})"
    if name.startswith("character varying"):
        return "VARCHAR"
    return _DUCKDB_TYPES.get(name, name.upper())


def table_columns(con: PgConnection, table: str, schema: str = "public") -> list[tuple[str, str, str | None]]:
    """(name, DuckDB type, default as SQL or None) of a table's columns in order: what the importer reads
    from DuckDB's duckdb_columns()."""
    rows = con.raw.execute(
        "select a.attname, format_type(a.atttypid, a.atttypmod), pg_get_expr(d.adbin, d.adrelid)"
        " from pg_attribute a join pg_class c on c.oid = a.attrelid"
        " join pg_namespace n on n.oid = c.relnamespace"
        " left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum"
        " where n.nspname = %s and c.relname = %s and a.attnum > 0 and not a.attisdropped order by a.attnum",
        [schema, table],
    ).fetchall()
    return [(name, duckdb_type(kind), default) for name, kind, default in rows]


# ---- moving a DuckDB database's rows over ------------------------------------------------------------


def copy_from_duckdb(duck: duckdb.DuckDBPyConnection, con: PgConnection) -> dict[str, int]:
    """Copy every table's rows of a DuckDB database (at the same schema version) into the migrated, empty
    PostgreSQL database of `con`, in one transaction, and move the sequences past the copied ids. Returns
    the rows copied per table."""
    tables = [
        r[0]
        for r in duck.execute(
            "select table_name from information_schema.tables where table_type = 'BASE TABLE'"
            " and table_schema = 'main' and table_name <> 'schema_version' order by table_name"
        ).fetchall()
    ]
    on_server = {r[0] for r in con.raw.execute("select tablename from pg_tables where schemaname = 'public'")}
    tables = [t for t in tables if t in on_server]  # (a benchmark file's own bench_meta stays behind)
    copied = {}
    with con.raw.transaction():
        cur = con.raw.cursor()
        for table in tables:
            columns = [r[0] for r in duck.execute(f"describe {table}").fetchall()]
            rows = duck.execute(f"select {', '.join(columns)} from {table}").fetchall()
            with cur.copy(f"copy {table} ({', '.join(columns)}) from stdin") as copy:
                for row in rows:
                    copy.write_row(row)
            copied[table] = len(rows)
        for sequence, table, column in (
            ("batch_id_seq", "import_batches", "batch_id"),
            ("audit_id_seq", "audit_log", "audit_id"),
        ):
            cur.execute(f"select setval('{sequence}', greatest((select max({column}) from {table}), 1))")
    return copied
