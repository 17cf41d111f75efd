"""The 考核评比 items and weights, and each community's score line by line.

The items: the seven targets (U1 U2 W1 H1 U3 W2 H2, dashboard/metrics.py) and the duties of the work plan
that are measured per community (dashboard/plan.py: its measures, not a second definition of them),
among them the 半年测试 average score, which the plan says counts in the year-end 考核. Each item's weight
is in the [assessment] table of the settings (editable on the admin page); an item weighted 0 is not
scored.

A community's line of an item: its actual figure, the target, attainment = actual ÷ target at most 100 %
(a count with a target of 0 is done), the weight, and its contribution = 100 × weight × attainment ÷ the
community's Σ weight. Σ weight is over the items the community has a base for: a rate with no enterprises
in its base, a duty with no units or nothing due, a test score with no test is left out, not scored
zero, and the other weights count proportionally more. The contributions add up to the score.

Read by the ranking (dashboard/assessment.py) and by a cadre's standing among all communities
(dashboard/benchmarks.py), which computes every community's score with these lines on an unscoped
connection and hands back only hers and her rank.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from dashboard import metrics, plan
from dashboard.config import Settings
from dashboard.filters import Filters
from dashboard.metrics import COUNT_LABELS, RATE_LABELS, Cursor

CODES = ("U1", "U2", "W1", "H1", "U3", "W2", "H2")
LABELS = {**RATE_LABELS, **COUNT_LABELS}


@dataclass(frozen=True)
class Duty:
    """A work-plan duty scored in 考核评比: its key in [assessment] (and its target in [plan]), the
    plan measure it reads, its short name, and how the figure is read off the measure."""

    key: str
    measure_id: str
    label: str
    reads: str = "per_community"  # or "test_score": the measure's average test score


DUTIES = (
    Duty("double_display", "plan.3.2.double_display", "双亮覆盖率"),
    Duty("monthly_topic", "plan.4.1.monthly_topic", "每月一题"),
    Duty("half_year_test", "plan.4.1.half_year_test", "半年测试次数"),
    Duty("test_score", "plan.4.1.half_year_test", "半年测试平均分", "test_score"),
    Duty("training_sessions", "plan.4.1.training", "干部培训"),
    Duty("research_report", "plan.4.2.research_report", "调研报告完成率"),
    Duty("info_quarters", "plan.4.2.info_submission", "信息报送季度"),
    Duty("visit_feedback", "plan.4.3.visit_feedback", "走访反馈季度"),
    Duty("fund_collection", "plan.4.4.union_funds", "经费收缴率"),
    Duty("five_one", "plan.5.1.five_one", "五比一创/四比一创"),
    Duty("skills_training", "plan.5.2.skills_training", "职工技能培训"),
    Duty("culture", "plan.5.3.culture", "职工文化活动"),
    Duty("book_house", "plan.5.3.book_house", "职工书屋"),
    Duty("workers_home", "plan.5.3.workers_home", "职工之家"),
)
DUTY_KEYS = tuple(d.key for d in DUTIES)
ITEMS = (*CODES, *DUTY_KEYS)
ITEM_LABELS = {**LABELS, **{d.key: d.label for d in DUTIES}}
# The units of the actual and target figures, for the lines as shown.
PERCENT_ITEMS = {*RATE_LABELS, "double_display", "research_report", "fund_collection"}
ITEM_UNITS = {
    **{c: "家" for c in COUNT_LABELS},
    "monthly_topic": "期",
    "half_year_test": "次",
    "test_score": "分",
    "training_sessions": "场",
    "info_quarters": "个季度",
    "visit_feedback": "个季度",
    "five_one": "次",
    "skills_training": "次",
    "culture": "次",
    "book_house": "个",
    "workers_home": "个",
}

LINE_COLUMNS = ["community", "item", "label", "actual", "target", "attainment", "weight", "contribution"]


def weights(settings: Settings) -> dict[str, float]:
    """The configured weights of every item (missing ones count 0; negative ones are refused)."""
    raw = settings.raw.get("assessment", {})
    out = {item: float(raw.get(item, 0)) for item in ITEMS}
    bad = [ITEM_LABELS[c] for c, w in out.items() if w < 0]
    if bad:
        raise ValueError(f"考核权重不能为负数：{'、'.join(bad)}。请管理员在「管理员」页的“考核权重”中改正。")
    if sum(out.values()) <= 0:
        raise ValueError("考核权重全部为 0，无法计算得分。请管理员在「管理员」页的“考核权重”中至少给一项设置正的权重。")
    return out


def _target_figures(ov: metrics.Overview, filters: Filters, settings: Settings) -> list[pd.DataFrame]:
    """The seven targets per community: actual (a rate as a fraction, a count), target, attainment."""
    parts = []
    for code in RATE_LABELS:
        frame = ov.rates_by_community[code]
        target = float(settings.target(code, filters.year))
        for community, rate in zip(frame["community"], frame["rate"], strict=True):
            if rate is None or pd.isna(rate):  # no base: left out
                continue
            parts.append((community, code, float(rate), target, min(float(rate) / target, 1.0)))
    for code in COUNT_LABELS:
        frame = ov.counts[code]
        target = int(settings.target(code, filters.year))
        for community, count in zip(frame["community"], frame["count"], strict=True):
            att = min(int(count) / target, 1.0) if target > 0 else 1.0
            parts.append((community, code, float(int(count)), float(target), att))
    return [pd.DataFrame(parts, columns=["community", "item", "actual", "target", "attainment"])]


def _measures(cur: Cursor, filters: Filters, settings: Settings, keys: set[str]) -> dict[str, plan.Measure]:
    """The plan's measures by id, read only when a duty is weighted above 0."""
    if not any(d.key in keys for d in DUTIES):
        return {}
    return {m.id: m for m in plan.all_measures(cur, filters, settings)}


def _duty_figures(measures: dict[str, plan.Measure], filters: Filters, settings: Settings, keys: set[str]):
    """The duties weighted above 0, per community, read off the plan's own measures."""
    out = []
    for duty in (d for d in DUTIES if d.key in keys):
        m = measures[duty.measure_id]
        if duty.reads == "test_score":
            frame = plan.study_scores(m, float(settings.plan_target(duty.key, filters.year)))
        else:
            frame = plan.per_community(m)
        out.append(frame.assign(item=duty.key))
    return out


def _scored(figures: pd.DataFrame, key: str, w: dict[str, float]) -> Evaluation:
    """Lines and scores of the figures (key, item, actual, target, attainment), one score per `key`."""
    used = {k for k, v in w.items() if v > 0}
    listed = sorted(set(figures[key]))
    out = figures[figures["item"].isin(used)].copy()
    out["weight"] = out["item"].map(w).astype(float)
    out["label"] = out["item"].map(ITEM_LABELS)
    out["order"] = out["item"].map({k: i for i, k in enumerate(ITEMS)})
    out = out.sort_values([key, "order"], ignore_index=True)
    total = out.groupby(key)["weight"].transform("sum")
    out["contribution"] = 100 * out["weight"] * out["attainment"].astype(float) / total
    out = out[[key, *LINE_COLUMNS[1:]]]
    summed = out.groupby(key, sort=True)["contribution"].sum()
    scores = pd.Series([summed.get(c) for c in listed], index=listed, dtype="Float64")
    return Evaluation(out, scores)


@dataclass(frozen=True)
class Evaluation:
    """Every community's lines (LINE_COLUMNS, in ITEMS order within a community) and its score, indexed
    by every community with a figure of any item (NA: nothing weighted to score it on). A street's
    evaluation (`evaluate_streets`) has `street` in place of `community`."""

    lines: pd.DataFrame
    scores: pd.Series


def evaluate(cur: Cursor, filters: Filters, settings: Settings) -> Evaluation:
    """The lines and scores of the communities `cur` reads under `filters`; a community's contributions
    add up to its score."""
    w = weights(settings)
    used = {k for k, v in w.items() if v > 0}
    ov = metrics.overview(cur, filters, settings)
    frames = _target_figures(ov, filters, settings) + _duty_figures(
        _measures(cur, filters, settings, used), filters, settings, used
    )
    frames = [f for f in frames if not f.empty]
    if not frames:
        return Evaluation(pd.DataFrame(columns=LINE_COLUMNS), pd.Series(dtype="Float64"))
    return _scored(pd.concat(frames, ignore_index=True), "community", w)


# ---- the street level (区 → 街道 → 社区) --------------------------------------------------------------

STREET_LINE_COLUMNS = ["street", *LINE_COLUMNS[1:]]


def _street_figures(
    ov: metrics.Overview, measures: dict[str, plan.Measure], filters: Filters, settings: Settings, keys: set[str]
) -> pd.DataFrame:
    """One street's own figure of every item (spec.STREET_ASSESSMENT): a rate is the street's rate (its
    communities' numerators over their denominators); a per-community count is the plan's task progress,
    the communities' counts each capped at the target, summed, over the target × the communities; the
    test score is the mean of the communities' average scores. An item with no base is left out."""
    parts = []
    for code in RATE_LABELS:
        rate = ov.rates[code].rate
        if rate is None or pd.isna(rate):
            continue
        target = float(settings.target(code, filters.year))
        parts.append((code, float(rate), target, min(float(rate) / target, 1.0) if target > 0 else 1.0))
    for code in COUNT_LABELS:
        counts = [int(c) for c in ov.counts[code]["count"]]
        if not counts:
            continue
        target = int(settings.target(code, filters.year))
        done = sum(min(c, target) for c in counts)
        whole = target * len(counts)
        parts.append((code, float(done), float(whole), done / whole if whole > 0 else 1.0))
    for duty in (d for d in DUTIES if d.key in keys):
        m = measures[duty.measure_id]
        if duty.reads == "test_score":
            target = float(settings.plan_target(duty.key, filters.year))
            scores = plan.study_scores(m, target)
            if scores.empty:
                continue
            actual = float(scores["actual"].mean())
            parts.append((duty.key, actual, target, min(actual / target, 1.0) if target > 0 else 1.0))
        elif "count" in m.rows.columns:  # per community: Σ min(count, target) ÷ (target × communities)
            if m.rows.empty:
                continue
            share = 1.0 if m.target <= 0 else float(m.task_share)
            parts.append((duty.key, float(m.actual), float(m.target), share))
        elif m.task_share is not None:  # a share of the whole street against the rate target
            target = float(m.target)
            parts.append((duty.key, float(m.actual), target, min(float(m.actual) / target, 1.0) if target else 1.0))
    return pd.DataFrame(parts, columns=["item", "actual", "target", "attainment"])


def street_names(cur: Cursor, filters: Filters) -> list[str]:
    """The streets `cur` reads (a 街道领导's connection: hers), narrowed by the filter bar's 街道."""
    rows = cur.execute("select distinct street from v_current_registry where street is not null").fetchall()
    have = sorted(str(r[0]) for r in rows)
    return [s for s in have if not filters.streets or s in filters.streets]


def _each_street(filters: Filters, street: str, *, communities: bool) -> Filters:
    return replace(filters, streets=(street,), communities=filters.communities if communities else None)


def street_filters(filters: Filters, street: str) -> Filters:
    """The filters a street is evaluated under by evaluate_streets: that street, the communities not read."""
    return _each_street(filters, street, communities=False)


def evaluate_streets(
    cur: Cursor, filters: Filters, settings: Settings, *, overviews: dict[str, metrics.Overview] | None = None
) -> Evaluation:
    """Every street's lines (STREET_LINE_COLUMNS) and score: the same items, weights and formula as a
    community's, over the street's own figure of each item (`_street_figures`); streets are compared
    whole (the filter bar's communities are not read; its streets and registry filters are).
    `overviews`: each street's metrics.overview under `street_filters`, when the caller has them already."""
    w = weights(settings)
    used = {k for k, v in w.items() if v > 0}
    frames = []
    for street in street_names(cur, filters):
        f = street_filters(filters, street)
        ov = overviews[street] if overviews is not None else metrics.overview(cur, f, settings)
        frames.append(_street_figures(ov, _measures(cur, f, settings, used), f, settings, used).assign(street=street))
    frames = [f for f in frames if not f.empty]
    if not frames:
        return Evaluation(pd.DataFrame(columns=STREET_LINE_COLUMNS), pd.Series(dtype="Float64"))
    return _scored(pd.concat(frames, ignore_index=True), "street", w)


def evaluate_by_street(cur: Cursor, filters: Filters, settings: Settings) -> Evaluation:
    """The communities of every street the reader reads, each street evaluated on its own (`evaluate`
    with that street chosen), so two same-named communities of different streets stay apart: the lines
    gain a `street` column first and the scores are indexed by (street, community)."""
    lines, scores = [], []
    for street in street_names(cur, filters):
        ev = evaluate(cur, _each_street(filters, street, communities=True), settings)
        lines.append(ev.lines.assign(street=street)[["street", *LINE_COLUMNS]])
        scores.append(pd.Series(ev.scores.array, index=pd.MultiIndex.from_product([[street], ev.scores.index])))
    if not lines:
        return Evaluation(pd.DataFrame(columns=["street", *LINE_COLUMNS]), pd.Series(dtype="Float64"))
    return Evaluation(pd.concat(lines, ignore_index=True), pd.concat(scores).astype("Float64"))


def attainments(line_frame: pd.DataFrame) -> pd.DataFrame:
    """One row per community (the index), one column per item: the attainment (a fraction), or NA where
    the item is not scored for the community."""
    if line_frame.empty:
        return pd.DataFrame(columns=list(ITEMS), dtype="Float64")
    wide = line_frame.pivot(index="community", columns="item", values="attainment")
    return wide.reindex(columns=list(ITEMS)).astype("Float64")
