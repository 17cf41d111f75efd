"""Numbers written the Chinese way, one formatter per kind, on every surface (pages, slides, the
PowerPoint, the CLI): rates 91.8%, counts 1,234, money 8,500元 / 12.42万元 / 1.20亿元.

The money rule: under 10,000 元 in whole yuan with thousands separators (8,500元); from 10,000 元 in 万元
with two decimals (124,200 → 12.42万元); from 100,000,000 元 in 亿元 with two decimals (1.20亿元).
Tables keep their numbers numeric and say how to show them instead: number_kind() names a column's
kind from its header, and dashboard/export.py (Excel number formats) and dashboard/ui/tables.py (the
on-screen NumberColumn) format by it, so a table sorts by value and a workbook sums.
"""

from __future__ import annotations

import math
import re

import pandas as pd

DASH = "—"

MONEY = "money"
COUNT = "count"
RATE = "rate"
POINTS = "points"  # a percent stored as points (5 means 5 %), e.g. 工资增幅（%）
DECIMAL = "decimal"  # any other number with decimals (a score)

# Excel number formats per kind (dashboard/export.py writes them on the cells).
EXCEL_FORMATS = {MONEY: "#,##0.00", COUNT: "#,##0", RATE: "0.0%", POINTS: "0.0", DECIMAL: "#,##0.00"}

_MONEY_HEADER = re.compile(r"[（(](?:万)?元[）)]|金额|金$|经费|折款")
_POINTS_HEADER = re.compile(r"[（(]%[）)]|百分点")
_RATE_HEADER = re.compile(r"(?:率|占比|进度)$")
# numbers that are names, not quantities: never "2,026"
_NOT_A_QUANTITY = re.compile(r"年度|年份|^年$|编号|代码|序号|月份|^月$|季度$|身份证|电话|邮编")


def _missing(x) -> bool:
    # pandas' missing values too: a nullable Float64 column's <NA> was written "<NA>%"
    return x is None or x is pd.NA or x is pd.NaT or (isinstance(x, float) and math.isnan(x))


def fmt_pct(fraction: float | None, digits: int = 1) -> str:
    """Rate: 0.9182 -> '91.8%' (one decimal on screen)."""
    if _missing(fraction):
        return DASH
    return f"{fraction * 100:.{digits}f}%"


def fmt_int(n) -> str:
    """Count: 1234 -> '1,234'."""
    if _missing(n):
        return DASH
    return f"{int(n):,}"


def fmt_count(n, unit: str = "") -> str:
    """Count with its unit: (1234, '家') -> '1,234 家'."""
    text = fmt_int(n)
    return f"{text} {unit}" if unit and text != DASH else text


def fmt_yuan(amount) -> str:
    """Money by the module's rule: 8,500元, 12.42万元, 1.20亿元."""
    if _missing(amount):
        return DASH
    amount = float(amount)
    if abs(amount) >= 1e8:
        return f"{amount / 1e8:.2f}亿元"
    if abs(amount) >= 1e4:
        return f"{amount / 1e4:.2f}万元"
    return f"{amount:,.0f}元"


def number_kind(header: str, values: pd.Series | None = None) -> str | None:
    """The kind of number a table column holds, from its Chinese header (and dtype when given): MONEY,
    COUNT, RATE, POINTS, DECIMAL, or None for a column that is not a quantity (text, dates, years, codes)."""
    header = str(header)
    if values is not None and (pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values)):
        return None
    if _NOT_A_QUANTITY.search(header):
        return None
    if _MONEY_HEADER.search(header):
        return MONEY
    if _POINTS_HEADER.search(header):
        return POINTS
    if _RATE_HEADER.search(header):
        # a fraction (0.918) is a rate; a larger number under such a header is percent points
        if values is not None and len(values.dropna()) and float(values.abs().max()) > 1:
            return POINTS
        return RATE
    if values is None:
        return None
    if pd.api.types.is_integer_dtype(values):
        return COUNT
    whole = values.dropna()
    if len(whole) and bool(((whole % 1) == 0).all()):
        return COUNT
    return DECIMAL


def fmt_gap(gap: int, unit: str = "家") -> str:
    """What a meeting acts on: '还差 11 家', or '已达标'."""
    return "已达标" if gap <= 0 else f"还差 {fmt_int(gap)} {unit}"


def short_name(community: str) -> str:
    """'向阳社区' -> '向阳': sentences and slides name communities the way people say them."""
    return community[:-2] if community.endswith("社区") and len(community) > 2 else community
