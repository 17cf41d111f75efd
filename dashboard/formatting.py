"""Numbers written the Chinese way for screens: 91.8%, 1,234, 12.3万元, 1.20亿元."""

from __future__ import annotations

import math

import pandas as pd

DASH = "—"


def _missing(x) -> bool:
    # pandas' missing values too: a nullable Float64 column's <NA> was written "<NA>%"
    return x is None or x is pd.NA or x is pd.NaT or (isinstance(x, float) and math.isnan(x))


def fmt_pct(fraction: float | None, digits: int = 1) -> str:
    """0.9182 -> '91.8%' (one decimal on screen)."""
    if _missing(fraction):
        return DASH
    return f"{fraction * 100:.{digits}f}%"


def fmt_int(n) -> str:
    if _missing(n):
        return DASH
    return f"{int(n):,}"


def fmt_yuan(amount) -> str:
    """Yuan with 万/亿 for large sums: 8,500元, 12.3万元, 1.20亿元."""
    if _missing(amount):
        return DASH
    amount = float(amount)
    if abs(amount) >= 1e8:
        return f"{amount / 1e8:.2f}亿元"
    if abs(amount) >= 1e4:
        return f"{amount / 1e4:.1f}万元"
    return f"{amount:,.0f}元"


def fmt_gap(gap: int, unit: str = "家") -> str:
    """What a meeting acts on: '还差 11 家', or '已达标'."""
    return "已达标" if gap <= 0 else f"还差 {gap} {unit}"


def short_name(community: str) -> str:
    """'向阳社区' -> '向阳': sentences and slides name communities the way people say them."""
    return community[:-2] if community.endswith("社区") and len(community) > 2 else community
