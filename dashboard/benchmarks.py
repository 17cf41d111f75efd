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
  the street's numerator and denominator, the community's rank and how many were ranked, and for
  考核评比 the community's own score, its rank and how many communities the ranking lists;
- it checks that the result has exactly those columns (none names a community) and returns only those
  numbers, for that one community.
tests/test_benchmarks.py works the figures out by hand and checks them against what a leader is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import db, scope, scoring
from dashboard.config import Settings
from dashboard.filters import Filters
from dashboard.metrics import RATE_LABELS, Cursor

QUERY = "community_standing"
COLUMNS = ["code", "street_numerator", "street_denominator", "score", "rank", "ranked"]
SCORE = "score"


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


def _weights(settings: Settings) -> dict[str, float]:
    """The 考核评比 weights; invalid ones (the 考核评比 page says why) score nothing, ranks still come back."""
    try:
        return scoring.weights(settings)
    except ValueError:
        return {code: 0.0 for code in scoring.CODES}


def params(community: str, filters: Filters, settings: Settings) -> dict:
    """The query's parameters: the filters (their communities unused), the community, targets and weights
    in scoring.CODES order (rate targets as fractions, count targets as whole enterprises)."""
    weights = _weights(settings)
    targets = [
        float(settings.target(c, filters.year)) if c in RATE_LABELS else float(int(settings.target(c, filters.year)))
        for c in scoring.CODES
    ]
    return {
        **filters.params(settings),
        "community": community,
        "codes": list(scoring.CODES),
        "targets": targets,
        "weights": [weights[c] for c in scoring.CODES],
    }


def standing(cur: Cursor, community: str, filters: Filters, settings: Settings) -> Standing:
    """`community`'s ranks and the street's values under `filters` (their communities aside), compared with
    every community of the street, whoever reads: the only figures about other communities a limited
    scope is given, and aggregates only."""
    within = scope.of(cur)
    if not within.is_all and community not in (within.communities or ()):
        raise PermissionError(f"只能查看本社区的排名，不能查看{community}的排名。")
    with scope.using(scope.ALL), db.connect(db.path_of(cur)) as con:  # deliberate: aggregates only, below
        frame = db.run_query(con, QUERY, params(community, filters, settings))
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
    score = rows[SCORE]["score"]
    return Standing(
        community=community,
        places=places,
        street_values=street,
        score=None if score is None or score != score else float(score),
        score_place=Place(whole(rows[SCORE]["rank"]), int(rows[SCORE]["ranked"])),
    )
