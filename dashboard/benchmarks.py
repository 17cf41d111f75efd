"""Where a community stands among all the street's communities, for a reader who may see only her own.

A community cadre's connections read only her community (dashboard/scope.py), so a rank or a street-wide
rate computed through them compares her with herself ("在 1 个社区中排第 1", the street's rate equal to
hers). The monthly meeting shows every community its real rank and the street's figure, so she may know
them; she may not see another community's rows or figures.

`standing()` is the one place that reads the whole street on behalf of a limited scope, and it is kept
small so it can be checked by eye:
- it refuses a community outside the caller's scope (its rank is that community's business);
- it opens an unscoped connection deliberately (`scope.using(scope.ALL)`) to the database the caller's
  cursor reads, and runs queries/community_standing.sql, which returns aggregates only: per indicator
  the street's numerator and denominator, the community's rank and how many were ranked;
- for 考核评比 it computes every community's score on that connection with dashboard/scoring.py (the one
  definition, which counts the work plan's duties too) and keeps only the community's own score, its
  rank among the scored communities and how many communities the ranking lists;
- it checks that the query's result has exactly those columns (none names a community) and returns only
  those numbers, for that one community.
tests/test_benchmarks.py works the figures out by hand and checks them against what a leader is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from dashboard import db, scope, scoring
from dashboard.config import Settings
from dashboard.filters import Filters
from dashboard.metrics import RATE_LABELS, Cursor

QUERY = "community_standing"
COLUMNS = ["code", "street_numerator", "street_denominator", "rank", "ranked"]


@dataclass(frozen=True)
class Place:
    """A rank (1 = best; ties share it; None: not ranked, no figure) among `of` communities."""

    rank: int | None
    of: int


@dataclass(frozen=True)
class Standing:
    """One community among all: per indicator code its place and the street's value (a rate as a fraction,
    None without a base; a count as the street's sum), and its 考核评比 score (None: nothing to score) and
    place."""

    community: str
    places: dict[str, Place]
    street_values: dict[str, float | int | None]
    score: float | None
    score_place: Place


def params(community: str, filters: Filters, settings: Settings) -> dict:
    """The query's parameters: the filters (their communities unused), the community and the indicator
    codes in scoring.CODES order."""
    return {**filters.params(settings), "community": community, "codes": list(scoring.CODES)}


def _score_place(con: Cursor, community: str, filters: Filters, settings: Settings) -> tuple[float | None, Place]:
    """`community`'s 考核评比 score and place among every community's, on an unscoped connection. Invalid
    weights (the 考核评比 page says why) score nothing; the indicator ranks still come back."""
    try:
        scores = scoring.evaluate(con, replace(filters, communities=None), settings).scores
    except ValueError:
        return None, Place(None, 0)
    order = scores.round(9)  # as the ranking table ranks: sums equal on paper tie in floats too
    mine = order.get(community)
    if mine is None or pd.isna(mine):
        return None, Place(None, len(scores))
    ahead = int((order.dropna() > mine).sum())
    return float(scores[community]), Place(1 + ahead, len(scores))


def standing(cur: Cursor, community: str, filters: Filters, settings: Settings) -> Standing:
    """`community`'s ranks and the street's values under `filters` (their communities aside), compared with
    every community of the street, whoever reads: the only figures about other communities a limited
    scope is given, and aggregates only."""
    within = scope.of(cur)
    if not within.is_all and within.communities is not None and community not in within.communities:
        raise PermissionError(f"只能查看本社区的排名，不能查看{community}的排名。")
    if within.streets is not None:  # compared within the reader's street: a same-named community elsewhere
        filters = replace(filters, streets=within.streets)  # is another community, and not hers to rank

    with scope.using(scope.ALL), db.connect(db.path_of(cur)) as con:  # deliberate: aggregates only, below
        frame = db.run_query(con, QUERY, params(community, filters, settings))
        score, score_place = _score_place(con.cursor(), community, filters, settings)
    if list(frame.columns) != COLUMNS:  # nothing but these numbers may leave this function
        raise RuntimeError(f"{QUERY}.sql returned columns {list(frame.columns)}, expected {COLUMNS}")
    rows = {str(r["code"]): r for r in frame.to_dict("records")}

    def whole(value) -> int | None:
        return None if value is None or value != value else int(value)

    places = {code: Place(whole(rows[code]["rank"]), int(rows[code]["ranked"])) for code in scoring.CODES}
    street: dict[str, float | int | None] = {}
    for code in scoring.CODES:
        num, den = whole(rows[code]["street_numerator"]), whole(rows[code]["street_denominator"])
        street[code] = (num / den if den else None) if code in RATE_LABELS else num
    return Standing(community=community, places=places, street_values=street, score=score, score_place=score_place)
