"""考核评比: communities ranked by a score combining how far each has reached each target of the plan.

attainment of a rate target = the community's rate ÷ the target, capped at 100 %; of a per-community
count = count ÷ target, capped at 100 %. score = 100 × Σ weight × attainment ÷ Σ weight, over the targets
the community has data for (a rate with no enterprises in its base is left out, not scored as zero).
Weights come from the [assessment] table of the settings (dashboard/scoring.py), so an administrator
can change them.
Communities are ranked by the unrounded score; the table shows two decimals, and a score short of 100
never reads 100 (a community missing a target by a hair is not shown tied with one meeting them all).

A community cadre's cursor reads only her community: her row's score is computed here from her own
figures, and its rank (among every community, not among the one she sees) comes from
dashboard.benchmarks, which gives her no other community's row or score.
"""

from __future__ import annotations

import pandas as pd

from dashboard import benchmarks, metrics, scope
from dashboard.config import Settings
from dashboard.filters import Filters
from dashboard.metrics import COUNT_LABELS, RATE_LABELS, Cursor
from dashboard.scoring import CODES, LABELS, weights


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
    return (
        "得分 = 100 × Σ（权重 × 完成度）÷ Σ 权重。完成度 = 实际值 ÷ 目标值，最高 100%；"
        "某项没有统计基数（如没有25人以上企业）时不计入，其余权重按比例折算。计分项目：" + "；".join(parts) + "。"
    )


def assessment_ranking(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """One row per community: attainment of each target (a fraction), the unrounded score (0–100) and
    the rank by it (ties share a rank), best first."""
    w = weights(settings)
    ov = metrics.overview(cur, filters, settings)
    parts = []
    for code in RATE_LABELS:
        frame = ov.rates_by_community[code]
        target = float(settings.target(code, filters.year))
        att = [None if r is None or pd.isna(r) else min(float(r) / target, 1.0) for r in frame["rate"]]
        parts.append(pd.Series(att, index=frame["community"], name=code, dtype="Float64"))
    for code in COUNT_LABELS:
        frame = ov.counts[code]
        target = int(settings.target(code, filters.year))
        att = [min(int(c) / target, 1.0) if target > 0 else 1.0 for c in frame["count"]]
        parts.append(pd.Series(att, index=frame["community"], name=code, dtype="Float64"))
    if not parts or all(p.empty for p in parts):
        return pd.DataFrame(columns=["rank", "community", "score", *CODES])
    table = pd.concat(parts, axis=1)
    scores = []
    for _, row in table.iterrows():
        used = {c: w[c] for c in CODES if w[c] > 0 and not pd.isna(row[c])}
        total = sum(used.values())
        scores.append(100 * sum(used[c] * float(row[c]) for c in used) / total if total else None)
    table["score"] = pd.Series(scores, index=table.index, dtype="Float64")
    # ranked by the unrounded score; rounding to 9 decimals only makes sums equal on paper tie in floats
    table["order"] = table["score"].round(9)
    table = table.reset_index().rename(columns={"index": "community"})
    table = table.sort_values(["order", "community"], ascending=[False, True], na_position="last", ignore_index=True)
    table.insert(0, "rank", table["order"].rank(method="min", ascending=False).astype("Int64"))
    if not scope.of(cur).is_all:  # ranked above among the reader's own rows only: the real rank instead
        places = {c: own_place(cur, filters, settings, c) for c in table["community"]}
        table["rank"] = pd.array([places[c]["rank"] for c in table["community"]], dtype="Int64")
    return table[["rank", "community", "score", *CODES]]


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
    decimals (see `shown`)."""
    out = frame.copy()
    out["score"] = [shown(v) for v in out["score"]]
    for code in CODES:
        out[code] = [None if pd.isna(v) else shown(float(v) * 100) for v in out[code]]
    return out.rename(
        columns={"rank": "名次", "community": "社区", "score": "得分", **{c: f"{LABELS[c]}完成度（%）" for c in CODES}}
    )
