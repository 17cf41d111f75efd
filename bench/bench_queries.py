"""Benchmark: every indicator at street, district (and, with --city, city) scale, DuckDB against pandas.

Run: .venv/bin/python bench/bench_queries.py [--city] [--repeat K] [--out DIR]

For each scale (data from bench/generate.py, built on first use and cached under /tmp/union-bench):
  1. The overview's indicators (U1-U3, W1-W3, H1, H2, A1, D1) through the dashboard's own functions
     (metrics.*: queries/*.sql on DuckDB), each against the same computation written in plain pandas.
     The pandas side starts from the stored tables already loaded into DataFrames (not timed), with
     the enterprise keys the importer stored; timed are what the views do (active rows, each
     community's latest registry: once, reused by every indicator, where DuckDB does it inside every
     query) and each indicator. Both sides' results are compared, so the ratio is between two
     computations of the same numbers. DuckDB uses its default
     threads (2 on the benchmark machine); pandas uses one.
     The overview page does not call the indicators one by one: metrics.overview() runs its nine
     (all but W3) side by side on a cursor per CPU. That call, timed as the page makes it, is what the
     target compares with pandas (the views once plus the same nine).
  2. Every function the pages call from the topic modules (coverage, wages, harmony, aid, disputes),
     with the number of rows it returns, against its plain-pandas version (bench/pandas_<topic>.py,
     over the same live rows), both results compared value for value.
  3. Peak memory: a child process that runs only the DuckDB side (overview, then every function)
     reports its peak resident set size (VmHWM) — the whole process, DuckDB's buffers included.
Timings are the best of --repeat runs (city: one run). Results go to bench/results/queries.md.
Targets: district overview queries <= 1/10 of the pandas time; city peak memory <= 2 GB.
Also printed: pandas with the loading of the tables into DataFrames, which a pandas app pays after
every import and restart (context, not the target's measure).
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
import pandas as pd  # noqa: E402
import pandas_aid  # noqa: E402
import pandas_disputes  # noqa: E402
import pandas_harmonious  # noqa: E402
import pandas_unionization  # noqa: E402
import pandas_wages  # noqa: E402
from pandas_common import (  # noqa: E402
    FILTERS,
    best_of,
    first_difference,
    founded_by,
    in_year,
    load_tables,
    new_harmonious,
    pandas_params,
    pandas_views,
)

from dashboard import aid, config, db, disputes, harmonious, metrics, unionization, wages  # noqa: E402

TOPIC_MODULES = [unionization, wages, harmonious, aid, disputes]
# every topic function's plain-pandas version (bench/pandas_<topic>.py), by "module.function"
PANDAS_TOPICS = {
    **pandas_unionization.PANDAS,
    **pandas_wages.PANDAS,
    **pandas_harmonious.PANDAS,
    **pandas_aid.PANDAS,
    **pandas_disputes.PANDAS,
}
OVERVIEW_KEYS = ["U1", "U2", "U3", "W1", "W2", "W3", "H1", "H2", "A1", "D1"]
DUCKDB_OVERVIEW: dict[str, Callable] = {
    "U1": metrics.union_coverage_25plus,
    "U2": metrics.union_coverage_operating,
    "U3": metrics.new_unions_by_community,
    "W1": metrics.wage_agreement_signing,
    "W2": metrics.new_wage_agreements_by_community,
    "W3": metrics.industry_agreements,
    "H1": metrics.harmonious_a_or_above,
    "H2": metrics.new_harmonious_by_community,
    "A1": metrics.aid_by_campaign,
    "D1": metrics.dispute_summary,
}


# ---- the same indicators in plain pandas ------------------------------------------------------------


def _rate(frame: pd.DataFrame, hit: pd.Series) -> pd.DataFrame:
    out = pd.DataFrame({"community": frame["community"], "numerator": hit.astype(int)})
    out = out.groupby("community", sort=True).agg(numerator=("numerator", "sum"), denominator=("numerator", "size"))
    return out.reset_index()


def pandas_u1(f, year, as_of, s):
    e = f["enterprises"]
    e = e[(e["status"] == "正常经营") & (e["employees"] >= s["size_threshold"])]
    return _rate(e, (e["union_status"] == "独立建会") & founded_by(e, as_of))


def pandas_u2(f, year, as_of, s):
    e = f["enterprises"]
    e = e[e["status"] == "正常经营"]
    return _rate(e, (e["union_status"] != "未建会") & founded_by(e, as_of))


def pandas_u3(f, year, as_of, s):
    e = f["enterprises"]
    founded = e["union_founded"]
    hit = (e["union_status"] != "未建会") & in_year(founded, year) & (founded <= as_of)
    out = hit.groupby(e["community"]).sum().rename("count").reset_index()
    return out.sort_values("community", ignore_index=True)


def _in_force(w: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    return w[(w["signed_on"] <= as_of) & (w["expires_on"] >= as_of)]


def pandas_w1(f, year, as_of, s):
    e = f["enterprises"]
    u = e[(e["status"] == "正常经营") & (e["union_status"] != "未建会") & founded_by(e, as_of)]
    keys = _in_force(f["wage_agreements"], as_of)["enterprise_key"].unique()
    return _rate(u, u["enterprise_key"].isin(keys))


def pandas_w2(f, year, as_of, s):
    e, w = f["enterprises"], f["wage_agreements"]
    new = w[(w["sign_kind"] == "新签") & in_year(w["signed_on"], year) & (w["signed_on"] <= as_of)]
    counts = new.groupby(["street", "community"])["enterprise_key"].nunique()
    places = e[["street", "community"]].drop_duplicates()
    joined = places.join(counts.rename("count"), on=["street", "community"]).fillna({"count": 0})
    out = joined.groupby("community")["count"].sum().astype(int).reset_index()
    return out.sort_values("community", ignore_index=True)


def pandas_w3(f, year, as_of, s):
    w = _in_force(f["wage_agreements"], as_of)
    w = w[w["agreement_type"].isin(["行业性", "区域性"])]
    name = w["agreement_name"].fillna("（未填写协议名称）")
    out = (
        w.assign(agreement_name=name)
        .groupby("agreement_name")
        .agg(
            agreement_type=("agreement_type", "first"),
            enterprises=("enterprise_key", "nunique"),
            employees=("covered_employees", "sum"),
            signed_on=("signed_on", "min"),
            expires_on=("expires_on", "max"),
        )
    )
    return out.reset_index().sort_values(["enterprises", "agreement_name"], ascending=[False, True], ignore_index=True)


def pandas_h1(f, year, as_of, s):
    e, h = f["enterprises"], f["harmonious"]
    base = e[(e["status"] == "正常经营") & (e["union_status"] == "独立建会") & founded_by(e, as_of)]
    h = h[h["year"] <= year].sort_values(
        ["year", "assessed_on", "batch_id"], ascending=[False, False, False], na_position="last"
    )
    latest = h.drop_duplicates("enterprise_key")[["enterprise_key", "grade"]]
    merged = base[["community", "enterprise_key"]].merge(latest, on="enterprise_key", how="left")
    return _rate(merged, merged["grade"].isin(s["grades"]))


def pandas_h2(f, year, as_of, s):
    return new_harmonious(f, s["grades"], year)


def pandas_a1(f, year, as_of, s):
    a = f["aid"]
    a = a[in_year(a["given_on"], year) & (a["given_on"] <= as_of)]
    person = a["person_key"]  # stored by the importer, as the SQL side reads it
    out = (
        a.assign(person=person)
        .groupby("campaign")
        .agg(
            people=("campaign", "size"),
            distinct_people=("person", "nunique"),
            cash=("cash", "sum"),
            goods=("goods_value", "sum"),
            jobs=("jobs_offered", "sum"),
        )
    )
    return out.reset_index().sort_values("campaign", ignore_index=True)


def pandas_d1(f, year, as_of, s):
    d = f["disputes"]
    d = d[in_year(d["received_on"], year) & (d["received_on"] <= as_of)]
    closed = (d["outcome"] != "调解中") & (d["closed_on"].isna() | (d["closed_on"] <= as_of))
    out = {
        "cases": len(d),
        "closed": int(closed.sum()),
        "success": int((closed & (d["outcome"] == "调解成功")).sum()),
        "collective": int((d["workers"] >= s["collective_workers"]).sum()),
        "open_this_year": int((~closed).sum()),
    }
    out["success_rate"] = out["success"] / out["closed"] if out["closed"] else None
    return out


PANDAS_OVERVIEW = {
    "U1": pandas_u1,
    "U2": pandas_u2,
    "U3": pandas_u3,
    "W1": pandas_w1,
    "W2": pandas_w2,
    "W3": pandas_w3,
    "H1": pandas_h1,
    "H2": pandas_h2,
    "A1": pandas_a1,
    "D1": pandas_d1,
}


# ---- timing ------------------------------------------------------------------------------------------


def topic_functions() -> list[tuple[str, Callable]]:
    """Every (cursor, filters, settings) function of the topic modules."""
    out = []
    for module in TOPIC_MODULES:
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or name.startswith("_"):
                continue
            if list(inspect.signature(fn).parameters) == ["cur", "filters", "settings"]:
                out.append((f"{module.__name__.rsplit('.', 1)[-1]}.{name}", fn))
    return out


def rows_of(result) -> int | str:
    if isinstance(result, pd.DataFrame):
        return len(result)
    if isinstance(result, dict):
        return len(result)
    return "-"


def run_scale(scale: str, out_dir: Path, repeat: int) -> dict:
    path = generate.ensure(scale, out_dir)
    settings = config.load_settings()
    params = FILTERS.params(settings)
    year, as_of = FILTERS.year, pd.Timestamp(FILTERS.as_of_date)
    report: dict = {"scale": scale, "counts": generate.row_counts(path), "overview": [], "topics": []}

    with db.connect(path) as con:
        cur = con.cursor()
        duck_results = {}
        for key in OVERVIEW_KEYS:
            seconds, duck_results[key] = best_of(lambda key=key: DUCKDB_OVERVIEW[key](cur, FILTERS, settings), repeat)
            report["overview"].append({"key": key, "duckdb": seconds})
        # The overview page's own call: its nine queries side by side (db.side_by_side), and one after another.
        report["overview_page"], _ = best_of(lambda: metrics.overview(cur, FILTERS, settings), repeat)
        report["overview_page_serial"], _ = best_of(lambda: metrics.overview(cur, FILTERS, settings, workers=1), repeat)
        duck_topics = {}
        for name, fn in topic_functions():
            seconds, result = best_of(lambda fn=fn: fn(cur, FILTERS, settings), repeat)
            report["topics"].append({"name": name, "duckdb": seconds, "rows": rows_of(result)})
            duck_topics[name] = result  # kept for the comparison with pandas below

    start = time.perf_counter()
    tables = load_tables(path)
    report["pandas_load"] = time.perf_counter() - start
    report["pandas_views"], frames = best_of(lambda: pandas_views(tables), repeat)
    for entry in report["overview"]:
        key = entry["key"]
        seconds, result = best_of(lambda key=key: PANDAS_OVERVIEW[key](frames, year, as_of, params), repeat)
        entry["pandas"] = seconds
        entry["same"] = first_difference(duck_results[key], result) is None  # as for every page function
    p = pandas_params(params)
    for entry in report["topics"]:
        fn = PANDAS_TOPICS.get(entry["name"])
        if fn is None:
            continue
        seconds, result = best_of(lambda fn=fn: fn(frames, p, settings), repeat)
        entry["pandas"] = seconds
        entry["difference"] = first_difference(duck_topics.pop(entry["name"]), result)
        del result
    del duck_topics

    report["memory"] = child_memory(path, scale)
    return report


# ---- peak memory in a child process that runs only the DuckDB side -----------------------------------


def vm_hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


LARGEST_LIST = "aid.aid_rows"


def child_main(path: Path, what: str) -> None:
    settings = config.load_settings()
    baseline = vm_hwm_mb()
    start = time.perf_counter()
    with db.connect(path) as con:
        cur = con.cursor()
        metrics.overview(cur, FILTERS, settings)
        before_largest = vm_hwm_mb()
        if what == "all":
            # aid_rows (every aid row of the year, for drilling down) runs last, so the peak of all the
            # others is known apart from it: at city scale it alone converts ~3M rows into a DataFrame.
            functions = sorted(topic_functions(), key=lambda nf: nf[0] == LARGEST_LIST)
            for name, fn in functions:
                if name == LARGEST_LIST:
                    before_largest = vm_hwm_mb()
                result = fn(cur, FILTERS, settings)
                del result
        duck_mem = con.execute("select sum(memory_usage_bytes) from duckdb_memory()").fetchone()[0]
    print(json.dumps({"peak_rss_mb": vm_hwm_mb(), "baseline_rss_mb": baseline,
                      "peak_before_largest_list_mb": before_largest,
                      "duckdb_memory_mb_at_end": (duck_mem or 0) / 2**20,
                      "seconds": time.perf_counter() - start}))  # fmt: skip


def child_memory(path: Path, scale: str) -> dict:
    out = {}
    for what in ("overview", "all"):
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(path), what],
            capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"},
        )  # fmt: skip
        out[what] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


# ---- report -----------------------------------------------------------------------------------------


def totals(r: dict) -> dict:
    """Sums over the indicators; the page's nine are every overview key but W3."""
    page_keys = set(OVERVIEW_KEYS) - {"W3"}
    page_p = r["pandas_views"] + sum(e["pandas"] for e in r["overview"] if e["key"] in page_keys)
    return {
        "all_d": sum(e["duckdb"] for e in r["overview"]),
        "all_p": r["pandas_views"] + sum(e["pandas"] for e in r["overview"]),
        "page_p": page_p,
        "page_ratio": r["overview_page"] / page_p,
    }


def markdown(reports: list[dict], repeat: int) -> str:
    lines = [
        "# Query benchmark: indicators at street / district / city scale",
        "",
        f"- date: {datetime.now():%Y-%m-%d %H:%M}; python {platform.python_version()}; {platform.machine()}, "
        f"{os.cpu_count()} cores; duckdb {db.duckdb.__version__}, pandas {pd.__version__}",
        f"- plan year {FILTERS.year}, as of {FILTERS.as_of_date}, no community/industry filter; best of {repeat} "
        "(city: 1) runs",
        "- pandas side: the stored tables (with the keys and live flags the importer stores) loaded into "
        "DataFrames first (not timed); timed: what the views do, once (keep live rows; pandas reuses them for "
        "every indicator, DuckDB filters inside every query) and each indicator; both sides' numbers compared",
        "- duckdb ms: each indicator's function alone; the overview page runs its nine (all but W3) side by side "
        "(metrics.overview, one DuckDB cursor per worker, a worker per CPU)",
        "- peak RSS: a child process running only the DuckDB side (python + duckdb + pandas results)",
        "",
    ]
    for r in reports:
        c = r["counts"]
        lines += [
            f"## {r['scale']}: {c['enterprises']:,} enterprises, {c['wage_agreements']:,} agreements, "
            f"{c['harmonious']:,} grades, {c['aid']:,} aid rows, {c['disputes']:,} disputes",
            "",
            "| indicator | duckdb ms | pandas ms | duckdb / pandas | same numbers |",
            "|---|---:|---:|---:|---|",
            f"| pandas: the views once (rows marked live) | | {r['pandas_views'] * 1000:.1f} | | |",
        ]
        for e in r["overview"]:
            lines.append(
                f"| {e['key']} | {e['duckdb'] * 1000:.1f} | {e['pandas'] * 1000:.1f} | "
                f"{e['duckdb'] / e['pandas']:.2f} | {'yes' if e['same'] else '**NO**'} |"
            )
        t = totals(r)
        lines += [
            f"| all ten, one after another (pandas incl. views) | {t['all_d'] * 1000:.1f} | {t['all_p'] * 1000:.1f} | "
            f"{t['all_d'] / t['all_p']:.2f} | |",
            f"| overview page's nine, one after another: metrics.overview(workers=1) | "
            f"{r['overview_page_serial'] * 1000:.1f} | {t['page_p'] * 1000:.1f} | "
            f"{r['overview_page_serial'] / t['page_p']:.2f} | |",
            "| **overview page's nine as the page runs them: metrics.overview()** | "
            f"**{r['overview_page'] * 1000:.1f}** | **{t['page_p'] * 1000:.1f}** | **{t['page_ratio']:.2f}** | |",
            "",
            f"- loading the stored tables into pandas DataFrames (not in the pandas column): {r['pandas_load']:.2f} s; "
            f"with it, a pandas overview after each import or restart takes {(r['pandas_load'] + t['page_p']):.2f} s "
            f"(duckdb / that: {r['overview_page'] / (r['pandas_load'] + t['page_p']):.3f})",
        ]
        m = r["memory"]
        lines += [
            f"- peak RSS, overview only: {m['overview']['peak_rss_mb']:.0f} MB "
            f"(process before connecting {m['overview']['baseline_rss_mb']:.0f} MB); "
            f"every function: {m['all']['peak_rss_mb']:.0f} MB in {m['all']['seconds']:.1f} s "
            f"(every function but {LARGEST_LIST}, which runs last: {m['all']['peak_before_largest_list_mb']:.0f} MB)",
            "",
        ]
        lines += topic_lines(r)

    return "\n".join(lines)


def topic_lines(r: dict) -> list[str]:
    """Every page's functions: DuckDB against their plain-pandas versions (bench/pandas_<topic>.py)."""
    rows = sorted(r["topics"], key=lambda t: -t["duckdb"])
    compared = [t for t in rows if "pandas" in t]
    out = [
        "",
        "Every function the pages call (the topic modules), DuckDB against the same computation in plain pandas "
        "over the same live rows (bench/pandas_*.py), both results compared value for value:",
        "",
        "| topic | functions | duckdb ms | pandas ms | duckdb / pandas | same results |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for module in [m.__name__.rsplit(".", 1)[-1] for m in TOPIC_MODULES]:
        part = [t for t in compared if t["name"].startswith(f"{module}.")]
        if part:
            d, p = sum(t["duckdb"] for t in part), sum(t["pandas"] for t in part)
            same = sum(t["difference"] is None for t in part)
            out.append(
                f"| {module} | {len(part)} | {d * 1000:.0f} | {p * 1000:.0f} | {d / p:.2f} | {same}/{len(part)} |"
            )
    if compared:
        d = sum(t["duckdb"] for t in compared)
        p = r["pandas_views"] + sum(t["pandas"] for t in compared)
        same = sum(t["difference"] is None for t in compared)
        out.append(
            f"| **all, one after another** (pandas incl. the views once) | {len(compared)} | **{d * 1000:.0f}** | "
            f"**{p * 1000:.0f}** | **{d / p:.2f}** | {same}/{len(compared)} |"
        )
    missing = [t["name"] for t in rows if "pandas" not in t]
    if missing:
        out.append(f"\nNo pandas version yet: {', '.join(missing)}.")
    out += [
        "",
        "<details><summary>every function</summary>",
        "",
        "| function | duckdb ms | pandas ms | duckdb / pandas | rows | same |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for t in rows:
        if "pandas" in t:
            verdict = "yes" if t["difference"] is None else f"**NO**: {t['difference']}"
            out.append(
                f"| {t['name']} | {t['duckdb'] * 1000:.1f} | {t['pandas'] * 1000:.1f} | "
                f"{t['duckdb'] / t['pandas']:.2f} | {t['rows']} | {verdict} |"
            )
        else:
            out.append(f"| {t['name']} | {t['duckdb'] * 1000:.1f} | | | {t['rows']} | |")
    return [*out, "", "</details>", ""]


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(Path(sys.argv[2]), sys.argv[3])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--city", action="store_true", help="also the city scale (builds ~0.5 GB, ~1 min)")
    parser.add_argument("--only-city", action="store_true", help="the city scale alone")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=generate.DEFAULT_DIR)
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    scales = ["city"] if args.only_city else ["street", "district"] + (["city"] if args.city else [])
    reports = []
    for scale in scales:
        print(f"[{scale}] running…", file=sys.stderr)
        reports.append(run_scale(scale, args.out, 1 if scale == "city" else args.repeat))
        r = reports[-1]
        t = totals(r)
        same = all(e["same"] for e in r["overview"])
        print(
            f"[{scale}] overview page duckdb {r['overview_page'] * 1000:.0f} ms "
            f"(one after another {r['overview_page_serial'] * 1000:.0f} ms), pandas {t['page_p'] * 1000:.0f} ms, "
            f"ratio {t['page_ratio']:.3f}; "
            f"same numbers: {same}; peak RSS (all functions) {r['memory']['all']['peak_rss_mb']:.0f} MB",
            file=sys.stderr,
        )
    text = markdown(reports, args.repeat)
    args.results.mkdir(parents=True, exist_ok=True)
    name = "queries-city.md" if args.only_city else "queries.md"
    (args.results / name).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
