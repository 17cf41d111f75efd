"""The street level (区 → 街道 → 社区): streets ranked side by side when more than one street is loaded.

`standing` runs queries/street_standing.sql on the reader's own connection (a 区领导 reads every street; a
街道领导's connection holds only her street, so she is given her street alone) and returns one row per
street and indicator; `table` turns it into the ranking table the pages, the deck and the meeting pack
show (one row per street, each indicator's value and rank). With one street loaded nothing here is shown:
the pages look as they did before streets (`many_streets`).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from dashboard import assessment, db, metrics, scoring, spec
from dashboard.config import Settings
from dashboard.filters import Filters
from dashboard.formatting import fmt_int, fmt_pct, fmt_yuan
from dashboard.metrics import COUNT_LABELS, RATE_LABELS, Cursor

QUERY = "street_standing"
COLUMNS = ["code", "street", "communities", "numerator", "denominator", "value", "rank", "ranked"]
SHORT = {
    "U1": "U1 独立建会率",
    "U2": "U2 建会率",
    "W1": "W1 签约率",
    "H1": "H1 A级以上占比",
    "U3": "U3 新增建会",
    "W2": "W2 新增建制",
    "H2": "H2 新创和谐",
    "A1": "A1 帮扶救助",
    "D1": "D1 劳动争议",
}
SHOWN = ("A1", "D1")  # per street, shown and not ranked (the plan sets them no target)
SCORE = "考核得分"


def streets_in(places: pd.DataFrame) -> list[str]:
    """The streets of a `communities` lookup (street, community rows)."""
    return sorted({str(s) for s in places["street"].dropna()}) if "street" in places else []


def many_streets(cur: Cursor, filters: Filters, settings: Settings) -> bool:
    """More than one street in the reader's data: the street level is shown."""
    return len(streets_in(db.run_query(cur, "communities", filters.params(settings)))) > 1


def standing(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Every street's figure of every indicator (scoring.CODES order) and its rank among the streets, under
    the filter bar's streets and registry filters (its communities are not read)."""
    params = {**filters.params(settings), "codes": [*scoring.CODES, *SHOWN]}
    frame = db.run_query(cur, QUERY, params)
    return frame[COLUMNS]


def ranking(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """The street ranking as every surface shows it (考核评比, 总览, the deck's slide, the pack's sheet):
    `table` of `standing`, with each street's 考核评比 score (scoring.evaluate_streets: the communities'
    formula over the street's own figures) and its rank by the unrounded score."""
    return table(standing(cur, filters, settings), scoring.evaluate_streets(cur, filters, settings).scores)


def scorecards(
    cur: Cursor, filters: Filters, settings: Settings, *, overviews: dict[str, metrics.Overview] | None = None
) -> pd.DataFrame:
    """metrics.community_scorecard of every street read, each street's overview on its own, with the street
    first: at district level the overview's 落后社区 keeps two same-named communities of different streets
    apart. Ordered as the scorecard (most targets missed first), then by street and community.
    `overviews`: each street's metrics.overview under replace(filters, streets=(street,)), when at hand."""
    frames = []
    for street in scoring.street_names(cur, filters):
        if overviews is not None:
            ov = overviews[street]
        else:
            ov = metrics.overview(cur, replace(filters, streets=(street,)), settings)
        card = metrics.community_scorecard(ov)
        card.insert(0, "street", street)
        frames.append(card)
    if not frames:
        return pd.DataFrame(columns=["street", "community", "targets_missed"])
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["targets_missed", "street", "community"], ascending=[False, True, True], ignore_index=True)


def district_tables(cur: Cursor, filters: Filters, settings: Settings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`ranking` and `scorecards` together (总览 at district level shows both): each street's
    metrics.overview is computed once for the two when the filter bar names no communities (the ranking
    never reads them; with communities chosen the scorecards' overviews are narrowed to them, apart).
    The same tables as the two functions called one after the other (tests/test_street_scope.py)."""
    shared = {
        street: metrics.overview(cur, scoring.street_filters(filters, street), settings)
        for street in scoring.street_names(cur, filters)
    }
    wide = table(
        standing(cur, filters, settings), scoring.evaluate_streets(cur, filters, settings, overviews=shared).scores
    )
    cards = scorecards(cur, filters, settings, overviews=shared if filters.communities is None else None)
    return wide, cards


def street_lines(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Every street's 考核评比 lines (scoring.STREET_LINE_COLUMNS): what its score is made of, item by item."""
    return scoring.evaluate_streets(cur, filters, settings).lines


def lines_table(lines: pd.DataFrame) -> pd.DataFrame:
    """A street's lines as shown and exported (assessment.lines_table's columns, 街道 first)."""
    shown = assessment.lines_table(lines.rename(columns={"street": "community"}), community=False)
    shown.insert(0, "街道", list(lines["street"]))
    return shown


def as_json(frame: pd.DataFrame) -> list[dict]:
    """standing() as JSON values: one object per street and indicator (the CLI's `metrics --json`)."""

    def whole(v) -> int | None:
        return None if pd.isna(v) else int(v)

    return [
        {
            "street": str(r["street"]),
            "code": str(r["code"]),
            "communities": whole(r["communities"]),
            "numerator": whole(r["numerator"]),
            **({"amount": round(float(r["value"]), 2)} if r["code"] == "A1" else {}),
            "denominator": whole(r["denominator"]),
            "rank": whole(r["rank"]),
            "ranked": whole(r["ranked"]),
        }
        for r in frame.to_dict("records")
    ]


def score_ranks(scores: pd.Series) -> pd.Series:
    """Ranks by the unrounded score, best first (ties share a rank, as the communities'); NA unscored."""
    order = pd.Series(scores, dtype="Float64").round(9)
    return order.rank(method="min", ascending=False).astype("Int64")


def table(frame: pd.DataFrame, scores: pd.Series | None = None) -> pd.DataFrame:
    """The street ranking as numbers, one row per street: 社区数, the 考核评比 score and its rank when
    `scores` (by street) are given, then per indicator its value (a rate as a fraction, a count as the
    street's sum; A1 the amount and 人次, D1 the cases) and its rank; ordered by the street's name."""
    if frame.empty:
        return pd.DataFrame(columns=["street", "communities"])
    streets = sorted(frame["street"].unique())
    out = pd.DataFrame({"street": streets})
    first = frame.drop_duplicates("street").set_index("street")["communities"]
    out["communities"] = [int(first[s]) for s in streets]
    if scores is not None:
        score = pd.Series([scores.get(s) for s in streets], index=streets, dtype="Float64")
        out["score"] = score.array
        out["score_rank"] = score_ranks(score).array
    for code in (*scoring.CODES, *(c for c in SHOWN if c in set(frame["code"]))):
        rows = frame[frame["code"] == code].set_index("street")
        out[f"{code}_numerator"] = [rows.loc[s, "numerator"] for s in streets]
        out[f"{code}_denominator"] = [rows.loc[s, "denominator"] for s in streets]
        out[f"{code}_value"] = [rows.loc[s, "value"] for s in streets]
        out[f"{code}_rank"] = [rows.loc[s, "rank"] for s in streets]
    return out


def for_display(wide: pd.DataFrame, *, compact: bool = False) -> pd.DataFrame:
    """The ranking table in Chinese: 街道, 社区数, 考核得分 「50.15 第1名」 (when scored), then per indicator
    「66.7%（2/3） 第1名」, A1 「1,200元（3人次）」 and D1 「受理4件」; `compact` (the deck's slide, where the
    columns share the width): 「66.7% 第1」, 「1,200元」, 「4件」 (the note under the slide says 第1 is the rank)."""
    out = pd.DataFrame({"街道": wide["street"], "社区数": wide["communities"]})
    if "score" in wide.columns:
        cells = []
        for value, rank in zip(wide["score"], wide["score_rank"], strict=True):
            if pd.isna(value):
                cells.append("—")
                continue
            place = f" 第{int(rank)}" if compact else f" 第{int(rank)}名"
            cells.append(f"{assessment.shown(value):.2f}{place}")
        out[SCORE] = cells
    for code in scoring.CODES:
        cells = []
        for num, den, value, rank in zip(
            wide[f"{code}_numerator"],
            wide[f"{code}_denominator"],
            wide[f"{code}_value"],
            wide[f"{code}_rank"],
            strict=True,
        ):
            if code in RATE_LABELS:
                shown = "—" if pd.isna(value) else fmt_pct(value)
                if not compact and not pd.isna(value):
                    shown += f"（{fmt_int(num)}/{fmt_int(den)}）"
            else:
                shown = f"{fmt_int(num)}家"
            place = "" if pd.isna(rank) else (f" 第{int(rank)}" if compact else f" 第{int(rank)}名")
            cells.append(shown + place)
        out[SHORT[code]] = cells
    if "A1_value" in wide.columns:
        out[SHORT["A1"]] = [
            fmt_yuan(v) if compact else f"{fmt_yuan(v)}（{fmt_int(n)}人次）"
            for v, n in zip(wide["A1_value"], wide["A1_numerator"], strict=True)
        ]
    if "D1_value" in wide.columns:
        out[SHORT["D1"]] = [f"{fmt_int(n)}件" if compact else f"受理{fmt_int(n)}件" for n in wide["D1_numerator"]]
    return out


LABELS = {**RATE_LABELS, **COUNT_LABELS}
NOTE = (
    "各街道按各项指标并列排名：比率为全街道合计（各社区分子之和 ÷ 分母之和），新增数为各社区之和；"
    "并列的名次相同。考核得分："
    + spec.STREET_ASSESSMENT
    + "帮扶救助（本年人次、金额）和劳动争议（本年受理件数）只列出，不排名。"
    "社区筛选不影响街道排名，街道和行业、规模、状态筛选照常适用。"
)
