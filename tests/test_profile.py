"""企业查询 and 一企一档 on a hand-written street; expected rows worked out by hand in the comments."""

from datetime import date

import pytest

from dashboard import profile
from dashboard.config import load_settings
from tests.conftest import add_batch, connect_copy

A, B = "东风社区", "向阳社区"
AS_OF = date(2026, 6, 30)


def ent(community, name, uscc, employees, union_status="未建会", founded=None, members=None, chair=None, phone=None):
    return dict(
        community=community,
        name=name,
        uscc=uscc,
        employees=employees,
        union_status=union_status,
        union_founded=founded,
        union_members=members,
        union_chair=chair,
        phone=phone,
    )


def build_profile_street(con):
    # 东风's first ledger; 甲厂 is renamed and founds its union before the second one
    add_batch(
        con,
        "enterprises",
        [
            ent(A, "甲厂有限公司", "K1", 40, chair="张三", phone="022-8765 4321"),
            ent(A, "乙厂", None, 10),
            ent(A, "旧厂", "K9", 5),  # gone from the second ledger
        ],
    )
    add_batch(
        con,
        "enterprises",
        [
            ent(A, "甲新科技有限公司", "K1", 55, "独立建会", date(2026, 3, 1), 30, "张三丰", "13812345678"),
            ent(A, "乙厂", None, 10),
        ],
    )
    add_batch(con, "enterprises", [ent(B, "丙公司", "K3", 20, phone="13900001111")])

    def agr(signed, expires, kind="续签"):
        return dict(
            community=A, name="甲新科技有限公司", uscc="K1", signed_on=signed, expires_on=expires, sign_kind=kind
        )

    add_batch(
        con,
        "wage_agreements",
        [
            agr(date(2025, 1, 1), date(2025, 12, 31), "新签"),  # expired
            agr(date(2026, 1, 1), date(2026, 6, 30)),  # expires on the as-of date: in force
            agr(date(2026, 7, 1), date(2027, 6, 30)),  # signed after the as-of date
            dict(community=B, name="丙公司", uscc="K3", signed_on=date(2026, 1, 1), expires_on=date(2026, 12, 31)),
        ],
    )
    add_batch(
        con,
        "harmonious",
        [
            dict(community=A, name="甲厂有限公司", uscc="K1", year=2025, grade="A"),
            dict(community=A, name="甲新科技有限公司", uscc="K1", year=2026, grade="AA", score=91.5),
        ],
    )
    add_batch(
        con,
        "disputes",
        [
            dict(
                community=A,
                name="甲新科技有限公司",
                uscc="K1",
                case_no="D1",
                received_on=date(2026, 2, 1),
                outcome="调解成功",
                closed_on=date(2026, 2, 11),
            ),
            dict(community=A, name="甲新科技有限公司", uscc="K1", case_no="D2", received_on=date(2026, 5, 1)),
            dict(community=B, name="丙公司", uscc="K3", case_no="D3", received_on=date(2026, 5, 2)),
        ],
    )

    def aid(recipient, employer, given, community=A):
        return dict(
            community=community,
            recipient=recipient,
            id_number="120101199001011234",
            employer=employer,
            campaign="冬送温暖",
            given_on=given,
            cash=500,
        )

    add_batch(
        con,
        "aid",
        [
            aid("李四", "甲厂（有限）公司", date(2026, 1, 10)),  # the old name, full-width brackets
            aid("王五", "甲新科技 有限公司", date(2026, 2, 1), community=B),  # new name, a space, other community
            aid("赵六", "乙厂", date(2026, 1, 12)),  # another enterprise
            aid("钱七", None, date(2026, 1, 13)),  # no employer
        ],
    )
    add_batch(con, "aid", [aid("孙八", "甲厂有限公司", date(2026, 1, 14))], street="其他街道")  # another street
    return con


@pytest.fixture
def street(tmp_path):
    with connect_copy(tmp_path / "test.duckdb", build_profile_street) as con:
        yield con


@pytest.fixture
def settings():
    return load_settings()


def names(frame):
    return list(frame["name"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("甲厂", ["甲新科技有限公司"]),  # found by its old name, shown by its latest
        ("甲新", ["甲新科技有限公司"]),
        ("甲新科技（有限）公司", ["甲新科技有限公司"]),  # brackets and full width ignored
        ("k1", ["甲新科技有限公司"]),  # credit code, any case
        ("4321", ["甲新科技有限公司"]),  # the old phone 022-8765 4321, by its digits
        ("138 1234 5678", ["甲新科技有限公司"]),
        ("1390000", ["丙公司"]),
        ("厂", ["乙厂", "甲新科技有限公司", "旧厂"]),  # current ones first, then by community and name
        ("%", []),  # not a wildcard
        ("  ", []),
        ("", []),
    ],
)
def test_search(street, settings, text, expected):
    assert names(profile.search_enterprises(street, text, settings)) == expected


def test_search_result_columns_and_current_flag(street, settings):
    frame = profile.search_enterprises(street, "旧厂", settings)
    assert frame.loc[0, ["enterprise_key", "community", "in_current"]].tolist() == ["K9", A, False]
    empty = profile.search_enterprises(street, "", settings)
    assert {"enterprise_key", "name", "uscc", "phone", "in_current"} <= set(empty.columns)


def test_short_digits_are_not_a_phone_search():
    assert profile.search_params("12")["digits"] is None
    assert profile.search_params("甲厂1234")["digits"] == "1234"
    assert profile.search_params("天津甲新科技有限公司1")["digits"] is None
    assert profile.search_params("   ") is None


def test_profile_of_renamed_enterprise(street, settings):
    p = profile.enterprise_profile(street, "K1", settings, as_of=AS_OF)
    assert set(p) == set(profile.PROFILE_PARTS)
    assert p["registry"][["name", "employees", "union_chair"]].values.tolist() == [["甲新科技有限公司", 55, "张三丰"]]
    assert p["history"][["name", "employees", "union_status"]].values.tolist() == [
        ["甲厂有限公司", 40, "未建会"],
        ["甲新科技有限公司", 55, "独立建会"],
    ]
    union = p["union"].iloc[0]
    assert (union["union_status"], union["union_members"]) == ("独立建会", 30)
    assert union["membership_rate"] == pytest.approx(30 / 55)
    # first unionised in the second snapshot
    assert union["first_seen_unionised"] == p["history"]["imported_at"].iloc[1]
    assert p["agreements"][["signed_on", "state"]].astype(str).values.tolist() == [
        ["2026-07-01", "未生效"],
        ["2026-01-01", "生效中"],  # expires on the as-of date
        ["2025-01-01", "已到期"],
    ]
    assert p["grades"][["year", "grade"]].values.tolist() == [[2026, "AA"], [2025, "A"]]
    assert p["disputes"]["case_no"].tolist() == ["D2", "D1"]
    assert p["disputes"]["days_to_close"].fillna(-1).tolist() == [-1, 10]
    # 李四 (old name, full-width brackets) and 王五 (new name, a space); not 孙八 of another street
    assert p["aid"]["recipient"].tolist() == ["王五", "李四"]
    assert profile.profile_title(p) == "甲新科技有限公司"
    assert profile.is_known(p)


def test_profile_of_enterprise_without_credit_code(street, settings):
    p = profile.enterprise_profile(street, f"N:示例街道|{A}|乙厂", settings, as_of=AS_OF)
    assert len(p["registry"]) == 1 and len(p["history"]) == 2
    assert p["aid"]["recipient"].tolist() == ["赵六"]
    assert p["agreements"].empty and p["disputes"].empty


def test_profile_of_enterprise_gone_from_registry(street, settings):
    p = profile.enterprise_profile(street, "K9", settings, as_of=AS_OF)
    assert p["registry"].empty and len(p["history"]) == 1
    assert profile.profile_title(p) == "旧厂"


def test_profile_of_unknown_key(street, settings):
    p = profile.enterprise_profile(street, "NOPE", settings, as_of=AS_OF)
    assert not profile.is_known(p)
    assert profile.profile_title(p) is None
    assert all(frame.empty for frame in p.values())


def test_profile_summary(street, settings):
    s = profile.profile_summary(profile.enterprise_profile(street, "K1", settings, as_of=AS_OF))
    assert (s["employees"], s["union_status"], s["union_members"]) == (55, "独立建会", 30)
    assert s["membership_rate"] == pytest.approx(30 / 55)
    assert str(s["agreement_until"])[:10] == "2026-06-30"  # the one in force on the as-of date
    assert (s["agreements"], s["latest_grade"]) == (3, "2026年 AA")
    assert (s["disputes"], s["open_disputes"]) == (2, 1)
    # 李四 and 王五 share the fixture's ID number, so one person by ID; 500 + 500 yuan
    assert (s["aid_times"], s["aid_people"], s["aid_money"]) == (2, 1, 1000.0)
    empty = profile.profile_summary(profile.enterprise_profile(street, "NOPE", settings, as_of=AS_OF))
    assert empty["employees"] is None and empty["agreement_until"] is None and empty["aid_money"] == 0
