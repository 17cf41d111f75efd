"""Benchmark: cold start of the dashboard to a finished first page, against a one-line Streamlit app (issue 21).

Run: .venv/bin/python bench/bench_cold_start.py [--scale street|district] [--repeat N] [--out DIR]

Each run starts `streamlit run` from nothing on a free port (a new Python process: nothing imported,
nothing cached) and times, from the start of the process:
- "server up": the first answer of /_stcore/health (Streamlit imported, the server listening);
- "script done": the page's marker text is there and the script run has finished (the browser still
  drawing what it was sent);
- "page done": Debian's chromium (launched before the clock starts, so its own start is not counted)
  has loaded the page, the script has finished (`data-test-script-state="notRunning"`), the page's
  marker text is there, no spinner is left and every Plotly chart has drawn its SVG.
The dashboard opens 总览 (its first page) on the generated database of `--scale` (bench/generate.py;
plan year 2026, as of 2026-11-20; the sample import off); the baseline is a one-line app
(`st.write("你好")`) started and loaded the same way, in the same run. Runs alternate app / baseline,
`--repeat` times each; the medians and the best are printed with their ratios and the load average.
Bytecode: Python writes each module's .pyc on a deployment's first start and reads it on every later
one; a shell with PYTHONDONTWRITEBYTECODE set (this workplace's) never does, and every start compiled the
dashboard's modules again (~0.75 s of a first run at load 13). The servers run without that variable,
after one `compileall` of dashboard/ before the first run, as a deployment's second start would.
Target: dashboard / one-line app <= 1.5. Results go to bench/results/cold-start-<scale>.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402

TARGET = 1.5
APP_MARKER = "25人以上企业独立建会率"  # the overview's first card
HELLO_MARKER = "你好"
# the page is done: connected, the script finished, no spinner and no placeholder of an element still
# loading its code (a Plotly chart shows one until plotly.js is in), every chart drawn
DONE_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute("data-test-connection-state") !== "CONNECTED") return false;
  if (app.getAttribute("data-test-script-state") !== "notRunning") return false;
  const waiting = "[data-testid='stSpinner'], [data-testid='stSkeleton'], [data-testid='stAppSkeleton']";
  if (document.querySelector(waiting)) return false;
  for (const chart of document.querySelectorAll("[data-testid='stPlotlyChart']")) {
    if (!chart.querySelector("svg.main-svg")) return false;
  }
  return true;
}"""


def _wait_health(port: int, proc: subprocess.Popen, deadline: float) -> None:
    url = f"http://127.0.0.1:{port}/_stcore/health"
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        if time.monotonic() > deadline:
            raise TimeoutError("the server did not come up")
        time.sleep(0.02)


def one_run(browser, script: Path, env: dict, marker: str, log: Path) -> dict:
    """Seconds from starting `streamlit run script` to the server answering, and to the page done."""
    from tests.browser import free_port

    port = free_port()
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    with open(log, "w", encoding="utf-8") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            _wait_health(port, proc, time.monotonic() + 180)
            up = time.perf_counter() - start
            page.goto(f"http://127.0.0.1:{port}/?year={generate.PLAN_YEAR}&as_of={generate.AS_OF}")
            page.wait_for_selector(f"text={marker}", timeout=180_000)
            page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=180_000)
            script = time.perf_counter() - start
            page.wait_for_function(DONE_JS, timeout=180_000, polling=50)
            done = time.perf_counter() - start
        finally:
            page.close()
            proc.terminate()
            proc.wait(15)
    return {"up": up, "script": script, "done": done}


def run(scale: str, repeat: int, out_dir: Path) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    db_path = generate.ensure(scale, out_dir)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # see the docstring
    env |= {"UNION_DASHBOARD_DB": str(db_path), "UNION_DASHBOARD_NO_SAMPLE": "1"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "dashboard")], check=True, env=env)
    runs: dict[str, list[dict]] = {"app": [], "hello": []}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        hello = Path(tmp) / "hello.py"
        hello.write_text(f'import streamlit as st\n\nst.write("{HELLO_MARKER}")\n', encoding="utf-8")
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for i in range(repeat):
                for name, script, marker in (("app", ROOT / "app.py", APP_MARKER), ("hello", hello, HELLO_MARKER)):
                    result = one_run(browser, script, env, marker, Path(tmp) / f"{name}-{i}.log")
                    runs[name].append(result)
                    print(
                        f"{name} run {i + 1}: server up {result['up']:.2f} s, script done {result['script']:.2f} s, "
                        f"page done {result['done']:.2f} s"
                    )
        finally:
            browser.close()
    return runs


def markdown(scale: str, runs: dict, load: tuple[str, str]) -> str:
    def med(name, key):
        return statistics.median(r[key] for r in runs[name])

    def best(name, key):
        return min(r[key] for r in runs[name])

    app = runs["app"]
    ratio_median, ratio_best = med("app", "done") / med("hello", "done"), best("app", "done") / best("hello", "done")
    lines = [
        f"# Cold start ({scale} scale)",
        "",
        f"- date: {datetime.now():%Y-%m-%d %H:%M}; python {platform.python_version()}; {platform.machine()}, "
        f"{os.cpu_count()} cores",
        f"- `streamlit run` from a new process to 总览 finished in chromium (script done, no spinner, charts "
        f"drawn), against a one-line app; {len(app)} runs each, alternating",
        f"- load average before: {load[0]}; after: {load[1]}",
        "",
        "| app | server up, median s | script done, median s | page done, median s | page done, best s | every run s |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, label in (("app", "this dashboard (总览)"), ("hello", "one-line Streamlit app")):
        every = ", ".join(f"{r['done']:.1f}" for r in runs[name])
        lines.append(
            f"| {label} | {med(name, 'up'):.2f} | {med(name, 'script'):.2f} | {med(name, 'done'):.2f} | "
            f"{best(name, 'done'):.2f} | {every} |"
        )
    verdict = "met" if ratio_median <= TARGET else "not met"
    lines += [
        "",
        f"Ratio dashboard / one-line app: median {ratio_median:.2f}, best {ratio_best:.2f} "
        f"(target at most {TARGET}: {verdict} on the medians). After the server is up: dashboard "
        f"{med('app', 'done') - med('app', 'up'):.2f} s, one-line app "
        f"{med('hello', 'done') - med('hello', 'up'):.2f} s (medians).",
    ]
    return "\n".join(lines) + "\n"


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["street", "district"], default="district")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=generate.DEFAULT_DIR, help="directory of the generated database")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    before = _load()
    runs = run(args.scale, args.repeat, args.out)
    text = markdown(args.scale, runs, (before, _load()))
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / f"cold-start-{args.scale}.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
