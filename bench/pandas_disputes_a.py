"""Plain-pandas versions of dashboard/disputes.py's functions, for bench/bench_queries.py (see bench/pandas_common.py).

This file covers collective_disputes, dispute_kpis, dispute_rows, dispute_spikes, disputes_by_community,
disputes_by_industry and disputes_by_month; bench/pandas_disputes_b.py covers the others.
"""

from __future__ import annotations

import sys

import pandas as pd
from pandas_common import check, in_year

from dashboard import disputes

UNMATCHED_INDUSTRY = "未匹配企业名录"  # the SQL's coalesce label for employers not in the registry
PENDING = "调解中"
UNSET_FILTERS = ("street", "communities", "industries", "size_bands", "statuses")


def _cases(
    f: dict, p: dict, *, since: pd.Timestamp | None = None, plan_year: bool = False, industry: bool = False
) -> pd.DataFrame:
    """The queries' `cases` CTE: the live disputes received up to the as-of date (and in the plan year, or
    since a date), each with is_closed at the as-of date (a final outcome closed by then, or undated) and,
    when asked, the employer's industry from the live registry by enterprise_key (a left join: unmatched
    or keyless cases get NaN)."""
    assert all(p[k] is None for k in UNSET_FILTERS), "only the benchmark's filters are implemented"
    d = f["disputes"]
    received = d["received_on"]
    keep = received <= p["as_of"]
    if plan_year:
        keep &= in_year(received, p["year"])
    if since is not None:
        keep &= received >= since
    d = d[keep]
    closed = (d["outcome"] != PENDING) & (d["closed_on"].isna() | (d["closed_on"] <= p["as_of"]))
    d = d.assign(is_closed=closed)
    if industry:
        # any_value(industry) per enterprise_key; groupby drops NaN keys, so a keyless case matches nothing
        industry_of = f["enterprises"].groupby("enterprise_key")["industry"].first()
        d = d.assign(industry=d["enterprise_key"].map(industry_of))
    return d


def _overdue(d: pd.DataFrame, p: dict, settings) -> pd.Series:
    """Open at the as-of date and received more than rules.mediation_overdue_days days before it."""
    age = (p["as_of"] - d["received_on"]).dt.days
    return ~d["is_closed"] & (age > int(settings.rule("mediation_overdue_days")))


def _newest_first(frame: pd.DataFrame) -> pd.DataFrame:
    """order by received_on desc, case_no"""
    return frame.sort_values(["received_on", "case_no"], ascending=[False, True], ignore_index=True)


def collective_disputes(f, p, settings):
    d = _cases(f, p, plan_year=True, industry=True)
    d = d[d["workers"] >= p["collective_workers"]]
    columns = ["case_no", "community", "name", "industry", "dispute_type", "workers", "amount", "level"]
    columns += ["outcome", "received_on", "closed_on", "is_closed"]
    return _newest_first(d[columns])


def dispute_kpis(f, p, settings):
    cases = _cases(f, p)  # every case open at the as-of date counts in open_now, whatever its year
    year = cases[in_year(cases["received_on"], p["year"])]
    closed = year[year["is_closed"]]
    # the canonical type, as the importer stores it (bench/generate.py writes the alias 劳动报酬（拖欠工资）
    # instead, so the wage_* figures are 0 on the benchmark data, on both sides)
    wage = year[year["dispute_type"] == "劳动报酬"]
    last_end = p["as_of"] - pd.DateOffset(years=1)  # the same period last year, both ends inclusive
    dated = closed["closed_on"].notna()
    out = {
        "cases": len(year),
        "cases_last": int(cases["received_on"].between(p["last_year_start"], last_end).sum()),
        "collective": int((year["workers"] >= p["collective_workers"]).sum()),
        "workers": int(year["workers"].sum()),
        "closed": len(closed),
        "success": int((closed["outcome"] == "调解成功").sum()),
        "median_days": (closed.loc[dated, "closed_on"] - closed.loc[dated, "received_on"]).dt.days.median(),
        "open_now": int((~cases["is_closed"]).sum()),
        "overdue_now": int(_overdue(cases, p, settings).sum()),
        "wage_cases": len(wage),
        "wage_workers": int(wage["workers"].sum()),
        "wage_amount": float(wage["amount"].sum()),
    }
    out["success_rate"] = out["success"] / out["closed"] if out["closed"] else None
    return pd.DataFrame([out])


def dispute_rows(f, p, settings):
    d = _cases(f, p, since=p["last_year_start"], industry=True)
    closed = d["is_closed"]
    out = pd.DataFrame(
        {
            "case_no": d["case_no"],
            "community": d["community"],
            "name": d["name"],
            "industry": d["industry"].fillna(UNMATCHED_INDUSTRY),
            "dispute_type": d["dispute_type"].fillna("未填类型"),
            "workers": d["workers"],
            "collective": d["workers"] >= p["collective_workers"],
            "amount": d["amount"],
            "level": d["level"].fillna("未填层级"),
            "outcome": d["outcome"].where(closed, PENDING),
            "received_on": d["received_on"],
            "closed_on": d["closed_on"].where(closed),
            "year": d["received_on"].dt.year,
            "month": d["received_on"].dt.month,
            "is_closed": closed,
            "overdue": _overdue(d, p, settings),
        }
    )
    return _newest_first(out)


def _monthly(received_on: pd.Series, months: pd.DatetimeIndex) -> pd.Series:
    """Cases per month start over `months` (the SQL's months left join cases: a quiet month counts 0)."""
    return received_on.dt.to_period("M").dt.start_time.value_counts().reindex(months, fill_value=0)


def dispute_spikes(f, p, settings):
    received = _cases(f, p)["received_on"]
    first_month = received.min().to_period("M").start_time  # NaT when there is no case
    start = p["last_year_start"] if pd.isna(first_month) else min(first_month, p["last_year_start"])
    months = pd.date_range(start, p["as_of"].to_period("M").start_time, freq="MS", name="month_start")
    cases = _monthly(received, months)
    # the 12 months before each month (rows between 12 preceding and 1 preceding); sample sd, as stddev_samp
    window = cases.shift(1).rolling(12, min_periods=1)
    out = pd.DataFrame({"cases": cases, "mean_prev": window.mean(), "sd_prev": window.std()}).reset_index()
    months_prev = window.count().fillna(0).to_numpy()
    out = out.assign(
        year=out["month_start"].dt.year,
        month=out["month_start"].dt.month,
        threshold=out["mean_prev"] + 2 * out["sd_prev"],
        # judged once the ledger covers the 12 months before; with no case at all the SQL gives NULL here
        # (first_month is NULL), which this gives as False: neither raises a spike
        judged=(months_prev == 12) & (out["month_start"] - pd.DateOffset(months=12) >= first_month),
    )
    out = out[in_year(out["month_start"], p["year"])].reset_index(drop=True)
    out["spike"] = out["judged"] & (out["cases"] > out["threshold"])
    return out


def disputes_by_community(f, p, settings):
    d = _cases(f, p, plan_year=True)
    per_community = (
        d.assign(
            collective=d["workers"] >= p["collective_workers"],
            open=~d["is_closed"],
            overdue=_overdue(d, p, settings),
        )
        .groupby("community")
        .agg(
            cases=("case_no", "size"),
            collective=("collective", "sum"),
            workers=("workers", "sum"),
            amount=("amount", "sum"),
            open=("open", "sum"),
            overdue=("overdue", "sum"),
        )
    )
    # every community of the live registry, and any community with a case, so a quiet one shows 0
    communities = pd.Index(f["enterprises"]["community"].unique(), name="community").union(per_community.index)
    out = per_community.reindex(communities, fill_value=0).reset_index()
    return out.sort_values(["cases", "community"], ascending=[False, True], ignore_index=True)


def disputes_by_industry(f, p, settings):
    d = _cases(f, p, plan_year=True, industry=True)
    out = (
        d.assign(industry=d["industry"].fillna(UNMATCHED_INDUSTRY), collective=d["workers"] >= p["collective_workers"])
        .groupby("industry")
        .agg(
            cases=("case_no", "size"),
            collective=("collective", "sum"),
            workers=("workers", "sum"),
            amount=("amount", "sum"),
        )
        .reset_index()
    )
    return out.sort_values(["cases", "industry"], ascending=[False, True], ignore_index=True)


def disputes_by_month(f, p, settings):
    start = pd.Timestamp(p["year"] - 2, 11, 1)  # two months before the previous year, for January's average
    d = _cases(f, p, since=start)
    months = pd.date_range(start, pd.Timestamp(p["year"], 12, 1), freq="MS", name="month_start")
    collective = d.loc[d["workers"] >= p["collective_workers"], "received_on"]
    out = pd.DataFrame({"cases": _monthly(d["received_on"], months), "collective": _monthly(collective, months)})
    out["ma3"] = out["cases"].rolling(3, min_periods=1).mean()
    out = out.reset_index()
    out = out[out["month_start"] >= p["last_year_start"]].reset_index(drop=True)
    after = out["month_start"] > p["as_of"]
    out[["cases", "collective", "ma3"]] = out[["cases", "collective", "ma3"]].mask(after)
    return out.assign(year=out["month_start"].dt.year, month=out["month_start"].dt.month, after_as_of=after)


PANDAS = {
    "disputes.collective_disputes": collective_disputes,
    "disputes.dispute_kpis": dispute_kpis,
    "disputes.dispute_rows": dispute_rows,
    "disputes.dispute_spikes": dispute_spikes,
    "disputes.disputes_by_community": disputes_by_community,
    "disputes.disputes_by_industry": disputes_by_industry,
    "disputes.disputes_by_month": disputes_by_month,
}

if __name__ == "__main__":
    sys.exit(0 if check(disputes, PANDAS, sys.argv[1] if len(sys.argv) > 1 else "street") else 1)
