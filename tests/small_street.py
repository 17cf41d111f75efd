"""A hand-written street of two communities, shared by the indicator tests and the page tests.

Plan year 2026, as-of 2026-06-30. The comment by each row says which definition edge it exercises.
"""

from datetime import date

from dashboard.ledgers import derived
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


def build_small_street(con):
    """Insert the hand-written street; expected values are worked out in tests/test_metrics.py."""
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
    derived.rebuild(con)  # written by hand, not by the importer: derive what the importer would

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
