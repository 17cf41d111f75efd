"""Rates against targets: the gap in enterprises, the red/amber/green status and the street's total,
with the same rules wherever a rate is shown (overview, topic pages, meeting slides, CLI). Pure
functions of counts; no queries.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import pandas as pd

GREEN, AMBER, RED, NO_DATA = "green", "amber", "red", "none"
STATUS_LABELS = {GREEN: "达标", AMBER: "接近", RED: "落后", NO_DATA: "无数据"}


@dataclass(frozen=True)
class RateResult:
    numerator: int
    denominator: int
    target: float  # a fraction, 0.95
    rate: float | None = None  # a fraction; None when the denominator is 0
    gap: int = 0  # the fewest more enterprises in the numerator that reach the target
    status: str = NO_DATA
    extra: dict = field(default_factory=dict)

    @property
    def rate_pct(self) -> float | None:
        return None if self.rate is None else round(self.rate * 100, 2)

    def as_dict(self) -> dict:
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "rate": self.rate_pct,
            "target": round(self.target * 100, 2),
            "gap": self.gap,
        }


def gap_to_target(numerator: int, denominator: int, target: float) -> int:
    """Smallest k >= 0 with (numerator + k) / denominator >= target, computed exactly.

    The target is taken as the decimal it is written as (0.95 is 95/100, not its binary float).
    """
    if denominator <= 0:
        return 0
    t = Fraction(str(target))
    needed = math.ceil(t * denominator)
    return max(0, min(needed, denominator) - numerator)


def rate_status(rate: float | None, target: float, amber_band_pct: float) -> str:
    if rate is None:
        return NO_DATA
    if Fraction(str(rate)) >= Fraction(str(target)) or math.isclose(rate, target):
        return GREEN
    if (target - rate) * 100 <= amber_band_pct + 1e-9:
        return AMBER
    return RED


def summarise_rate(frame: pd.DataFrame, target: float, amber_band_pct: float) -> RateResult:
    """Street (or filtered) total of a per-community rate frame."""
    num = int(frame["numerator"].sum()) if len(frame) else 0
    den = int(frame["denominator"].sum()) if len(frame) else 0
    rate = num / den if den else None
    return RateResult(
        numerator=num,
        denominator=den,
        target=target,
        rate=rate,
        gap=gap_to_target(num, den, target),
        status=rate_status(rate, target, amber_band_pct),
    )


def rate_by_community(frame: pd.DataFrame, target: float, amber_band_pct: float) -> pd.DataFrame:
    """Adds rate, gap and status to each community's row; worst first (largest gap, then lowest rate)."""
    out = frame.copy()
    out["rate"] = [n / d if d else None for n, d in zip(out["numerator"], out["denominator"], strict=True)]
    out["gap"] = [
        gap_to_target(int(n), int(d), target) for n, d in zip(out["numerator"], out["denominator"], strict=True)
    ]
    out["status"] = [rate_status(r, target, amber_band_pct) for r in out["rate"]]
    return out.sort_values(["gap", "rate", "community"], ascending=[False, True, True], ignore_index=True)


def count_by_community(frame: pd.DataFrame, target: int) -> pd.DataFrame:
    """Per-community count against a per-community target; short communities first."""
    out = frame.copy()
    out["target"] = target
    out["short"] = (target - out["count"]).clip(lower=0).astype(int)
    return out.sort_values(["short", "community"], ascending=[False, True], ignore_index=True)


def add_rate(frame: pd.DataFrame, numerator: str, denominator: str, prefix: str, target: float, band: float):
    """Adds <prefix>_rate (a fraction, None with no denominator), <prefix>_gap (enterprises still needed
    for the target) and <prefix>_status to `frame` in place; returns it."""
    nums, dens = frame[numerator].astype(int), frame[denominator].astype(int)
    frame[f"{prefix}_rate"] = pd.Series(
        [n / d if d else None for n, d in zip(nums, dens, strict=True)], dtype="Float64"
    )
    frame[f"{prefix}_gap"] = [gap_to_target(n, d, target) for n, d in zip(nums, dens, strict=True)]
    frame[f"{prefix}_status"] = [
        rate_status(None if pd.isna(r) else float(r), target, band) for r in frame[f"{prefix}_rate"]
    ]
    return frame
