"""Plain-pandas versions of dashboard/disputes.py's functions (second half: types, mediation levels, open
cases, repeat employers, wage arrears, early warnings), for bench/bench_queries.py (see bench/pandas_common.py)."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
from pandas_common import check, in_year

from dashboard import disputes
from dashboard.formatting import fmt_int, fmt_yuan

FILTERS_NOT_HANDLED = ("street", "communities", "industries", "size_bands", "statuses")

PENDING = "调解中"  # the outcome of a case not closed
SUCCESS, FAILED, WITHDRAWN = "调解成功", "调解不成", "撤回"
WAGE_ARREARS = "劳动报酬"
NO_TYPE, NO_LEVEL = "未填类型", "未填层级"
OTHER_ORDER = 99  # where the spine puts a label outside the vocabulary
# queries/open_cases*.sql: age bands by days open (upper bounds inclusive)
AGE_BINS = [-np.inf, 15, 30, 60, 90, np.inf]
AGE_BANDS = ["15天以内", "16–30天", "31–60天", "61–90天", "90天以上"]


def _params(p: dict, settings) -> dict:
    """dashboard/disputes.py's params: the shared ones plus the vocabularies and thresholds."""
    assert all(p[k] is None for k in FILTERS_NOT_HANDLED), "only the benchmark's filters are implemented"
    return {
        **p,
        "types": list(disputes.TYPES),
        "levels": list(disputes.LEVELS),
        "overdue_days": int(settings.rule("mediation_overdue_days")),
        "repeat_cases": int(settings.rule("repeat_employer_cases")),
    }


def _is_closed(d: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Closed at the as-of date: a final outcome, closed by then (or undated). `outcome` is NOT NULL."""
    return (d["outcome"] != PENDING) & (d["closed_on"].isna() | (d["closed_on"] <= as_of))


def _year_cases(f: dict, p: dict) -> pd.DataFrame:
    """The `cases` CTE: cases received in the plan year up to the as-of date, with is_closed. (The SQL's
    join to the registry only serves the industry / size / status filters, which are None here.)"""
    d = f["disputes"]
    d = d[in_year(d["received_on"], p["year"]) & (d["received_on"] <= p["as_of"])]
    return d.assign(is_closed=_is_closed(d, p["as_of"]))


def _industry(f: dict) -> pd.Series:
    """industry_of: one industry per enterprise key of the live registry (any_value)."""
    e = f["enterprises"].drop_duplicates("enterprise_key")
    return e.set_index("enterprise_key")["industry"]


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


def disputes_by_type(f, p, settings):
    p = _params(p, settings)
    c = _year_cases(f, p)
    per = (
        c.assign(
            dispute_type=c["dispute_type"].fillna(NO_TYPE),
            collective=c["workers"] >= p["collective_workers"],
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
    c = _year_cases(f, p)
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


def _open_cases(f: dict, p: dict) -> pd.DataFrame:
    """Every case received by the as-of date and not closed by then (any year), with age_days, overdue
    and its age band (an ordered categorical)."""
    d = f["disputes"]
    as_of = p["as_of"]
    d = d[(d["received_on"] <= as_of) & ~_is_closed(d, as_of)]
    age = (as_of - d["received_on"]).dt.days
    return d.assign(
        age_days=age,
        overdue=age > p["overdue_days"],
        age_band=pd.cut(age, AGE_BINS, labels=AGE_BANDS),
    )


def open_cases(f, p, settings):
    p = _params(p, settings)
    o = _open_cases(f, p)
    o = o.assign(industry=o["enterprise_key"].map(_industry(f)), age_band=o["age_band"].astype(str))
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
    as_of = p["as_of"]
    d = f["disputes"]
    rd = d["received_on"]
    d = d[(rd <= as_of) & (rd > as_of - pd.DateOffset(months=12))]
    # only the employers with enough cases in the window go on to the string work
    d = d[d.groupby("enterprise_key")["case_no"].transform("size") >= p["repeat_cases"]]
    # received_on, then case_no: the order of case_nos, and the SQL's arg_max over (received_on, case_no)
    d = d.assign(industry=d["enterprise_key"].map(_industry(f))).sort_values(["received_on", "case_no"])
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
    out = out.sort_values(["cases", "workers", "name"], ascending=[False, False, True], ignore_index=True)
    return out


def wage_arrears_by_community(f, p, settings):
    p = _params(p, settings)
    c = _year_cases(f, p)
    c = c[c["dispute_type"] == WAGE_ARREARS]
    out = (
        c.assign(collective=c["workers"] >= p["collective_workers"], open=~c["is_closed"])
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


def _dispute_spikes(f: dict, p: dict) -> pd.DataFrame:
    """queries/dispute_spikes.sql: the plan year's months (up to the as-of month) with cases, mean_prev,
    sd_prev (sample), threshold = mean + 2 sd over the 12 months before, judged and spike."""
    d = f["disputes"]
    received = d.loc[d["received_on"] <= p["as_of"], "received_on"]
    months = received.dt.to_period("M")
    first = months.min()  # NaT without cases
    start = pd.Period(p["last_year_start"], "M")
    if first is not pd.NaT and first < start:
        start = first
    spine = pd.period_range(start, pd.Period(p["as_of"], "M"), freq="M")
    cases = months.value_counts().reindex(spine, fill_value=0)
    before = cases.shift(1).rolling(12, min_periods=1)  # rows between 12 preceding and 1 preceding
    out = pd.DataFrame(
        {
            "month_start": spine.to_timestamp(),
            "cases": cases.to_numpy(),
            "mean_prev": before.mean().to_numpy(),
            "sd_prev": before.std().to_numpy(),
            "months_prev": before.count().to_numpy(),
        }
    )
    out["threshold"] = out["mean_prev"] + 2 * out["sd_prev"]
    out["judged"] = (out["months_prev"] == 12) & (first is not pd.NaT) & (spine - 12 >= first)
    out["spike"] = out["judged"] & (out["cases"] > out["threshold"])
    return out[in_year(out["month_start"], p["year"])]


def _spike_alerts(s: pd.DataFrame) -> pd.DataFrame:
    """The early_warnings rows of the months that spiked, newest first."""
    s = s[s["spike"]].sort_values("month_start", ascending=False)
    month = s["month_start"].dt
    message = (
        month.year.astype(str)
        + "年"
        + month.month.astype(str)
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
    """The early_warnings rows of the collective disputes (the year's cases), newest first, then by case_no."""
    c = c.sort_values(["received_on", "case_no"], ascending=[False, True])
    state = c["outcome"].where(c["is_closed"], "尚未结案")
    amount = ("，涉及金额 " + c["amount"].map(fmt_yuan)).where(c["amount"].notna(), "")
    # The dashboard writes `r.dispute_type or '未填类型'`; a NULL type reaches it as NaN (pandas' string
    # dtype), which is truthy, so it would print "nan". Here a blank type is 未填类型, as intended.
    dispute_type = c["dispute_type"].fillna("").replace("", NO_TYPE)
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
    """dashboard/disputes.py's early_warnings over its two queries computed in pandas (dispute_spikes,
    collective_disputes), its per-row message loop written as column-wise string building."""
    p = _params(p, settings)
    spikes = _dispute_spikes(f, p)
    c = _year_cases(f, p)
    collective = c[c["workers"] >= p["collective_workers"]]
    parts = []
    if spikes["spike"].any():
        parts.append(_spike_alerts(spikes).rename(columns={"month_start": "date"}))
    if not collective.empty:
        parts.append(_collective_alerts(collective).rename(columns={"received_on": "date"}))
    if not parts:
        return pd.DataFrame(columns=disputes.WARNING_COLUMNS)
    return pd.concat(parts, ignore_index=True).reindex(columns=disputes.WARNING_COLUMNS)


PANDAS = {
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
