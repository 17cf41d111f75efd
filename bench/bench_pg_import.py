"""Benchmark: the importer and undo on PostgreSQL against DuckDB, the same parsed files, one run.

Run: .venv/bin/python bench/bench_pg_import.py [--rows N] [--repeat K]

Two workloads, each parsed once (parsing is the same code on both engines and not timed):
  sample    the sample street's 15 ledger files (data/sample), imported one batch each, then every batch
            undone, newest first;
  registry  bench/bench_import.py's generated registry of --rows enterprises, one batch, then undone.
Each into a fresh DuckDB file and a fresh database of a throwaway PostgreSQL cluster (tests/pg.py: needs
the server binaries, see scripts/setup.sh), best of --repeat runs. Prints seconds on both and the ratio
PostgreSQL / DuckDB; results go to bench/results/pg-import.md. Both engines run on this machine: the ratio
is between them in the same run, not a figure for a tuned server.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_import import generate
from dashboard import config, db, scope
from dashboard.ledgers import load, undo
from dashboard.ledgers.parse import parse_file
from dashboard.sample import sample_files
from tests import pg as test_pg


def _run(target, parsed_files, street: str) -> tuple[float, float]:
    """(seconds to import every file, seconds to undo every batch) into `target`, which is empty."""
    with scope.using(scope.ALL), db.connect(target) as con:
        start = time.perf_counter()
        ids = [load.import_parsed(con, p, street=street).batch_id for p in parsed_files]
        imported = time.perf_counter() - start
        start = time.perf_counter()
        for batch in reversed(ids):
            undo.undo_batch(con, batch, "bench")
        undone = time.perf_counter() - start
    return imported, undone


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args()
    street = config.load_settings().street
    cluster = test_pg.cluster()
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        registry = tmpdir / "registry.xlsx"
        generate(registry, args.rows)
        workloads = {
            "sample (15 files)": [parse_file(f.read_bytes(), f.name, street=street) for f in sample_files()],
            f"registry ({args.rows:,} rows)": [parse_file(registry.read_bytes(), registry.name, street=street)],
        }
        for label, parsed_files in workloads.items():
            best = {"duckdb": [float("inf")] * 2, "postgres": [float("inf")] * 2}
            for k in range(args.repeat):
                for engine, target in (("duckdb", tmpdir / f"{k}-{len(lines)}.duckdb"), ("postgres", None)):
                    target = target if target is not None else cluster.new_database()
                    times = _run(target, parsed_files, street)
                    best[engine] = [min(a, b) for a, b in zip(best[engine], times, strict=True)]
            for i, step in enumerate(("import", "undo")):
                d, p = best["duckdb"][i], best["postgres"][i]
                line = f"| {label} | {step} | {d:.2f} | {p:.2f} | {p / d:.2f} |"
                print(line, flush=True)
                lines.append(line)
    load_avg = os.getloadavg()[0]
    report = "\n".join(
        [
            "# The importer and undo, PostgreSQL against DuckDB (bench/bench_pg_import.py)",
            "",
            f"{datetime.now():%Y-%m-%d %H:%M}, {platform.machine()}, {os.cpu_count()} cores, load {load_avg:.1f};"
            f" best of {args.repeat}; parsing not timed.",
            "",
            "| workload | step | DuckDB s | PostgreSQL s | PostgreSQL / DuckDB |",
            "|---|---|---:|---:|---:|",
            *lines,
            "",
        ]
    )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "pg-import.md").write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
