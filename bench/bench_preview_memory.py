"""Benchmark: the server's memory through a large preview on 数据管理, and after it is given up.

Run: .venv/bin/python bench/bench_preview_memory.py [--rows N] [--keep FILE]

In one process, the 数据管理 page under AppTest (the page code as the server runs it):
  baseline  the page open, nothing uploaded (Streamlit, pandas, DuckDB and the page loaded)
  preview   a generated N-row enterprises ledger (bench_import.generate) uploaded and previewed
  cancel    放弃这个文件 clicked: the preview should be let go (dashboard/ui/previews.py)
  again     a small file uploaded after it (the store holds only that one)
It prints the process's resident memory (VmRSS) after each step and its ratio to the baseline of the
same run, and the peak (VmHWM). Not a test: the numbers depend on the machine; the tests check that
the frames are let go (tests/test_preview_memory.py).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def small_file() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["东风社区企业建会情况台账"])
    ws.append(["序号", "企业名称", "职工人数（人）", "建会情况"])
    ws.append([1, "甲公司", 30, "是"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--keep", help="reuse (or write) the generated workbook at this path")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="preview-mem-"))
    settings = work / "settings.toml"
    settings.write_text("[import]\nmax_upload_mb = 1000\n", encoding="utf-8")  # a 1M-row file is ~60 MB
    os.environ.update(
        UNION_DASHBOARD_DB=str(work / "bench.duckdb"),
        UNION_DASHBOARD_NO_SAMPLE="1",
        UNION_DASHBOARD_ARCHIVE=str(work / "archive"),
        UNION_DASHBOARD_SETTINGS=str(settings),
    )
    from bench_import import generate  # the same generated ledger as the import benchmark
    from streamlit.testing.v1 import AppTest

    from dashboard.ui.data_widgets import TEST_UPLOADS

    try:
        from dashboard.ui import previews
    except ImportError:  # a checkout from before the store (for a before/after comparison)
        previews = None

    path = Path(args.keep) if args.keep else work / "ledger.xlsx"
    if not path.exists():
        started = time.perf_counter()
        generate(path, args.rows)
        size = path.stat().st_size / 2**20
        print(f"generated {args.rows:,} rows ({size:.0f} MB) in {time.perf_counter() - started:.0f} s")
    data = path.read_bytes()
    key = hashlib.sha256(data).hexdigest()[:12]

    at = AppTest.from_file(str(ROOT / "app_pages" / "data.py"), default_timeout=1800)
    at.run()
    gc.collect()
    rows: list[tuple[str, float, float]] = []

    def step(name: str, seconds: float) -> None:
        gc.collect()
        rows.append((name, status_mb("VmRSS"), seconds))

    step("baseline", 0.0)
    at.session_state[TEST_UPLOADS] = [(path.name, data)]
    started = time.perf_counter()
    at.run()
    step("preview", time.perf_counter() - started)
    if at.exception:
        print(at.exception)
        return 1
    kept_rows = (
        sum(e.rows for e in (previews.STORE.peek(*k) for k in previews.STORE.entry_keys()) if e) if previews else None
    )
    peak = status_mb("VmHWM")
    started = time.perf_counter()
    at.button(key=f"data_dismiss_{key}").click().run()
    step("cancel", time.perf_counter() - started)
    after_cancel = len(previews.STORE) if previews else None
    at.session_state[TEST_UPLOADS] = [("small.xlsx", small_file())]
    started = time.perf_counter()
    at.run()
    step("again", time.perf_counter() - started)

    base = rows[0][1]
    print(f"\n{args.rows:,}-row enterprises ledger, {len(data) / 2**20:.0f} MB; peak RSS {peak:,.0f} MB")
    print(f"{'step':<10}{'RSS MB':>10}{'× baseline':>12}{'seconds':>10}")
    for name, rss, seconds in rows:
        print(f"{name:<10}{rss:>10,.0f}{rss / base:>12.2f}{seconds:>10.1f}")
    if previews:
        print(f"store: {kept_rows:,} rows kept during the preview, {after_cancel} entries after cancel")
    return 0


if __name__ == "__main__":
    sys.exit(main())
