"""时间进度与任务进度, and where a rate will stand on 31 December at this year's pace.

Two plain definitions, shown on the pages in words (PROGRESS_NOTE, PROJECTION_NOTE):
- time share = days of the plan year gone by the as-of date (the as-of date included) / days in the year;
  task share = count done / target, capped at 100 %. A community is behind when task share < time share
  ("时间过半、任务过半" means both at least a half).
- projection: the numerator moved from `start` (on 31 December of the year before) to `now` (on the
  as-of date); continuing at that average pace for the rest of the year gives
  projected = start + (now - start) / time share, rounded down to whole enterprises and kept between 0
  and the denominator. The denominator is taken as it is today. Shortfall = the enterprises still
  missing from the target at the projected numerator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard.rates import gap_to_target

PROGRESS_NOTE = (
    "时间进度 = 截至统计截止日已过天数 ÷ 全年天数；任务进度 = 已完成数 ÷ 目标数（最多 100%）。"
    "任务进度低于时间进度即为“进度滞后”。"
)
PROJECTION_NOTE = (
    "年末预测：按本年 1 月 1 日至统计截止日的平均进度推算到 12 月 31 日。"
    "年末预计数 = 上年末数 + （截止日数 − 上年末数）÷ 时间进度，取整数并以当前分母为上限；"
    "预计差距 = 按此预计数距离目标还差的企业数。"
)


def days_in_year(year: int) -> int:
    return (date(year + 1, 1, 1) - date(year, 1, 1)).days


def days_gone(year: int, as_of: date) -> int:
    """Days of `year` gone by `as_of`, the as-of day included (1 on 1 January, 365 or 366 on 31 December)."""
    if as_of.year < year:
        return 0
    if as_of.year > year:
        return days_in_year(year)
    return (as_of - date(year, 1, 1)).days + 1


def time_share(year: int, as_of: date) -> float:
    return days_gone(year, as_of) / days_in_year(year)


def count_progress(frame: pd.DataFrame, target: int, year: int, as_of: date) -> pd.DataFrame:
    """Per-community counts (community, count) with target, task share, time share and whether behind;
    behind communities first, then the lowest task share."""
    out = frame[["community", "count"]].copy()
    ts = time_share(year, as_of)
    out["target"] = target
    out["task_share"] = [min(int(c) / target, 1.0) if target > 0 else 1.0 for c in out["count"]]
    out["time_share"] = ts
    out["behind"] = out["task_share"] < ts - 1e-12
    out["short"] = (target - out["count"]).clip(lower=0).astype(int)
    return out.sort_values(["behind", "task_share", "community"], ascending=[False, True, True], ignore_index=True)


def task_share_total(frame: pd.DataFrame, target: int) -> float | None:
    """The street's task share: each community's done count capped at the target, over all targets."""
    if frame.empty or target <= 0:
        return None
    done = sum(min(int(c), target) for c in frame["count"])
    return done / (target * len(frame))


@dataclass(frozen=True)
class Projection:
    start: int  # numerator on 31 December of the year before
    now: int  # numerator on the as-of date
    denominator: int
    target: float
    projected: int  # numerator expected on 31 December at this pace
    projected_rate: float | None
    shortfall: int  # enterprises still missing from the target at the projected numerator

    @property
    def on_track(self) -> bool:
        return self.denominator > 0 and self.shortfall == 0


def project_rate(start: int, now: int, denominator: int, year: int, as_of: date, target: float) -> Projection:
    """Where the rate will be on 31 December if the year goes on as it went so far (see module docstring)."""
    gone, total = days_gone(year, as_of), days_in_year(year)
    # exact integer arithmetic: floor(start + (now - start) * total / gone)
    projected = now if gone <= 0 else start + ((now - start) * total) // gone
    projected = max(0, min(projected, denominator))
    return Projection(
        start=start,
        now=now,
        denominator=denominator,
        target=target,
        projected=projected,
        projected_rate=projected / denominator if denominator else None,
        shortfall=gap_to_target(projected, denominator, target),
    )
