"""Benchmark: import a generated 100,000-row enterprises ledger end to end, against two bare reads.

Run: .venv/bin/python bench/bench_import.py [--rows N] [--repeat K]

In one run, on the same file, it times
  import  parse_file (read, find header, normalise, validate) + import_parsed into a fresh DuckDB,
  (a)     pandas.read_excel(engine="openpyxl") of the file alone,
  (b)     a bare python-calamine read of the file (all cell values of the sheet),
and prints import / (b) (target ≤ 2) and (a) / import (target ≥ 5), with peak memory of each step
(tracemalloc peak of Python allocations, measured in separate passes so tracing does not distort the
timings, and the process's max RSS). Results go to bench/results/import.md. Timings are the best of
--repeat runs (openpyxl: one run).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
import xlsxwriter  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402
from stdnum.cn import uscc as cn_uscc  # noqa: E402

from dashboard import config, db  # noqa: E402
from dashboard.ledgers import load  # noqa: E402
from dashboard.ledgers.parse import parse_file  # noqa: E402

COMMUNITIES = ["东风社区", "和平里社区", "向阳社区", "新华社区", "光明社区", "长虹社区", "幸福社区", "建设社区"]
INDUSTRIES = ["制造业", "C", "05", "批发和零售业", "住宿和餐饮业", "09", "信息传输、软件和信息技术服务业"]
STATUS = ["正常经营", "正常", "在营", "停产", "注销", ""]
UNION = ["独立建会", "是", "已建", "联合建会", "未建会", "否", ""]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """A realistic-looking street ledger: title row, unit line, 序号, mixed forms, a 合计 row and a footer."""
    rnd = random.Random(seed)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("企业名录")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, ["示例街道企业名录及建会情况台账"])
    ws.write_row(1, 0, ["填报单位：示例街道总工会", "", "", "", "", "", "", "", "", "", "填报日期：2026年6月30日"])
    header = ["序号", "社区", "企业名称", "统一社会信用代码", "所属行业", "经营状态", "职工人数（人）", "农民工人数",
              "建会情况", "建会时间", "会员人数", "工会主席", "联系电话"]  # fmt: skip
    ws.write_row(2, 0, header)
    total = 0
    for i in range(rows):
        r = 3 + i
        employees = rnd.randint(1, 400)
        total += employees
        body = "91110105" + "".join(rnd.choice(USCC_ALPHABET) for _ in range(9))
        uscc = body + cn_uscc.calc_check_digit(body)  # valid codes: real ledgers mostly have them
        union = rnd.choice(UNION)
        ws.write_number(r, 0, i + 1)
        ws.write_string(r, 1, rnd.choice(COMMUNITIES))
        ws.write_string(r, 2, f"示例{i:06d}有限公司")
        ws.write_string(r, 3, uscc if rnd.random() > 0.05 else "")
        ws.write_string(r, 4, rnd.choice(INDUSTRIES))
        ws.write_string(r, 5, rnd.choice(STATUS))
        if rnd.random() < 0.2:
            ws.write_string(r, 6, f"{employees}人")
        else:
            ws.write_number(r, 6, employees)
        ws.write_number(r, 7, rnd.randint(0, employees))
        ws.write_string(r, 8, union)
        if union not in ("未建会", "否", ""):
            kind = rnd.random()
            if kind < 0.4:
                ws.write_datetime(
                    r, 9, datetime(rnd.randint(2000, 2026), rnd.randint(1, 12), rnd.randint(1, 28)), date_fmt
                )
            elif kind < 0.7:
                ws.write_string(r, 9, f"{rnd.randint(2000, 2026)}.{rnd.randint(1, 12)}.{rnd.randint(1, 28)}")
            else:
                ws.write_string(r, 9, f"{rnd.randint(2000, 2026)}年{rnd.randint(1, 12)}月")
            ws.write_number(r, 10, rnd.randint(0, employees))
            ws.write_string(r, 11, "张" + "三四五六"[rnd.randint(0, 3)])
            ws.write_string(r, 12, f"1{rnd.randint(3000000000, 9999999999)}")
    ws.write_row(3 + rows, 0, ["合计", "", "", "", "", "", total])
    ws.write_row(4 + rows, 0, ["填报人：", "", "", "审核人：", "", "", "填报日期："])
    wb.close()


def timed(fn, repeat: int):
    """(best seconds of `repeat` calls, last result), without tracemalloc slowing Python code down."""
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def peak_mb(fn) -> float:
    """Peak of Python allocations (tracemalloc) during one call."""
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def run(rows: int, repeat: int, trace: bool = True) -> dict:
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        path = tmpdir / "示例街道企业名录.xlsx"
        t0 = time.perf_counter()
        generate(path, rows)
        gen_seconds = time.perf_counter() - t0
        data = path.read_bytes()

        def calamine_read():
            wb = CalamineWorkbook.from_path(str(path))
            return wb.get_sheet_by_index(0).to_python()

        def openpyxl_read():
            return pd.read_excel(path, engine="openpyxl", header=None)

        counter = iter(range(10**6))

        # the upload cap (settings [import] max_upload_mb, 50 MB) refuses a million-row file unread: a bench
        # of the importer raises it to the file's size, as an administrator importing such a file would
        raw = config.load_settings().raw
        cap = max(float(raw.get("import", {}).get("max_upload_mb", 50)), len(data) / 2**20 + 1)
        settings = config.Settings({**raw, "import": {**raw.get("import", {}), "max_upload_mb": cap}})

        def end_to_end():
            parsed = parse_file(data, path.name, settings=settings)
            with db.connect(tmpdir / f"bench{next(counter)}.duckdb") as con:
                result = load.import_parsed(con, parsed, street="示例街道", raw=data, archive=tmpdir / "archive")
            return parsed, result

        b_s, cells = timed(calamine_read, repeat)
        imp_s, (_parsed, result) = timed(end_to_end, repeat)
        a_s, frame = timed(openpyxl_read, 1)  # slow; one run is plenty for a ratio this size
        b_mem, imp_mem, a_mem = (
            (peak_mb(f) for f in (calamine_read, end_to_end, openpyxl_read)) if trace else (float("nan"),) * 3
        )
        return {
            "rows": rows,
            "file_mb": len(data) / 2**20,
            "generate_s": gen_seconds,
            "calamine_s": b_s,
            "calamine_mb": b_mem,
            "openpyxl_s": a_s,
            "openpyxl_mb": a_mem,
            "import_s": imp_s,
            "import_mb": imp_mem,
            "imported_rows": result.rows_added,
            "rejected_rows": result.rows_rejected,
            "status": result.status,
            "cells": len(cells),
            "openpyxl_rows": len(frame),
            "load_before": load_before,
            "load_after": os.getloadavg()[0],
            "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }


def report(r: dict) -> str:
    ratio_b = r["import_s"] / r["calamine_s"]
    ratio_a = r["openpyxl_s"] / r["import_s"]
    ok_b = "达标" if ratio_b <= 2 else "未达标"
    ok_a = "达标" if ratio_a >= 5 else "未达标"
    return "\n".join(
        [
            f"# Import benchmark: {r['rows']:,}-row enterprises ledger",
            "",
            f"- date: {datetime.now():%Y-%m-%d %H:%M}; python {platform.python_version()}; {platform.machine()};"
            f" {os.cpu_count()} CPUs, load average {r['load_before']:.1f} before / {r['load_after']:.1f} after"
            " (a busy machine inflates every timing, the ratios less so)",
            f"- file: {r['rows']:,} rows, {r['file_mb']:.1f} MB .xlsx"
            " (title, unit line, 序号, mixed forms, 5 % without uscc, 合计 row, footer)",
            f"- import result: {r['status']}, {r['imported_rows']:,} rows stored, {r['rejected_rows']:,} rejected",
            "",
            "| step | seconds | tracemalloc peak (MB) |",
            "|---|---:|---:|",
            f"| end-to-end import (parse + load into DuckDB) | {r['import_s']:.2f} | {r['import_mb']:.0f} |",
            f'| (a) pandas.read_excel(engine="openpyxl") | {r["openpyxl_s"]:.2f} | {r["openpyxl_mb"]:.0f} |',
            f"| (b) bare python-calamine read | {r['calamine_s']:.2f} | {r['calamine_mb']:.0f} |",
            "",
            f"- import / (b) = **{ratio_b:.2f}×** (target ≤ 2×: {ok_b})",
            f"- (a) / import = **{ratio_a:.2f}×** faster (target ≥ 5×: {ok_a})",
            f"- process max RSS over the whole run: {r['max_rss_mb']:.0f} MB",
            "",
        ]
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-memory", action="store_true", help="skip the tracemalloc passes (faster)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "import.md"))
    args = ap.parse_args()
    r = run(args.rows, args.repeat, not args.no_memory)
    if r["status"] != "imported" or r["imported_rows"] != args.rows:
        # a ratio over an import that stored nothing (a refused file takes 0.3 s) would read as a pass
        print(f"导入未完成：{r['status']}，写入 {r['imported_rows']:,} 行（应为 {args.rows:,} 行）；不输出比值。")
        return 1
    text = report(r)
    print(text)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
