"""The analysts' SQL console (数据查询): one read-only SELECT over a sandboxed copy of the caller's views.

Safety does not depend on inspecting the SQL. The query runs in a fresh in-memory DuckDB that holds only
copies of the v_* views as read under the caller's scope (dashboard/scope.py), opened with external
access disabled (no files, no ATTACH of files, no extension install/load, no COPY to or from disk), no
temporary directory (DuckDB would otherwise spill to `.tmp` in the working directory), with Python
replacement scans off and the configuration locked before the user's SQL runs. The main database,
its accounts table and its audit log are simply not in that sandbox. On top of that only a single SELECT
statement is accepted, a timer interrupts a query that runs too long, and the rows returned are capped.

Resources ([console] in the settings): each sandbox is its own DuckDB instance with a memory limit (the
copied views plus `memory_limit_mb` for the query itself) and `threads` worker threads, set before the
configuration is locked, so neither can be raised by the analyst's SQL (SET/RESET/PRAGMA are refused as
statements, and refused again by the locked configuration). At most `max_concurrent` console queries run at
once in the process; another waits up to `queue_wait_seconds`, then is told to try again later.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
from dataclasses import dataclass

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard import config, privacy, spec

# sandbox table -> ledger whose field labels explain its columns
VIEWS = {
    "v_enterprises": "enterprises",
    "v_enterprises_history": "enterprises",
    "v_wage_agreements": "wage_agreements",
    "v_harmonious": "harmonious",
    "v_disputes": "disputes",
    "v_aid": "aid",
    # the work plan's duty ledgers (schema version 8)
    **{f"v_{lg.name}": lg.name for lg in spec.PLAN_LEDGERS},
}
VIEW_LABELS = {
    "v_enterprises": "企业名录（各社区最新一次上传）",
    "v_enterprises_history": "企业名录（历次上传，含 imported_at）",
    "v_wage_agreements": "工资集体协议",
    "v_harmonious": "和谐企业创建",
    "v_disputes": "劳动争议",
    "v_aid": "帮扶救助",
    **{f"v_{lg.name}": lg.label.removesuffix("台账") for lg in spec.PLAN_LEDGERS},
}
EXTRA_COLUMNS = {
    "batch_id": "导入批次号",
    "superseded_by": "被哪个批次的同一记录取代",
    "street": "街道",
    "name_norm": "规范化企业名称（用于匹配）",
    "source_sheet": "来源工作表",
    "source_row": "来源行号",
    "enterprise_key": "企业唯一键（信用代码，或社区+名称）",
    "imported_at": "上传时间",
    "festival": "节日（节日慰问所属的节日，如元旦、春节）",
    "person_ref": "受助人匿名编号（同一身份证号，无证号时同一社区同名，为同一人；只在本次快照内有效）",
}
# Columns the importer keeps for the queries' own use, left out of the sandbox: person_key holds an aid
# recipient's ID number under a name no masker knows. In its place the sandbox numbers the people
# (person_ref), so an analyst can still count distinct recipients without reading an ID number.
INTERNAL_COLUMNS = {"v_aid": ("person_key",)}
MAX_ROWS = 5000
TIMEOUT_SECONDS = 15.0
BUSY_MESSAGE = "当前查询较多，请稍后再试。"


class ConsoleError(ValueError):
    """A refused or failed query; the message is a Chinese sentence shown as is. `detail` is DuckDB's own
    (English) text when there is one: for the server log, never for the page."""

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.detail = detail


_log = logging.getLogger(__name__)
TABLES_HINT = "可查询的表和列见右侧“可查询的表与列的含义”。"
_TYPE_NAMES = {
    "INT": "整数",
    "BIGINT": "整数",
    "HUGEINT": "整数",
    "SMALLINT": "整数",
    "TINYINT": "整数",
    "UBIGINT": "整数",
    "UINT": "整数",
    "DOUBLE": "数字",
    "FLOAT": "数字",
    "DECIMAL": "数字",
    "DATE": "日期",
    "TIMESTAMP": "日期时间",
    "TIME": "时间",
    "BOOL": "是/否",
    "INTERVAL": "时间间隔",
}


def _type_name(duck_type: str) -> str:
    upper = duck_type.upper()
    return next((name for prefix, name in _TYPE_NAMES.items() if upper.startswith(prefix)), "所需的类型")


def _names(text: str) -> str:
    return "、".join(re.findall(r'"([^"]+)"', text))


# (DuckDB message pattern, Chinese message from its groups): what is wrong and what to do. First match wins.
_EXPLAINED: list[tuple[str, object]] = [
    (r"Table with name (\S+?) does not exist", lambda m: f"表或视图不存在：{m[1]}。{TABLES_HINT}"),
    (r"Function with name (\S+?) does not exist", lambda m: f"函数不存在：{m[1]}。请检查函数名的拼写。"),
    (
        r'Referenced column "(.+?)" not found',
        lambda m: f"列不存在：{m[1]}。{TABLES_HINT}",
    ),
    (
        r'Table "(.+?)" does not have a column named "(.+?)"',
        lambda m: f"表 {m[1]} 中没有名为 {m[2]} 的列。{TABLES_HINT}",
    ),
    (
        r'Column "(.+?)" does not exist on (left|right) side of join',
        lambda m: f"连接（JOIN）的{'左' if m[2] == 'left' else '右'}侧没有列 {m[1]}。请检查 USING 或 ON 中的列名。",
    ),
    (
        r'column "(.+?)" must appear in the GROUP BY clause',
        lambda m: (
            f"列 {m[1]} 既不在 GROUP BY 中，也不在聚合函数（如 count、sum）中："
            "请把它加入 GROUP BY，或用聚合函数计算它。"
        ),
    ),
    (
        r"(?:argument types '|function call \")(.+?)\(",
        lambda m: (
            f"函数或运算 {m[1]} 不能用于这些类型的值（例如数字与文字相加）。请用 CAST 把值转换为合适的类型后再试。"
        ),
    ),
    (
        r"Could not convert string '(.*?)' to (\w+)",
        lambda m: f"类型转换失败：“{m[1]}”不能转换为{_type_name(m[2])}。请检查 CAST 或比较中用到的值。",
    ),
    (
        r'(?:invalid (?:date|timestamp) field format|date field value out of range): "(.*?)"',
        lambda m: f"“{m[1]}”不是有效的日期，日期请写成 2026-06-30 这样的格式。",
    ),
    (
        r'Could not parse string "(.*?)" according to format specifier "(.*?)"',
        lambda m: f"“{m[1]}”不符合日期格式“{m[2]}”。请检查格式串或数据。",
    ),
    (
        r"Overflow",
        lambda m: "计算结果超出了数值类型的范围。请先用 CAST(… AS BIGINT) 或 CAST(… AS DOUBLE) 转换后再计算。",
    ),
    (r"GROUP BY clause cannot contain window functions", lambda m: "GROUP BY 中不能使用窗口函数（OVER …）。"),
    (r'syntax error at or near "(.+?)"', lambda m: f"SQL 语法错误，在“{m[1]}”附近。请检查拼写、逗号和括号。"),
    (r"syntax error at end of input", lambda m: "SQL 语句不完整（末尾缺少内容），请检查是否少了表名、条件或右括号。"),
]
# by DuckDB's error class, when no pattern above matched
_BY_CLASS: list[tuple[type, str]] = [
    (duckdb.ParserException, "SQL 语法错误，请检查拼写、逗号和括号。"),
    (duckdb.CatalogException, f"查询用到的表、视图或函数不存在。{TABLES_HINT}"),
    (duckdb.BinderException, f"查询中的列名、函数或分组有误。{TABLES_HINT}"),
    (duckdb.ConversionException, "值的类型转换失败（例如把文字转换为数字或日期）。请检查 CAST 和比较中用到的值。"),
    (duckdb.OutOfRangeException, "数值超出了允许的范围，请检查计算或转换。"),
    (duckdb.PermissionException, "数据查询不能读取文件、访问网络或更改设置，只能查询右侧列出的表。"),
    (duckdb.NotImplementedException, "数据查询暂不支持这种写法，请换一种写法。"),
    (duckdb.InvalidInputException, "查询中的某个值或函数参数无效，请检查函数的参数和格式。"),
]
GENERIC_FAILURE = "查询未能执行。请检查 SQL 语句；如仍有问题，请把语句发给管理员。"


def explain(exc: Exception, *, line_offset: int = 0) -> str:
    """DuckDB's error as a Chinese sentence: what is wrong (with DuckDB's suggestion and the line it points
    at, when it gives them) and what to do. No English of DuckDB's reaches the page. `line_offset`: lines
    put before the user's SQL by the statement that ran it."""
    raw = str(exc)
    message = next(
        (say(m) for pattern, say in _EXPLAINED if (m := re.search(pattern, raw))),
        next((text for cls, text in _BY_CLASS if isinstance(exc, cls)), GENERIC_FAILURE),
    )
    if suggestion := re.search(r'Did you mean "(.+?)"', raw):
        message += f"您是否想写 {suggestion[1]}？"
    if (candidates := re.search(r"Candidate bindings: :? ?(.+)", raw)) and (names := _names(candidates[1])):
        message += f"相近的列：{names}。"
    if where := re.search(r"LINE (\d+): ", raw):
        message += f"（出错位置：第 {max(1, int(where[1]) - line_offset)} 行）"
    return message


@dataclass(frozen=True)
class Result:
    frame: pd.DataFrame
    truncated: bool  # more rows than the cap existed
    seconds: float


@dataclass(frozen=True)
class Limits:
    """What one console query may use ([console] in the settings)."""

    memory_mb: int = 1024  # working memory of the query, above the copied views
    threads: int = 2
    max_concurrent: int = 2  # console queries running at once in this process
    queue_wait_s: float = 5.0  # how long a query beyond that waits for a free slot

    @classmethod
    def from_settings(cls, settings: config.Settings | None = None) -> Limits:
        raw = (settings or config.load_settings()).raw.get("console", {})
        return cls(
            memory_mb=max(1, int(raw.get("memory_limit_mb", cls.memory_mb))),
            threads=max(1, int(raw.get("threads", cls.threads))),
            max_concurrent=max(1, int(raw.get("max_concurrent", cls.max_concurrent))),
            queue_wait_s=max(0.0, float(raw.get("queue_wait_seconds", cls.queue_wait_s))),
        )

    @property
    def memory_text(self) -> str:
        """The memory cap as a person reads it: '1 GB', '1.5 GB', '64 MB'."""
        if self.memory_mb >= 1024:
            return f"{self.memory_mb / 1024:g} GB"
        return f"{self.memory_mb} MB"


class _Slots:
    """A counting gate whose size is read on each use (the settings may change while the app runs)."""

    def __init__(self) -> None:
        self._ready = threading.Condition()
        self.active = 0

    @contextlib.contextmanager
    def hold(self, limit: int, wait_s: float):
        deadline = time.monotonic() + wait_s
        with self._ready:
            while self.active >= limit:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ConsoleError(BUSY_MESSAGE)
                self._ready.wait(left)
            self.active += 1
        try:
            yield
        finally:
            with self._ready:
                self.active -= 1
                self._ready.notify()


_slots = _Slots()


class PostgresTables(dict):
    """snapshot() on PostgreSQL: the console role's views (console.v_*, no personal columns) as read by that
    role, for the page's list of tables; run() sends the query to the server as that role (run_postgres)."""

    url: str = ""


def snapshot(con, *, show_personal: bool = False) -> dict[str, pa.Table]:
    """The caller's views as Arrow tables, read on `con` (a scoped connection for a scoped user).

    Personal fields (names, ID numbers, phones) are masked here, in the copy the SQL runs on, unless
    `show_personal` (privacy.can_see_personal of the caller): whatever a query does with a column
    (renames it, slices it, concatenates it), the unmasked value is not in the sandbox to be read.
    """
    if getattr(con, "dialect", None) == "postgres":
        return _postgres_snapshot(con.url)
    cur = con.cursor()  # a fresh cursor (scoped like `con`): no unfinished result in the way
    out = {}
    for name, ledger in VIEWS.items():
        table = cur.sql(_select(name)).to_arrow_table()
        out[name] = table if show_personal else _masked(table, spec.LEDGERS[ledger])
    return out


def _select(view: str) -> str:
    internal = INTERNAL_COLUMNS.get(view)
    if not internal:
        return f"select * from {view}"
    # people numbered in the order of a hash of their key: the number says nothing of the ID number
    return (
        f"with rows as (select *, row_number() over () as _row from {view}), "
        "refs as (select person_key, row_number() over (order by hash(person_key), person_key) as person_ref "
        "from (select distinct person_key from rows)) "
        f"select rows.* exclude (_row, {', '.join(internal)}), refs.person_ref "
        "from rows left join refs using (person_key) order by _row"
    )


def _masked(table: pa.Table, ledger: spec.Ledger) -> pa.Table:
    for field in ledger.fields:
        if field.personal and field.name in table.column_names:
            column = table.column(field.name).to_pandas(types_mapper=pd.ArrowDtype).astype("string")
            masked = privacy.mask_column(column, privacy.MASKERS[field.name]).replace("", None)
            index = table.column_names.index(field.name)
            table = table.set_column(index, field.name, pa.array(masked, type=pa.string(), from_pandas=True))
    return table


def type_label(arrow_type: pa.DataType) -> str:
    """A column's type as an analyst reads it: in Chinese, with the SQL type to CAST to."""
    if pa.types.is_boolean(arrow_type):
        return "是/否（BOOLEAN）"
    if pa.types.is_integer(arrow_type):
        return "整数（BIGINT）" if arrow_type.bit_width > 32 else "整数（INTEGER）"
    if pa.types.is_decimal(arrow_type):
        return f"小数（DECIMAL({arrow_type.precision},{arrow_type.scale})）"
    if pa.types.is_floating(arrow_type):
        return "小数（DOUBLE）"
    if pa.types.is_date(arrow_type):
        return "日期（DATE）"
    if pa.types.is_timestamp(arrow_type):
        return "日期时间（TIMESTAMP）"
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "文本（VARCHAR）"
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return "列表"
    return "其他"


def schema(tables: dict[str, pa.Table]) -> dict[str, pd.DataFrame]:
    """Per view: column, type and meaning (the ledger field's Chinese label), for beside the editor."""
    out = {}
    for name, table in tables.items():
        ledger = spec.LEDGERS[VIEWS[name]]
        labels = {f.name: f.label for f in ledger.fields}
        out[name] = pd.DataFrame(
            {
                "列名": table.schema.names,
                "类型": [type_label(t) for t in table.schema.types],
                "含义": [labels.get(c, EXTRA_COLUMNS.get(c, "")) for c in table.schema.names],
            }
        )
    return out


def _sandbox(tables: dict[str, pa.Table], limits: Limits | None = None) -> duckdb.DuckDBPyConnection:
    limits = limits or Limits()
    box = duckdb.connect(
        ":memory:",
        config={
            "enable_external_access": False,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "allow_community_extensions": False,
            "python_enable_replacements": False,
            "temp_directory": "",  # nothing spills to disk: over the memory limit a query stops
            "threads": limits.threads,
        },
    )
    for name, table in tables.items():
        box.register("_incoming", table)
        box.execute(f"create table {name} as select * from _incoming")
        box.unregister("_incoming")
    # the copies sit in DuckDB's memory too: the query gets its own cap on top of them
    copied = box.execute("select coalesce(sum(memory_usage_bytes), 0) from duckdb_memory()").fetchone()[0]
    limit_mib = int(copied) // 2**20 + limits.memory_mb
    box.execute(f"set memory_limit = '{limit_mib}MiB'")
    box.execute(f"set threads = {int(limits.threads)}")
    box.execute("set lock_configuration = true")
    return box


def _single_select(sql: str) -> str:
    text = sql.strip().rstrip(";").strip()
    if not text:
        raise ConsoleError("请输入一条 SELECT 查询语句。")
    try:
        statements = duckdb.extract_statements(text)
    except duckdb.Error as exc:
        raise ConsoleError(explain(exc), str(exc)) from None
    if len(statements) != 1:
        raise ConsoleError("一次只能运行一条查询语句，请删去多余的语句（分号分隔）。")
    if statements[0].type != duckdb.StatementType.SELECT:
        raise ConsoleError("数据查询只能读取数据：只允许 SELECT（含 WITH … SELECT）语句，不能修改数据或设置。")
    return text


def memory_message(limits: Limits) -> str:
    return f"查询所需内存超过上限（{limits.memory_text}），已停止。请缩小范围或增加筛选条件。"


def run(
    tables: dict[str, pa.Table],
    sql: str,
    *,
    max_rows: int = MAX_ROWS,
    timeout_s: float = TIMEOUT_SECONDS,
    limits: Limits | None = None,
) -> Result:
    """Run one SELECT in a fresh sandbox; at most `max_rows` rows, interrupted after `timeout_s` seconds,
    within `limits` (default: [console] in the settings) of memory, threads and concurrent queries."""
    if isinstance(tables, PostgresTables):
        limits = limits or Limits.from_settings()
        with _slots.hold(limits.max_concurrent, limits.queue_wait_s):
            return run_postgres(tables.url, sql, max_rows=max_rows, timeout_s=timeout_s)
    text = _single_select(sql)
    limits = limits or Limits.from_settings()
    with _slots.hold(limits.max_concurrent, limits.queue_wait_s):
        return _run(tables, text, max_rows, timeout_s, limits)


def _run(tables: dict[str, pa.Table], text: str, max_rows: int, timeout_s: float, limits: Limits) -> Result:
    box = _sandbox(tables, limits)
    timer = threading.Timer(timeout_s, box.interrupt)
    started = time.monotonic()
    timer.start()
    try:
        # the cap is applied inside the query, so a huge result is never produced in full
        frame = box.execute(f"select * from (\n{text}\n) limit $cap", {"cap": int(max_rows) + 1}).df()
    except duckdb.InterruptException:
        raise ConsoleError(
            f"查询超过 {timeout_s:g} 秒仍未完成，已停止。请缩小范围（加筛选条件或 LIMIT）后重试。"
        ) from None
    except duckdb.OutOfMemoryException:
        raise ConsoleError(memory_message(limits)) from None
    except duckdb.Error as exc:
        if time.monotonic() - started >= timeout_s:
            raise ConsoleError(f"查询超过 {timeout_s:g} 秒仍未完成，已停止。请缩小范围后重试。") from None
        _log.info("console query failed: %s", exc)
        raise ConsoleError(explain(exc, line_offset=1), str(exc)) from None
    except MemoryError:  # the result frame itself did not fit
        raise ConsoleError(memory_message(limits)) from None
    finally:
        timer.cancel()
        box.close()
    truncated = len(frame) > max_rows
    return Result(frame.head(max_rows), truncated, time.monotonic() - started)


# ---- on PostgreSQL: the database's own rights ------------------------------------------------------------
# The query runs on the server as the database's console role (<database>_console, made by
# dashboard/migrations/postgres/0009_schema.sql): SELECT on console.v_* only (the v_* views without personal
# columns), every transaction read-only, a statement timeout, search_path console. Nothing here inspects the
# SQL: an INSERT, DROP or SET is refused by the server, and told in Chinese below. One statement only (sent
# as a prepared statement, which PostgreSQL allows one command in); the rows fetched are capped.

READ_ONLY_MESSAGE = "数据查询只能读取数据：只允许 SELECT（含 WITH … SELECT）语句，不能修改数据或设置。"


def _console_connection(url: str, timeout_s: float):
    import psycopg

    from dashboard import pgscope

    options = (
        f"-c default_transaction_read_only=on -c statement_timeout={int(timeout_s * 1000)}"
        " -c search_path=console -c idle_in_transaction_session_timeout=60000"
    )
    target = pgscope.role_url(url, pgscope.CONSOLE_SUFFIX, "UNION_DASHBOARD_PG_CONSOLE_PASSWORD")
    return psycopg.connect(target, autocommit=True, options=options)


def _postgres_snapshot(url: str) -> PostgresTables:
    from dashboard import pg

    out = PostgresTables()
    out.url = url
    with _console_connection(url, TIMEOUT_SECONDS) as raw:
        for name in VIEWS:
            cur = raw.execute(f"select * from {name}")
            out[name] = pg.to_arrow(cur.description, cur.fetchall())
    return out


def explain_postgres(exc: Exception, timeout_s: float) -> str:
    """PostgreSQL's error as a Chinese sentence (its SQLSTATE class first, then its text)."""
    import psycopg.errors as pe

    raw = str(exc)
    writes = re.search(r"must be owner|cannot (insert|update|delete) into", raw)
    if isinstance(exc, pe.ReadOnlySqlTransaction) or writes:
        return READ_ONLY_MESSAGE
    if isinstance(exc, pe.InsufficientPrivilege):
        return f"数据查询只能读取右侧列出的表，不能读取账号、日志等其他表，也不能修改数据。{TABLES_HINT}"
    if isinstance(exc, pe.QueryCanceled):
        return f"查询超过 {timeout_s:g} 秒仍未完成，已停止。请缩小范围（加筛选条件或 LIMIT）后重试。"
    if "cannot insert multiple commands" in raw:
        return "一次只能运行一条查询语句，请删去多余的语句（分号分隔）。"
    if m := re.search(r'relation "(.+?)" does not exist', raw):
        return f"表或视图不存在：{m[1]}。{TABLES_HINT}"
    if m := re.search(r'column "(.+?)" does not exist', raw):
        return f"列不存在：{m[1]}。{TABLES_HINT}"
    if m := re.search(r"function (\S+?)\(", raw):
        return f"函数不存在或不能用于这些类型的值：{m[1]}。请检查函数名的拼写，或用 CAST 转换类型。"
    if isinstance(exc, pe.SyntaxError):
        return explain(exc)
    if isinstance(exc, pe.DataError):
        return "值的类型转换失败或超出范围（例如把文字转换为数字或日期）。请检查 CAST 和比较中用到的值。"
    return GENERIC_FAILURE


def run_postgres(url: str, sql: str, *, max_rows: int = MAX_ROWS, timeout_s: float = TIMEOUT_SECONDS) -> Result:
    """Run the analyst's SQL on the PostgreSQL server as the console role (see above); at most `max_rows`."""
    import psycopg

    from dashboard import pg

    text = sql.strip().rstrip(";").strip()
    if not text:
        raise ConsoleError("请输入一条 SELECT 查询语句。")
    started = time.monotonic()
    try:
        with _console_connection(url, timeout_s) as raw, raw.cursor() as cur:
            # a prepared statement: PostgreSQL takes one command, never a script
            cur.execute(text, prepare=True)
            if cur.description is None:  # not a query (a SET, say: it lasted only this connection)
                raise ConsoleError(READ_ONLY_MESSAGE, f"no rows: {cur.statusmessage}")
            rows = cur.fetchmany(int(max_rows) + 1)
            table = pg.to_arrow(cur.description, rows)
    except psycopg.Error as exc:
        _log.info("console query failed: %s", exc)
        raise ConsoleError(explain_postgres(exc, timeout_s), str(exc)) from None
    frame = duckdb.connect().from_arrow(table).df()
    truncated = len(frame) > max_rows
    return Result(frame.head(max_rows), truncated, time.monotonic() - started)


# ---- saved queries (per user) ---------------------------------------------------------------------


def save_query(con, username: str, name: str, sql: str) -> None:
    if not name.strip():
        raise ConsoleError("请给查询起一个名字再保存。")
    con.execute(
        "insert or replace into saved_queries (username, name, sql, saved_at) values (?, ?, ?, current_timestamp)",
        [username, name.strip(), sql],
    )


def saved_queries(con, username: str) -> pd.DataFrame:
    return con.execute(
        "select name, sql, saved_at from saved_queries where username = ? order by name", [username]
    ).df()
