import math

import pandas as pd
import pytest

from dashboard.formatting import (
    COUNT,
    DECIMAL,
    MONEY,
    POINTS,
    RATE,
    fmt_count,
    fmt_gap,
    fmt_int,
    fmt_pct,
    fmt_yuan,
    number_kind,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.9182, "91.8%"), (0.95, "95.0%"), (1, "100.0%"), (0, "0.0%"), (None, "—"), (math.nan, "—"), (pd.NA, "—")],
)
def test_fmt_pct(value, text):
    assert fmt_pct(value) == text


# The money rule (dashboard/formatting.py): under 10,000 元 whole yuan with separators; from 10,000 元
# 万元 with two decimals; from 1亿 亿元 with two decimals.
@pytest.mark.parametrize(
    ("value", "text"),
    [
        (8500, "8,500元"),
        (9999, "9,999元"),  # just under the 万 step: still yuan
        (10_000, "1.00万元"),  # 10,000 / 10,000 = 1.00
        (12345, "1.23万元"),  # 12,345 / 10,000 = 1.2345 -> 1.23
        (124_200, "12.42万元"),  # the 涉及金额 124200: 124,200 / 10,000 = 12.42
        (123456, "12.35万元"),  # 12.3456 -> 12.35
        (120_000_000, "1.20亿元"),  # 120,000,000 / 100,000,000 = 1.20
        (0, "0元"),
        (None, "—"),
    ],
)
def test_fmt_yuan(value, text):
    assert fmt_yuan(value) == text


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [(1234, "家", "1,234 家"), (1_048_575, "", "1,048,575"), (0, "件", "0 件"), (None, "家", "—")],
)
def test_fmt_count(value, unit, text):
    assert fmt_count(value, unit) == text


@pytest.mark.parametrize(
    ("header", "values", "kind"),
    [
        ("涉及金额（元）", [124200, 800], MONEY),
        ("慰问金和物资（元）", [1.5, 2.0], MONEY),
        ("应缴金额（元）", [100.0], MONEY),
        ("职工人数", [25, 100], COUNT),
        ("已受理天数", [3.0, None], COUNT),  # whole numbers with a gap (float dtype) are still counts
        ("任务进度", [0.5, 1.0], RATE),  # a fraction
        ("工资增幅（%）", [5.0, 3.5], POINTS),  # percent points, not 500 %
        ("得分", [87.5, 90.0], DECIMAL),
        ("创建年度", [2025, 2026], None),  # a year is a name, never "2,026"
        ("统一社会信用代码", ["9111", "9122"], None),
        ("已备案", [True, False], None),
    ],
)
def test_number_kind(header, values, kind):
    assert number_kind(header, pd.Series(values)) == kind


def test_fmt_int_and_gap():
    assert fmt_int(1234) == "1,234"
    assert fmt_gap(11) == "还差 11 家"
    assert fmt_gap(0) == "已达标"
    assert fmt_gap(1234) == "还差 1,234 家"


def test_a_nullable_columns_missing_value_is_a_dash_not_na():
    """A Float64 column's <NA> was written "<NA>%" in 组建工会's 入会率 (its tables and downloads)."""
    rates = pd.array([0.5, None], dtype="Float64")
    assert [fmt_pct(r) for r in rates] == ["50.0%", "—"]
    assert fmt_int(pd.NA) == "—" and fmt_yuan(pd.NA) == "—"
