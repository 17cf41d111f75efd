"""Shared by the pandas sides of the benchmarks: the stored tables as DataFrames, what the v_* views do,
a comparison of two results, and a checker that runs one topic's pandas functions against DuckDB's.

A topic's pandas functions live in bench/pandas_<topic>.py as PANDAS = {"<module>.<function>": fn}, where
fn(f, p, settings) takes the live rows (pandas_views: {"enterprises": ..., "wage_agreements": ...,
"harmonious": ..., "aid": ..., "disputes": ..., "import_batches": ...}), p = FILTERS.params(settings) (dates
as pandas Timestamps) and the settings (rules, targets: settings.rule(name), settings.target(key, year)),
and returns what the DuckDB function returns, computed in plain pandas. Python that the DuckDB function
runs over its query's result (projections, summaries) may be reused as is: what is compared is the work
the query does.
They implement the benchmark's filters: the plan year and as-of date, no street, community, industry,
size-band or status filter (those parameters are None in p).

Check a topic: .venv/bin/python bench/pandas_<topic>.py [street|district]
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
import pandas as pd  # noqa: E402

from dashboard import config, db  # noqa: E402
from dashboard.filters import Filters  # noqa: E402

FILTERS = Filters(year=generate.PLAN_YEAR, as_of=date.fromisoformat(generate.AS_OF))
DATE_COLUMNS = {"union_founded", "signed_on", "expires_on", "assessed_on", "given_on", "received_on", "closed_on"}
LEDGER_TABLES = ("enterprises", "wage_agreements", "harmonious", "aid", "disputes")


def load_tables(path: Path) -> dict[str, pd.DataFrame]:
    """The stored tables as DataFrames, as a pandas dashboard would hold them (not timed)."""
    with db.connect(path) as con:
        tables = {name: con.execute(f"select * from {name}").df() for name in ("import_batches", *LEDGER_TABLES)}
    for frame in tables.values():
        for column in frame.columns:
            if column in DATE_COLUMNS:
                frame[column] = pd.to_datetime(frame[column])
    return tables


def pandas_views(t: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """What the v_* views do (dashboard/migrations/0007_live_rows.sql): keep the rows the importer marked
    live (active batch, not superseded; each community's latest registry). The importer stores the flag
    and the enterprise and person keys, so pandas reads them from the tables, as the views do."""
    out = {"import_batches": t["import_batches"]}
    for ledger in LEDGER_TABLES:
        x = t[ledger]
        out[ledger] = x[x["live"]]
    return out


def pandas_params(params: dict) -> dict:
    """A topic module's params with dates as Timestamps, for comparing with datetime64 columns."""
    return {k: pd.Timestamp(v) if isinstance(v, date) else v for k, v in params.items()}


def in_year(dates: pd.Series, year: int) -> pd.Series:
    """The plan year as a date range, as the SQL side filters it (cheaper than dates.dt.year == year)."""
    return (dates >= pd.Timestamp(year, 1, 1)) & (dates < pd.Timestamp(year + 1, 1, 1))


def founded_by(e: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    return e["union_founded"].isna() | (e["union_founded"] <= as_of)


def new_harmonious(f: dict[str, pd.DataFrame], grades: list[str], year: int) -> pd.DataFrame:
    """H2 (queries/harmonious_new_by_community.sql): per community of the current registry, the enterprises
    whose first A-or-above grade (in any community) is in `year`, each counted in the community of its
    latest grade row of that year (assessment date, undated earliest; then batch; then source row)."""
    h = f["harmonious"]
    graded = h[h["grade"].isin(grades)]
    first = graded.groupby("enterprise_key")["year"].min().rename("first_year")
    this_year = graded[graded["year"] == year].join(first, on="enterprise_key")
    this_year = this_year[this_year["first_year"] == year]
    order = ["assessed_on", "batch_id", "source_row"]
    latest = this_year.sort_values(order, na_position="first", kind="stable").drop_duplicates(
        "enterprise_key", keep="last"
    )
    new = latest.groupby(["street", "community"]).size().rename("count")
    places = f["enterprises"][["street", "community"]].drop_duplicates()  # v_current_registry
    joined = places.join(new, on=["street", "community"]).fillna({"count": 0})
    out = joined.groupby("community")["count"].sum().astype(int).reset_index()
    return out.sort_values("community", ignore_index=True)


def _blank(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def _norm(v):
    """A cell as a comparable Python value: blanks alike, numbers as float, dates as ISO text."""
    if _blank(v):
        return None
    if isinstance(v, bool):
        return v
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalars
        v = v.item()
    if isinstance(v, (pd.Timestamp, date)):
        return pd.Timestamp(v).date().isoformat()
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, (list, tuple)):
        return tuple(_norm(x) for x in v)
    return v


def first_difference(duck, pand, tol: float = 0.01) -> str | None:
    """None when both results hold the same values (column types may differ; same order of rows; the
    pandas side's columns must be those of the DuckDB side, in any order); else what differs first."""
    if isinstance(duck, pd.DataFrame):
        if not isinstance(pand, pd.DataFrame):
            return f"pandas returned {type(pand).__name__}"
        missing = [c for c in duck.columns if c not in pand.columns]
        if missing:
            return f"pandas lacks columns {missing}"
        if len(duck) != len(pand):
            return f"rows: duckdb {len(duck)}, pandas {len(pand)}"
        for c in duck.columns:
            for i, (x, y) in enumerate(zip(duck[c].tolist(), pand[c].tolist(), strict=True)):
                diff = _cell_difference(x, y, tol)
                if diff:
                    return f"column {c!r}, row {i}: duckdb {x!r}, pandas {y!r}"
        return None
    if isinstance(duck, dict):
        for k, x in duck.items():
            if k not in pand:
                return f"pandas lacks key {k!r}"
            if _cell_difference(x, pand[k], tol):
                return f"key {k!r}: duckdb {x!r}, pandas {pand[k]!r}"
        return None
    return "different" if _cell_difference(duck, pand, tol) else None


def _cell_difference(x, y, tol: float) -> bool:
    a, b = _norm(x), _norm(y)
    if isinstance(a, float) and isinstance(b, float):
        return not (abs(a - b) <= tol or (math.isnan(a) and math.isnan(b)))
    return a != b


def best_of(fn: Callable, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def check(module, pandas_functions: dict[str, Callable], scale: str = "street", repeat: int = 3) -> bool:
    """Run each pandas function against the DuckDB function of the same name; print time and verdict."""
    path = generate.ensure(scale)
    settings = config.load_settings()
    p = pandas_params(FILTERS.params(settings))
    frames = pandas_views(load_tables(path))
    ok = True
    with db.connect(path) as con:
        cur = con.cursor()
        for name, pandas_fn in pandas_functions.items():
            duck_fn = getattr(module, name.split(".", 1)[1])
            d_s, duck = best_of(lambda duck_fn=duck_fn: duck_fn(cur, FILTERS, settings), repeat)
            p_s, pand = best_of(lambda pandas_fn=pandas_fn: pandas_fn(frames, p, settings), repeat)
            diff = first_difference(duck, pand)
            ok = ok and diff is None
            print(f"{name}: duckdb {d_s * 1000:.1f} ms, pandas {p_s * 1000:.1f} ms: {diff or 'same'}")
    return ok
