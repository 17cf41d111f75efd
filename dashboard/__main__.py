"""Command line: python -m dashboard metrics|submissions|import|validate|undo|pg-copy ..."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from dashboard import auth, config, db, metrics, plan, scope, spec, streets, submissions
from dashboard.filters import Filters
from dashboard.formatting import fmt_int


def _cmd_metrics(args: argparse.Namespace) -> int:
    as_of = date.fromisoformat(args.as_of) if args.as_of else None
    filters = Filters(year=args.year, as_of=as_of)
    settings = config.load_settings()
    try:
        with scope.using(scope.for_command(args.street)), db.connect(args.db) as con:
            result = metrics.overview(con.cursor(), filters, settings).as_json()
            # 工作计划: one entry per duty keyed by its stable id (names of people masked)
            measures = plan.all_measures(con.cursor(), filters, settings)
            result["plan"] = plan.as_json(measures)
            if args.street and args.street not in auth.known_streets(con, settings):
                print(f"街道「{args.street}」没有数据，请检查街道名称。", file=sys.stderr)
                return 2
            if streets.many_streets(con.cursor(), filters, settings):  # 区: the streets side by side
                result["streets"] = streets.as_json(streets.standing(con.cursor(), filters, settings))
    except db.DatabaseBusy as exc:
        print(str(exc), file=sys.stderr)
        return 3
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for code in config.RATE_INDICATORS:
            r = result[code]
            print(
                f"{code} {metrics.RATE_LABELS[code]}: {r['rate']}%"
                f" ({fmt_int(r['numerator'])}/{fmt_int(r['denominator'])}),"
                f" 目标 {r['target']}%, 还差 {fmt_int(r['gap'])} 家"
            )
        for code in config.COUNT_INDICATORS:
            short = [c for c, n in result[code].items() if n < settings.target(code, args.year)]
            print(f"{code} {metrics.COUNT_LABELS[code]}: 未完成社区 {len(short)} 个 {'、'.join(short)}")
        d1 = result["D1"]
        print("D1 劳动争议: " + "，".join(f"{metrics.D1_LABELS[k]} {fmt_int(d1[k])} 件" for k in metrics.D1_KEYS))
        for m in measures:
            print(
                f"{m.section} {m.title}: {plan.fmt(m, m.actual)} / 目标 {plan.fmt(m, m.target)}，{m.status_label}"
                + (f"；落后 {len(m.behind)} 项" if m.behind else "")
            )
    return 0


def _cmd_submissions(args: argparse.Namespace) -> int:
    """报送情况: the community × ledger × month grid of the plan year and the reminders (--json: one object)."""
    settings = config.load_settings()
    filters = Filters(year=args.year)
    today = args.today or date.today().isoformat()
    try:
        date.fromisoformat(today)
    except ValueError:
        print(f"日期“{args.today}”格式不对，应为 YYYY-MM-DD，例如 2026-11-15。", file=sys.stderr)
        return 2
    within = scope.for_command(args.street, spec.community_key(args.community) if args.community else None)
    try:
        with scope.using(within), db.connect(args.db) as con:
            grid = submissions.grid(con.cursor(), filters, settings, today)
            lines = submissions.reminder_lines(con.cursor(), filters, settings, today)
    except db.DatabaseBusy as exc:
        print(str(exc), file=sys.stderr)
        return 3
    except submissions.SettingsError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.community and grid.empty:
        print(f"社区「{args.community}」没有导入记录，也不在设置的社区名单中，请检查社区名称。", file=sys.stderr)
        return 2
    months = [f"{args.month}月"] if args.month else list(submissions.MONTHS)
    if args.json:
        rows = [
            {
                "community": r["community"],
                "ledger": r["ledger"],
                "ledger_label": r["ledger_label"],
                "cadence": r["cadence_label"],
                "months": {m.removesuffix("月"): r[m] for m in months},
                "overdue": int(r["overdue"]),
            }
            for _, r in grid.iterrows()
        ]
        print(json.dumps({"year": args.year, "today": today, "grid": rows, "reminders": lines}, ensure_ascii=False))
        return 0
    print(f"{args.year}年报送情况（截至 {today}）")
    if grid.empty:
        print("还没有社区，也没有导入记录。")
        return 0
    table = submissions.grid_table(grid)[["社区", "台账", "报送周期", *months, "逾期（期）"]]
    print(table.to_string(index=False))
    print()
    print("催报提醒：" if lines else "催报提醒：各社区各台账均已按期报送。")
    for line in lines:
        print(line)
    return 0


def _cmd_pg_copy(args: argparse.Namespace) -> int:
    """Copy a DuckDB database (a street's data/union.duckdb) into a new PostgreSQL database."""
    from dashboard import pg

    if not pg.is_url(args.to):
        print("--to 须是 PostgreSQL 地址，例如 postgresql://用户@主机/数据库。", file=sys.stderr)
        return 2
    try:
        with scope.using(scope.ALL), db.connect(args.source) as duck, db.connect(args.to) as con:
            if not db.is_empty(con):
                print("目标 PostgreSQL 数据库中已有数据，未复制。请换一个空数据库。", file=sys.stderr)
                return 1
            copied = pg.copy_from_duckdb(duck, con)
    except db.DatabaseBusy as exc:
        print(str(exc), file=sys.stderr)
        return 3
    except Exception as exc:  # a server that refuses the connection, say: said in Chinese, the detail after it
        print(f"复制未完成，PostgreSQL 数据库未改动：{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print("已复制：" + "，".join(f"{table} {fmt_int(n)} 行" for table, n in copied.items() if n))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="工会工作数据看板 命令行")
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("metrics", help="计算全部指标")
    m.add_argument("--year", type=int, required=True)
    m.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD；默认年底，或本年度内的今天")
    m.add_argument("--db", help="数据库文件（默认 data/union.duckdb 或 UNION_DASHBOARD_DB）")
    m.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    m.add_argument("--street", help="只算这个街道（按街道领导的范围读取）；载入多个街道时默认全区，并输出各街道排名")
    m.set_defaults(func=_cmd_metrics)
    s = sub.add_parser("submissions", help="报送情况：各社区各台账逐月报送表和催报提醒")
    s.add_argument("--year", type=int, required=True, help="计划年度")
    s.add_argument("--month", type=int, choices=range(1, 13), metavar="1-12", help="只列这一个月")
    s.add_argument("--community", help="只看这个社区（按社区账号的范围读取）")
    s.add_argument("--street", help="只看这个街道（社区名在多个街道重复时，与 --community 一起用）")
    s.add_argument("--today", help="按哪一天判断逾期，YYYY-MM-DD；默认今天")
    s.add_argument("--db", help="数据库文件（默认 data/union.duckdb 或 UNION_DASHBOARD_DB）")
    s.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    s.set_defaults(func=_cmd_submissions)
    c = sub.add_parser("pg-copy", help="把 DuckDB 数据库文件的全部数据复制到一个空的 PostgreSQL 数据库")
    c.add_argument("--from", dest="source", required=True, help="DuckDB 数据库文件，例如 data/union.duckdb")
    c.add_argument("--to", required=True, help="PostgreSQL 地址，例如 postgresql://union@localhost/union")
    c.set_defaults(func=_cmd_pg_copy)
    try:
        from dashboard.ledgers.cli import add_subcommands
    except ImportError:  # the importer CLI lands separately
        pass
    else:
        add_subcommands(sub)
    from dashboard.auth import add_user_subcommands

    add_user_subcommands(sub)
    from dashboard.report import add_report_subcommand

    add_report_subcommand(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
