"""集体协商 (wage agreements) page data: W1–W3 in depth, the expiry and unsigned lists, and progress.

Lists and tables are (cursor, filters, settings) -> DataFrame over queries/<function name>.sql, like
dashboard.metrics. Time progress (时间进度与任务进度) and the year-end projection of W1 are worked out
here from those frames, so that no page computes a number.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd

from dashboard import metrics, progress
from dashboard.config import Settings
from dashboard.db import run_query
from dashboard.filters import Filters
from dashboard.metrics import Cursor
from dashboard.rates import RateResult, gap_to_target, rate_by_community, summarise_rate

AGREEMENT_TYPES = ("单独签订", "行业性", "区域性")
ALL_COMMUNITIES = "全部"

# One definition of time progress and of the year-end projection for every page (dashboard.progress).
PROJECTION_DEFINITION = progress.PROJECTION_NOTE
TIME_PROGRESS_DEFINITION = progress.PROGRESS_NOTE


def _params(filters: Filters, settings: Settings) -> dict:
    return {**filters.params(settings), "warning_days": int(settings.rule("expiry_warning_days"))}


def coverage_by_type(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Enterprises and employees covered by agreements in force, per community (and 全部) and type (and 合计)."""
    return run_query(cur, "wages_coverage_by_type", filters.params(settings))


def coverage_table(frame: pd.DataFrame) -> pd.DataFrame:
    """coverage_by_type as one row per community: enterprises and employees per agreement type and in total."""
    columns = ["community"]
    for kind in (*AGREEMENT_TYPES, "合计"):
        columns += [f"{kind}_enterprises", f"{kind}_employees"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    wide = frame.pivot_table(
        index="community", columns="agreement_type", values=["enterprises", "employees"], aggfunc="sum", fill_value=0
    )
    out = pd.DataFrame({"community": wide.index})
    for kind in (*AGREEMENT_TYPES, "合计"):
        for value in ("enterprises", "employees"):
            col = (value, kind)
            out[f"{kind}_{value}"] = wide[col].astype(int).to_numpy() if col in wide.columns else 0
    # the street total last
    out["_last"] = out["community"] == ALL_COMMUNITIES
    return out.sort_values(["_last", "community"], ignore_index=True).drop(columns="_last")[columns]


def expiring_agreements(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """到期提醒: enterprises whose coverage ends within settings.rule('expiry_warning_days') days of as-of."""
    return run_query(cur, "wages_expiring_agreements", _params(filters, settings), many_rows=True)


def expired_without_renewal(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """到期未续签: operating enterprises whose last agreement expired before as-of, none in force now."""
    return run_query(cur, "wages_expired_without_renewal", filters.params(settings), many_rows=True)


def unsigned_enterprises(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """未签约名单: unionised operating enterprises with no agreement in force at as-of (W1's gap)."""
    return run_query(cur, "wages_unsigned_enterprises", filters.params(settings), many_rows=True)


def expiry_by_community(expiring: pd.DataFrame, expired: pd.DataFrame) -> pd.DataFrame:
    """Per community: how many enterprises are about to lapse and how many already lapsed unrenewed."""
    a = expiring.groupby("community").size().rename("expiring")
    b = expired.groupby("community").size().rename("expired")
    out = pd.concat([a, b], axis=1).fillna(0).astype(int).reset_index(names="community")
    if out.empty:
        return pd.DataFrame({"community": [], "expiring": [], "expired": []})
    out = out.sort_values(["expired", "expiring", "community"], ascending=[False, False, True], ignore_index=True)
    return out


def signings_by_month(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Agreement rows signed per month and sign kind, this plan year (to as-of) and the year before."""
    return run_query(cur, "wages_signings_by_month", filters.params(settings))


def wage_increase_distribution(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Rows signed this plan year per one-point band of the wage increase agreed."""
    return run_query(cur, "wages_increase_distribution", filters.params(settings))


def signed_agreement_rows(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """The agreement rows behind the signing calendar and the wage-increase histogram: signed this plan
    year (to as-of) or the year before, with year, month and increase_band; by signing date."""
    return run_query(cur, "wages_signed_agreement_rows", filters.params(settings), many_rows=True)


def rows_for_signing_pick(
    frame: pd.DataFrame, year: int, *, month: int | None = None, increase_band: int | None = None
) -> pd.DataFrame:
    """The rows a click selects: signed in `year`, in `month` (a calendar bar or point) and with a wage
    increase in the one-point band starting at `increase_band` (a histogram bar); None leaves that
    criterion out."""
    out = frame[frame["year"] == year]
    if month is not None:
        out = out[out["month"] == month]
    if increase_band is not None:
        out = out[out["increase_band"] == increase_band]
    return out.reset_index(drop=True)


def wage_increase_summary(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Count, mean, median, min and max of the wage increase per agreement type and 合计."""
    return run_query(cur, "wages_increase_summary", filters.params(settings))


# ---- W1 / W2 against the clock -------------------------------------------------------------------


def w1_by_community(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """W1 per community with rate, gap and status, worst first."""
    target = float(settings.target("W1", filters.year))
    return rate_by_community(metrics.wage_agreement_signing(cur, filters, settings), target, settings.amber_band_pct)


def w1_summary(cur: Cursor, filters: Filters, settings: Settings) -> RateResult:
    """W1 for the filtered street: rate, target, gap in enterprises and status (the KPI card)."""
    target = float(settings.target("W1", filters.year))
    return summarise_rate(metrics.wage_agreement_signing(cur, filters, settings), target, settings.amber_band_pct)


def w2_progress(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """W2 per community against its target and the clock (dashboard.progress.count_progress).

    Columns: community, count, target, task_share, time_share, behind, short. Behind communities first.
    """
    target = int(settings.target("W2", filters.year))
    frame = metrics.new_wage_agreements_by_community(cur, filters, settings)
    return progress.count_progress(frame, target, filters.year, filters.as_of_date)


def w1_projection(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """W1 projected to 31 December per community and for all (community 全部); see PROJECTION_DEFINITION.

    Columns: community, start (signed at the end of last year), numerator, denominator, rate, projected,
    projected_rate, target, shortfall (enterprises the projection falls short of the target by).
    """
    as_of = filters.as_of_date
    target = float(settings.target("W1", filters.year))
    now = metrics.wage_agreement_signing(cur, filters, settings)
    # the pace is measured from the end of last year, as for every rate (dashboard.progress)
    start = metrics.wage_agreement_signing(cur, replace(filters, as_of=date(filters.year - 1, 12, 31)), settings)
    frame = now.merge(
        start[["community", "numerator"]].rename(columns={"numerator": "start"}), on="community", how="left"
    )
    frame["start"] = frame["start"].fillna(0).astype(int)
    total = pd.DataFrame(
        {
            "community": [ALL_COMMUNITIES],
            "numerator": [int(frame["numerator"].sum())],
            "denominator": [int(frame["denominator"].sum())],
            "start": [int(frame["start"].sum())],
        }
    )
    frame = pd.concat([frame, total], ignore_index=True)
    rows = []
    for r in frame.itertuples():
        n, d, s = int(r.numerator), int(r.denominator), int(r.start)
        p = progress.project_rate(s, n, d, filters.year, as_of, target).projected
        rows.append(
            {
                "community": r.community,
                "start": s,
                "numerator": n,
                "denominator": d,
                "rate": n / d if d else None,
                "projected": p,
                "projected_rate": p / d if d else None,
                "target": target,
                "shortfall": gap_to_target(p, d, target),
            }
        )
    return pd.DataFrame(rows)


def headline(w2: pd.DataFrame, w3: pd.DataFrame) -> dict:
    """The figures under the W2 and W3 cards: new signings, communities short and by how many, and the
    industry/area agreements in force with the enterprises and employees they cover."""
    short = w2[w2["short"] > 0]
    return {
        "new_signed": int(w2["count"].sum()),
        "short_communities": len(short),
        "short_total": int(short["short"].sum()),
        "w3_agreements": len(w3),
        "w3_enterprises": int(w3["enterprises"].sum()),
        "w3_employees": int(w3["employees"].sum()),
    }
