"""组建工会 in depth: U1/U2/U3 by community, industry and size band, the monthly trend, the projection
to year end, 应建未建名单 and 入会率. Each function is (cursor, filters, settings) -> DataFrame over
queries/<same name>.sql; rates and gaps are added here with the rules of dashboard.rates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard import progress
from dashboard.config import Settings
from dashboard.db import run_query
from dashboard.filters import Filters, size_bands
from dashboard.metrics import Cursor, new_unions_by_community
from dashboard.rates import RateResult, add_rate, summarise_rate

NO_SIZE_LABEL = "人数未填"


def _targets(filters: Filters, settings: Settings) -> tuple[float, float, float]:
    return (
        float(settings.target("U1", filters.year)),
        float(settings.target("U2", filters.year)),
        settings.amber_band_pct,
    )


def union_coverage_by_community(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Per community: operating, unionised (U2), eligible and independent (U1), new_unions (U3), with
    u1_/u2_ rate, gap and status; the largest U1 gap first."""
    u1, u2, band = _targets(filters, settings)
    frame = run_query(cur, "unionization_coverage_by_community", filters.params(settings))
    add_rate(frame, "independent", "eligible", "u1", u1, band)
    add_rate(frame, "unionised", "operating", "u2", u2, band)
    return frame.sort_values(["u1_gap", "u1_rate", "community"], ascending=[False, True, True], ignore_index=True)


def union_coverage_by_industry(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Per industry: the same counts and rates as by community (no new_unions); most enterprises first."""
    u1, u2, band = _targets(filters, settings)
    frame = run_query(cur, "unionization_coverage_by_industry", filters.params(settings))
    add_rate(frame, "independent", "eligible", "u1", u1, band)
    return add_rate(frame, "unionised", "operating", "u2", u2, band)


def size_band_label(band: int, bounds: list[int]) -> str:
    """0 -> '不足25人', 1 -> '25–99人', last -> '500人及以上', -1 -> '人数未填'."""
    if band < 0:
        return NO_SIZE_LABEL
    if band == 0:
        return f"不足{bounds[0]}人"
    if band >= len(bounds):
        return f"{bounds[-1]}人及以上"
    return f"{bounds[band - 1]}–{bounds[band] - 1}人"


def union_coverage_by_size_band(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Per size band of operating enterprises (every band listed, empty ones with zeros): operating,
    unionised (U2 rule), independent, and for bands at or above the threshold the U1 rate."""
    u1, u2, band = _targets(filters, settings)
    bounds = size_bands(settings)
    got = run_query(cur, "unionization_coverage_by_size_band", {**filters.params(settings), "band_bounds": bounds})
    bands = list(range(len(bounds) + 1))
    if (got["band"] == -1).any():
        bands.append(-1)
    frame = pd.DataFrame({"band": bands}).merge(got, on="band", how="left").fillna(0)
    for col in ("operating", "unionised", "independent", "eligible", "eligible_independent"):
        frame[col] = frame[col].astype(int)
    frame.insert(1, "size_band", [size_band_label(int(b), bounds) for b in frame["band"]])
    add_rate(frame, "unionised", "operating", "u2", u2, band)
    # share of each band with its own union: no target below the U1 threshold, so no gap or status
    frame["own_rate"] = pd.Series(
        [n / d if d else None for n, d in zip(frame["independent"], frame["operating"], strict=True)], dtype="Float64"
    )
    return add_rate(frame, "eligible_independent", "eligible", "u1", u1, band)


def union_trend_monthly(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """U1 and U2 at the end of each month of the plan year (up to the as-of date) and of the year before,
    from founding dates over the current registry (see the SQL for what that means)."""
    frame = run_query(cur, "unionization_trend_monthly", filters.params(settings))
    for key in ("u1", "u2"):
        frame[f"{key}_rate"] = pd.Series(
            [n / d if d else None for n, d in zip(frame[f"{key}_numerator"], frame[f"{key}_denominator"], strict=True)],
            dtype="Float64",
        )
    return frame


def union_rate_projections(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """U1 and U2 projected to 31 December at the pace of the year so far (dashboard.progress), from the
    monthly trend: start = 31 December of the year before, now = the as-of date."""
    trend = union_trend_monthly(cur, filters, settings)
    rows = []
    for code in ("U1", "U2"):
        key = code.lower()
        target = float(settings.target(code, filters.year))
        last_year = trend[(trend["year"] == filters.year - 1) & (trend["month"] == 12)]
        this_year = trend[trend["year"] == filters.year]
        start = int(last_year[f"{key}_numerator"].iloc[0]) if len(last_year) else 0
        now = int(this_year[f"{key}_numerator"].iloc[-1]) if len(this_year) else start
        den = int(this_year[f"{key}_denominator"].iloc[-1]) if len(this_year) else 0
        p = progress.project_rate(start, now, den, filters.year, filters.as_of_date, target)
        rows.append({"indicator": code, **p.__dict__, "now_rate": now / den if den else None})
    return pd.DataFrame(rows)


def unionisation_todo(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """应建未建名单 (membership rules in the SQL); largest first."""
    return run_query(cur, "unionization_todo", filters.params(settings), many_rows=True)


def union_membership_by_community(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """入会率 per community: members / employees of unionised operating enterprises that reported
    members; lowest rate first."""
    frame = run_query(cur, "unionization_membership_by_community", filters.params(settings))
    frame["rate"] = pd.Series(
        [m / e if e else None for m, e in zip(frame["members"], frame["employees"], strict=True)], dtype="Float64"
    )
    return frame.sort_values(["rate", "community"], ascending=[True, True], na_position="last", ignore_index=True)


def union_enterprise_rows(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """The operating enterprises behind the size-band, 入会率 and trend charts: community, name, industry,
    employees, band and its label size_band, union_status at the as-of date, union_founded, union_members,
    has_union, is_eligible (U1's size rule), phone, enterprise_key; largest first."""
    bounds = size_bands(settings)
    frame = run_query(
        cur, "unionization_enterprise_rows", {**filters.params(settings), "band_bounds": bounds}, many_rows=True
    )
    labels = {int(b): size_band_label(int(b), bounds) for b in frame["band"].unique()}
    frame.insert(5, "size_band", frame["band"].map(labels).astype("str"))
    return frame


def rows_for_band(frame: pd.DataFrame, band: str | None) -> pd.DataFrame:
    """The rows behind one bar of the size-band chart: the enterprises whose size_band label is `band`
    (the chart's x); every row when nothing is picked."""
    if not band:
        return frame
    return frame[frame["size_band"] == band].reset_index(drop=True)


def rows_for_members(frame: pd.DataFrame, community: str | None) -> pd.DataFrame:
    """The rows behind one bar of the 入会率 chart: enterprises with a union at the as-of date in
    `community` (all communities when None), with member_rate = members / employees (members capped at
    the staff count, blank when either is missing, as in the community rate)."""
    out = frame[frame["has_union"].astype(bool)]
    if community:
        out = out[out["community"] == community]
    out = out.reset_index(drop=True)
    # min(members, staff) / staff, row by row in numbers (a district has ~65,000 unionised enterprises)
    members = out["union_members"].to_numpy(dtype=float, na_value=np.nan)
    staff = out["employees"].to_numpy(dtype=float, na_value=np.nan)
    known = ~np.isnan(members) & ~np.isnan(staff) & (staff != 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = np.where(known, np.minimum(members, staff) / staff, np.nan)
    return out.assign(member_rate=pd.array(rates, dtype="Float64"))  # NaN: blank (<NA>)


def rows_for_trend_point(frame: pd.DataFrame, indicator: str, year: int, month: int | None = None) -> pd.DataFrame:
    """The rows behind a point of the U1 ('u1') or U2 ('u2') trend chart: what that month added to the
    numerator, i.e. enterprises whose union was founded in `year`-`month` (the whole year when month is
    None) and counted by the as-of date; for U1 only independent unions of eligible enterprises."""
    founded = pd.to_datetime(frame["union_founded"])
    keep = frame["has_union"].astype(bool) & (founded.dt.year == year)
    if month is not None:
        keep &= founded.dt.month == month
    if indicator == "u1":
        keep &= frame["is_eligible"].fillna(False).astype(bool) & (frame["union_status"] == "独立建会")
    return frame[keep.fillna(False)].reset_index(drop=True)


def new_unions_progress(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """U3 per community against its target, with 时间进度 and 任务进度 (dashboard.progress)."""
    frame = new_unions_by_community(cur, filters, settings)
    target = int(settings.target("U3", filters.year))
    return progress.count_progress(frame, target, filters.year, filters.as_of_date)


def union_rates(cur: Cursor, filters: Filters, settings: Settings) -> dict[str, RateResult]:
    """U1 and U2 for the filtered street: rate, target, gap in enterprises and status (the KPI cards)."""
    u1, u2, band = _targets(filters, settings)
    frame = run_query(cur, "unionization_coverage_by_community", filters.params(settings))
    return {
        "U1": summarise_rate(frame.rename(columns={"independent": "numerator", "eligible": "denominator"}), u1, band),
        "U2": summarise_rate(frame.rename(columns={"unionised": "numerator", "operating": "denominator"}), u2, band),
    }
