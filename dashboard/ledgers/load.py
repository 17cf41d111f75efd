"""Load a parsed ledger file into the database as one import batch, and preview what that would change.

One upload is one batch and one transaction. Rows are first copied into temporary stage tables shaped
like the ledger tables; counting (the preview), cross-ledger checks and writing all read from there.
The preview runs the very same steps inside a transaction that is rolled back, so what the user sees
before committing is what committing does.

Enterprises are a snapshot: a batch holding a community's registry becomes that community's current
registry (the views pick the latest active batch per community; older snapshots stay for trends).
The other ledgers upsert by natural key: a new row marks the live row with the same key as
superseded_by the new batch, which is what undo clears again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard import config, db, pg, scope, spec
from dashboard.ledgers import crossref, derived
from dashboard.ledgers import diff as diffs
from dashboard.ledgers.model import ERROR, WARNING, ParsedFile, Problem

ARCHIVE_ENV = "UNION_DASHBOARD_ARCHIVE"
# Test-only hook: when set to a file path, the import writes that file and sleeps before COMMIT so a
# test can kill the process in the middle of a transaction.
PAUSE_ENV = "UNION_DASHBOARD_TEST_PAUSE_BEFORE_COMMIT"

UPSERT_LEDGERS = derived.UPSERT_LEDGERS

# Natural key of each ledger as SQL over a table alias; values never come from users.
# A row without uscc (or id number) is keyed by its name within its community, as the spec says.
_ENTERPRISE_KEY = "coalesce({t}.uscc, 'N:' || {t}.community || '|' || {t}.name_norm)"
KEY_SQL = {
    "enterprises": _ENTERPRISE_KEY,
    "wage_agreements": _ENTERPRISE_KEY + " || '|' || cast({t}.signed_on as varchar)",
    "harmonious": _ENTERPRISE_KEY + " || '|' || cast({t}.year as varchar)",
    "aid": derived.person_key("{t}") + " || '|' || {t}.campaign || '|' || cast({t}.given_on as varchar)",
    "disputes": "{t}.case_no",
}
# The duty ledgers' keys are their spec natural keys (a name matched as name_norm, a blank as '').
KEY_SQL.update(
    {
        lg.name: " || '|' || ".join(
            "coalesce(cast({t}." + ("name_norm" if c == "name" else c) + " as varchar), '')" for c in lg.natural_key
        )
        for lg in spec.PLAN_LEDGERS
    }
)

# Columns the loader fills itself rather than taking from the parsed frame.
_OWN_COLUMNS = ("batch_id", "superseded_by", "street", "enterprise_key", "person_key", "live")
# Columns that say where a row came from: never a reason to call a row "changed".
_SOURCE_COLUMNS = ("source_sheet", "source_row")

PLAN_COLUMNS = ["ledger", "ledger_label", "community", "added", "changed", "removed", "unchanged", "rejected", "warned"]


@dataclass
class Preview:
    """What importing a parsed file would do, computed without changing anything."""

    plan: pd.DataFrame  # PLAN_COLUMNS, one row per ledger and community
    problems: list[Problem]  # the parser's problems plus duplicate-key and cross-ledger warnings
    duplicate_of: int | None = None  # batch id of an active batch with the same file hash
    message: str = ""
    # the rows added, removed and changed, field by field (diff.DIFF_COLUMNS, unmasked: see diff.for_viewer)
    diff: pd.DataFrame = field(default_factory=diffs.empty_diff)
    # the indicators before and after the import (diff.IMPACT_COLUMNS); None when not asked for or not computable
    impact: pd.DataFrame | None = None
    # communities whose registry the upload would cut by more than the allowed share (diff.mass_removals)
    removals: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["community", "removed", "registered"]))
    removal_share: float = 0.10


@dataclass
class BatchResult:
    file_name: str
    sha256: str
    status: str  # "imported" | "duplicate" | "empty" | "failed" | "refused" (removals not confirmed)
    message: str  # a Chinese sentence for the user
    batch_id: int | None = None
    rows_added: int = 0
    rows_changed: int = 0
    rows_removed: int = 0
    rows_rejected: int = 0
    rows_warned: int = 0
    plan: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PLAN_COLUMNS))
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in ("imported", "duplicate")


# ---------------------------------------------------------------------------------------------
# Archive


def archive_dir(override: str | os.PathLike | None = None) -> Path:
    """Where original files are kept by hash: an explicit path, else UNION_DASHBOARD_ARCHIVE, else data/archive."""
    if override:
        return Path(override)
    env = os.environ.get(ARCHIVE_ENV)
    return Path(env) if env else config.DATA_DIR / "archive"


def archive_file(raw: bytes, sha256: str, file_name: str, directory: str | os.PathLike | None = None) -> Path:
    """Keep the uploaded bytes under <archive>/<sha256><suffix>; the user's file name is never a path."""
    return _archive(raw, sha256, file_name, directory)[0]


def _archive(raw: bytes, sha256: str, file_name: str, directory: str | os.PathLike | None) -> tuple[Path, bool]:
    """archive_file, and whether this call wrote the file (False: it was archived before)."""
    suffix = Path(file_name).suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,5}", suffix):
        suffix = ""
    target_dir = archive_dir(directory)
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{sha256}{suffix}"
    if target.exists():
        return target, False
    tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
    try:
        _write_synced(tmp, raw)
        os.replace(tmp, target)  # atomic: a crash never leaves half a file under the final name
    except BaseException:
        # a full disk (or anything else) never leaves <sha>.xlsx.<pid>.tmp behind
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise
    return target, True


def _write_synced(path: Path, data: bytes) -> None:
    """Write `data` to a new file and flush it to the disk, so a full disk fails here (some file
    systems report it only when the data is flushed), never after the batch is stored."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view[: 1 << 20]) :]
        os.fsync(fd)
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------------------------
# Staging


def _table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str, str | None]]:
    if db.dialect_of(con) == pg.DIALECT:
        return pg.table_columns(con, table)
    rows = con.execute(
        "select column_name, data_type, column_default from duckdb_columns() "
        "where schema_name = 'main' and table_name = ? order by column_index",
        [table],
    ).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


def _ledger_frames(parsed: ParsedFile) -> dict[str, pd.DataFrame]:
    """Accepted rows of every sheet, concatenated per ledger in file order (_seq keeps that order)."""
    frames: dict[str, list[pd.DataFrame]] = {}
    for sheet in parsed.ledger_sheets:
        if sheet.frame is None or sheet.frame.empty:
            continue
        frame = sheet.frame.copy()
        if "source_sheet" not in frame.columns:
            frame["source_sheet"] = sheet.sheet
        frames.setdefault(sheet.ledger, []).append(frame)
    out = {}
    for ledger, parts in frames.items():
        frame = pd.concat(parts, ignore_index=True)
        frame["_seq"] = range(len(frame))
        out[ledger] = frame
    return out


def _stage_ledger(con: duckdb.DuckDBPyConnection, ledger: str, frame: pd.DataFrame, street: str, batch_id: int) -> str:
    """Copy a parsed frame into a temp table shaped like the ledger table, cast to its column types."""
    stage = f"stage_{ledger}"
    con.execute(f"create or replace temp table {stage} as select *, 0::bigint as _seq from main.{ledger} limit 0")
    view = f"incoming_{ledger}"
    # As an Arrow table: DuckDB scans Arrow columns as they are, where a pandas frame's columns (string,
    # nullable integer) are converted value by value (3-4x the time of the whole insert).
    try:
        incoming = pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowException, ValueError, TypeError):  # a column Arrow cannot type: DuckDB's pandas scan can
        incoming = frame
    con.register(view, incoming)
    try:
        names, exprs = [], []
        for name, dtype, default in _table_columns(con, ledger):
            names.append(name)
            if name == "batch_id":
                exprs.append("$batch_id")
            elif name == "street":
                exprs.append("$street")
            elif name == "superseded_by" or name not in frame.columns:
                exprs.append(default or "null")
            else:
                value = f'cast(i."{name}" as {dtype})'
                if dtype == "VARCHAR":  # blank text is no text
                    value = f"nullif(trim({value}), '')"
                exprs.append(f"coalesce({value}, {default})" if default else value)
        names.append("_seq")
        exprs.append("i._seq")
        con.execute(
            f"insert into {stage} ({', '.join(names)}) select {', '.join(exprs)} from {view} i",
            {"batch_id": batch_id, "street": street},
        )
    finally:
        con.unregister(view)
    return stage


def _value_columns(con: duckdb.DuckDBPyConnection, ledger: str) -> list[str]:
    skip = set(_OWN_COLUMNS) | set(_SOURCE_COLUMNS)
    return [c for c, _, _ in _table_columns(con, ledger) if c not in skip]


def _drop_duplicate_keys(con: duckdb.DuckDBPyConnection, ledger: str, stage: str, parsed: ParsedFile) -> list[Problem]:
    """Two rows of one upload with the same natural key (in different sheets: the parser handles one sheet):
    as the parser does within a sheet, the first is kept and the later one is rejected with an error."""
    key = KEY_SQL[ledger].format(t="s")
    # The parser has already rejected repeats within a sheet, so there are usually none: a grouping finds
    # that for a fraction of the cost of numbering every row in a window.
    if not con.execute(f"select 1 from {stage} s group by {key} having count(*) > 1 limit 1").fetchone():
        return []
    dups = con.execute(
        f"""
        with keyed as (
            select s._seq, s.source_sheet, s.source_row, {key} as k,
                   first_value(s.source_sheet) over w as kept_sheet, first_value(s.source_row) over w as kept_row,
                   row_number() over w as rn
            from {stage} s
            window w as (partition by {key} order by s._seq)
        )
        select _seq, source_sheet, source_row, kept_sheet, kept_row from keyed where rn > 1 order by _seq
        """
    ).fetchall()
    if not dups:
        return []
    con.execute(f"delete from {stage} where _seq in (select unnest($seqs))", {"seqs": [d[0] for d in dups]})
    problems = []
    for _seq, sheet, row, kept_sheet, kept_row in dups:
        where = f"工作表「{kept_sheet}」第{kept_row}行" if kept_sheet != sheet else f"第{kept_row}行"
        problems.append(
            Problem(
                ERROR,
                f"这一行与{where}是同一条记录（{_key_words(ledger)}相同），本行未导入；如确是两条不同记录，请核对后修改。",
                file=parsed.file_name,
                sheet=sheet,
                row=row,
                ledger=ledger,
            )
        )
    return problems


def _key_words(ledger: str) -> str:
    return {
        "enterprises": "统一社会信用代码或企业名称",
        "wage_agreements": "企业和签订日期",
        "harmonious": "企业和创建年度",
        "aid": "身份证号（或姓名）、活动名称和发放日期",
        "disputes": "案件编号",
    }.get(ledger) or spec.KEY_WORDS[ledger].replace("同一", "")


# ---------------------------------------------------------------------------------------------
# Counting and writing


def _differs(columns: Iterable[str], a: str, b: str) -> str:
    return "(" + " or ".join(f"{a}.{c} is distinct from {b}.{c}" for c in columns) + ")"


def _count_enterprises(con: duckdb.DuckDBPyConnection, stage: str, street: str) -> pd.DataFrame:
    values = [c for c in _value_columns(con, "enterprises") if c != "community"]
    key_new, key_old = KEY_SQL["enterprises"].format(t="n"), KEY_SQL["enterprises"].format(t="o")
    return con.execute(
        f"""
        with n as (select * from {stage}),
        o as (
            select * from v_enterprises
            where street = $street and community in (select distinct community from {stage})
        ),
        pairs as (
            select coalesce(n.community, o.community) as community,
                   n._seq is not null as in_new, o.batch_id is not null as in_old,
                   case when n._seq is not null and o.batch_id is not null then {_differs(values, "n", "o")} end
                       as differs
            from n full outer join o on n.community = o.community and {key_new} = {key_old}
        )
        select community,
               count(*) filter (where in_new and not in_old) as added,
               count(*) filter (where in_new and in_old and differs) as changed,
               count(*) filter (where in_old and not in_new) as removed,
               count(*) filter (where in_new and in_old and not differs) as unchanged
        from pairs group by community order by community
        """,
        {"street": street},
    ).df()


def _live_rows(ledger: str) -> str:
    """Rows of a ledger that are current: from an active batch and not superseded (derived.py keeps `live`)."""
    return f"select x.* from main.{ledger} x where x.live and x.street = $street"


def _count_upserts(con: duckdb.DuckDBPyConnection, ledger: str, stage: str, street: str) -> pd.DataFrame:
    values = _value_columns(con, ledger)
    key_new, key_old = KEY_SQL[ledger].format(t="n"), KEY_SQL[ledger].format(t="o")
    return con.execute(
        f"""
        with o as ({_live_rows(ledger)}),
        pairs as (
            select n._seq, any_value(n.community) as community, count(o.batch_id) > 0 as in_old,
                   coalesce(bool_and({_differs(values, "n", "o")}), false) as differs
            from {stage} n left join o on {key_new} = {key_old}
            group by n._seq
        )
        select community,
               count(*) filter (where not in_old) as added,
               count(*) filter (where in_old and differs) as changed,
               0 as removed,
               count(*) filter (where in_old and not differs) as unchanged
        from pairs group by community order by community
        """,
        {"street": street},
    ).df()


def _write(con: duckdb.DuckDBPyConnection, ledger: str, stage: str, street: str, batch_id: int) -> None:
    columns = [c for c, _, _ in _table_columns(con, ledger)]
    if ledger in UPSERT_LEDGERS:
        key_new, key_old = KEY_SQL[ledger].format(t="n"), KEY_SQL[ledger].format(t=ledger)
        con.execute(
            f"""
            update main.{ledger} set superseded_by = $batch_id
            where live and street = $street and batch_id <> $batch_id
              and {key_old} in (select {key_new} from {stage} n)
            """,
            {"batch_id": batch_id, "street": street},
        )
    cols = ", ".join(columns)
    # A registry row's own enterprise key and an aid row's person key are written with the row
    # (derived.py resolves the other ledgers' enterprise keys).
    own = {"enterprise_key": derived.own_key(stage) if ledger == "enterprises" else "enterprise_key"}
    own["person_key"] = derived.person_key(stage)
    # What derived.after_import will find the new rows to be (their batch is the newest and active), so
    # that its refresh, which writes only the rows whose flag differs from the rule, rarely writes them.
    own["live"] = "true"
    values = ", ".join(own.get(c, c) for c in columns)
    # File order without a sort: the stage was filled in _seq order and DuckDB keeps insertion order
    # (preserve_insertion_order, on by default) when copying it.
    con.execute(f"insert into main.{ledger} ({cols}) select {values} from {stage}")


def _rejected_and_warned(parsed: ParsedFile, extra: list[Problem], frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rejected and warned row counts per ledger and community, attributed through each sheet's rows."""
    cols = ["source_sheet", "source_row", "community"]
    parts = [f[cols] for f in frames.values() if set(cols) <= set(f.columns)]
    located = (
        pd.concat(parts, ignore_index=True).astype({"source_sheet": "string", "source_row": "Int64"})
        if parts
        else pd.DataFrame({c: pd.Series(dtype="string") for c in cols}).astype({"source_row": "Int64"})
    )
    # A sheet's rejected rows go to its community when all its accepted rows share one.
    sheet_ledger = {s.sheet: s.ledger for s in parsed.ledger_sheets}
    counted: list[tuple[str, str, int, int]] = []
    for sheet in parsed.ledger_sheets:
        if sheet.rows_rejected:
            found = located.loc[located["source_sheet"] == sheet.sheet, "community"].dropna().unique()
            community = str(found[0]) if len(found) == 1 else ""
            counted.append((sheet.ledger, community, sheet.rows_rejected, 0))

    def communities_of(rows: list[tuple[str, int]]) -> list[str | None]:
        """Community of each (sheet, row) among the accepted rows; None for rows not stored (a header)."""
        if not rows:
            return []
        wanted = pd.DataFrame(rows, columns=["source_sheet", "source_row"]).astype(
            {"source_sheet": "string", "source_row": "Int64"}
        )
        hit = wanted.merge(located, on=["source_sheet", "source_row"], how="left")
        return [None if pd.isna(c) else str(c) for c in hit["community"]]

    # Rows the loader itself left out (duplicate keys across sheets) are rejected too.
    dropped = [(p.sheet, p.row, p.ledger) for p in extra if p.severity == ERROR and p.row and p.ledger]
    for (_, _, ledger), community in zip(dropped, communities_of([(s, r) for s, r, _ in dropped]), strict=True):
        counted.append((ledger, community or "", 1, 0))
    warned = [(s, r) for s, r in _warned_rows(parsed.all_problems + extra) if s in sheet_ledger]
    for (sheet, _), community in zip(warned, communities_of(warned), strict=True):
        if community is not None:  # only rows that are stored count as "kept with a warning"
            counted.append((sheet_ledger[sheet], community, 0, 1))
    frame = pd.DataFrame(counted, columns=["ledger", "community", "rejected", "warned"])
    return frame.groupby(["ledger", "community"], as_index=False)[["rejected", "warned"]].sum()


def _extra_rejected(extra: list[Problem]) -> int:
    return sum(1 for p in extra if p.severity == ERROR and p.row)


def _warned_rows(problems: list[Problem]) -> set[tuple[str, int]]:
    """Rows kept with at least one warning (rows with an error are rejected, not warned)."""
    errors = {(p.sheet, p.row) for p in problems if p.severity == ERROR and p.row}
    return {
        (p.sheet, p.row)
        for p in problems
        if p.severity == WARNING and p.row and p.sheet and (p.sheet, p.row) not in errors
    }


def _apply(
    con: duckdb.DuckDBPyConnection,
    parsed: ParsedFile,
    street: str,
    batch_id: int,
    *,
    write: bool,
    staged: Callable[[dict[str, str], pd.DataFrame], None] | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Stage, check, count and (when write) store a parsed file. Must run inside a transaction.
    staged(stages, plan), when given, runs after the counts, before anything is written or dropped."""
    frames = _ledger_frames(parsed)
    stages: dict[str, str] = {}
    extra: list[Problem] = []
    for ledger, frame in frames.items():
        stages[ledger] = _stage_ledger(con, ledger, frame, street, batch_id)
        extra.extend(_drop_duplicate_keys(con, ledger, stages[ledger], parsed))
    extra.extend(crossref.check(con, parsed, street, stages))
    parts = []
    for ledger, stage in stages.items():
        counted = (
            _count_enterprises(con, stage, street)
            if ledger == "enterprises"
            else _count_upserts(con, ledger, stage, street)
        )
        counted.insert(0, "ledger", ledger)
        parts.append(counted)
    plan = _merge_plan(parts, _rejected_and_warned(parsed, extra, frames))
    if staged is not None:
        staged(stages, plan)
    if write:
        for ledger, stage in stages.items():
            _write(con, ledger, stage, street, batch_id)
    for stage in stages.values():
        con.execute(f"drop table if exists {stage}")
    return plan, extra


def _merge_plan(parts: list[pd.DataFrame], side: pd.DataFrame) -> pd.DataFrame:
    counted = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=PLAN_COLUMNS[:2])
    if counted.empty:
        counted = pd.DataFrame(columns=["ledger", "community", "added", "changed", "removed", "unchanged"])
    plan = counted.merge(side, on=["ledger", "community"], how="outer")
    for col in ("added", "changed", "removed", "unchanged", "rejected", "warned"):
        plan[col] = plan[col].fillna(0).astype("int64")
    plan["ledger_label"] = plan["ledger"].map(lambda lg: spec.LEDGERS[lg].label)
    order = {name: i for i, name in enumerate(spec.LEDGERS)}
    plan["_o"] = plan["ledger"].map(order)
    plan = plan.sort_values(["_o", "community"]).drop(columns="_o").reset_index(drop=True)
    return plan[PLAN_COLUMNS]


def _active_duplicate(con: duckdb.DuckDBPyConnection, sha256: str) -> tuple[int, object] | None:
    row = con.execute(
        "select batch_id, imported_at from import_batches where sha256 = ? and status = 'active' "
        "order by batch_id desc limit 1",
        [sha256],
    ).fetchone()
    return (int(row[0]), row[1]) if row else None


def _duplicate_message(batch_id: int, imported_at) -> str:
    when = imported_at.strftime("%Y-%m-%d %H:%M") if hasattr(imported_at, "strftime") else str(imported_at)
    return f"这个文件与 {when} 导入的批次 #{batch_id} 完全相同，数据库未作任何更改。"


def _has_rows(parsed: ParsedFile) -> bool:
    return any(s.frame is not None and not s.frame.empty for s in parsed.ledger_sheets)


def _empty_message(parsed: ParsedFile) -> str:
    if parsed.fatal:
        return parsed.fatal
    if not parsed.ledger_sheets:
        return "文件中没有识别出任何台账，数据库未作更改。请使用台账模板，或检查表头是否为台账的列名。"
    return "文件中没有可以导入的行（所有行都有错误或为空），数据库未作更改。请按问题清单修改后重新上传。"


# ---------------------------------------------------------------------------------------------
# Public API


def removal_share(settings: config.Settings | None = None) -> float:
    """The share of a community's registry one upload may remove without an explicit confirmation."""
    settings = settings or config.load_settings()
    return float(settings.raw.get("import", {}).get("max_removal_share", 0.10))


def preview(
    con: duckdb.DuckDBPyConnection,
    parsed: ParsedFile,
    street: str,
    *,
    impact: diffs.ImpactScope | None = None,
    settings: config.Settings | None = None,
) -> Preview:
    """What import_parsed would do, computed in a transaction that is rolled back: the counts, the rows
    added, removed and changed (diff), and, when `impact` says for which year and communities, the
    indicators before and after: the batch is written and made live in that transaction, the real
    indicator functions run over it, and all of it is rolled back."""
    problems = list(parsed.all_problems)
    settings = settings or config.load_settings()
    share = removal_share(settings)
    if parsed.fatal or not _has_rows(parsed):
        side = _rejected_and_warned(parsed, [], {})
        return Preview(_merge_plan([], side), problems, None, _empty_message(parsed), removal_share=share)
    dup = _active_duplicate(con, parsed.sha256)
    if impact is not None and not impact.communities:
        impact = None  # rows of no known community: no community's indicators to show (never the street's)
    found: dict[str, object] = {}
    # writing the batch for the impact is a batch write: never beside an import or an undo (derived.BATCH_WRITES)
    with derived.BATCH_WRITES if impact is not None and not dup else contextlib.nullcontext():
        return _preview(con, parsed, street, impact, settings, problems, share, dup, found)


def _preview(
    con: duckdb.DuckDBPyConnection,
    parsed: ParsedFile,
    street: str,
    impact: diffs.ImpactScope | None,
    settings: config.Settings,
    problems: list[Problem],
    share: float,
    dup: tuple[int, object] | None,
    found: dict[str, object],
) -> Preview:
    con.execute("begin transaction")
    try:
        if impact is not None and not dup:
            derived.lock_batch_writes(con)  # it writes its batch (then rolls back): after other batch writes
        # an id above every batch, so the staged registry is each community's latest, as it would be
        batch_id = int(con.execute("select coalesce(max(batch_id), 0) + 1 from import_batches").fetchone()[0])
        before = diffs.figures(con, impact, street, settings) if impact is not None and not dup else None

        def staged(stages: dict[str, str], plan: pd.DataFrame) -> None:
            found["diff"] = diffs.staged_diff(con, stages, street)
            if before is None:
                return
            for ledger, stage in stages.items():
                _write(con, ledger, stage, street, batch_id)
            con.execute(
                "insert into import_batches (batch_id, file_name, sha256, street) values (?, ?, ?, ?)",
                [batch_id, parsed.file_name, parsed.sha256, street],
            )
            derived.after_import(con, batch_id, stages)
            after = diffs.figures(con, impact, street, settings)
            found["impact"] = diffs.impact_frame(before, after, set(stages))

        plan, extra = _apply(con, parsed, street, batch_id, write=False, staged=staged)
    except BaseException as exc:
        db.rollback_quietly(con)
        if isinstance(exc, Exception) and db.is_disk_full(exc):  # the stage tables spill to disk
            raise DiskFull(DISK_FULL_PREVIEW_MESSAGE, invalidated=db.is_invalidated(exc)) from exc
        raise
    con.execute("rollback")
    message = _duplicate_message(*dup) if dup else ""
    return Preview(
        plan,
        problems + extra,
        dup[0] if dup else None,
        message,
        diff=found.get("diff", diffs.empty_diff()),
        impact=found.get("impact"),
        removals=diffs.mass_removals(plan, share),
        removal_share=share,
    )


def import_parsed(
    con: duckdb.DuckDBPyConnection,
    parsed: ParsedFile,
    *,
    street: str,
    user: str = "local",
    raw: bytes | None = None,
    archive: str | os.PathLike | None = None,
    confirm_removals: bool = True,
) -> BatchResult:
    """Store a parsed file as one batch in one transaction; a failure leaves the database as it was.
    confirm_removals=False: a registry upload removing more than removal_share() of a community's
    enterprises is refused (status "refused"), nothing stored; the caller asks the user and tries again."""
    with derived.BATCH_WRITES:  # never beside another batch write of this process (see there)
        return _import_parsed(con, parsed, street, user, raw, archive, confirm_removals)


def _import_parsed(
    con: duckdb.DuckDBPyConnection,
    parsed: ParsedFile,
    street: str,
    user: str,
    raw: bytes | None,
    archive: str | os.PathLike | None,
    confirm_removals: bool,
) -> BatchResult:
    sha = parsed.sha256 or (hashlib.sha256(raw).hexdigest() if raw is not None else "")
    result = BatchResult(parsed.file_name, sha, "failed", "", problems=list(parsed.all_problems))
    result.rows_rejected = parsed.rows_rejected
    if parsed.fatal or not _has_rows(parsed):
        result.status = "failed" if parsed.fatal else "empty"
        result.message = _empty_message(parsed)
        return result
    dup = _active_duplicate(con, sha)
    if dup:
        result.status, result.batch_id, result.message = "duplicate", dup[0], _duplicate_message(*dup)
        return result
    archived = None  # the archive file this import wrote, removed again when nothing is stored
    if raw is not None:
        try:
            target, wrote = _archive(raw, sha, parsed.file_name, archive)
        except OSError as exc:
            failure = _write_failure(exc)
            if failure is None:
                raise
            raise failure from exc
        archived = target if wrote else None
    committing = False
    con.execute("begin transaction")
    try:
        derived.lock_batch_writes(con)  # after any other process's batch write (PostgreSQL)
        dup = _active_duplicate(con, sha)  # the same file, stored by another process meanwhile
        if dup:
            raise _Duplicate(*dup)
        batch_id = int(con.execute("select nextval('batch_id_seq')").fetchone()[0])
        plan, extra = _apply(con, parsed, street, batch_id, write=True)
        if not confirm_removals:
            share = removal_share()
            removals = diffs.mass_removals(plan, share)
            if not removals.empty:
                raise _Unconfirmed(diffs.removal_message(removals, share))
        warned = int(plan["warned"].sum())
        rejected = parsed.rows_rejected + _extra_rejected(extra)
        con.execute(
            """
            insert into import_batches (batch_id, file_name, sha256, street, ledgers, communities, imported_by,
                                        rows_added, rows_changed, rows_removed, rows_rejected, rows_warned)
            values ($batch_id, $file_name, $sha, $street, $ledgers, $communities, $user,
                    $added, $changed, $removed, $rejected, $warned)
            """,
            {
                "batch_id": batch_id,
                "file_name": parsed.file_name,
                "sha": sha,
                "street": street,
                "ledgers": sorted(set(plan.loc[plan["added"] + plan["changed"] + plan["unchanged"] > 0, "ledger"])),
                "communities": sorted({c for c in plan["community"] if c}),
                "user": user,
                "added": int(plan["added"].sum()),
                "changed": int(plan["changed"].sum()),
                "removed": int(plan["removed"].sum()),
                "rejected": int(rejected),
                "warned": warned,
            },
        )
        _store_parts(con, plan, street, batch_id)
        derived.after_import(con, batch_id, {s.ledger for s in parsed.ledger_sheets} | set(plan["ledger"]))
        _check_stored(con, parsed, plan, extra, batch_id)
        _pause_for_crash_test()
        committing = True
        con.execute("commit")
    except _Duplicate as exc:
        db.rollback_quietly(con)  # (the archived original is the other batch's as well: kept)
        result.status, result.batch_id, result.message = "duplicate", exc.batch_id, _duplicate_message(*exc.args)
        return result
    except _Unconfirmed as exc:
        db.rollback_quietly(con)
        if archived is not None:
            with contextlib.suppress(OSError):
                archived.unlink(missing_ok=True)
        result.status = "refused"
        result.message = f"{exc}本次未导入，数据库未作更改。"
        return result
    except BaseException as exc:
        if committing and isinstance(exc, Exception) and db.is_invalidated(exc):
            # a fatal error at COMMIT: the batch may be durable all the same (see WriteFailed.unsettled)
            batch = _imported(result, batch_id, plan, extra, warned, rejected)
            raise _write_failure(exc, unsettled=batch, archived=archived) from exc
        db.rollback_quietly(con)  # DuckDB has rolled back a failed COMMIT itself
        failure = _write_failure(exc) if isinstance(exc, Exception) else None
        if failure is None:
            raise
        if archived is not None:  # nothing stored: nor is the original kept, on a disk with no room
            with contextlib.suppress(OSError):
                archived.unlink(missing_ok=True)
        raise failure from exc
    return _imported(result, batch_id, plan, extra, warned, rejected)


def _store_parts(con: duckdb.DuckDBPyConnection, plan: pd.DataFrame, street: str, batch_id: int) -> None:
    """What the batch sent per ledger and community (报送情况), in the batch's own transaction: the parts
    that hold rows (as import_batches.ledgers counts them), with their own added/changed/removed."""
    holds = plan["added"] + plan["changed"] + plan["unchanged"] + plan["removed"] > 0
    sent = plan[holds & (plan["community"].fillna("") != "")]
    if sent.empty:
        return
    con.executemany(
        "insert into import_batch_parts (batch_id, ledger, street, community, rows_added, rows_changed, rows_removed)"
        " values (?, ?, ?, ?, ?, ?, ?)",
        [
            [batch_id, r.ledger, street, r.community, int(r.added), int(r.changed), int(r.removed)]
            for r in sent.itertuples(index=False)
        ],
    )


def _imported(
    result: BatchResult, batch_id: int, plan: pd.DataFrame, extra: list[Problem], warned: int, rejected: int
) -> BatchResult:
    result.status, result.batch_id, result.plan = "imported", batch_id, plan
    result.problems = result.problems + extra
    result.rows_added = int(plan["added"].sum())
    result.rows_changed = int(plan["changed"].sum())
    result.rows_removed = int(plan["removed"].sum())
    result.rows_warned = warned
    result.rows_rejected = rejected
    result.message = (
        f"已导入批次 #{batch_id}：新增 {result.rows_added} 行，修改 {result.rows_changed} 行，"
        f"移除 {result.rows_removed} 行，拒收 {result.rows_rejected} 行，{warned} 行有提醒。"
    )
    return result


class _Duplicate(Exception):
    """The file was stored as an active batch by another process while this one waited to write."""

    def __init__(self, batch_id: int, imported_at):
        super().__init__(batch_id, imported_at)
        self.batch_id = batch_id


class _Unconfirmed(Exception):
    """A registry upload removes more enterprises than allowed without a confirmation (the message says so)."""


class WriteFailed(RuntimeError):
    """Storing a batch failed in the disk or the database itself; str(self) is the Chinese message.

    result: None when nothing was stored, else the batch (DuckDB had made it durable before failing).
    invalidated: DuckDB gave up on the database; the connection must be closed, never used again.
    unsettled: the batch, when DuckDB failed at its COMMIT and gave up on the database: a fatal error
    at COMMIT may come after the commit was made durable (measured: "Transaction COMMIT succeeded and is
    durable, but the autocheckpoint failed", and also a bare "Failed to create checkpoint" with the batch
    stored), which only the database opened afresh tells: settle() looks."""

    def __init__(
        self,
        message: str,
        *,
        result: BatchResult | None = None,
        invalidated: bool = False,
        unsettled: BatchResult | None = None,
        archived: Path | None = None,
    ):
        super().__init__(message)
        self.result, self.invalidated, self.unsettled, self.archived = result, invalidated, unsettled, archived


class DiskFull(WriteFailed):
    """The server's disk filled up while a batch was being stored."""


DISK_FULL_MESSAGE = "磁盘空间已满，本次导入未保存任何数据。请清理服务器磁盘后重试。"
DISK_FULL_PREVIEW_MESSAGE = "磁盘空间已满，无法预览这个文件，数据库未作任何更改。请清理服务器磁盘后重试。"
DISK_FULL_STORED_MESSAGE = "磁盘空间已满：本次导入已经保存（{summary}），但数据库需要重新打开，请尽快清理服务器磁盘。"
INVALIDATED_MESSAGE = "数据库写入出错，本次导入未保存任何数据。请稍后重试；如反复出现，请联系管理员。"
INVALIDATED_STORED_MESSAGE = "本次导入已经保存（{summary}），但数据库写入出错、需要重新打开。请联系管理员。"
UNSETTLED_MESSAGE = (
    "{why}，数据库需要重新打开，暂时无法确认本次导入是否已保存。请稍后在“导入记录与撤销”中查看；"
    "如没有这一批，请处理后重新导入。"
)


def _write_failure(exc: BaseException, *, unsettled: BatchResult | None = None, archived: Path | None = None):
    """The WriteFailed to raise for `exc` (a full disk, or DuckDB invalidating the database), else None:
    any other error is raised as it is. With `unsettled`, the message is the one settle() replaces."""
    invalidated = db.is_invalidated(exc)
    kind = DiskFull if db.is_disk_full(exc) else WriteFailed
    if kind is WriteFailed and not invalidated:
        return None
    if unsettled is not None:
        message = _unsettled_message(kind)
    else:
        message = DISK_FULL_MESSAGE if kind is DiskFull else INVALIDATED_MESSAGE
    return kind(message, invalidated=invalidated, unsettled=unsettled, archived=archived)


def _unsettled_message(kind: type) -> str:
    return UNSETTLED_MESSAGE.format(why="磁盘空间已满" if kind is DiskFull else "数据库写入出错")


def settle(failure: WriteFailed, path: str | os.PathLike | None = None, *, wait_seconds: float = 10) -> WriteFailed:
    """`failure` with what really happened to an unsettled batch: the database is opened afresh and
    asked whether the batch is there. Every connection to the invalidated database must be closed first
    (DuckDB hands a new connection the same dead database while one is open); db.connect waits up to
    `wait_seconds` for other page runs to let go. A failure that is settled already is returned as it is."""
    batch = failure.unsettled
    if batch is None:
        return failure
    kind = type(failure)
    try:
        with scope.using(scope.ALL), db.connect(path, wait_seconds=wait_seconds) as con:
            row = con.execute("select status from import_batches where batch_id = ?", [batch.batch_id]).fetchone()
    except (db.DatabaseBusy, duckdb.Error, OSError):
        return kind(_unsettled_message(kind), invalidated=True)
    if row is not None and row[0] == "active":
        summary = batch.message.removesuffix("。")
        template = DISK_FULL_STORED_MESSAGE if kind is DiskFull else INVALIDATED_STORED_MESSAGE
        return kind(template.format(summary=summary), result=batch, invalidated=True)
    if failure.archived is not None:  # nothing stored: nor is the original kept
        with contextlib.suppress(OSError):
            failure.archived.unlink(missing_ok=True)
    return kind(DISK_FULL_MESSAGE if kind is DiskFull else INVALIDATED_MESSAGE, invalidated=True)


class StoredMismatch(RuntimeError):
    """The rows written for a batch are not the rows its summary reports: the batch is rolled back."""


def _check_stored(
    con: duckdb.DuckDBPyConnection, parsed: ParsedFile, plan: pd.DataFrame, extra: list[Problem], batch_id: int
) -> None:
    """In the import's own transaction: every ledger holds exactly the rows the parser accepted (less the
    repeats the loader dropped), which is also what the summary reports (added + changed + unchanged).
    Counted over a required column, so rows stored without their values fail too. The parser's count is
    the reference because the summary is computed from the same stage table the rows are written from."""
    ledgers = {s.ledger for s in parsed.ledger_sheets} | set(plan["ledger"])
    for ledger in sorted(ledgers):
        accepted = sum(len(s.frame) for s in parsed.ledger_sheets if s.ledger == ledger and s.frame is not None)
        accepted -= sum(1 for p in extra if p.severity == ERROR and p.row and p.ledger == ledger)
        group = plan[plan["ledger"] == ledger]
        reported = int((group["added"] + group["changed"] + group["unchanged"]).sum())
        stored = int(
            con.execute(f"select count(community) from main.{ledger} where batch_id = ?", [batch_id]).fetchone()[0]
        )
        if not accepted == reported == stored:
            raise StoredMismatch(
                f"「{spec.LEDGERS[ledger].label}」读取到 {accepted} 行可导入，应写入 {reported} 行，"
                f"实际写入 {stored} 行，本次导入已全部撤回，数据库未作更改。请把文件和这条提示发给系统管理员。"
            )


def _pause_for_crash_test() -> None:
    marker = os.environ.get(PAUSE_ENV)
    if marker:
        Path(marker).write_text("paused", encoding="utf-8")
        time.sleep(60)


def saved_mappings(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    """Hand-made column mappings by header signature, as parse_file takes them: {header: field, "__ledger__": ...}."""
    rows = con.execute("select signature, ledger, mapping from header_mappings").fetchall()
    return {sig: {**json.loads(mapping), "__ledger__": ledger} for sig, ledger, mapping in rows}


def save_mapping(con: duckdb.DuckDBPyConnection, signature: str, ledger: str, mapping: dict[str, str]) -> None:
    """Remember a hand-made mapping {header text: field} for files whose header has this signature."""
    con.execute(
        "insert or replace into header_mappings (signature, ledger, mapping, saved_at) "
        "values (?, ?, ?, current_timestamp)",
        [signature, ledger, json.dumps({k: v for k, v in mapping.items() if k != "__ledger__"}, ensure_ascii=False)],
    )


ProgressFn = Callable[[float, str], None]


def import_files(
    con: duckdb.DuckDBPyConnection,
    paths: Iterable[str | os.PathLike],
    *,
    street: str | None = None,
    community: str | None = None,
    user: str = "local",
    progress: ProgressFn | None = None,
    archive: str | os.PathLike | None = None,
) -> list[BatchResult]:
    """Parse and import files one by one (one batch each); used by the CLI and the first start."""
    from dashboard.ledgers.parse import parse_file  # the parser imports nothing from here

    settings = config.load_settings()
    street = street or settings.street
    paths = [Path(p) for p in paths]
    results = []
    for i, path in enumerate(paths):
        step = 1 / max(len(paths), 1)

        def report(part: float, text: str, i=i, step=step) -> None:
            if progress:
                progress(min(1.0, (i + part) * step), text)

        report(0.0, f"正在读取 {path.name}…")
        try:
            raw = path.read_bytes()
        except OSError:
            results.append(BatchResult(path.name, "", "failed", f"无法读取文件「{path.name}」，请检查路径和权限。"))
            continue
        parsed = parse_file(
            raw, path.name, community=community, street=street, mappings=saved_mappings(con), settings=settings
        )
        report(0.5, f"正在写入 {path.name}…")
        results.append(import_parsed(con, parsed, street=street, user=user, raw=raw, archive=archive))
    if progress:
        progress(1.0, "导入完成")
    return results
