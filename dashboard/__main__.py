"""Command line: python -m dashboard metrics|import|validate ..."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from dashboard import config, db, metrics, plan
from dashboard.filters import Filters
from dashboard.formatting import fmt_int


def _cmd_metrics(args: argparse.Namespace) -> int:
    as_of = date.fromisoformat(args.as_of) if args.as_of else None
    filters = Filters(year=args.year, as_of=as_of)
    settings = config.load_settings()
    try:
        with db.connect(args.db) as con:
            result = metrics.overview(con.cursor(), filters, settings).as_json()
            # 工作计划: one entry per duty keyed by its stable id (names of people masked)
            measures = plan.all_measures(con.cursor(), filters, settings)
            result["plan"] = plan.as_json(measures)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="工会工作数据看板 命令行")
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("metrics", help="计算全部指标")
    m.add_argument("--year", type=int, required=True)
    m.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD；默认年底，或本年度内的今天")
    m.add_argument("--db", help="数据库文件（默认 data/union.duckdb 或 UNION_DASHBOARD_DB）")
    m.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    m.set_defaults(func=_cmd_metrics)
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
