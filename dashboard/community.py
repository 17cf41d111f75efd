"""社区画像: one community's indicators against targets, its rank among the street's communities, and
its to-do lists.

Functions are (cursor, filters, settings) -> DataFrame like the topic modules. `filters.communities`
names the one community shown; ranks compare it with every community under the same other filters
(year, as-of, industries, size bands, statuses). A community cadre's cursor reads only her community, so
for her the ranks and the street's values come from dashboard.benchmarks (aggregates of every community,
nothing else of theirs); a leader's are computed here from the street's overview. The to-do lists are the
topic modules' own functions called with the community's filters; only the overdue-dispute list is cut
here from open cases.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from dashboard import benchmarks, disputes, metrics, progress, scope
from dashboard.config import Settings
from dashboard.filters import Filters
from dashboard.metrics import Cursor
from dashboard.rates import AMBER, GREEN, NO_DATA, RED, RateResult

RATE_CODES = ("U1", "U2", "W1", "H1")
COUNT_CODES = ("U3", "W2", "H2")
LABELS = {**metrics.RATE_LABELS, **metrics.COUNT_LABELS}
COLUMNS = [
    "code",
    "label",
    "kind",
    "value",
    "numerator",
    "denominator",
    "target",
    "gap",
    "status",
    "rank",
    "ranked",
    "street_value",
]


def community_of(filters: Filters) -> str | None:
    """The community a 社区画像 is about: the only one in filters.communities."""
    return filters.communities[0] if filters.communities and len(filters.communities) == 1 else None


def street_filters(filters: Filters) -> Filters:
    """The same view over every community: what a community is ranked against."""
    return replace(filters, communities=None)


def _rank(values: dict[str, float], community: str) -> tuple[int | None, int]:
    """1 + the number of communities strictly ahead (ties share a rank), and how many were ranked."""
    if community not in values:
        return None, len(values)
    mine = values[community]
    return 1 + sum(v > mine for v in values.values()), len(values)


def community_indicators(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """One row per indicator (U1 U2 W1 H1, then U3 W2 H2) for the community: value (a rate as a fraction,
    or a count), numerator/denominator for rates, target, gap (enterprises still needed, or how many the
    count is short), status, rank among communities (1 = best; communities with no denominator are not
    ranked), how many were ranked, and the street's value (rate of all, or the sum of counts).

    A count's status: green when done, amber while short but keeping up with the clock (时间进度),
    red when behind it.
    """
    community = community_of(filters)
    ov = metrics.overview(cur, street_filters(filters), settings)
    rows = []
    for code in RATE_CODES:
        frame = ov.rates_by_community[code].set_index("community")
        target = float(settings.target(code, filters.year))
        rated = {c: float(r) for c, r in frame["rate"].items() if r is not None and not pd.isna(r)}
        rank, ranked = _rank(rated, community)
        if community in frame.index:
            r = frame.loc[community]
            num, den = int(r["numerator"]), int(r["denominator"])
            value = num / den if den else None
            gap, status = int(r["gap"]), str(r["status"])
        else:
            num, den, value, gap, status = 0, 0, None, 0, NO_DATA
        rows.append(
            dict(
                code=code,
                label=LABELS[code],
                kind="rate",
                value=value,
                numerator=num,
                denominator=den,
                target=target,
                gap=gap,
                status=status,
                rank=rank,
                ranked=ranked,
                street_value=ov.rates[code].rate,
            )
        )
    for code in COUNT_CODES:
        target = int(settings.target(code, filters.year))
        frame = progress.count_progress(
            ov.counts[code][["community", "count"]], target, filters.year, filters.as_of_date
        )
        frame = frame.set_index("community")
        counts = {c: float(n) for c, n in frame["count"].items()}
        rank, ranked = _rank(counts, community)
        count = int(frame.loc[community, "count"]) if community in frame.index else 0
        behind = bool(frame.loc[community, "behind"]) if community in frame.index else True
        short = max(target - count, 0)
        rows.append(
            dict(
                code=code,
                label=LABELS[code],
                kind="count",
                value=count,
                numerator=None,
                denominator=None,
                target=target,
                gap=short,
                status=GREEN if short == 0 else (RED if behind else AMBER),
                rank=rank,
                ranked=ranked,
                street_value=int(frame["count"].sum()),
            )
        )
    out = pd.DataFrame(rows, columns=COLUMNS)
    within = scope.of(cur)
    if within.by_community:  # the overview above held only the reader's rows: rank and street from the whole
        out = _compared_with_all(out, cur, community, filters, settings, within)
    out["rank"] = pd.array(out["rank"], dtype="Int64")
    return out


def _compared_with_all(
    out: pd.DataFrame, cur: Cursor, community: str | None, filters: Filters, settings: Settings, within: scope.Scope
) -> pd.DataFrame:
    """For a limited scope: rank, ranked and street_value from benchmarks.standing when the community is
    one the reader may see; none at all (not the reader's own figures passed off as the street's) when not."""
    out = out.astype({"rank": object, "street_value": object})
    if community is None or community not in (within.communities or ()):
        out["rank"], out["ranked"], out["street_value"] = None, 0, None
        return out
    standing = benchmarks.standing(cur, community, filters, settings)
    for i, code in enumerate(out["code"]):
        out.at[i, "rank"] = standing.places[code].rank
        out.at[i, "ranked"] = standing.places[code].of
        out.at[i, "street_value"] = standing.street_values[code]
    return out


def community_scorecard(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Every community's rates, gaps and counts (dashboard.metrics.community_scorecard) under the same
    other filters: the table a community is compared with."""
    return metrics.community_scorecard(metrics.overview(cur, street_filters(filters), settings))


def overdue_disputes(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Cases open at the as-of date for longer than the statutory mediation period, oldest first."""
    frame = disputes.open_cases(cur, filters, settings)
    return frame[frame["overdue"].astype(bool)].reset_index(drop=True)


def rate_results(indicators: pd.DataFrame) -> dict[str, RateResult]:
    """The rate rows of community_indicators as RateResult, for the KPI cards."""
    out = {}
    for r in indicators[indicators["kind"] == "rate"].itertuples():
        value = None if r.value is None or pd.isna(r.value) else float(r.value)
        out[r.code] = RateResult(
            numerator=int(r.numerator),
            denominator=int(r.denominator),
            target=float(r.target),
            rate=value,
            gap=int(r.gap),
            status=str(r.status),
        )
    return out


def rank_text(rank, ranked: int) -> str:
    """'在 10 个社区中排第 3' or, for a community not ranked, '未参与排名'."""
    if rank is None or pd.isna(rank):
        return "无数据，未参与排名"
    return f"在 {int(ranked)} 个社区中排第 {int(rank)}"
