"""同比 / 环比 behind the trend charts, on hand-made series and on the hand-written street of
tests/small_street.py (plan year 2026, as-of 2026-06-30)."""

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import compare, compare_charts
from dashboard.config import load_settings
from dashboard.filters import Filters
from tests.conftest import connect_copy
from tests.small_street import AS_OF, build_small_street

F = Filters(year=2026, as_of=AS_OF)


@pytest.fixture
def street(tmp_path):
    with connect_copy(tmp_path / "test.duckdb", build_small_street) as con:
        yield con


@pytest.fixture
def settings():
    return load_settings()


def rows(frame, *cols):
    return [tuple(None if pd.isna(v) else v for v in r) for r in frame[list(cols)].itertuples(index=False)]


def test_counts_summed_per_month_missing_months_zero():
    frame = pd.DataFrame(
        {
            "year": [2025, 2025, 2026, 2026, 2026],
            "month": [3, 12, 1, 1, 3],
            "n": [4, 2, 1, 2, 6],  # January 2026 split over two kinds: 3 in all
        }
    )
    out = compare.month_changes(frame, "n", Filters(year=2026, as_of=date(2026, 3, 31)))
    assert list(out["month"]) == [1, 2, 3]
    # Jan: 3 vs 0 a year before (no %), vs December 2025's 2 -> +1, +50 %
    # Feb: 0 vs 0; vs 3 -> -3, -100 %.  Mar: 6 vs 4 -> +2, +50 %; vs 0 -> +6, no %
    assert rows(out, "value", "last_year", "yoy_change", "yoy_pct") == [
        (3, 0, 3, None),
        (0, 0, 0, None),
        (6, 4, 2, 0.5),
    ]
    assert rows(out, "previous", "mom_change", "mom_pct") == [(2, 1, 0.5), (3, -3, -1.0), (0, 6, None)]
    assert not out["partial"].any()  # 31 March closes the month


def test_as_of_inside_a_month_marks_it_partial():
    frame = pd.DataFrame({"year": [2026], "month": [5], "n": [1]})
    out = compare.month_changes(frame, "n", Filters(year=2026, as_of=date(2026, 5, 15)))
    assert list(out["month"]) == [1, 2, 3, 4, 5]
    assert list(out["partial"]) == [False, False, False, False, True]


def test_past_year_runs_to_december():
    out = compare.month_changes(
        pd.DataFrame(columns=["year", "month", "n"]), "n", Filters(year=2024, as_of=date(2024, 12, 31))
    )
    assert list(out["month"]) == list(range(1, 13))
    assert out["value"].sum() == 0


def test_rates_give_differences_and_keep_gaps():
    frame = pd.DataFrame({"year": [2025, 2026, 2026], "month": [2, 1, 2], "r": [0.5, 0.6, 0.75]})
    out = compare.month_changes(frame, "r", Filters(year=2026, as_of=date(2026, 2, 28)), rate=True)
    # Jan: no January 2025 or December 2025 -> no change; Feb: 0.75 - 0.5 = 0.25 a year on, +0.15 on January
    assert rows(out, "value", "yoy_change", "mom_change") == [(0.6, None, None), (0.75, 0.25, pytest.approx(0.15))]
    assert out["yoy_pct"].isna().all()


def test_disputes_per_month(street, settings):
    out = compare.disputes_month_compare(street, F, settings)
    # 2026: D1 Jan, D2 Feb, D3 May, D4 Jun (D6 in July is after the as-of date); 2025: D5 in December
    assert rows(out, "value", "yoy_change", "mom_change") == [
        (1, 1, 0),  # Jan vs Dec 2025's 1
        (1, 1, 0),
        (0, 0, -1),
        (0, 0, 0),
        (1, 1, 1),
        (1, 1, 0),
    ]
    assert out.loc[2, "mom_pct"] == -1.0


def test_signings_per_month(street, settings):
    out = compare.signings_compare(street, F, settings)
    # 2026: Jan 丙 (区域协议) and 丁, Feb 甲; 2025: Jan 甲二, Jul 甲一 (丙's 2026-07-01 is after as-of)
    assert rows(out, "value", "last_year", "yoy_pct")[:2] == [(2, 1, 1.0), (1, 0, None)]
    assert rows(out, "previous", "mom_change", "mom_pct")[:2] == [(0, 2, None), (2, -1, -0.5)]


def test_aid_per_month(street, settings):
    out = compare.aid_month_compare(street, F, settings)
    # 2026: Jan 张三 and 李四, Mar 王五 (赵六 in July is after as-of); 2025: Dec 张三
    assert rows(out, "value", "mom_change", "mom_pct")[:3] == [(2, 1, 1.0), (0, -2, -1.0), (1, 1, None)]


def test_union_trend(street, settings):
    out = compare.union_trend_compare(street, F, settings)
    u2 = out[out["indicator"] == "U2"].reset_index(drop=True)
    # U2 is 4/8 through February and 5/8 from March (甲二's union, 2026-03-01); 4/8 all of 2025
    assert u2.loc[2, "value"] == 0.625
    assert u2.loc[2, "yoy_change"] == 0.125 and u2.loc[2, "mom_change"] == 0.125
    assert u2.loc[3, "mom_change"] == 0
    u1 = out[out["indicator"] == "U1"]
    assert (u1["yoy_change"] == 0).all()  # 3/7 every month of both years
    assert not out["partial"].any()


@pytest.mark.parametrize(
    ("change", "pct", "rate", "text"),
    [
        (3, 0.5, False, "+3 件（+50.0%）"),
        (-2, None, False, "−2 件"),
        (0, None, False, "持平"),
        (None, None, False, "无可比数据"),
        (0.015, None, True, "+1.5 个百分点"),
        (pd.NA, None, True, "无可比数据"),
    ],
)
def test_change_text(change, pct, rate, text):
    assert compare.change_text(change, pct, unit="件", rate=rate) == text


def test_sentence_and_table(street, settings):
    out = compare.disputes_month_compare(street, F, settings)
    assert (
        compare.latest_sentence(out, compare.YOY, what="受理", unit="件") == "6月受理 1 件，同比 +1 件；去年同月 0 件。"
    )
    assert compare.latest_sentence(out, compare.MOM, what="受理", unit="件") == "6月受理 1 件，环比 持平；上月 1 件。"
    table = compare.comparison_table(out, unit="件")
    assert table.iloc[2].to_dict() == {
        "month": "3月",
        "value": "0 件",
        "last_year": "0 件",
        "yoy": "持平",
        "previous": "1 件",
        "mom": "−1 件（−100.0%）",
    }
    # a click on the change chart's 3月 bar: that month's row alone; nothing clicked: every month
    assert compare.rows_for_month(table, "3月").to_dict("records") == [table.iloc[2].to_dict()]
    assert compare.rows_for_month(table, "12月").empty  # no such bar before the as-of date
    assert len(compare.rows_for_month(table, None)) == len(table)
    partial = compare.month_changes(
        pd.DataFrame({"year": [2026], "month": [5], "n": [2]}), "n", Filters(year=2026, as_of=date(2026, 5, 9))
    )
    assert "（截至统计截止日）" in compare.latest_sentence(partial, compare.MOM, what="受理", unit="件")


# ---- the control on a page (AppTest) ---------------------------------------------------------------


def test_picking_yoy_on_the_disputes_page_shows_the_change(small_db):
    root = Path(__file__).resolve().parent.parent
    at = AppTest.from_file(str(root / "app_pages/disputes.py"), default_timeout=60)
    at.query_params["year"], at.query_params["as_of"] = "2026", "2026-06-30"
    at.run()
    assert not any("同比 +1 件" in c.value for c in at.caption)  # nothing until a comparison is picked
    at.button_group(key="dispute_cmp_mode").set_value(compare.YOY).run()
    assert not at.exception
    assert any("6月受理 1 件，同比 +1 件；去年同月 0 件。" in c.value for c in at.caption)
    at.button_group(key="dispute_cmp_mode").set_value(compare.MOM).run()
    assert any("环比 持平；上月 1 件" in c.value for c in at.caption)


def test_change_bar_labels_and_months(street, settings):
    out = compare.disputes_month_compare(street, F, settings)
    fig = compare_charts.change_bar(out, compare.MOM, "受理环比变化", unit="件")
    bar = fig.data[0]
    assert list(bar.x) == ["1月", "2月", "3月", "4月", "5月", "6月"]
    assert list(bar.y) == [0, 0, -1, 0, 1, 0]  # month-on-month changes worked out above
    assert list(bar.text) == ["", "", "−1", "", "+1", ""]  # unchanged months carry no label
    assert bar.customdata[2][1] == "−1 件（−100.0%）"
