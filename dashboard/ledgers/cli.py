"""The importer's command line: `validate FILE...`, `import FILE...` and `undo [BATCH]` (registered by
dashboard.__main__).

validate exits 0 when no row is rejected, 1 when some are, 2 when a file cannot be read at all.
import exits 0 when everything was stored, 1 when rows were rejected (the rest is stored), 2 when a
file could not be read, 3 when the database stayed locked by another program, 4 when the disk was full
(the files after that one are not tried), 5 when a registry file would remove more than the allowed share
of a community's enterprises and --confirm-removals was not given (that file is not imported).
undo exits 0 when the batch was undone, 1 when it cannot be (unknown, undone already, or a later batch
updated its rows), 3 when the database stayed locked.

validate also prints what each file would change (rows added, removed and changed, field by field, and the
indicators of the file's communities before and after) when the database exists.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from datetime import date
from pathlib import Path

from dashboard import config, db, pg, privileged, spec
from dashboard.ledgers import diff, load
from dashboard.ledgers.model import ERROR, ParsedFile, Problem

SEVERITY_LABELS = {"error": "错误", "warning": "提醒"}

EXIT_OK, EXIT_REJECTED, EXIT_UNREADABLE, EXIT_BUSY, EXIT_DISK_FULL, EXIT_REMOVALS = 0, 1, 2, 3, 4, 5


def add_subcommands(subparsers) -> None:
    v = subparsers.add_parser("validate", help="检查台账文件，列出问题，不写入数据库")
    v.add_argument("files", nargs="+", metavar="FILE")
    v.add_argument("--json", action="store_true", help="输出 JSON")
    v.add_argument("--community", help="文件所属社区（文件中没有社区列、标题也没写明时使用）")
    v.add_argument("--street", help="街道名称（默认取设置中的街道）")
    v.add_argument("--db", help="数据库文件，用于跨台账核对（默认 data/union.duckdb；不存在则跳过核对）")
    v.add_argument("--year", type=int, help="计算对指标的影响时用的计划年度（默认今年）")
    v.set_defaults(func=cmd_validate)

    i = subparsers.add_parser("import", help="导入台账文件（每个文件一个批次）")
    i.add_argument("files", nargs="+", metavar="FILE")
    i.add_argument("--db", help="数据库文件（默认 data/union.duckdb 或 UNION_DASHBOARD_DB）")
    i.add_argument("--community", help="文件所属社区（文件中没有社区列、标题也没写明时使用）")
    i.add_argument("--street", help="街道名称（默认取设置中的街道）")
    i.add_argument("--user", default="local", help="记录在导入批次中的操作人")
    i.add_argument("--wait", type=float, default=20.0, help="数据库被占用时最多等待的秒数（默认 20）")
    i.add_argument(
        "--confirm-removals",
        action="store_true",
        help="确认企业名录一次移除较多企业（超过设置中的比例）时照常导入",
    )
    i.set_defaults(func=cmd_import)

    u = subparsers.add_parser("undo", help="撤销一个导入批次（默认撤销最近一个未撤销的批次）")
    u.add_argument("batch", nargs="?", type=int, metavar="BATCH", help="批次号，例如 12；不写则撤销最近一个批次")
    u.add_argument("--db", help="数据库文件（默认 data/union.duckdb 或 UNION_DASHBOARD_DB）")
    u.add_argument("--user", default="local", help="记录在批次和审计日志中的操作人")
    u.add_argument("--wait", type=float, default=20.0, help="数据库被占用时最多等待的秒数（默认 20）")
    u.set_defaults(func=cmd_undo)


def format_problem(p: Problem) -> str:
    where = p.where()
    return f"[{SEVERITY_LABELS.get(p.severity, p.severity)}] {where + '：' if where else ''}{p.message}"


def _parse(path: Path, args: argparse.Namespace, mappings: dict | None) -> tuple[ParsedFile, bytes | None]:
    from dashboard.ledgers.parse import parse_file

    try:
        raw = path.read_bytes()
    except OSError:
        return ParsedFile(path.name, "", fatal=f"无法读取文件「{path}」：文件不存在或没有读取权限。"), None
    settings = config.load_settings()
    street = args.street or settings.street
    parsed = parse_file(raw, path.name, community=args.community, street=street, mappings=mappings, settings=settings)
    return parsed, raw


def _sheet_lines(parsed: ParsedFile) -> list[str]:
    lines = []
    for s in parsed.sheets:
        if s.ledger:
            label = spec.LEDGERS[s.ledger].label
            lines.append(f"  工作表「{s.sheet}」：{label}，读取 {s.rows_read} 行，拒收 {s.rows_rejected} 行")
        else:
            lines.append(f"  工作表「{s.sheet}」：{s.note or '已跳过。'}")
    return lines


def _summary(parsed: ParsedFile, problems: list[Problem], found: load.Preview | None = None) -> dict:
    return {
        "file": parsed.file_name,
        "sha256": parsed.sha256,
        "fatal": parsed.fatal,
        "rows_rejected": parsed.rows_rejected,
        "sheets": [
            {
                "sheet": s.sheet,
                "ledger": s.ledger,
                "rows_read": s.rows_read,
                "rows_rejected": s.rows_rejected,
                "note": s.note,
                "community_source": s.community_source,
            }
            for s in parsed.sheets
        ],
        "notes": _read_notes(parsed),
        "problem_groups": [
            {
                "severity": g.severity,
                "sheet": g.sheet,
                "column": g.column,
                "kind": g.kind,
                "count": g.count,
                "examples": [p.as_dict() for p in g.examples],
            }
            for g in _groups(problems)
        ],
        "problems": [p.as_dict() for p in problems],
        # added / removed / changed (with each field's old and new value) and the indicator impact;
        # null without a database to compare with
        "changes": _changes_json(found),
    }


def _read_notes(parsed: ParsedFile) -> list[str]:
    from dashboard.ledgers.parse import read_notes

    return read_notes(parsed)


def _groups(problems: list[Problem]) -> list:
    from dashboard.ledgers.validate import group_problems

    return group_problems(problems)


def _exit_code(parsed_files: list[ParsedFile]) -> int:
    if any(p.fatal for p in parsed_files):
        return EXIT_UNREADABLE
    if any(p.rows_rejected or any(x.severity == ERROR and x.row is None for x in p.all_problems) for p in parsed_files):
        return EXIT_REJECTED
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    street = args.street or config.load_settings().street
    db_file = config.db_path(args.db)
    results: list[tuple[ParsedFile, list[Problem], load.Preview | None]] = []
    note = None
    year = args.year or date.today().year
    with contextlib.ExitStack() as stack:
        con = None
        if pg.is_url(db_file) or (str(db_file) != ":memory:" and db_file.exists()):
            try:
                con = stack.enter_context(db.connect(db_file, wait_seconds=5))
            except db.DatabaseBusy as exc:
                note = f"{exc}（本次未做跨台账核对）"
        mappings = load.saved_mappings(con) if con else None
        for name in args.files:
            parsed, _ = _parse(Path(name), args, mappings)
            found = None
            if con:
                where = diff.ImpactScope(year, None, tuple(privileged.communities_in(parsed)))
                found = load.preview(con, parsed, street, impact=where)
                found.diff = diff.for_viewer(found.diff)  # the command line always masks personal data
            results.append((parsed, found.problems if found else parsed.all_problems, found))
    if args.json:
        print(json.dumps([_summary(p, probs, found) for p, probs, found in results], ensure_ascii=False, indent=1))
    else:
        if note:
            print(note, file=sys.stderr)
        for parsed, problems, found in results:
            _print_file(parsed, problems)
            if found is not None and not parsed.fatal:
                _print_changes(found, year)
    return _exit_code([p for p, _, _ in results])


def _changes_json(found: load.Preview | None) -> dict | None:
    if found is None:
        return None
    return {
        **diff.as_json(found.diff),
        "impact": diff.impact_json(found.impact) if found.impact is not None else None,
        "mass_removals": found.removals.to_dict("records"),
    }


def _print_changes(found: load.Preview, year: int) -> None:
    shown = diff.records(found.diff)
    counts = {word: int((shown["变化"] == word).sum()) for word in diff.CHANGE_LABELS.values()}
    print(f"  导入后将新增 {counts['新增']} 行、移除 {counts['移除']} 行、修改 {counts['修改']} 行：")
    for r in shown.itertuples():
        what = f"：{r.修改内容}" if r.修改内容 else ""
        detail = f"（{r.说明}）" if r.说明 else ""
        print(f"  [{r.变化}] {r.台账} {r.社区} {r.名称}{detail}{what}")
    if found.impact is not None and not found.impact.empty:
        print(f"  对指标的影响（{year} 年，本文件涉及的社区）：")
        table = diff.impact_table(found.impact)
        for r in table.itertuples():
            print(f"  {r.指标}：{r.导入前} → {r.导入后}（{r.变化}）")
    if not found.removals.empty:
        print("  注意：" + diff.removal_message(found.removals, found.removal_share))
        print("  导入时需加 --confirm-removals。")


def _print_file(parsed: ParsedFile, problems: list[Problem]) -> None:
    print(f"文件「{parsed.file_name}」")
    if parsed.fatal:
        print(f"  无法读取：{parsed.fatal}")
        return
    for line in _sheet_lines(parsed):
        print(line)
    from dashboard.ledgers import parse, validate

    for note in parse.read_notes(parsed):
        print("  " + note)
    errors = sum(1 for p in problems if p.severity == ERROR)
    print(f"  共 {len(problems)} 个问题（错误 {errors} 个，提醒 {len(problems) - errors} 个），按类别：")
    for g in validate.group_problems(problems):
        where = "".join(x for x in (f"工作表「{g.sheet}」" if g.sheet else "", f"「{g.column}」列" if g.column else ""))
        print(f"  [{'错误' if g.severity == ERROR else '提醒'}] {where}{g.kind} —— 共 {g.count} 处，例如：")
        for p in g.examples:
            print("      " + format_problem(p))
    if len(problems) > 0:
        print("  完整清单见 --json 输出，或数据页“下载标注了问题的原表”与“下载问题清单”。")


def cmd_import(args: argparse.Namespace) -> int:
    settings = config.load_settings()
    street = args.street or settings.street
    try:
        with db.connect(args.db, wait_seconds=args.wait) as con:
            mappings = load.saved_mappings(con)
            parsed_files = []
            failed = refused = False
            stopped = None
            for name in args.files:
                path = Path(name)
                print(f"正在导入 {path.name}…", file=sys.stderr)
                parsed, raw = _parse(path, args, mappings)
                parsed_files.append(parsed)
                try:
                    result = load.import_parsed(
                        con, parsed, street=street, user=args.user, raw=raw, confirm_removals=args.confirm_removals
                    )
                except load.WriteFailed as exc:  # a full disk, or DuckDB gave up on the database
                    stopped = (path, exc)
                    break  # the connection may be invalidated: never used again, nor the full disk
                except Exception as exc:  # the transaction was rolled back; say so instead of a traceback
                    print(f"导入「{path.name}」时出错，这个文件没有写入任何数据：{exc}", file=sys.stderr)
                    failed = True
                    continue
                _print_file(parsed, result.problems)
                print(f"  {result.message}")
                if result.status == "refused":
                    print("  如确认无误，请加 --confirm-removals 重新运行。")
                    refused = True
    except db.DatabaseBusy as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BUSY
    if stopped is not None:
        path, failure = stopped
        failure = load.settle(failure, args.db)  # the connection is closed now: ask the file opened afresh
        print(f"导入「{path.name}」：{failure}", file=sys.stderr)
        _not_tried(args.files, str(path))
        return EXIT_DISK_FULL if isinstance(failure, load.DiskFull) else EXIT_UNREADABLE
    if failed:
        return EXIT_UNREADABLE
    return EXIT_REMOVALS if refused else _exit_code(parsed_files)


def _not_tried(files: list[str], failed: str) -> None:
    rest = files[files.index(failed) + 1 :]
    if rest:
        names = "、".join(f"「{Path(n).name}」" for n in rest)
        print(f"其余文件 {names} 没有导入，请处理上面的问题后重新运行。", file=sys.stderr)


def cmd_undo(args: argparse.Namespace) -> int:
    """Undo one batch (the newest active one without a number), in one transaction, and record it in the
    audit log as the data page's undo is."""
    from dashboard import audit, scope
    from dashboard.ledgers import undo

    try:
        with scope.using(scope.ALL), db.connect(args.db, wait_seconds=args.wait) as con:
            batch = args.batch
            if batch is None:
                row = con.execute("select max(batch_id) from import_batches where status = 'active'").fetchone()
                if row[0] is None:
                    print("没有可以撤销的导入批次。", file=sys.stderr)
                    return EXIT_REJECTED
                batch = int(row[0])
            try:
                message = undo.undo_batch(con, batch, args.user)
            except undo.UndoRefused as exc:
                print(str(exc), file=sys.stderr)
                return EXIT_REJECTED
            name = con.execute("select file_name from import_batches where batch_id = ?", [batch]).fetchone()[0]
            audit.record(con, args.user, "undo", f"#{batch} {name}（命令行）")
    except db.DatabaseBusy as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BUSY
    print(message)
    return EXIT_OK
