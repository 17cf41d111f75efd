"""Every indicator of the work plan on a hand-written street of two communities.

Expected values were worked out by hand from the rows below (see the comment by each row).
Plan year 2026, as-of 2026-06-30.
"""

from datetime import date

import pytest

from dashboard import metrics
from dashboard.config import load_settings
from tests.conftest import add_batch

C1, C2 = "东风社区", "向阳社区"
AS_OF = date(2026, 6, 30)


def ent(community, name, employees, union_status, founded=None, status="正常经营", uscc=None):
    return dict(
        community=community,
        name=name,
        uscc=uscc,
        employees=employees,
        union_status=union_status,
        union_founded=founded,
        status=status,
    )


@pytest.fixture
def street(con):
    add_batch(
        con,
        "enterprises",
        [
            ent(C1, "甲一公司", 25, "独立建会", date(2020, 1, 1), uscc="U1"),  # exactly 25: in U1
            ent(C1, "甲二公司", 24, "独立建会", date(2026, 3, 1), uscc="U2"),  # 24: U2 only; new in 2026
            ent(C1, "丙公司", 100, "联合建会", date(2019, 5, 1), uscc="U3"),  # joint: U2 yes, U1 no
            ent(C1, "丁公司", 30, "未建会", uscc="U4"),
            ent(C1, "戊公司", 50, "独立建会", date(2026, 2, 1), status="停产", uscc="U5"),  # not operating
            ent(C1, "己公司", 40, "独立建会", date(2026, 8, 1), uscc="U6"),  # founded after as-of
        ],
    )
    add_batch(con, "enterprises", [ent(C2, "旧公司", 99, "未建会", uscc="U9")])  # replaced below
    add_batch(
        con,
        "enterprises",
        [
            ent(C2, "甲公司", 200, "独立建会", date(2015, 1, 1)),  # no uscc: matched by name
            ent(C2, "乙公司", 26, "独立建会", date(2018, 1, 1), uscc="U7"),
            ent(C2, "庚公司", 30, "未建会", uscc="U8"),
        ],
    )
    add_batch(con, "enterprises", [ent(C2, "撤销公司", 500, "未建会")], status="undone")

    def agr(community, name, uscc, signed, expires, kind="续签", type_="单独签订", agreement_name=None, covered=None):
        return dict(
            community=community,
            name=name,
            uscc=uscc,
            signed_on=signed,
            expires_on=expires,
            sign_kind=kind,
            agreement_type=type_,
            agreement_name=agreement_name,
            covered_employees=covered,
        )

    old = add_batch(con, "wage_agreements", [agr(C1, "甲二公司", "U2", date(2025, 1, 1), date(2026, 12, 31))])
    newer = add_batch(
        con,
        "wage_agreements",
        [
            agr(C1, "甲一公司", "U1", date(2025, 7, 1), date(2026, 6, 30)),  # expires on as-of: in force
            agr(C1, "甲二公司", "U2", date(2025, 1, 1), date(2026, 6, 29)),  # expired the day before
            agr(C1, "丙公司", "U3", date(2026, 7, 1), date(2027, 6, 30), "新签", "行业性", "餐饮行业协议", 100),
            agr(C1, "丙公司", None, date(2026, 1, 1), date(2026, 12, 31), "新签", "区域性", "区域协议", 100),
            agr(C2, "甲公司", None, date(2026, 2, 1), date(2027, 1, 31), "新签"),
            agr(C1, "丁公司", "U4", date(2026, 1, 1), date(2026, 12, 31), "新签"),  # not unionised
        ],
    )
    # the newer batch's row for 甲二公司 supersedes the older one (same uscc + signed date)
    con.execute("update wage_agreements set superseded_by = ? where batch_id = ?", [newer, old])

    def grade(community, name, uscc, year, g):
        return dict(community=community, name=name, uscc=uscc, year=year, grade=g)

    add_batch(
        con,
        "harmonious",
        [
            grade(C1, "甲一公司", "U1", 2025, "AA"),  # earlier year's grade carries: counts
            grade(C1, "甲二公司", "U2", 2025, "A"),
            grade(C1, "甲二公司", "U2", 2026, "未达标"),  # latest is below A: not counted
            grade(C2, "甲公司", None, 2024, "申报中"),
            grade(C2, "甲公司", None, 2027, "AAA"),  # a later year is ignored
            grade(C2, "乙公司", "U7", 2026, "A"),  # first A in 2026: new (H2)
            grade(C1, "丙公司", "U3", 2026, "AAA"),  # joint union: not in H1's base, but new for H2
        ],
    )

    def aid(campaign, given, cash=0, goods=0, jobs=None, person="张三", idn=None):
        return dict(
            community=C1,
            recipient=person,
            id_number=idn,
            campaign=campaign,
            given_on=given,
            cash=cash,
            goods_value=goods,
            jobs_offered=jobs,
        )

    add_batch(
        con,
        "aid",
        [
            aid("冬送温暖", date(2026, 1, 10), 500, 200, person="张三"),
            aid("冬送温暖", date(2026, 1, 12), 500, 0, person="李四"),
            aid("春送岗位", date(2026, 3, 1), jobs=3, person="王五"),
            aid("夏送凉爽", date(2026, 7, 15), 100, person="赵六"),  # after as-of
            aid("冬送温暖", date(2025, 12, 20), 800, person="张三"),  # last year
        ],
    )

    def case(no, received, outcome, closed=None, workers=1):
        return dict(
            community=C2,
            name="甲公司",
            case_no=no,
            received_on=received,
            outcome=outcome,
            closed_on=closed,
            workers=workers,
        )

    add_batch(
        con,
        "disputes",
        [
            case("D1", date(2026, 1, 5), "调解成功", date(2026, 1, 20), workers=12),
            case("D2", date(2026, 2, 1), "调解不成", date(2026, 3, 1)),
            case("D3", date(2026, 5, 1), "调解成功", date(2026, 7, 10)),  # closed after as-of: open then
            case("D4", date(2026, 6, 1), "调解中", workers=10),  # exactly 10 workers: collective
            case("D5", date(2025, 12, 30), "调解成功", date(2026, 1, 3)),  # received last year
            case("D6", date(2026, 7, 1), "调解中"),  # received after as-of
        ],
    )
    return con


@pytest.fixture
def settings():
    return load_settings()


@pytest.fixture
def filters():
    return metrics.Filters(year=2026, as_of=AS_OF)


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
    assert {k: d[k] for k in ("cases", "closed", "success", "collective", "open")} == {
        "cases": 4,
        "closed": 2,
        "success": 1,
        "collective": 2,
        "open": 2,
    }
    assert d["success_rate"] == 0.5


def test_community_filter(street, settings):
    f = metrics.Filters(year=2026, as_of=AS_OF, communities=(C2,))
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
    assert out["D1"]["open"] == 2


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
    assert metrics.gap_to_target(num, den, target) == gap


@pytest.mark.parametrize(
    ("rate", "status"),
    [(0.95, "green"), (0.96, "green"), (0.90, "amber"), (0.8999, "red"), (None, "none")],
)
def test_rate_status(rate, status):
    assert metrics.rate_status(rate, 0.95, 5.0) == status


def test_default_as_of():
    assert metrics.default_as_of(2025, today=date(2026, 11, 23)) == date(2025, 12, 31)
    assert metrics.default_as_of(2026, today=date(2026, 11, 23)) == date(2026, 11, 23)
    assert metrics.default_as_of(2027, today=date(2026, 11, 23)) == date(2027, 12, 31)


def test_community_scorecard(street, filters, settings):
    card = metrics.community_scorecard(metrics.overview(street, filters, settings)).set_index("community")
    # 东风: U1 1/4 red, U2 3/5 red, W1 2/3 red, H1 1/2 green; U3 2 ok, W2 2 ok, H2 1 short -> 4 missed
    assert card.loc[C1, "targets_missed"] == 4
    assert card.loc[C1, "U1_gap"] == 3  # 95 % of 4 = 3.8 -> 4 needed, 1 have
    # 向阳: U1 2/3 red, U2 2/3 red, W1 1/2 red, H1 1/2 green; U3 0 short 2, W2 1 short 1, H2 1 short 1
    assert card.loc[C2, "targets_missed"] == 6
    assert card.loc[C2, "U3_short"] == 2
    assert list(card.index) == [C2, C1]  # most targets missed first
