"""Plain-pandas versions of dashboard/disputes.py's functions, for bench/bench_queries.py (see bench/pandas_common.py).

Every function starts from `_cases` (the queries' `cases` CTE); early_warnings builds its alerts on this
file's own dispute_spikes and collective_disputes, as the dashboard builds them on its two queries.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
from pandas_common import check, in_year

from dashboard import disputes
from dashboard.formatting import fmt_int, fmt_yuan

UNSET_FILTERS = ("street", "communities", "industries", "size_bands", "statuses")

PENDING = "调解中"  # the outcome of a case not closed
SUCCESS, FAILED, WITHDRAWN = "调解成功", "调解不成", "撤回"
# the canonical type, as the importer stores it (bench/generate.py writes the alias 劳动报酬（拖欠工资）
# instead, so the wage figures are 0 on the benchmark data, on both sides)
WAGE_ARREARS = "劳动报酬"
NO_TYPE, NO_LEVEL = "未填类型", "未填层级"
UNMATCHED_INDUSTRY = "未匹配企业名录"  # the SQL's coalesce label for employers not in the registry
OTHER_ORDER = 99  # where the spine puts a label outside the vocabulary
# queries/open_cases*.sql: age bands by days open (upper bounds inclusive)
AGE_BINS = [-np.inf, 15, 30, 60, 90, np.inf]
AGE_BANDS = ["15天以内", "16–30天", "31–60天", "61–90天", "90天以上"]


# ---- the cases the queries start from ----------------------------------------------------------------


def _params(p: dict, settings) -> dict:
    """dashboard/disputes.py's params: the shared ones plus the vocabularies and thresholds."""
    assert all(p[k] is None for k in UNSET_FILTERS), "only the benchmark's filters are implemented"
    return {
        **p,
        "types": list(disputes.TYPES),
        "levels": list(disputes.LEVELS),
        "overdue_days": int(settings.rule("mediation_overdue_days")),
        "repeat_cases": int(settings.rule("repeat_employer_cases")),
    }


def _industry_of(f: dict) -> pd.Series:
    """industry_of: any_value(industry) per enterprise key of the live registry. groupby drops NaN keys,
    so a keyless case matches nothing, as in the SQL's join."""
    return f["enterprises"].groupby("enterprise_key")["industry"].first()


def _with_industry(d: pd.DataFrame, f: dict) -> pd.DataFrame:
    """The cases with their employer's industry (a left join: unmatched or keyless cases get NaN)."""
    return d.assign(industry=d["enterprise_key"].map(_industry_of(f)))


def _cases(
    f: dict, p: dict, *, since: pd.Timestamp | None = None, plan_year: bool = False, industry: bool = False
) -> pd.DataFrame:
    """The queries' `cases` CTE: the live disputes received up to the as-of date (and in the plan year, or
    since a date), each with is_closed at the as-of date (a final outcome closed by then, or undated;
    `outcome` is NOT NULL) and, when asked, the employer's industry. (The SQL's join to the registry
    otherwise only serves the industry / size / status filters, which are None here.)"""
    d = f["disputes"]
    received = d["received_on"]
    keep = received <= p["as_of"]
    if plan_year:
        keep &= in_year(received, p["year"])
    if since is not None:
        keep &= received >= since
    d = d[keep]
    d = d.assign(is_closed=(d["outcome"] != PENDING) & (d["closed_on"].isna() | (d["closed_on"] <= p["as_of"])))
    return _with_industry(d, f) if industry else d


def _collective(d: pd.DataFrame, p: dict) -> pd.Series:
    """A collective dispute: rules.collective_workers or more workers."""
    return d["workers"] >= p["collective_workers"]


def _age_days(d: pd.DataFrame, p: dict) -> pd.Series:
    return (p["as_of"] - d["received_on"]).dt.days


def _overdue(d: pd.DataFrame, p: dict) -> pd.Series:
    """Open at the as-of date and received more than rules.mediation_overdue_days days before it."""
    return ~d["is_closed"] & (_age_days(d, p) > p["overdue_days"])


def _open_cases(f: dict, p: dict, *, industry: bool = False) -> pd.DataFrame:
    """Every case received by the as-of date and not closed by then (any year), with age_days, overdue
    and its age band (an ordered categorical)."""
    c = _cases(f, p)
    o = c[~c["is_closed"]]
    if industry:
        o = _with_industry(o, f)
    age = _age_days(o, p)
    return o.assign(age_days=age, overdue=_overdue(o, p), age_band=pd.cut(age, AGE_BINS, labels=AGE_BANDS))


# ---- shaping helpers ---------------------------------------------------------------------------------


def _newest_first(frame: pd.DataFrame) -> pd.DataFrame:
    """order by received_on desc, case_no"""
    return frame.sort_values(["received_on", "case_no"], ascending=[False, True], ignore_index=True)


def _monthly(received_on: pd.Series, months: pd.DatetimeIndex) -> pd.Series:
    """Cases per month start over `months` (the SQL's months left join cases: a quiet month counts 0)."""
    return received_on.dt.to_period("M").dt.start_time.value_counts().reindex(months, fill_value=0)


def _with_spine(per: pd.DataFrame, vocabulary: list[str], order: str) -> pd.DataFrame:
    """The `spine` left join: every vocabulary word in its order (1, 2, ...), then any other label met
    (order 99) by label; labels without cases get NaN counts."""
    extra = per.index.difference(vocabulary)  # sorted, as `order by ..., label`
    out = per.reindex(pd.Index([*vocabulary, *extra], name=per.index.name))
    out[order] = [*range(1, len(vocabulary) + 1), *[OTHER_ORDER] * len(extra)]
    return out


def _rate(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / nullif(denominator, 0)"""
    return numerator / denominator.where(denominator != 0)


# ---- the functions -----------------------------------------------------------------------------------


def collective_disputes(f, p, settings):
    p = _params(p, settings)
    d = _cases(f, p, plan_year=True, industry=True)
    d = d[_collective(d, p)]
    columns = ["case_no", "community", "name", "industry", "dispute_type", "workers", "amount", "level"]
    columns += ["outcome", "received_on", "closed_on", "is_closed"]
    return _newest_first(d[columns])


def dispute_kpis(f, p, settings):
    p = _params(p, settings)
    cases = _cases(f, p)  # every case open at the as-of date counts in open_now, whatever its year
    year = cases[in_year(cases["received_on"], p["year"])]
    closed = year[year["is_closed"]]
    wage = year[year["dispute_type"] == WAGE_ARREARS]
    last_end = p["as_of"] - pd.DateOffset(years=1)  # the same period last year, both ends inclusive
    dated = closed["closed_on"].notna()
    out = {
        "cases": len(year),
        "cases_last": int(cases["received_on"].between(p["last_year_start"], last_end).sum()),
        "collective": int(_collective(year, p).sum()),
        "workers": int(year["workers"].sum()),
        "closed": len(closed),
        "success": int((closed["outcome"] == SUCCESS).sum()),
        "median_days": (closed.loc[dated, "closed_on"] - closed.loc[dated, "received_on"]).dt.days.median(),
        "open_now": int((~cases["is_closed"]).sum()),
        "open_this_year": int((~year["is_closed"]).sum()),
        "overdue_now": int(_overdue(cases, p).sum()),
        "wage_cases": len(wage),
        "wage_workers": int(wage["workers"].sum()),
        "wage_amount": float(wage["amount"].sum()),
    }
    out["success_rate"] = out["success"] / out["closed"] if out["closed"] else None
    return pd.DataFrame([out])


def dispute_rows(f, p, settings):
    p = _params(p, settings)
    d = _cases(f, p, since=p["last_year_start"], industry=True)
    closed = d["is_closed"]
    out = pd.DataFrame(
        {
            "case_no": d["case_no"],
            "community": d["community"],
            "name": d["name"],
            "industry": d["industry"].fillna(UNMATCHED_INDUSTRY),
            "dispute_type": d["dispute_type"].fillna(NO_TYPE),
            "workers": d["workers"],
            "collective": _collective(d, p),
            "amount": d["amount"],
            "level": d["level"].fillna(NO_LEVEL),
            "outcome": d["outcome"].where(closed, PENDING),
            "received_on": d["received_on"],
            "closed_on": d["closed_on"].where(closed),
            "year": d["received_on"].dt.year,
            "month": d["received_on"].dt.month,
            "is_closed": closed,
            "overdue": _overdue(d, p),
        }
    )
    return _newest_first(out)


def dispute_spikes(f, p, settings):
    p = _params(p, settings)
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
    p = _params(p, settings)
    d = _cases(f, p, plan_year=True)
    per_community = (
        d.assign(collective=_collective(d, p))
        .groupby("community")
        .agg(
            cases=("case_no", "size"),
            collective=("collective", "sum"),
            workers=("workers", "sum"),
            amount=("amount", "sum"),
        )
    )
    # open and overdue: every case open at the as-of date, whatever year it was received in
    every = _cases(f, p)
    every = every.assign(open_now=~every["is_closed"], overdue_now=_overdue(every, p))
    opened = (
        every[every["open_now"]]
        .groupby("community")
        .agg(open_now=("open_now", "sum"), overdue_now=("overdue_now", "sum"))
    )
    per_community = per_community.join(opened, how="outer").fillna(0)
    # every community of the live registry, and any community with a case, so a quiet one shows 0
    communities = pd.Index(f["enterprises"]["community"].unique(), name="community").union(per_community.index)
    out = per_community.reindex(communities, fill_value=0).reset_index()
    return out.sort_values(["cases", "community"], ascending=[False, True], ignore_index=True)


def disputes_by_industry(f, p, settings):
    p = _params(p, settings)
    d = _cases(f, p, plan_year=True, industry=True)
    out = (
        d.assign(industry=d["industry"].fillna(UNMATCHED_INDUSTRY), collective=_collective(d, p))
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
    p = _params(p, settings)
    start = pd.Timestamp(p["year"] - 2, 11, 1)  # two months before the previous year, for January's average
    d = _cases(f, p, since=start)
    months = pd.date_range(start, pd.Timestamp(p["year"], 12, 1), freq="MS", name="month_start")
    collective = d.loc[_collective(d, p), "received_on"]
    out = pd.DataFrame({"cases": _monthly(d["received_on"], months), "collective": _monthly(collective, months)})
    out["ma3"] = out["cases"].rolling(3, min_periods=1).mean()
    out = out.reset_index()
    out = out[out["month_start"] >= p["last_year_start"]].reset_index(drop=True)
    after = out["month_start"] > p["as_of"]
    out[["cases", "collective", "ma3"]] = out[["cases", "collective", "ma3"]].mask(after)
    return out.assign(year=out["month_start"].dt.year, month=out["month_start"].dt.month, after_as_of=after)


def disputes_by_type(f, p, settings):
    p = _params(p, settings)
    c = _cases(f, p, plan_year=True)
    per = (
        c.assign(
            dispute_type=c["dispute_type"].fillna(NO_TYPE),
            collective=_collective(c, p),
            success=c["is_closed"] & (c["outcome"] == SUCCESS),
        )
        .groupby("dispute_type")
        .agg(
            cases=("case_no", "size"),
            collective=("collective", "sum"),
            workers=("workers", "sum"),
            amount=("amount", "sum"),
            closed=("is_closed", "sum"),
            success=("success", "sum"),
        )
    )
    out = _with_spine(per, p["types"], "type_order").fillna(0)
    out.insert(len(per.columns), "success_rate", _rate(out["success"], out["closed"]))
    return out.reset_index()


def mediation_levels(f, p, settings):
    p = _params(p, settings)
    c = _cases(f, p, plan_year=True)
    closed, outcome = c["is_closed"], c["outcome"]
    per = (
        c.assign(
            level=c["level"].fillna(NO_LEVEL),
            success=closed & (outcome == SUCCESS),
            failed=closed & (outcome == FAILED),
            withdrawn=closed & (outcome == WITHDRAWN),
            open=~closed,
        )
        .groupby("level")
        .agg(
            cases=("case_no", "size"),
            closed=("is_closed", "sum"),
            success=("success", "sum"),
            failed=("failed", "sum"),
            withdrawn=("withdrawn", "sum"),
            open=("open", "sum"),
        )
    )
    out = _with_spine(per, p["levels"], "level_order").fillna(0)
    out.insert(len(per.columns), "success_rate", _rate(out["success"], out["closed"]))
    total = out["success"].sum()
    out.insert(len(per.columns) + 1, "share_of_settled", out["success"] / total if total else np.nan)
    return out.reset_index()


def open_cases(f, p, settings):
    p = _params(p, settings)
    o = _open_cases(f, p, industry=True)
    o = o.assign(age_band=o["age_band"].astype(str))
    columns = ["case_no", "community", "name", "industry", "dispute_type", "workers", "amount", "level", "outcome"]
    out = o[[*columns, "received_on", "age_days", "age_band", "overdue"]]
    return out.sort_values(["age_days", "case_no"], ascending=[False, True], ignore_index=True)


def open_cases_by_age(f, p, settings):
    p = _params(p, settings)
    o = _open_cases(f, p)
    out = o.groupby("age_band", observed=False).agg(cases=("case_no", "size"), overdue=("overdue", "sum"))
    out["band_order"] = range(1, len(AGE_BANDS) + 1)
    return out.reset_index()


def repeat_employers(f, p, settings):
    p = _params(p, settings)
    # received in the 12 months up to the as-of date: after the day 12 months before it (dates only)
    d = _cases(f, p, since=p["as_of"] - pd.DateOffset(months=12) + pd.Timedelta(days=1))
    # only the employers with enough cases in the window go on to the string work
    d = d[d.groupby("enterprise_key")["case_no"].transform("size") >= p["repeat_cases"]]
    # received_on, then case_no: the order of case_nos, and the SQL's arg_max over (received_on, case_no)
    d = _with_industry(d, f).sort_values(["received_on", "case_no"])
    by_employer = d.groupby("enterprise_key", sort=False)
    out = by_employer.agg(
        name=("name", "last"),
        community=("community", "last"),
        industry=("industry", "first"),
        cases=("case_no", "size"),
        workers=("workers", "sum"),
        amount=("amount", "sum"),
        first_received=("received_on", "min"),
        last_received=("received_on", "max"),
        case_nos=("case_no", "、".join),
    )
    # string_agg(distinct dispute_type order by dispute_type): NULL types left out, NULL when none
    types = d[["enterprise_key", "dispute_type"]].dropna().drop_duplicates().sort_values("dispute_type")
    out["types"] = types.groupby("enterprise_key")["dispute_type"].agg("、".join)
    return out.sort_values(["cases", "workers", "name"], ascending=[False, False, True], ignore_index=True)


def wage_arrears_by_community(f, p, settings):
    p = _params(p, settings)
    c = _cases(f, p, plan_year=True)
    c = c[c["dispute_type"] == WAGE_ARREARS]
    out = (
        c.assign(collective=_collective(c, p), open=~c["is_closed"])
        .groupby("community")
        .agg(
            cases=("case_no", "size"),
            workers=("workers", "sum"),
            amount=("amount", "sum"),
            collective=("collective", "sum"),
            open=("open", "sum"),
        )
        .reset_index()
    )
    return out.sort_values(["amount", "community"], ascending=[False, True], ignore_index=True)


# ---- early warnings over dispute_spikes and collective_disputes ------------------------------------------


def _spike_alerts(s: pd.DataFrame) -> pd.DataFrame:
    """The early_warnings rows of the months that spiked (dispute_spikes' rows), newest first."""
    s = s[s["spike"]].sort_values("month_start", ascending=False)
    message = (
        s["year"].astype(str)
        + "年"
        + s["month"].astype(str)
        + "月受理劳动争议 "
        + s["cases"].map(fmt_int)
        + " 件，超过前12个月平均 "
        + s["mean_prev"].map("{:.1f}".format)
        + " 件加2倍标准差（预警线 "
        + s["threshold"].map("{:.1f}".format)
        + " 件），请关注。"
    )
    return s[["month_start", "cases", "threshold"]].assign(kind=disputes.SPIKE, message=message)


def _collective_alerts(c: pd.DataFrame) -> pd.DataFrame:
    """The early_warnings rows of the collective disputes (collective_disputes' rows, in its order: newest
    first, then by case_no)."""
    state = c["outcome"].where(c["is_closed"], "尚未结案")
    amount = ("，涉及金额 " + c["amount"].map(fmt_yuan)).where(c["amount"].notna(), "")
    # a blank type (NULL, or only spaces) reads 未填类型, as in the dashboard's message
    dispute_type = c["dispute_type"].where(c["dispute_type"].notna() & c["dispute_type"].str.strip().ne(""), NO_TYPE)
    message = (
        "集体争议："
        + c["community"]
        + " "
        + c["name"]
        + "，"
        + dispute_type
        + "，涉及 "
        + c["workers"].astype(str)
        + " 人"
        + amount
        + "，"
        + c["received_on"].dt.strftime("%Y-%m-%d")
        + " 受理，"
        + state
        + "（"
        + c["case_no"]
        + "）。"
    )
    return c[["received_on", "community", "name", "case_no", "workers"]].assign(
        kind=disputes.COLLECTIVE, message=message
    )


def early_warnings(f, p, settings):
    """dashboard/disputes.py's early_warnings over this file's dispute_spikes and collective_disputes, its
    per-row message loop written as column-wise string building; spikes first, then the collective ones."""
    spikes = dispute_spikes(f, p, settings)
    collective = collective_disputes(f, p, settings)
    parts = []
    if spikes["spike"].any():
        parts.append(_spike_alerts(spikes).rename(columns={"month_start": "date"}))
    if not collective.empty:
        parts.append(_collective_alerts(collective).rename(columns={"received_on": "date"}))
    if not parts:
        return pd.DataFrame(columns=disputes.WARNING_COLUMNS)
    return pd.concat(parts, ignore_index=True).reindex(columns=disputes.WARNING_COLUMNS)


PANDAS = {
    "disputes.collective_disputes": collective_disputes,
    "disputes.dispute_kpis": dispute_kpis,
    "disputes.dispute_rows": dispute_rows,
    "disputes.dispute_spikes": dispute_spikes,
    "disputes.disputes_by_community": disputes_by_community,
    "disputes.disputes_by_industry": disputes_by_industry,
    "disputes.disputes_by_month": disputes_by_month,
    "disputes.disputes_by_type": disputes_by_type,
    "disputes.early_warnings": early_warnings,
    "disputes.mediation_levels": mediation_levels,
    "disputes.open_cases": open_cases,
    "disputes.open_cases_by_age": open_cases_by_age,
    "disputes.repeat_employers": repeat_employers,
    "disputes.wage_arrears_by_community": wage_arrears_by_community,
}

if __name__ == "__main__":
    sys.exit(0 if check(disputes, PANDAS, sys.argv[1] if len(sys.argv) > 1 else "street") else 1)
