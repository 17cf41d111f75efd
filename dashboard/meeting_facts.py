"""The facts of a meeting month: what the deck (dashboard/meeting.py) and 本月要点
(dashboard/highlights.py) are made of, read from the database once.

A meeting is about one month of one plan year. Every figure is read at the end of that month (or today,
while the month is under way) and compared with the end of the month before. Nothing here imports
Streamlit.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from dashboard import aid, disputes, harmonious, metrics, scope, unionization, wages
from dashboard.config import Settings
from dashboard.db import run_query
from dashboard.filters import Filters
from dashboard.metrics import Cursor

# ---- the month -----------------------------------------------------------------------------------


def month_end(year: int, month: int, today: date | None = None) -> date:
    """The day a month's figures are read: its last day, or today while the month is under way."""
    today = today or date.today()
    last = date(year, month, calendar.monthrange(year, month)[1])
    return today if date(year, month, 1) <= today < last else last


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def month_filters(year: int, month: int, base: Filters | None = None, today: date | None = None) -> Filters:
    """Filters for a meeting month: the plan year and the month's end as the as-of date; the street,
    streets, communities and industries of `base` are kept."""
    return Filters(
        year=year,
        as_of=month_end(year, month, today),
        street=base.street if base else None,
        streets=base.streets if base else None,
        communities=base.communities if base else None,
        industries=base.industries if base else None,
    )


def _shift(filters: Filters, year: int, as_of: date) -> Filters:
    return Filters(
        year=year,
        as_of=as_of,
        street=filters.street,
        streets=filters.streets,
        communities=filters.communities,
        industries=filters.industries,
    )


# ---- the facts of a month -------------------------------------------------------------------------


@dataclass
class MonthFacts:
    """Everything the slides and 本月要点 are made of, read from the database once."""

    year: int
    month: int
    filters: Filters  # at the end of the month
    prev_filters: Filters  # at the end of the month before
    overview: metrics.Overview
    prev_overview: metrics.Overview
    union_by_community: pd.DataFrame  # unionization.union_coverage_by_community
    w1_by_community: pd.DataFrame  # wages.w1_by_community
    harmony_by_community: pd.DataFrame  # harmonious.harmonious_by_community
    w3: pd.DataFrame  # metrics.industry_agreements
    new_unions_month: dict[str, int]  # community -> unions founded in the month
    new_signings_month: dict[str, int]  # community -> enterprises with a 新签 agreement signed in the month
    aid_campaigns: pd.DataFrame  # aid.aid_campaigns, the plan year to the month's end
    aid_month: pd.DataFrame  # campaign, people, amount, jobs given in the month
    aid_prev_month: pd.DataFrame  # the same for the month before
    dispute_months: pd.DataFrame  # disputes.disputes_by_month
    dispute_kpis: dict  # disputes.dispute_kpis at the month's end
    ledgers: dict[str, int]  # rows per ledger: which ledgers were uploaded at all
    count_progress: dict[str, pd.DataFrame] = field(default_factory=dict)  # U3/W2/H2 per community vs the clock
    community: str | None = None  # the communities the figures cover when not every one (a cadre's own)

    @property
    def as_of(self) -> date:
        return self.filters.as_of_date

    def cases_in(self, year: int, month: int) -> tuple[int, int] | None:
        """(cases received, collective) in a month, None when the month is not covered."""
        row = self.dispute_months[(self.dispute_months["year"] == year) & (self.dispute_months["month"] == month)]
        if row.empty or pd.isna(row["cases"].iloc[0]):
            return None
        return int(row["cases"].iloc[0]), int(row["collective"].iloc[0])


def meeting_ledger_rows(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """One row: how many rows each of the five ledgers holds for the street, every year."""
    return run_query(cur, "meeting_ledger_rows", filters.params(settings), many_rows=True)


def _count_map(frame: pd.DataFrame) -> dict[str, int]:
    return {str(c): int(n) for c, n in zip(frame["community"], frame["count"], strict=True)}


def _in_month(cum_now: dict[str, int], cum_before: dict[str, int]) -> dict[str, int]:
    """Counts of the month from year-to-date counts at its end and at the end of the month before."""
    return {c: n - cum_before.get(c, 0) for c, n in cum_now.items() if n - cum_before.get(c, 0) > 0}


def _aid_in_month(cur: Cursor, filters: Filters, settings: Settings, year: int, month: int) -> pd.DataFrame:
    """People (人次), amount and jobs given in one month, per campaign, from year-to-date sums."""
    cols = ["campaign", "people", "amount", "jobs"]

    def ytd(as_of: date) -> pd.DataFrame:
        frame = metrics.aid_by_campaign(cur, _shift(filters, year, as_of), settings)
        frame = frame.assign(amount=frame["cash"].fillna(0).astype(float) + frame["goods"].fillna(0).astype(float))
        return frame[cols].set_index("campaign")

    now = ytd(date(year, month, calendar.monthrange(year, month)[1]))
    if month == 1:
        out = now
    else:
        before = ytd(date(year, month - 1, calendar.monthrange(year, month - 1)[1]))
        out = now.sub(before, fill_value=0)
    out = out[out["people"] > 0].reset_index()
    out["people"] = out["people"].astype(int)
    out["jobs"] = out["jobs"].astype(int)
    return out.sort_values(["people", "campaign"], ascending=[False, True], ignore_index=True)[cols]


def month_facts(cur: Cursor, filters: Filters, settings: Settings) -> MonthFacts:
    """The facts of the month that ends at filters.as_of (the plan year is filters.year)."""
    year, month = filters.year, filters.as_of_date.month
    py, pm = previous_month(year, month)
    prev = _shift(filters, py, date(py, pm, calendar.monthrange(py, pm)[1]))
    ov = metrics.overview(cur, filters, settings)
    prev_ov = metrics.overview(cur, prev, settings)
    # month counts as differences of year-to-date counts; January has nothing before it in the year
    start_of_year = month == 1
    new_unions = _count_map(ov.counts["U3"])
    new_signings = _count_map(ov.counts["W2"])
    before_unions = {} if start_of_year else _count_map(prev_ov.counts["U3"])
    before_signings = {} if start_of_year else _count_map(prev_ov.counts["W2"])
    kpis = disputes.dispute_kpis(cur, filters, settings)
    ledgers = meeting_ledger_rows(cur, filters, settings).iloc[0]
    count_prog = {
        "U3": unionization.new_unions_progress(cur, filters, settings),
        "W2": wages.w2_progress(cur, filters, settings),
        "H2": harmonious.new_harmonious_progress(cur, filters, settings),
    }
    return MonthFacts(
        year=year,
        month=month,
        filters=filters,
        prev_filters=prev,
        overview=ov,
        prev_overview=prev_ov,
        union_by_community=unionization.union_coverage_by_community(cur, filters, settings),
        w1_by_community=wages.w1_by_community(cur, filters, settings),
        harmony_by_community=harmonious.harmonious_by_community(cur, filters, settings),
        w3=metrics.industry_agreements(cur, filters, settings),
        new_unions_month=_in_month(new_unions, before_unions),
        new_signings_month=_in_month(new_signings, before_signings),
        aid_campaigns=aid.aid_campaigns(cur, filters, settings),
        aid_month=_aid_in_month(cur, filters, settings, year, month),
        aid_prev_month=_aid_in_month(cur, filters, settings, py, pm),
        dispute_months=disputes.disputes_by_month(cur, filters, settings),
        dispute_kpis={k: (None if pd.isna(v) else v) for k, v in kpis.iloc[0].items()} if len(kpis) else {},
        ledgers={k: int(v) for k, v in ledgers.items()},
        count_progress=count_prog,
        community=covered_communities(cur, filters),
    )


def covered_communities(cur: Cursor, filters: Filters) -> str | None:
    """The communities a deck read through `cur` covers, in words (scope.label), when that is not every
    community: the filters' choice, or the reader's own community for a cadre. None for the whole street."""
    within = scope.of(cur)
    if not within.by_community and not filters.communities:  # every community (of a 街道领导's street)
        return None
    return scope.label(filters.communities, within)
