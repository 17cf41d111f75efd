"""集体协商 lists and progress on a hand-written street; every expected value worked out by hand below.

Plan year 2026, as-of 2026-06-30, expiry warning 60 days (so up to 2026-08-29 inclusive).
"""

from datetime import date

import pytest

from dashboard import metrics, wages
from dashboard.config import load_settings
from dashboard.filters import Filters
from tests.conftest import add_batch, connect_copy

A, B = "东风社区", "向阳社区"
AS_OF = date(2026, 6, 30)
MFG, FOOD = "制造业", "住宿和餐饮业"


def ent(
    community,
    name,
    uscc,
    employees,
    union_status="独立建会",
    founded=date(2019, 1, 1),
    status="正常经营",
    industry=FOOD,
):
    return dict(
        community=community,
        name=name,
        uscc=uscc,
        employees=employees,
        union_status=union_status,
        union_founded=founded if union_status != "未建会" else None,
        status=status,
        industry=industry,
    )


def agr(
    community, name, uscc, signed, expires, kind="新签", type_="单独签订", agreement_name=None, covered=None, pct=None
):
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
        wage_increase_pct=pct,
    )


def build_wage_street(con):
    add_batch(
        con,
        "enterprises",
        [
            ent(A, "甲厂", "K1", 50, industry=MFG),  # agreement ends on the as-of date
            ent(A, "乙厂", "K2", 30),  # expired the day before, renewed in time
            ent(A, "丙厂", "K3", 40),  # expired 2026-03-31, not renewed
            ent(A, "丁厂", "K4", 20, "联合建会"),  # 行业性 to year end + own agreement ending at the warning edge
            ent(A, "戊厂", "K5", 10, "未建会"),  # not unionised: never on the unsigned list
            ent(A, "己厂", "K6", 60, status="停产"),  # lapsed but not operating: left off
            ent(A, "庚厂", "K7", 35),  # its only agreement is signed after the as-of date
        ],
    )
    add_batch(
        con,
        "enterprises",
        [
            ent(B, "辛厂", "K8", 100, industry=MFG),  # 区域性 ending exactly as-of + 60 days
            ent(B, "壬厂", "K9", 45),  # same 区域性 agreement, one day later: outside the warning
            ent(B, "癸厂", None, 25, founded=date(2026, 8, 1), industry="建筑业"),  # union founded after as-of
        ],
    )
    add_batch(
        con,
        "wage_agreements",
        [
            agr(A, "甲厂", "K1", date(2025, 7, 1), date(2026, 6, 30), "续签", covered=50),
            agr(A, "乙厂", "K2", date(2025, 6, 30), date(2026, 6, 29)),
            agr(A, "乙厂", "K2", date(2026, 6, 29), date(2027, 6, 28), "续签", covered=30, pct=3.5),
            agr(A, "丙厂", "K3", date(2025, 4, 1), date(2026, 3, 31), pct=4),
            agr(A, "丁厂", "K4", date(2026, 1, 1), date(2026, 12, 31), "新签", "行业性", "餐饮行业协议", pct=5.0),
            agr(A, "丁厂", "K4", date(2025, 8, 30), date(2026, 8, 29), "续签", covered=20),
            agr(A, "己厂", "K6", date(2025, 6, 1), date(2026, 5, 31)),
            agr(A, "庚厂", "K7", date(2026, 7, 1), date(2027, 6, 30), pct=9),
            agr(B, "辛厂", "K8", date(2025, 9, 1), date(2026, 8, 29), "新签", "区域性", "向阳区域协议", 80),
            agr(B, "壬厂", "K9", date(2025, 9, 1), date(2026, 8, 30), "新签", "区域性", "向阳区域协议"),
            agr(B, "外厂", "K99", date(2025, 2, 1), date(2026, 1, 31)),  # not in the registry at all
        ],
    )
    return con


@pytest.fixture
def street(tmp_path):
    with connect_copy(tmp_path / "test.duckdb", build_wage_street) as con:
        yield con


@pytest.fixture
def settings():
    return load_settings()


def f(**kw):
    return Filters(year=2026, as_of=AS_OF, **kw)


def test_coverage_by_type_counts_each_enterprise_once_in_totals(street, settings):
    frame = wages.coverage_by_type(street, f(), settings)
    got = {(r.community, r.agreement_type): (r.enterprises, r.employees) for r in frame.itertuples()}
    # in force on 6-30: 甲 单独 50; 乙 renewal 单独 30; 丁 单独 20 and 行业性 (blank -> registry 20);
    # 辛 区域性 80; 壬 区域性 (blank -> registry 45). 丙, 己, 外 expired; 庚 not signed yet.
    assert got == {
        (A, "单独签订"): (3, 100),
        (A, "行业性"): (1, 20),
        (A, "合计"): (3, 100),  # 丁 once, at its larger figure (20)
        (B, "区域性"): (2, 125),
        (B, "合计"): (2, 125),
        ("全部", "单独签订"): (3, 100),
        ("全部", "行业性"): (1, 20),
        ("全部", "区域性"): (2, 125),
        ("全部", "合计"): (5, 225),
    }
    table = wages.coverage_table(frame)
    assert list(table["community"]) == [A, B, "全部"]
    assert table.loc[1, "单独签订_enterprises"] == 0  # 向阳 has no individual agreement
    assert table.loc[2, "合计_employees"] == 225


def test_coverage_by_type_industry_filter(street, settings):
    frame = wages.coverage_by_type(street, f(industries=(MFG,)), settings)
    total = frame[(frame["community"] == "全部") & (frame["agreement_type"] == "合计")].iloc[0]
    assert (total["enterprises"], total["employees"]) == (2, 130)  # 甲 50 + 辛 80


def test_expiring_includes_as_of_day_and_warning_edge_only(street, settings):
    frame = wages.expiring_agreements(street, f(), settings)
    # coverage ends: 甲 6-30 (0 days: in force that day, listed); 辛 8-29 (60 days: listed);
    # 壬 8-30 (61 days: not); 丁's own agreement ends 8-29 but its 行业性 runs to 12-31: not listed;
    # 乙's renewal runs to 2027: not listed.
    assert list(frame["name"]) == ["甲厂", "辛厂"]
    assert list(frame["days_left"]) == [0, 60]
    assert list(frame["covered_employees"]) == [50, 80]
    assert list(frame["agreement_name"].fillna("")) == ["", "向阳区域协议"]


def test_expiring_respects_warning_days_setting(street, settings):
    settings.raw["rules"]["expiry_warning_days"] = 61
    frame = wages.expiring_agreements(street, f(), settings)
    assert list(frame["name"]) == ["甲厂", "辛厂", "壬厂"]


def test_expired_without_renewal(street, settings):
    frame = wages.expired_without_renewal(street, f(), settings)
    # 乙 expired 6-29 but its renewal is in force: not listed. 己 lapsed but 停产: not listed.
    # 庚's agreement is signed after the as-of date: not known yet, so it never lapsed.
    # 丙 expired 3-31: 30 + 31 + 30 = 91 days by 6-30. 外厂 (no registry row) 1-31: 28 + 31 + 30 + 31 + 30 = 150.
    assert list(frame["name"]) == ["丙厂", "外厂"]
    assert list(frame["days_overdue"]) == [91, 150]
    assert frame["union_status"].isna().tolist() == [False, True]  # 外厂 has no registry row


def test_expired_without_renewal_community_filter(street, settings):
    assert list(wages.expired_without_renewal(street, f(communities=(B,)), settings)["name"]) == ["外厂"]


def test_unsigned_is_the_w1_gap(street, settings):
    frame = wages.unsigned_enterprises(street, f(), settings)
    # W1 base in 东风: 甲 乙 丙 丁(联合) 庚; 戊 not unionised, 己 停产. In force: 甲 乙 丁 -> 丙, 庚 remain.
    # 向阳: 辛 壬 both covered; 癸's union is founded after the as-of date.
    assert list(frame["name"]) == ["丙厂", "庚厂"]  # largest first: 40, 35
    assert list(frame["situation"]) == ["到期未续签", "从未签订"]
    assert frame["last_expires_on"].iloc[0].date() == date(2026, 3, 31)
    w1 = metrics.wage_agreement_signing(street, f(), settings)
    gaps = {r.community: r.denominator - r.numerator for r in w1.itertuples()}
    assert gaps == {A: 2, B: 0}


def test_unsigned_empty_for_fully_signed_community(street, settings):
    assert wages.unsigned_enterprises(street, f(communities=(B,)), settings).empty


def test_expiry_by_community(street, settings):
    out = wages.expiry_by_community(
        wages.expiring_agreements(street, f(), settings), wages.expired_without_renewal(street, f(), settings)
    )
    assert out.values.tolist() == [[A, 1, 1], [B, 1, 1]]
    empty = wages.expiry_by_community(
        wages.expiring_agreements(street, f(communities=("无此社区",)), settings),
        wages.expired_without_renewal(street, f(communities=("无此社区",)), settings),
    )
    assert empty.empty


def test_signings_by_month(street, settings):
    frame = wages.signings_by_month(street, f(), settings)
    got = {(r.year, r.month, r.sign_kind): r.agreements for r in frame.itertuples()}
    # 庚's 2026-07-01 signing is after the as-of date: left out
    assert got == {
        (2025, 2, "新签"): 1,  # 外厂
        (2025, 4, "新签"): 1,  # 丙
        (2025, 6, "新签"): 2,  # 乙 6-30, 己 6-01
        (2025, 7, "续签"): 1,  # 甲
        (2025, 8, "续签"): 1,  # 丁 own
        (2025, 9, "新签"): 2,  # 辛, 壬
        (2026, 1, "新签"): 1,  # 丁 行业性
        (2026, 6, "续签"): 1,  # 乙 renewal
    }


def test_wage_increase_distribution_and_summary(street, settings):
    dist = wages.wage_increase_distribution(street, f(), settings)
    # signed in 2026 up to as-of with a figure: 乙 3.5, 丁 5.0 (band 5: the band's lower edge is in it)
    assert dist.values.tolist() == [[3, 1], [5, 1]]
    summary = wages.wage_increase_summary(street, f(), settings).set_index("agreement_type")
    assert list(summary.index) == ["单独签订", "行业性", "合计"]
    assert summary.loc["合计", "agreements"] == 2
    assert summary.loc["合计", "mean_pct"] == pytest.approx(4.25)
    assert summary.loc["合计", "median_pct"] == pytest.approx(4.25)
    assert (summary.loc["合计", "min_pct"], summary.loc["合计", "max_pct"]) == (3.5, 5.0)


def test_rows_behind_the_calendar_and_histogram(street, settings):
    rows = wages.signed_agreement_rows(street, f(), settings)
    # 2025: 外 2-01, 丙 4-01, 己 6-01, 乙 6-30, 甲 7-01, 丁 8-30, 辛 and 壬 9-01; 2026: 丁 行业性 1-01, 乙 6-29
    # (庚 7-01 is after the as-of date)
    assert len(rows) == 10
    pick = wages.rows_for_signing_pick
    assert pick(rows, 2026)["name"].tolist() == ["丁厂", "乙厂"]
    assert pick(rows, 2026, month=6)["name"].tolist() == ["乙厂"]  # the June bar
    assert pick(rows, 2025, month=9)["name"].tolist() == ["壬厂", "辛厂"]  # last year's September point
    assert pick(rows, 2025, month=9)["agreement_name"].tolist() == ["向阳区域协议"] * 2
    assert pick(rows, 2026, month=3).empty
    # histogram bands: 乙 3.5 -> 3, 丁 5.0 -> 5 (the lower edge is in the band), nothing in 4 this year
    assert pick(rows, 2026, increase_band=3)["wage_increase_pct"].tolist() == [3.5]
    assert pick(rows, 2026, increase_band=5)["agreement_type"].tolist() == ["行业性"]
    assert pick(rows, 2026, increase_band=4).empty
    assert pick(rows, 2025, increase_band=4)["name"].tolist() == ["丙厂"]
    # every bar's rows add up to the chart's figure
    calendar = wages.signings_by_month(street, f(), settings).groupby(["year", "month"])["agreements"].sum()
    assert {k: len(pick(rows, k[0], month=k[1])) for k in calendar.index} == calendar.to_dict()
    dist = wages.wage_increase_distribution(street, f(), settings)
    assert [len(pick(rows, 2026, increase_band=b)) for b in dist["band_low"]] == dist["agreements"].tolist()


def test_w2_progress(street, settings):
    frame = wages.w2_progress(street, f(), settings)
    # 新签 in 2026 up to as-of: 丁's 行业性 (东风) -> 东风 1, 向阳 0; 庚's is after as-of
    got = {r.community: (r.count, r.short, r.task_share, r.behind) for r in frame.itertuples()}
    assert got == {A: (1, 1, 0.5, False), B: (0, 2, 0.0, True)}  # 0.5 >= 181/365 = 0.496
    assert list(frame["community"]) == [B, A]  # shortest first


def test_w1_projection(street, settings):
    frame = wages.w1_projection(street, f(), settings).set_index("community")
    # 31 Dec 2025: 东风 甲 乙(old) 丙 丁 in force = 4 of its base; 向阳 辛 壬 = 2. Now 东风 3/5, 向阳 2/2.
    # 181 of 365 days gone: 东风 4 + floor(-1 * 365 / 181) = 4 - 3 = 1; 90 % of 5 needs 5 -> short by 4
    assert frame.loc[A, ["start", "numerator", "denominator", "projected", "shortfall"]].tolist() == [4, 3, 5, 1, 4]
    assert frame.loc[B, ["start", "numerator", "denominator", "projected", "shortfall"]].tolist() == [2, 2, 2, 2, 0]
    # all: 6 + floor(-1 * 365 / 181) = 3 of 7; 90 % of 7 needs 7 -> short by 4
    assert frame.loc["全部", ["start", "numerator", "denominator", "projected", "shortfall"]].tolist() == [
        6,
        5,
        7,
        3,
        4,
    ]
    assert frame.loc["全部", "projected_rate"] == pytest.approx(3 / 7)


def test_w1_summary_and_by_community(street, settings):
    result = wages.w1_summary(street, f(), settings)
    assert (result.numerator, result.denominator, result.gap) == (5, 7, 2)  # ceil(6.3) = 7
    frame = wages.w1_by_community(street, f(), settings)
    assert list(frame["community"]) == [A, B]
    assert list(frame["gap"]) == [2, 0]  # 东风 ceil(4.5) = 5 - 3


def test_empty_database(con, settings):
    for fn in (
        wages.coverage_by_type,
        wages.expiring_agreements,
        wages.expired_without_renewal,
        wages.unsigned_enterprises,
        wages.signings_by_month,
        wages.wage_increase_distribution,
        wages.w2_progress,
    ):
        assert fn(con, f(), settings).empty, fn.__name__
    assert wages.coverage_table(wages.coverage_by_type(con, f(), settings)).empty
    proj = wages.w1_projection(con, f(), settings)
    assert proj["community"].tolist() == ["全部"] and proj["projected_rate"].isna().all()


def test_headline(street, settings):
    h = wages.headline(wages.w2_progress(street, f(), settings), metrics.industry_agreements(street, f(), settings))
    # W2: 东风 1, 向阳 0 -> 1 new, 2 communities short by 1 + 2. W3 in force: 餐饮行业协议 (丁, covered blank -> 0)
    # and 向阳区域协议 (辛 80 + 壬 blank) as metrics.industry_agreements sums reported figures.
    assert h == {
        "new_signed": 1,
        "short_communities": 2,
        "short_total": 3,
        "w3_agreements": 2,
        "w3_enterprises": 3,
        "w3_employees": 80,
    }


def test_the_listed_agreement_is_one_whole_row(con, settings):
    """An enterprise with a 行业性 agreement (named, with a uscc and 50 covered) to 12-01 and a later
    单独签订 one to 12-31 that leaves name, uscc and covered blank: the list shows the 12-31 agreement as
    it is (no name, no uscc, the registry's 80 employees), not the blanks filled from the older row, which
    is what arg_max per column did (it skips NULLs)."""
    add_batch(con, "enterprises", [ent(A, "甲厂", "K1", 80)])
    add_batch(
        con,
        "wage_agreements",
        [
            agr(A, "甲厂", "K1", date(2026, 1, 1), date(2026, 12, 1), type_="行业性", agreement_name="餐饮行业协议",
                covered=50),
            agr(A, "甲厂", None, date(2026, 6, 1), date(2026, 12, 31)),
        ],
    )  # fmt: skip
    as_of = Filters(year=2026, as_of=date(2026, 11, 20))
    row = wages.expiring_agreements(con, as_of, settings).iloc[0]  # 41 days left, within the 60-day warning
    assert (row["agreement_type"], row["agreement_name"], row["uscc"]) == ("单独签订", None, None)
    assert (row["signed_on"].date(), row["expires_on"].date()) == (date(2026, 6, 1), date(2026, 12, 31))
    assert (row["days_left"], row["covered_employees"]) == (41, 80)
    lapsed = wages.expired_without_renewal(con, Filters(year=2027, as_of=date(2027, 1, 31)), settings)
    row = lapsed.iloc[0]
    assert (row["agreement_type"], row["agreement_name"], row["uscc"]) == ("单独签订", None, None)
    assert (row["expires_on"].date(), row["days_overdue"]) == (date(2026, 12, 31), 31)


def test_ties_on_the_expiry_date_pick_the_later_signing(con, settings):
    add_batch(con, "enterprises", [ent(A, "甲厂", "K1", 80)])
    add_batch(
        con,
        "wage_agreements",
        [
            agr(A, "甲厂", "K1", date(2026, 3, 1), date(2026, 12, 31), type_="行业性", agreement_name="乙"),
            agr(A, "甲厂", "K1", date(2026, 2, 1), date(2026, 12, 31), type_="区域性", agreement_name="甲"),
        ],
    )
    row = wages.expiring_agreements(con, Filters(year=2026, as_of=date(2026, 11, 20)), settings).iloc[0]
    assert (row["agreement_type"], row["agreement_name"]) == ("行业性", "乙")


def test_w2_joins_the_registry_only_to_filter(street, settings):
    """W2 in 2026 by 6-30: one 新签 agreement, 丁厂's (住宿和餐饮业, 东风). Kept under that industry, gone
    under 制造业 or 停产; with no registry filter the registry is not joined and the count is the same."""

    def w2(**kw):
        frame = metrics.new_wage_agreements_by_community(street, f(**kw), settings)
        return dict(zip(frame["community"], frame["count"], strict=True))

    assert w2() == {A: 1, B: 0}
    assert w2(industries=(FOOD,)) == {A: 1, B: 0}
    assert w2(industries=(MFG,)) == {A: 0, B: 0}
    assert w2(statuses=("停产",)) == {A: 0, B: 0}
