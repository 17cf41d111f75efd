"""Plain-pandas versions of dashboard/unionization.py's functions, for bench/bench_queries.py
(see bench/pandas_common.py).

Each function takes the live registry (f["enterprises"], what v_enterprises shows), does in pandas the work of
the function's queries/*.sql file, then runs the same Python as the dashboard function over that frame (rates,
gaps, labels, projections), reusing dashboard's helpers.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
from pandas_common import check, founded_by, in_year

from dashboard import progress, unionization
from dashboard.filters import size_bands
from dashboard.rates import add_rate, summarise_rate

OPERATING = "正常经营"
NO_UNION = "未建会"
OWN_UNION = "独立建会"
AFTER_AS_OF = "截止日后建会"
NO_INDUSTRY = "（未填写行业）"
TODO_COLUMNS = [
    "community",
    "name",
    "uscc",
    "industry",
    "employees",
    "migrant_workers",
    "union_status",
    "phone",
    "enterprise_key",
]


def _registry(f, p) -> pd.DataFrame:
    """v_enterprises under the benchmark's filters (no street, community, industry, size or status filter)."""
    assert all(p[k] is None for k in ("street", "communities", "industries", "size_bands", "statuses"))
    return f["enterprises"]


def _threshold(settings) -> int:
    return int(settings.rule("size_threshold"))


def _targets(p, settings) -> tuple[float, float, float]:
    return (
        float(settings.target("U1", p["year"])),
        float(settings.target("U2", p["year"])),
        settings.amber_band_pct,
    )


def _at_least(employees: pd.Series, threshold: int) -> pd.Series:
    """employees >= threshold as a plain mask: a blank staff count is not (SQL's NULL in a filter)."""
    return employees.ge(threshold).fillna(False).astype(bool)


def _has_union(e: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """A union (own or joint) at the as-of date; an undated union counts."""
    return (e["union_status"] != NO_UNION) & founded_by(e, as_of)


def _has_own_union(e: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    return (e["union_status"] == OWN_UNION) & founded_by(e, as_of)


def _is_new(e: pd.DataFrame, p) -> pd.Series:
    """U3: a union founded in the plan year, up to the as-of date."""
    founded = e["union_founded"]
    return (e["union_status"] != NO_UNION) & in_year(founded, p["year"]) & (founded <= p["as_of"])


def _band(employees: pd.Series, bounds: list[int]) -> pd.Series:
    """How many band bounds are <= employees (0 for the smallest band); -1 for a blank staff count."""
    staff = employees.to_numpy(dtype=float, na_value=np.nan)
    band = np.searchsorted(np.asarray(bounds, dtype=float), staff, side="right")
    return pd.Series(np.where(np.isnan(staff), -1, band), index=employees.index)


def _coverage_by_community(f, p, settings) -> pd.DataFrame:
    """queries/unionization_coverage_by_community.sql: per community operating, unionised, eligible, independent,
    new_unions, by community."""
    e = _registry(f, p)
    as_of = p["as_of"]
    operating = e["status"] == OPERATING
    eligible = operating & _at_least(e["employees"], _threshold(settings))
    flags = pd.DataFrame(
        {
            "operating": operating,
            "unionised": operating & _has_union(e, as_of),
            "eligible": eligible,
            "independent": eligible & _has_own_union(e, as_of),
            "new_unions": _is_new(e, p),
        }
    )
    return flags.groupby(e["community"], sort=True).sum().reset_index()


def union_coverage_by_community(f, p, settings) -> pd.DataFrame:
    """unionization's Python (rates, gaps, largest U1 gap first) over the pandas counts per community."""
    u1, u2, band = _targets(p, settings)
    frame = _coverage_by_community(f, p, settings)
    add_rate(frame, "independent", "eligible", "u1", u1, band)
    add_rate(frame, "unionised", "operating", "u2", u2, band)
    return frame.sort_values(["u1_gap", "u1_rate", "community"], ascending=[False, True, True], ignore_index=True)


def union_coverage_by_industry(f, p, settings) -> pd.DataFrame:
    """queries/unionization_coverage_by_industry.sql over operating enterprises, blank industries under one label;
    most enterprises first."""
    u1, u2, band = _targets(p, settings)
    e = _registry(f, p)
    e = e[e["status"] == OPERATING]
    as_of = p["as_of"]
    eligible = _at_least(e["employees"], _threshold(settings))
    flags = pd.DataFrame(
        {
            "operating": 1,
            "unionised": _has_union(e, as_of),
            "eligible": eligible,
            "independent": eligible & _has_own_union(e, as_of),
        },
        index=e.index,
    )
    frame = flags.groupby(e["industry"].fillna(NO_INDUSTRY).rename("industry")).sum().reset_index()
    frame = frame.sort_values(["operating", "industry"], ascending=[False, True], ignore_index=True)
    add_rate(frame, "independent", "eligible", "u1", u1, band)
    return add_rate(frame, "unionised", "operating", "u2", u2, band)


def union_coverage_by_size_band(f, p, settings) -> pd.DataFrame:
    """queries/unionization_coverage_by_size_band.sql per band of operating enterprises, then unionization's Python:
    every band listed (zeros when empty, -1 only when present), labels, rates."""
    u1, u2, band = _targets(p, settings)
    bounds = size_bands(settings)
    e = _registry(f, p)
    e = e[e["status"] == OPERATING]
    as_of = p["as_of"]
    eligible = _at_least(e["employees"], _threshold(settings))
    own = _has_own_union(e, as_of)
    flags = pd.DataFrame(
        {
            "operating": 1,
            "unionised": _has_union(e, as_of),
            "independent": own,
            "eligible": eligible,
            "eligible_independent": eligible & own,
        },
        index=e.index,
    )
    got = flags.groupby(_band(e["employees"], bounds).rename("band")).sum()
    bands = list(range(len(bounds) + 1))
    if -1 in got.index:
        bands.append(-1)
    frame = got.reindex(bands, fill_value=0).astype(int).rename_axis("band").reset_index()
    labels = {b: unionization.size_band_label(b, bounds) for b in bands}
    frame.insert(1, "size_band", frame["band"].map(labels))
    add_rate(frame, "unionised", "operating", "u2", u2, band)
    frame["own_rate"] = (frame["independent"] / frame["operating"].where(frame["operating"] != 0)).astype("Float64")
    return add_rate(frame, "eligible_independent", "eligible", "u1", u1, band)


def _rate(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator as Float64, blank where the denominator is 0."""
    return (numerator / denominator.where(denominator != 0)).astype("Float64")


def union_trend_monthly(f, p, settings) -> pd.DataFrame:
    """queries/unionization_trend_monthly.sql: at the end of each month of the year before and of the plan year (up
    to the as-of date), today's operating enterprises whose union was founded by then (undated ones always)."""
    year, as_of = p["year"], p["as_of"]
    starts = pd.date_range(pd.Timestamp(year - 1, 1, 1), periods=24, freq="MS")
    starts = starts[starts <= as_of]
    months = pd.DataFrame(
        {
            "year": starts.year,
            "month": starts.month,
            "point": (starts + pd.offsets.MonthEnd(0)).where(starts + pd.offsets.MonthEnd(0) <= as_of, as_of),
        }
    )
    e = _registry(f, p)
    e = e[e["status"] == OPERATING]
    eligible = _at_least(e["employees"], _threshold(settings))

    def founded_by_point(rows: pd.Series) -> np.ndarray:
        """How many of the `rows` unions count at each month's point: undated ones, plus those founded by it."""
        founded = e.loc[rows, "union_founded"]
        dated = founded.dropna().sort_values()
        return (founded.isna().sum() + dated.searchsorted(months["point"], side="right")).astype(int)

    months["u1_numerator"] = founded_by_point(eligible & (e["union_status"] == OWN_UNION))
    months["u1_denominator"] = int(eligible.sum())
    months["u2_numerator"] = founded_by_point(e["union_status"] != NO_UNION)
    months["u2_denominator"] = len(e)
    for key in ("u1", "u2"):
        months[f"{key}_rate"] = _rate(months[f"{key}_numerator"], months[f"{key}_denominator"])
    return months


def union_rate_projections(f, p, settings) -> pd.DataFrame:
    """unionization.union_rate_projections' Python over the pandas monthly trend."""
    trend = union_trend_monthly(f, p, settings)
    year, as_of = p["year"], p["as_of"].date()
    rows = []
    for code in ("U1", "U2"):
        key = code.lower()
        target = float(settings.target(code, year))
        last_year = trend[(trend["year"] == year - 1) & (trend["month"] == 12)]
        this_year = trend[trend["year"] == year]
        start = int(last_year[f"{key}_numerator"].iloc[0]) if len(last_year) else 0
        now = int(this_year[f"{key}_numerator"].iloc[-1]) if len(this_year) else start
        den = int(this_year[f"{key}_denominator"].iloc[-1]) if len(this_year) else 0
        proj = progress.project_rate(start, now, den, year, as_of, target)
        rows.append({"indicator": code, **proj.__dict__, "now_rate": now / den if den else None})
    return pd.DataFrame(rows)


def unionisation_todo(f, p, settings) -> pd.DataFrame:
    """queries/unionization_todo.sql: eligible operating enterprises without their own union at the as-of
    date (a 独立建会 one is on it only when founded after it); largest first."""
    e = _registry(f, p)
    keep = (e["status"] == OPERATING) & _at_least(e["employees"], _threshold(settings)) & ~_has_own_union(e, p["as_of"])
    out = e.loc[keep, TODO_COLUMNS]
    out = out.assign(union_status=out["union_status"].replace({OWN_UNION: AFTER_AS_OF}))
    return out.sort_values(["employees", "community", "name"], ascending=[False, True, True], ignore_index=True)


def union_membership_by_community(f, p, settings) -> pd.DataFrame:
    """queries/unionization_membership_by_community.sql: per community, operating enterprises with a union at the
    as-of date, those that reported members, their staff and members (capped at staff), the blanks; then
    coverage's rate and order (lowest rate first)."""
    e = _registry(f, p)
    u = e[(e["status"] == OPERATING) & _has_union(e, p["as_of"])]
    members, staff = u["union_members"], u["employees"]
    reported = members.notna() & staff.notna()
    parts = pd.DataFrame(
        {
            "unionised": 1,
            "reported": reported,
            "employees": staff.where(reported, 0),
            "members": np.minimum(members, staff).where(reported, 0),
            "members_missing": members.isna(),
        },
        index=u.index,
    )
    frame = parts.groupby(u["community"], sort=True).sum().astype("int64").reset_index()
    frame["rate"] = _rate(frame["members"], frame["employees"])
    return frame.sort_values(["rate", "community"], ascending=[True, True], na_position="last", ignore_index=True)


def union_enterprise_rows(f, p, settings) -> pd.DataFrame:
    """queries/unionization_enterprise_rows.sql: one row per operating enterprise with its band and its union at the
    as-of date, blank text as ''; largest first, then coverage's band label."""
    bounds = size_bands(settings)
    as_of = p["as_of"]
    e = _registry(f, p)
    e = e[e["status"] == OPERATING]
    status = e["union_status"]
    out = pd.DataFrame(
        {
            "community": e["community"],
            "name": e["name"],
            "industry": e["industry"].fillna(""),
            "employees": e["employees"],
            "band": _band(e["employees"], bounds),
            "union_status": status.mask((status != NO_UNION) & (e["union_founded"] > as_of), AFTER_AS_OF),
            "union_founded": e["union_founded"],
            "union_members": e["union_members"],
            "has_union": _has_union(e, as_of),
            # NULL (not False) for a blank staff count, as the SQL's comparison gives
            "is_eligible": e["employees"].astype("Int64").ge(_threshold(settings)),
            "phone": e["phone"].fillna(""),
            "enterprise_key": e["enterprise_key"],
        }
    )
    out = out.sort_values(
        ["employees", "community", "name"], ascending=[False, True, True], na_position="last", ignore_index=True
    )
    labels = {b: unionization.size_band_label(b, bounds) for b in [-1, *range(len(bounds) + 1)]}
    out.insert(5, "size_band", out["band"].map(labels))
    return out


def new_unions_progress(f, p, settings) -> pd.DataFrame:
    """queries/unionization_new_by_community.sql (U3 per community, every community of the registry), then
    dashboard.progress.count_progress."""
    e = _registry(f, p)
    frame = _is_new(e, p).groupby(e["community"], sort=True).sum().rename("count").reset_index()
    return progress.count_progress(frame, int(settings.target("U3", p["year"])), p["year"], p["as_of"].date())


def union_rates(f, p, settings) -> dict:
    """U1 and U2 totals (the KPI cards) from the per-community counts of unionization_coverage_by_community.sql."""
    u1, u2, band = _targets(p, settings)
    frame = _coverage_by_community(f, p, settings)
    return {
        "U1": summarise_rate(frame.rename(columns={"independent": "numerator", "eligible": "denominator"}), u1, band),
        "U2": summarise_rate(frame.rename(columns={"unionised": "numerator", "operating": "denominator"}), u2, band),
    }


PANDAS = {
    "unionization.new_unions_progress": new_unions_progress,
    "unionization.union_coverage_by_community": union_coverage_by_community,
    "unionization.union_coverage_by_industry": union_coverage_by_industry,
    "unionization.union_coverage_by_size_band": union_coverage_by_size_band,
    "unionization.union_enterprise_rows": union_enterprise_rows,
    "unionization.union_membership_by_community": union_membership_by_community,
    "unionization.union_rate_projections": union_rate_projections,
    "unionization.union_rates": union_rates,
    "unionization.union_trend_monthly": union_trend_monthly,
    "unionization.unionisation_todo": unionisation_todo,
}

if __name__ == "__main__":
    sys.exit(0 if check(unionization, PANDAS, sys.argv[1] if len(sys.argv) > 1 else "street") else 1)
