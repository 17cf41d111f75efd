"""Benchmark: the Excel download of the district's aid rows, against the CSV of the same rows (issue 21).

Run: .venv/bin/python bench/bench_export.py [--out DIR] [--repeat N] [--code DIR]

The rows are the 帮扶救助 page's full download: every aid row of plan year 2026 to 2026-11-20 on the
district database (bench/generate.py district: 306,075 rows x 14 columns), fetched as the page's
"准备下载" fetches them (aid.list_page without a limit) and prepared as its download is (for_display:
masking, dates, Chinese headers). Each measurement runs in a fresh process: fetch and prepare, then time
dashboard.export.to_csv_bytes (the baseline) or to_excel_bytes alone. Memory: the process's peak
resident memory while writing (VmHWM, reset once the rows are prepared), beside what it held before
writing and its peak while fetching them (DuckDB's query and the Arrow result: before any writer runs). CSV and
Excel alternate, `--repeat` times each; the best time and the highest peak are reported, with the
load average (the machine is shared). `--code DIR` runs another tree's dashboard package (e.g. a
checkout of an older commit) on the same rows: "before" figures of the same run.
Target (issue 21): Excel <= 8 s and <= 400 MB peak (taken here as the peak while writing); the ratio
Excel / CSV printed beside it.
Results go to bench/results/export.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS, TARGET_MB = 8.0, 400
PLAN_YEAR, AS_OF = 2026, "2026-11-20"  # as bench/generate.py (not imported in a child: it puts this tree first)


def _status_mb(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> None:
    """Linux: start the process's peak resident memory (VmHWM) again from what it holds now."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
        refs.write("5")


def child(kind: str, db_path: str, code: Path) -> None:
    """One measurement in this process: fetch and prepare the rows, then write them once as `kind`."""
    sys.path.insert(0, str(code))
    os.environ["UNION_DASHBOARD_DB"] = db_path
    os.environ["UNION_DASHBOARD_NO_SAMPLE"] = "1"
    from datetime import date

    from dashboard import aid, config, db, export, scope
    from dashboard.filters import Filters

    settings = config.load_settings()
    filters = Filters(year=PLAN_YEAR, as_of=date.fromisoformat(AS_OF))  # bench/generate.py's
    with scope.using(scope.ALL), db.connect() as con:
        rows = aid.list_page(con.cursor(), filters, settings).frame.drop(columns=["month"])
    frame = aid.for_display(rows)  # masked, dates, headers: what the download holds
    del rows
    held = _status_mb("VmRSS")
    fetch_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    _reset_peak()
    start, cpu = time.perf_counter(), time.process_time()
    data = export.to_csv_bytes(frame) if kind == "csv" else export.to_excel_bytes({"帮扶发放明细_2026": frame})
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = _status_mb("VmHWM")  # since _reset_peak: while writing
    print(
        json.dumps(
            {"kind": kind, "seconds": seconds, "cpu": cpu, "peak_mb": peak, "held_mb": held, "bytes": len(data)}
            | {"fetch_peak_mb": fetch_peak}
            | {"rows": len(frame), "columns": len(frame.columns)}
        )
    )


def measure(kind: str, db_path: Path, code: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--db", str(db_path), "--code", str(code)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/union-bench"), help="directory of the database")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--code", type=Path, default=ROOT, help="tree whose dashboard package writes the files")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--child", choices=["csv", "xlsx"], help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.db, args.code)
        return 0

    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import generate

    path = generate.ensure("district", args.out)
    before = _load()
    runs: dict[str, list[dict]] = {"csv": [], "xlsx": []}
    for _ in range(args.repeat):
        for kind in ("csv", "xlsx"):
            runs[kind].append(measure(kind, path, args.code.resolve()))
    after = _load()
    best = {k: min(v, key=lambda r: r["seconds"]) for k, v in runs.items()}
    peak = {k: max(r["peak_mb"] for r in v) for k, v in runs.items()}
    csv, xlsx = best["csv"], best["xlsx"]
    code = "this tree" if args.code.resolve() == ROOT else str(args.code)
    lines = [
        "# Export benchmark (district aid rows)",
        "",
        f"- date: {datetime.now():%Y-%m-%d %H:%M}; python {platform.python_version()}; {platform.machine()}, "
        f"{os.cpu_count()} cores; code: {code}",
        f"- rows: {xlsx['rows']:,} x {xlsx['columns']} columns (the 帮扶救助 page's full download, masked)",
        f"- a fresh process per run, {args.repeat} runs of each, alternating; best time, highest peak",
        f"- load average before: {before}; after: {after}",
        "",
        "| file | seconds (best) | all runs s | CPU s (best run) | size MB | peak while writing MB "
        "| held before writing MB | peak fetching the rows MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, label in (("csv", "CSV (baseline)"), ("xlsx", "Excel")):
        r = best[kind]
        every = ", ".join(f"{x['seconds']:.1f}" for x in runs[kind])
        lines.append(
            f"| {label} | {r['seconds']:.2f} | {every} | {r['cpu']:.2f} | {r['bytes'] / 1e6:.1f} | {peak[kind]:.0f} | "
            f"{r['held_mb']:.0f} | {max(x['fetch_peak_mb'] for x in runs[kind]):.0f} |"
        )
    lines += [
        "",
        f"Excel / CSV time: {xlsx['seconds'] / csv['seconds']:.2f}; Excel {xlsx['seconds']:.2f} s against the "
        f"target {TARGET_SECONDS:.0f} s, peak {peak['xlsx']:.0f} MB against {TARGET_MB} MB "
        f"({'met' if xlsx['seconds'] <= TARGET_SECONDS and peak['xlsx'] <= TARGET_MB else 'not met'}).",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.code.resolve() == ROOT:
        args.results.mkdir(parents=True, exist_ok=True)
        (args.results / "export.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
