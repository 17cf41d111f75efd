"""和谐企业 in depth: grade distribution per community and year, movements between the plan year and the
year before, 待创建名单, H2 against 时间进度, and H1 projected to year end. Each function is
(cursor, filters, settings) -> DataFrame over queries/<same name>.sql (H1 and H2 themselves are in
dashboard.metrics).
"""

from __future__ import annotations

import pandas as pd

from dashboard import progress
from dashboard.config import Settings
from dashboard.db import run_query
from dashboard.filters import Filters
from dashboard.metrics import Cursor, harmonious_a_or_above, new_harmonious_by_community
from dashboard.rates import RateResult, add_rate, summarise_rate

MOVEMENT_LABELS = {
    "upgraded": "升级",
    "downgraded": "降级",
    "lapsed": "未续评（失效）",
    "new": "新进入A级以上",
    "unchanged": "等级不变",
    "other": "其他",
}
MOVEMENT_ORDER = tuple(MOVEMENT_LABELS)


def _params(filters: Filters, settings: Settings) -> dict:
    return {**filters.params(settings), "grade_scale": list(settings.rule("grade_scale"))}


def grade_scale(settings: Settings) -> list[str]:
    return [str(g) for g in settings.rule("grade_scale")]


def harmonious_grade_distribution(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Enterprises per community, year and grade (long form: community, year, grade, enterprises)."""
    return run_query(cur, "harmonious_grade_distribution", _params(filters, settings))


def grade_table(frame: pd.DataFrame, scale: list[str], by: str) -> pd.DataFrame:
    """The long distribution pivoted: one row per `by` value (community or year), one column per grade of
    the scale in its order (grades outside the scale kept after it), and a total."""
    if frame.empty:
        return pd.DataFrame(columns=[by, *scale, "total"])
    wide = frame.pivot_table(index=by, columns="grade", values="enterprises", aggfunc="sum", fill_value=0)
    extra = sorted(c for c in wide.columns if c not in scale)
    wide = wide.reindex(columns=[*scale, *extra], fill_value=0).astype(int)
    wide["total"] = wide.sum(axis=1)
    wide.columns.name = None
    return wide.reset_index()


def harmonious_movements(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """One row per enterprise graded in the plan year or the year before, with its movement
    (upgraded, downgraded, unchanged, new, lapsed, other; rules in the SQL)."""
    return run_query(cur, "harmonious_movements", _params(filters, settings), many_rows=True)


def movement_summary(movements: pd.DataFrame) -> pd.DataFrame:
    """Counts per community and movement, every movement a column in MOVEMENT_ORDER."""
    if movements.empty:
        return pd.DataFrame(columns=["community", *MOVEMENT_ORDER])
    out = pd.crosstab(movements["community"], movements["movement"])
    out = out.reindex(columns=list(MOVEMENT_ORDER), fill_value=0).astype(int)
    out.columns.name = None
    return out.reset_index()


def harmonious_todo(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """待创建名单 (membership rules in the SQL); closest to A first."""
    return run_query(cur, "harmonious_todo", filters.params(settings), many_rows=True)


def harmonious_pace(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """H1 numerator per community at the end of the year before (start) and now, with the denominator."""
    return run_query(cur, "harmonious_pace", filters.params(settings))


def harmonious_projection(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """H1 projected to 31 December at the pace of the year so far (dashboard.progress), one row."""
    pace = harmonious_pace(cur, filters, settings)
    start, now, den = (int(pace[c].sum()) if len(pace) else 0 for c in ("start", "now", "denominator"))
    target = float(settings.target("H1", filters.year))
    p = progress.project_rate(start, now, den, filters.year, filters.as_of_date, target)
    return pd.DataFrame([{"indicator": "H1", **p.__dict__, "now_rate": now / den if den else None}])


def new_harmonious_progress(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """H2 per community against its target, with 时间进度 and 任务进度."""
    frame = new_harmonious_by_community(cur, filters, settings)
    target = int(settings.target("H2", filters.year))
    return progress.count_progress(frame, target, filters.year, filters.as_of_date)


def harmonious_rate(cur: Cursor, filters: Filters, settings: Settings) -> RateResult:
    """H1 for the filtered street: rate, target, gap in enterprises and status (the KPI card)."""
    frame = harmonious_a_or_above(cur, filters, settings)
    return summarise_rate(frame, float(settings.target("H1", filters.year)), settings.amber_band_pct)


def harmonious_by_community(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Per community: H1 (numerator, denominator, h1_rate, h1_gap, h1_status) beside H2 (count, short);
    every community with enterprises listed, the largest H1 gap first."""
    h1 = harmonious_a_or_above(cur, filters, settings)
    add_rate(h1, "numerator", "denominator", "h1", float(settings.target("H1", filters.year)), settings.amber_band_pct)
    h2 = new_harmonious_progress(cur, filters, settings)[["community", "count", "short"]]
    out = h2.merge(h1, on="community", how="outer")
    for col in ("numerator", "denominator", "count", "h1_gap", "short"):
        out[col] = out[col].fillna(0).astype(int)
    return out.sort_values(["h1_gap", "short", "community"], ascending=[False, False, True], ignore_index=True)
