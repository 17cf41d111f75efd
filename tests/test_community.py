"""社区画像 data on the hand-written street of tests/small_street.py (plan year 2026, as-of 2026-06-30).

Per community (worked out in tests/test_metrics.py): U1 东风 1/4, 向阳 2/3; U2 东风 3/5, 向阳 2/3;
W1 东风 2/3, 向阳 1/2; H1 东风 1/2, 向阳 1/2; U3 东风 2, 向阳 0; W2 东风 2, 向阳 1; H2 1 each.
"""

from dataclasses import replace

import pandas as pd
import pytest

from dashboard import community, harmonious, unionization, wages
from dashboard.config import load_settings
from dashboard.filters import Filters
from tests.conftest import connect_copy
from tests.small_street import AS_OF, C1, C2, build_small_street

F = Filters(year=2026, as_of=AS_OF)


@pytest.fixture
def street(tmp_path):
    with connect_copy(tmp_path / "test.duckdb", build_small_street) as con:
        yield con


@pytest.fixture
def settings():
    return load_settings()


def indicators(street, settings, name):
    return community.community_indicators(street, replace(F, communities=(name,)), settings).set_index("code")


def test_community_of():
    assert community.community_of(replace(F, communities=(C1,))) == C1
    assert community.community_of(F) is None
    assert community.community_of(replace(F, communities=(C1, C2))) is None


def test_rates_against_targets_with_rank(street, settings):
    d = indicators(street, settings, C1)
    assert list(d.index) == ["U1", "U2", "W1", "H1", "U3", "W2", "H2"]
    u1 = d.loc["U1"]
    # 1/4 = 25 %; 95 % of 4 = 3.8 -> 4 needed, 1 have: 3 more; 向阳 (66.7 %) is ahead
    assert (u1["numerator"], u1["denominator"], u1["gap"], u1["status"]) == (1, 4, 3, "red")
    assert u1["value"] == pytest.approx(0.25)
    assert (u1["rank"], u1["ranked"]) == (2, 2)
    assert u1["street_value"] == pytest.approx(3 / 7)
    assert (d.loc["W1", "rank"], d.loc["W1", "value"]) == (1, pytest.approx(2 / 3))  # 66.7 % beats 50 %
    assert d.loc["H1", "rank"] == 1 and d.loc["H1", "gap"] == 0 and d.loc["H1", "status"] == "green"  # tie at 50 %
    assert indicators(street, settings, C2).loc["H1", "rank"] == 1  # ties share the rank


def test_counts_against_targets_with_rank(street, settings):
    d = indicators(street, settings, C1)
    # U3: 2 of 2 done -> green, first; W2 2 -> green; H2 1 of 2: short 1
    assert (d.loc["U3", "value"], d.loc["U3", "gap"], d.loc["U3", "status"], d.loc["U3", "rank"]) == (2, 0, "green", 1)
    assert d.loc["U3", "street_value"] == 2
    assert d.loc["W2", "street_value"] == 3
    # H2: 50 % of the task done on 30 June, 49.6 % of the year gone (181/365): keeping up -> amber
    assert (d.loc["H2", "gap"], d.loc["H2", "status"], d.loc["H2", "rank"]) == (1, "amber", 1)
    # 向阳: U3 0 of 2 with half the year gone -> behind -> red, second
    other = indicators(street, settings, C2)
    assert (other.loc["U3", "gap"], other.loc["U3", "status"], other.loc["U3", "rank"]) == (2, "red", 2)


def test_other_filters_apply_to_ranks(street, settings):
    # only 25–99 staff: 东风 U1 1/3 (甲一 of 甲一, 丁, 己), 向阳 1/2 (乙 of 乙, 庚) -> 东风 second of two
    d = community.community_indicators(street, replace(F, communities=(C1,), size_bands=(25,)), settings)
    u1 = d.set_index("code").loc["U1"]
    assert (u1["numerator"], u1["denominator"], u1["rank"]) == (1, 3, 2)
    assert u1["street_value"] == pytest.approx(2 / 5)


def test_unknown_community_has_no_data(street, settings):
    d = indicators(street, settings, "无此社区")
    assert d.loc["U1", "status"] == "none" and pd.isna(d.loc["U1", "value"])
    assert pd.isna(d.loc["U1", "rank"]) and d.loc["U1", "ranked"] == 2
    assert d.loc["U3", "value"] == 0 and d.loc["U3", "gap"] == 2


def test_scorecard_covers_every_community(street, settings):
    card = community.community_scorecard(street, replace(F, communities=(C1,)), settings)
    assert sorted(card["community"]) == [C1, C2]


def test_overdue_disputes(street, settings):
    # open on 30 June: D3 (received 1 May, 60 days) and D4 (1 June, 29 days); both past 15 days
    overdue = community.overdue_disputes(street, replace(F, communities=(C2,)), settings)
    assert list(overdue["case_no"]) == ["D3", "D4"]
    assert community.overdue_disputes(street, replace(F, communities=(C1,)), settings).empty


def test_todo_lists_narrow_to_the_community(street, settings):
    mine = replace(F, communities=(C2,))
    assert list(unionization.unionisation_todo(street, mine, settings)["name"]) == ["庚公司"]
    assert list(wages.unsigned_enterprises(street, mine, settings)["name"]) == ["乙公司"]
    assert set(harmonious.harmonious_todo(street, mine, settings)["community"]) <= {C2}


def test_rate_results_and_rank_text(street, settings):
    d = community.community_indicators(street, replace(F, communities=(C1,)), settings)
    cards = community.rate_results(d)
    assert list(cards) == ["U1", "U2", "W1", "H1"]
    assert (cards["U1"].numerator, cards["U1"].denominator, cards["U1"].gap) == (1, 4, 3)
    assert cards["U1"].target == 0.95 and cards["U1"].status == "red"
    assert community.rank_text(2, 10) == "在 10 个社区中排第 2"
    assert community.rank_text(pd.NA, 10) == "无数据，未参与排名"
