"""Benchmark: every page function on DuckDB and on PostgreSQL, the same data, one run.

Run: .venv/bin/python bench/bench_engines.py [street|district] [--repeat K]

The data is bench/generate.py's scale (built on first use under --data) in DuckDB, copied into a
PostgreSQL database of a throwaway cluster (tests/pg.py: needs the server binaries, see scripts/setup.sh).
Each function of tests/test_pg_parity.py's list runs under the plan-year filters, the best of --repeat
runs per engine (after one untimed run each, which pays PostgreSQL's query translation), and prints its
time on both and the ratio PostgreSQL / DuckDB, then the sums. Both engines run on this machine: the ratio
is between them, measured in the same run, not a figure for a tuned server.
"""

from __future__ import annotations

import argparse
import inspect
import os
import sys
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import generate
from dashboard import config, db, pg
from dashboard.filters import Filters
from tests import pg as test_pg
from tests.test_pg_parity import EXTRA, page_functions


def _call(fn, cur, filters, settings):
    params = inspect.signature(fn).parameters
    extra = {k: EXTRA[k] for k in params if k in EXTRA}
    if "settings" in params:
        extra["settings"] = settings
    return fn(cur, filters, **extra)


def _best(fn, con, filters, settings, repeat: int) -> float:
    _call(fn, con.cursor(), filters, settings)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        _call(fn, con.cursor(), filters, settings)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("scale", nargs="?", default="street", choices=["street", "district"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    parser.add_argument("--data", type=Path, default=Path("/tmp/union-bench-engines"), help="generated data")
    args = parser.parse_args()
    path = generate.ensure(args.scale, args.data)
    url = test_pg.cluster().new_database()
    start = time.perf_counter()
    with db.connect(url) as con, db.connect(path) as duck:
        copied = pg.copy_from_duckdb(duck, con)
        con.execute("analyze")
    print(f"copied {sum(copied.values()):,} rows to PostgreSQL in {time.perf_counter() - start:.1f} s")
    settings = config.load_settings()
    filters = Filters(year=2026, as_of=date(2026, 11, 20))
    lines = [
        f"# Every page function, DuckDB against PostgreSQL, {args.scale} scale",
        "",
        f"Run {datetime.now():%Y-%m-%d %H:%M}, load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores;"
        f" best of {args.repeat} after a warm-up; PostgreSQL 15 on a unix socket of the same machine.",
        "",
        "| function | DuckDB ms | PostgreSQL ms | PostgreSQL / DuckDB |",
        "|---|---:|---:|---:|",
    ]
    total_duck = total_pg = 0.0
    with db.connect(path) as duck, db.connect(url) as con:
        for param in page_functions():
            fn = param.values[0]
            a = _best(fn, duck, filters, settings, args.repeat)
            b = _best(fn, con, filters, settings, args.repeat)
            total_duck, total_pg = total_duck + a, total_pg + b
            line = f"| {param.id} | {a * 1000:.0f} | {b * 1000:.0f} | {b / a:.2f} |"
            print(line, flush=True)
            lines.append(line)
    n = len(page_functions())
    summary = f"| **all {n}** | {total_duck * 1000:.0f} | {total_pg * 1000:.0f} | {total_pg / total_duck:.2f} |"
    print(summary)
    lines.append(summary)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"engines-{args.scale}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
