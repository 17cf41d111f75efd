"""Every indicator of the work plan on a hand-written street of two communities.

Expected values were worked out by hand from the rows in tests/small_street.py.
Plan year 2026, as-of 2026-06-30.
"""

from datetime import date

import pytest

from dashboard import metrics
from dashboard.config import load_settings
from dashboard.filters import Filters, default_as_of
from dashboard.rates import gap_to_target, rate_status
from tests.conftest import add_batch, connect_copy
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


def by_comm(frame):
    return {r.community: (int(r.numerator), int(r.denominator)) for r in frame.itertuples()}


def test_u1_counts_exactly_25_staff_and_only_independent_unions(street, filters, settings):
    frame = metrics.union_coverage_25plus(street, filters, settings)
    assert by_comm(frame) == {C1: (1, 4), C2: (2, 3)}


def test_u2_counts_joint_unions(street, filters, settings):
    frame = metrics.union_coverage_operating(street, filters, settings)
    assert by_comm(frame) == {C1: (3, 5), C2: (2, 3)}


def test_u3_new_unions_in_year_up_to_as_of(street, filters, settings):
    frame = metrics.new_unions_by_community(street, filters, settings)
    assert dict(zip(frame["community"], frame["count"], strict=True)) == {C1: 2, C2: 0}


def test_w1_agreement_expiring_on_as_of_counts(street, filters, settings):
    frame = metrics.wage_agreement_signing(street, filters, settings)
    assert by_comm(frame) == {C1: (2, 3), C2: (1, 2)}


def test_w2_new_signings_per_community(street, filters, settings):
    frame = metrics.new_wage_agreements_by_community(street, filters, settings)
    # 丁公司's 新签 counts too: W2 counts signings, whatever the union status
    assert dict(zip(frame["community"], frame["count"], strict=True)) == {C1: 2, C2: 1}


def test_w3_industry_agreements_in_force(street, filters, settings):
    frame = metrics.industry_agreements(street, filters, settings)
    assert frame[["agreement_name", "enterprises", "employees"]].values.tolist() == [["区域协议", 1, 100]]


def test_h1_latest_grade_up_to_year(street, filters, settings):
    frame = metrics.harmonious_a_or_above(street, filters, settings)
    assert by_comm(frame) == {C1: (1, 2), C2: (1, 2)}


def test_h2_first_a_grade_in_year(street, filters, settings):
    frame = metrics.new_harmonious_by_community(street, filters, settings)
    assert dict(zip(frame["community"], frame["count"], strict=True)) == {C1: 1, C2: 1}


def test_a1_by_campaign(street, filters, settings):
    frame = metrics.aid_by_campaign(street, filters, settings).set_index("campaign")
    assert sorted(frame.index) == ["冬送温暖", "春送岗位"]
    assert frame.loc["冬送温暖", "people"] == 2
    assert float(frame.loc["冬送温暖", "cash"]) == 1000
    assert float(frame.loc["冬送温暖", "goods"]) == 200
    assert frame.loc["春送岗位", "jobs"] == 3


def test_d1_summary(street, filters, settings):
    d = metrics.dispute_summary(street, filters, settings)
    assert {k: d[k] for k in metrics.D1_KEYS} == {
        "cases": 4,
        "closed": 2,
        "success": 1,
        "collective": 2,
        "open_this_year": 2,  # D3 (closed after the as-of date) and D4
    }
    assert d["success_rate"] == 0.5


def test_community_filter(street, settings):
    f = Filters(year=2026, as_of=AS_OF, communities=(C2,))
    assert by_comm(metrics.union_coverage_25plus(street, f, settings)) == {C2: (2, 3)}


def test_overview_json(street, filters, settings):
    out = metrics.overview(street, filters, settings).as_json()
    assert out["year"] == 2026 and out["as_of"] == "2026-06-30"
    # U1 3/7 = 42.86 %; 95 % of 7 is 6.65 -> 7 needed -> 4 more
    assert out["U1"] == {"numerator": 3, "denominator": 7, "rate": 42.86, "target": 95.0, "gap": 4}
    # U2 5/8; 95 % of 8 = 7.6 -> 8 -> 3 more
    assert out["U2"]["gap"] == 3
    # W1 3/5; 90 % of 5 = 4.5 -> 5 -> 2 more
    assert out["W1"] == {"numerator": 3, "denominator": 5, "rate": 60.0, "target": 90.0, "gap": 2}
    assert out["H1"] == {"numerator": 2, "denominator": 4, "rate": 50.0, "target": 40.0, "gap": 0}
    assert out["U3"] == {C2: 0, C1: 2} and out["W2"] == {C1: 2, C2: 1}
    assert out["A1"]["冬送温暖"] == {"people": 2, "cash": 1000.0, "goods": 200.0}
    assert out["D1"]["open_this_year"] == 2


@pytest.mark.parametrize(
    ("num", "den", "target", "gap"),
    [
        (312, 340, 0.95, 11),  # the spec's example: 91.8 % of 340 -> 11 more for 95 %
        (19, 20, 0.95, 0),  # exactly on target
        (18, 20, 0.95, 1),
        (0, 0, 0.95, 0),  # nothing to cover
        (9, 10, 0.90, 0),  # 0.9 * 10 must not become 9.000000000000002
        (0, 3, 0.40, 2),  # 1.2 -> 2
    ],
)
def test_gap_to_target(num, den, target, gap):
    assert gap_to_target(num, den, target) == gap


@pytest.mark.parametrize(
    ("rate", "status"),
    [(0.95, "green"), (0.96, "green"), (0.90, "amber"), (0.8999, "red"), (None, "none")],
)
def test_rate_status(rate, status):
    assert rate_status(rate, 0.95, 5.0) == status


def test_default_as_of():
    assert default_as_of(2025, today=date(2026, 11, 23)) == date(2025, 12, 31)
    assert default_as_of(2026, today=date(2026, 11, 23)) == date(2026, 11, 23)
    assert default_as_of(2027, today=date(2026, 11, 23)) == date(2027, 12, 31)


def test_community_scorecard(street, filters, settings):
    card = metrics.community_scorecard(metrics.overview(street, filters, settings)).set_index("community")
    # 东风: U1 1/4 red, U2 3/5 red, W1 2/3 red, H1 1/2 green; U3 2 ok, W2 2 ok, H2 1 short -> 4 missed
    assert card.loc[C1, "targets_missed"] == 4
    assert card.loc[C1, "U1_gap"] == 3  # 95 % of 4 = 3.8 -> 4 needed, 1 have
    # 向阳: U1 2/3 red, U2 2/3 red, W1 1/2 red, H1 1/2 green; U3 0 short 2, W2 1 short 1, H2 1 short 1
    assert card.loc[C2, "targets_missed"] == 6
    assert card.loc[C2, "U3_short"] == 2
    assert list(card.index) == [C2, C1]  # most targets missed first


def test_latest_import_ignores_undone_batches(street, filters, settings):
    frame = metrics.latest_import(street, filters, settings)
    # build_small_street makes 9 batches, one of them undone
    assert int(frame["batches"].iloc[0]) == 8
    assert frame["last_imported_at"].notna().all()


def test_w3_follows_the_industry_filter(con, settings):
    add_batch(
        con,
        "enterprises",
        [
            {"community": C1, "name": "饭店", "uscc": "R1", "employees": 30, "industry": "住宿和餐饮业"},
            {"community": C1, "name": "工厂", "uscc": "F1", "employees": 30, "industry": "制造业"},
        ],
    )
    rows = [
        {"community": C1, "name": n, "uscc": u, "signed_on": date(2026, 1, 1), "expires_on": date(2026, 12, 31),
         "agreement_type": "行业性", "agreement_name": "行业协议", "covered_employees": 30}
        for n, u in (("饭店", "R1"), ("工厂", "F1"))
    ]  # fmt: skip
    add_batch(con, "wage_agreements", rows)
    f = Filters(year=2026, as_of=AS_OF, industries=("住宿和餐饮业",))
    assert metrics.industry_agreements(con, f, settings)[["enterprises", "employees"]].values.tolist() == [[1, 30]]
