"""The enterprises behind the overview's U3 / W2 / H2 task charts, on tests/small_street.py."""

from datetime import date

import pytest

from dashboard import metrics, overview_rows
from dashboard.config import load_settings
from dashboard.filters import Filters
from tests.conftest import connect_copy
from tests.small_street import AS_OF, C1, C2, build_small_street


@pytest.fixture
def street(tmp_path):
    with connect_copy(tmp_path / "test.duckdb", build_small_street) as con:
        yield con


@pytest.fixture
def settings():
    return load_settings()


@pytest.fixture
def filters():
    return Filters(year=2026, as_of=AS_OF)


def names(frame):
    return frame["name"].tolist()


def test_rows_behind_each_task_bar(street, filters, settings):
    rows = overview_rows.new_task_rows(street, filters, settings)
    pick = overview_rows.rows_for_task_bar
    # U3: 东风 戊 (2-01, 停产 still counts) and 甲二 (3-01); 己's August union is after the as-of date
    assert names(pick(rows, "U3", C1)) == ["戊公司", "甲二公司"]
    assert pick(rows, "U3", C2).empty
    # W2: 新签 by 30 June - 东风 丁 (1-01, 单独签订) and 丙 (1-01, 区域性; its 7-01 行业性 is later);
    # 向阳 甲 (2-01). Same date: by name, 丁 (U+4E01) before 丙 (U+4E19)
    assert names(pick(rows, "W2", C1)) == ["丁公司", "丙公司"]
    assert pick(rows, "W2", C1)["detail"].tolist() == ["单独签订", "区域性"]
    assert names(pick(rows, "W2", C2)) == ["甲公司"]
    # H2: first A-or-above in 2026 - 东风 丙 (AAA), 向阳 乙 (A); 甲一/甲二 were A in 2025, 甲公司's is 2027
    assert names(pick(rows, "H2", C1)) == ["丙公司"] and pick(rows, "H2", C1)["detail"].tolist() == ["AAA"]
    assert names(pick(rows, "H2", C2)) == ["乙公司"]
    assert len(pick(rows, "W2", None)) == 3


def test_rows_match_the_counts(street, filters, settings):
    rows = overview_rows.new_task_rows(street, filters, settings)
    counts = {
        "U3": metrics.new_unions_by_community(street, filters, settings),
        "W2": metrics.new_wage_agreements_by_community(street, filters, settings),
        "H2": metrics.new_harmonious_by_community(street, filters, settings),
    }
    for code, frame in counts.items():
        for community, count in zip(frame["community"], frame["count"], strict=True):
            assert len(overview_rows.rows_for_task_bar(rows, code, community)) == count, (code, community)


def test_filters_narrow_the_rows(street, settings):
    rows = overview_rows.new_task_rows(street, Filters(year=2026, as_of=AS_OF, communities=(C2,)), settings)
    assert sorted(zip(rows["code"], rows["name"], strict=True)) == [("H2", "乙公司"), ("W2", "甲公司")]
    assert overview_rows.new_task_rows(street, Filters(year=2024, as_of=date(2024, 12, 31)), settings).empty
