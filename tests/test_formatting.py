import math

import pandas as pd
import pytest

from dashboard.formatting import fmt_gap, fmt_int, fmt_pct, fmt_yuan


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.9182, "91.8%"), (0.95, "95.0%"), (1, "100.0%"), (0, "0.0%"), (None, "—"), (math.nan, "—"), (pd.NA, "—")],
)
def test_fmt_pct(value, text):
    assert fmt_pct(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(8500, "8,500元"), (12345, "1.2万元"), (123456, "12.3万元"), (120_000_000, "1.20亿元"), (0, "0元")],
)
def test_fmt_yuan(value, text):
    assert fmt_yuan(value) == text


def test_fmt_int_and_gap():
    assert fmt_int(1234) == "1,234"
    assert fmt_gap(11) == "还差 11 家"
    assert fmt_gap(0) == "已达标"


def test_a_nullable_columns_missing_value_is_a_dash_not_na():
    """A Float64 column's <NA> was written "<NA>%" in 组建工会's 入会率 (its tables and downloads)."""
    rates = pd.array([0.5, None], dtype="Float64")
    assert [fmt_pct(r) for r in rates] == ["50.0%", "—"]
    assert fmt_int(pd.NA) == "—" and fmt_yuan(pd.NA) == "—"
