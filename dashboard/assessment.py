"""考核评比: communities ranked by a score combining how far each has reached each target and each duty of
the work plan, explained line by line.

The items, their weights and each community's lines are dashboard/scoring.py's: attainment = the
community's figure ÷ the target, capped at 100 %; score = 100 × Σ weight × attainment ÷ Σ weight over the
items the community has a base for (a rate with no enterprises in its base, a duty with no units or
nothing due, a test score with no test is left out, not scored as zero). A line's contribution is
100 × weight × attainment ÷ Σ weight, so a community's lines add up to its score.
Weights come from the [assessment] table of the settings, which an administrator edits on the admin page.
Communities are ranked by the unrounded score; the table shows two decimals, and a score short of 100
never reads 100 (a community missing a target by a hair is not shown tied with one meeting them all).

At district level (more than one street read, dashboard/scoring.py `evaluate_by_street`) each street's
communities are evaluated with that street chosen, so two same-named communities of different streets
stay apart: the ranking and the lines gain a `street` column (街道) and a row is a (street, community).
The streets themselves are ranked by dashboard/streets.py `ranking` (the same formula, the street's own
figures).

A community cadre's cursor reads only her community: her row and lines are computed here from her own
figures, and its rank (among every community, not among the one she sees) comes from
dashboard.benchmarks, which gives her no other community's row or score.
"""

from __future__ import annotations

import pandas as pd

from dashboard import benchmarks, scope
from dashboard.config import Settings
from dashboard.filters import Filters
from dashboard.metrics import RATE_LABELS, Cursor
from dashboard.scoring import (
    CODES,
    DUTY_KEYS,
    ITEM_LABELS,
    ITEM_UNITS,
    ITEMS,
    LABELS,
    PERCENT_ITEMS,
    evaluate,
    evaluate_by_street,
    street_names,
    weights,
)


def formula_text(settings: Settings, year: int) -> str:
    """The formula in words, with this year's targets and weights, shown beside the ranking."""
    w = weights(settings)
    total = sum(w.values())
    parts = []
    for code in CODES:
        if w[code] <= 0:
            continue
        t = settings.target(code, year)
        target = f"{float(t) * 100:.0f}%" if code in RATE_LABELS else f"{int(t)}家"
        parts.append(f"{LABELS[code]}（目标{target}，权重{w[code] / total * 100:.0f}%）")
    duties = [f"{ITEM_LABELS[k]}（权重{w[k] / total * 100:.1f}%）" for k in DUTY_KEYS if w[k] > 0]
    text = (
        "得分 = 100 × Σ（权重 × 完成度）÷ Σ 权重。完成度 = 实际值 ÷ 目标值，最高 100%；"
        "某项没有统计基数（如没有25人以上企业、没有应缴经费、没有参加测试）时不计入，其余权重按比例折算。"
        "计分项目：" + "；".join(parts) + "。"
    )
    if duties:
        text += "工作计划事项（目标见“工作计划”页）：" + "；".join(duties) + "。"
    return text


def _ranked(ev, cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """The ranking of an evaluation: rank, (street,) community, score, then each item's attainment (a
    fraction). An evaluation by street (scores indexed by (street, community)) keeps the street."""
    keys = ["street", "community"] if isinstance(ev.scores.index, pd.MultiIndex) else ["community"]
    if ev.scores.empty:
        return pd.DataFrame(columns=["rank", *keys, "score", *ITEMS])
    wide = ev.lines.pivot(index=keys, columns="item", values="attainment") if len(ev.lines) else None
    at = list(ev.scores.index)
    table = pd.DataFrame(at, columns=keys) if len(keys) > 1 else pd.DataFrame({"community": at})
    table["score"] = ev.scores.array
    for item in ITEMS:
        column = wide[item] if wide is not None and item in wide.columns else None
        values = [None if column is None or pd.isna(column.get(k)) else column.get(k) for k in at]
        table[item] = pd.array(values, dtype="Float64")
    # ranked by the unrounded score; rounding to 9 decimals only makes sums equal on paper tie in floats
    table["order"] = table["score"].round(9)
    table = table.sort_values(
        ["order", "community", *keys[:-1]], ascending=[False, True, *[True] * (len(keys) - 1)], na_position="last"
    ).reset_index(drop=True)
    table.insert(0, "rank", table["order"].rank(method="min", ascending=False).astype("Int64"))
    if scope.of(cur).by_community:  # ranked above among the reader's own rows only: the real rank instead
        places = {c: own_place(cur, filters, settings, c) for c in table["community"]}
        table["rank"] = pd.array([places[c]["rank"] for c in table["community"]], dtype="Int64")
    return table[["rank", *keys, "score", *ITEMS]]


def district_level(cur: Cursor, filters: Filters, settings: Settings | None = None) -> bool:
    """More than one street read (a 区领导, no single street chosen): communities are kept by street.
    (`settings` unused: a page loads it as every page function, ui.data.load.)"""
    return not scope.of(cur).by_community and len(street_names(cur, filters)) > 1


def _evaluation(cur: Cursor, filters: Filters, settings: Settings):
    if district_level(cur, filters):
        return evaluate_by_street(cur, filters, settings)
    return evaluate(cur, filters, settings)


def assessment_ranking(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """One row per community: attainment of each item (a fraction; NA where not scored), the unrounded
    score (0–100) and the rank by it (ties share a rank), best first. At district level a row is a
    (street, community), with the street in a `street` column after the rank."""
    return _ranked(_evaluation(cur, filters, settings), cur, filters, settings)


def assessment_lines(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Every community's lines (scoring.LINE_COLUMNS, with `street` first at district level): what its
    score is made of, item by item."""
    return _evaluation(cur, filters, settings).lines


def row_label(community: str, street: str | None = None) -> str:
    """A ranking row as the 得分明细 selector names it: '东风社区', or at district level '东风社区（河西街道）'."""
    return community if street is None else f"{community}（{street}）"


def street_scores(cur: Cursor, filters: Filters, settings: Settings) -> pd.Series:
    """Every community's unrounded score (NA: nothing to score) of the communities `cur` reads."""
    return evaluate(cur, filters, settings).scores


def shown(value, digits: int = 2) -> float | None:
    """A score or an attainment in percent as shown: `digits` decimals, but 100 only when it is 100
    (99.996 reads 99.99, not 100.00)."""
    if value is None or pd.isna(value):
        return None
    value = float(value)
    if value >= 100 - 1e-9:
        return round(value, digits)
    return min(round(value, digits), 100 - 10**-digits)


def own_place(cur: Cursor, filters: Filters, settings: Settings, community: str | None = None) -> dict | None:
    """For a reader limited to one community (a cadre): that community's score and its rank among every
    community of the street under the same other filters, {'community', 'score', 'rank', 'of'}; None for a
    reader who sees every community (their ranking table says it all) or none."""
    within = scope.of(cur)
    if community is None:
        if within.is_all or not within.communities or len(within.communities) != 1:
            return None
        community = within.communities[0]
    standing = benchmarks.standing(cur, community, filters, settings)
    return {
        "community": community,
        "score": standing.score,
        "rank": standing.score_place.rank,
        "of": standing.score_place.of,
    }


def place_text(place: dict) -> str:
    """'第5名/共10个社区', or for a community without a score '未参与排名/共10个社区'."""
    rank = place["rank"]
    head = "未参与排名" if rank is None or pd.isna(rank) else f"第{int(rank)}名"
    return f"{head}/共{int(place['of'])}个社区"


def ranking_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The ranking as shown and exported: Chinese headers, the score and attainment in percent with two
    decimals (see `shown`); the seven targets, then the duties scored."""
    out = frame.copy()
    out["score"] = [shown(v) for v in out["score"]]
    items = [c for c in ITEMS if c in CODES or (c in out.columns and out[c].notna().any())]
    for item in items:
        out[item] = [None if pd.isna(v) else shown(float(v) * 100) for v in out[item]]
    out = out[["rank", *(["street"] if "street" in out.columns else []), "community", "score", *items]]
    return out.rename(
        columns={
            "rank": "名次",
            "street": "街道",
            "community": "社区",
            "score": "得分",
            **{c: f"{ITEM_LABELS[c]}完成度（%）" for c in items},
        }
    )


def figure_text(item: str, value) -> str:
    """An item's actual or target figure as shown in the lines: a rate in percent, a count with its unit."""
    if value is None or pd.isna(value):
        return "—"
    value = float(value)
    if item in PERCENT_ITEMS:
        return f"{value * 100:.1f}%"
    if item == "test_score":
        return f"{value:.1f} 分"
    return f"{value:.0f} {ITEM_UNITS.get(item, '')}".strip()


LINE_LABELS = {
    "street": "街道",
    "community": "社区",
    "label": "项目",
    "actual": "实际值",
    "target": "目标",
    "attainment": "完成度（%）",
    "weight": "权重",
    "contribution": "得分贡献",
}


def lines_table(lines: pd.DataFrame, *, community: bool = True) -> pd.DataFrame:
    """The lines as shown and exported: 项目, 实际值, 目标, 完成度, 权重, 得分贡献 (four decimals, so that they
    visibly add up to the two-decimal score), Chinese headers; with the community (and the street, at
    district level) first when asked."""
    out = pd.DataFrame(
        {
            **({"street": lines["street"]} if "street" in lines.columns else {}),
            "community": lines["community"],
            "label": lines["label"],
            "actual": [figure_text(i, v) for i, v in zip(lines["item"], lines["actual"], strict=True)],
            "target": [figure_text(i, v) for i, v in zip(lines["item"], lines["target"], strict=True)],
            "attainment": [shown(float(a) * 100) for a in lines["attainment"]],
            "weight": [float(w) for w in lines["weight"]],
            "contribution": [round(float(c), 4) for c in lines["contribution"]],
        }
    )
    if not community:
        out = out.drop(columns=[c for c in ("street", "community") if c in out.columns])
    return out.rename(columns=LINE_LABELS).reset_index(drop=True)


def lines_sheets(lines: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The ranking workbook's second sheet: every line of every community the reader sees."""
    return {"得分明细": lines_table(lines)}
