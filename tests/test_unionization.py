"""组建工会 tables and lists on a hand-written street; every expected value is worked out by hand below.

Plan year 2026, as-of 2026-06-30, size threshold 25, targets U1 = U2 = 95 %, U3 = 2.
"""

from datetime import date

import pandas as pd
import pytest

from dashboard import metrics, unionization
from dashboard.config import load_settings
from dashboard.filters import Filters, size_bands
from tests.conftest import add_batch, connect_copy

C1, C2 = "东风社区", "向阳社区"
AS_OF = date(2026, 6, 30)
MFG, BLD = "制造业", "建筑业"


def ent(community, name, employees, union_status, founded=None, *, status="正常经营", industry=MFG, **extra):
    return dict(
        community=community,
        name=name,
        uscc="X" + name,
        employees=employees,
        union_status=union_status,
        union_founded=founded,
        status=status,
        industry=industry,
        **extra,
    )


def build_coverage_street(con):
    add_batch(
        con,
        "enterprises",
        [
            # exactly 25 staff with its own union: eligible and independent; not on the list
            ent(C1, "甲", 25, "独立建会", date(2020, 1, 1), union_members=20),
            # 联合建会 with 30 staff: eligible, unionised (U2) but not independent (U1) -> on the list
            ent(C1, "乙", 30, "联合建会", date(2019, 1, 1), union_members=30),
            ent(C1, "丙", 100, "未建会", industry=BLD, phone="13812345678"),  # on the list
            # own union founded after the as-of date: not yet counted -> on the list as 截止日后建会
            ent(C1, "丁", 40, "独立建会", date(2026, 8, 1)),
            ent(C1, "戊", 60, "未建会", status="停产"),  # not operating: nowhere
            ent(C1, "己", 24, "未建会", industry=BLD),  # 24 staff: operating, not eligible, not on the list
            ent(C1, "庚", 10, "独立建会", date(2026, 3, 15), industry=BLD, union_members=8),  # new in 2026
            ent(C1, "辛", 500, "独立建会", None, union_members=600),  # undated union counts; members capped
            ent(C1, "壬", None, "联合建会", date(2025, 11, 1), industry=None),  # no staff count, no members
        ],
    )
    add_batch(
        con,
        "enterprises",
        [
            ent(C2, "癸", 99, "独立建会", date(2025, 5, 10), union_members=50),
            ent(C2, "子", 26, "联合建会", date(2026, 2, 1), industry=BLD),  # new in 2026, on the list
            ent(C2, "丑", 25, "未建会", industry=BLD),  # exactly 25, no union -> on the list
        ],
    )
    return con


@pytest.fixture
def street(tmp_path):
    with connect_copy(tmp_path / "test.duckdb", build_coverage_street) as con:
        yield con


@pytest.fixture
def settings():
    return load_settings()


@pytest.fixture
def filters():
    return Filters(year=2026, as_of=AS_OF)


def rows(frame, cols):
    return [tuple(r) for r in frame[cols].itertuples(index=False)]


def test_by_community_counts_rates_and_gaps(street, filters, settings):
    frame = unionization.union_coverage_by_community(street, filters, settings)
    # C1 operating: 甲乙丙丁己庚辛壬 = 8 (戊 停产); unionised at as-of: 甲乙庚辛壬 = 5 (丁 founded later)
    # eligible (>= 25): 甲乙丙丁辛 = 5; independent: 甲辛 = 2; new in 2026 by as-of: 庚 = 1
    # U1 2/5, gap ceil(0.95*5)=5 -> 3; U2 5/8, gap ceil(7.6)=8 -> 3
    # C2 operating 癸子丑 = 3, unionised 癸子 = 2, eligible 3, independent 癸 = 1, new 子 = 1
    # U1 1/3, gap ceil(2.85)=3 -> 2; U2 2/3 -> 1. Largest U1 gap first.
    cols = ["community", "operating", "unionised", "eligible", "independent", "new_unions", "u1_gap", "u2_gap"]
    assert rows(frame, cols) == [(C1, 8, 5, 5, 2, 1, 3, 3), (C2, 3, 2, 3, 1, 1, 2, 1)]
    assert frame["u1_rate"].tolist() == pytest.approx([0.4, 1 / 3])
    assert frame["u1_status"].tolist() == ["red", "red"]


def test_by_community_matches_the_overview_indicators(street, filters, settings):
    frame = unionization.union_coverage_by_community(street, filters, settings).sort_values("community")
    u1 = metrics.union_coverage_25plus(street, filters, settings).sort_values("community")
    assert frame["independent"].tolist() == u1["numerator"].tolist()
    assert frame["eligible"].tolist() == u1["denominator"].tolist()


def test_by_industry(street, filters, settings):
    frame = unionization.union_coverage_by_industry(street, filters, settings)
    # 制造业 operating 甲乙丁辛癸 = 5, unionised 甲乙辛癸 = 4, eligible 5, independent 甲辛癸 = 3
    # 建筑业 operating 丙己庚子丑 = 5, unionised 庚子 = 2, eligible 丙子丑 = 3, independent 0 (庚 is small)
    # blank industry: 壬, unionised (joint), no staff count
    assert rows(frame, ["industry", "operating", "unionised", "eligible", "independent"]) == [
        (MFG, 5, 4, 5, 3),
        (BLD, 5, 2, 3, 0),
        ("（未填写行业）", 1, 1, 0, 0),
    ]
    assert frame["u1_gap"].tolist() == [2, 3, 0]  # ceil(4.75)=5-3; ceil(2.85)=3-0; no denominator


def test_by_size_band(street, filters, settings):
    frame = unionization.union_coverage_by_size_band(street, filters, settings)
    # bands: <25 己庚; 25-99 甲乙丁癸子丑 (25 and 99 inside); 100-499 丙 (100 inside); 500+ 辛; blank 壬
    cols = ["size_band", "operating", "unionised", "independent", "eligible", "eligible_independent"]
    assert rows(frame, cols) == [
        ("不足25人", 2, 1, 1, 0, 0),
        ("25–99人", 6, 4, 2, 6, 2),
        ("100–499人", 1, 0, 0, 1, 0),
        ("500人及以上", 1, 1, 1, 1, 1),
        ("人数未填", 1, 1, 0, 0, 0),
    ]
    assert frame["own_rate"].iloc[0] == pytest.approx(0.5)  # 庚 of 己庚


def test_size_bands_follow_the_threshold(settings):
    raw = {**settings.raw, "rules": {**settings.raw["rules"], "size_threshold": 50}}
    bounds = size_bands(type(settings)(raw))
    assert bounds == [50, 100, 500]
    assert [unionization.size_band_label(b, bounds) for b in (0, 1, 3, -1)] == [
        "不足50人",
        "50–99人",
        "500人及以上",
        "人数未填",
    ]


def test_monthly_trend_from_founding_dates(street, filters, settings):
    frame = unionization.union_trend_monthly(street, filters, settings)
    # 12 months of 2025 and January-June 2026 (as-of 30 June)
    assert len(frame) == 18
    assert frame["point"].iloc[-1].date() == AS_OF
    by = {(int(r.year), int(r.month)): r for r in frame.itertuples()}
    # U1 denominator: eligible 甲乙丙丁辛 + 癸子丑 = 8; numerator: 甲 (2020), 辛 (undated), then 癸 from May 2025
    assert (by[2025, 1].u1_numerator, by[2025, 1].u1_denominator) == (2, 8)
    assert by[2025, 4].u1_numerator == 2
    assert by[2025, 5].u1_numerator == 3
    assert by[2026, 6].u1_numerator == 3  # 丁's union (August 2026) is not in yet
    # U2 over 11 operating: 甲乙辛 from the start; 癸 May 2025; 壬 Nov 2025; 子 Feb 2026; 庚 Mar 2026
    assert [by[k].u2_numerator for k in [(2025, 1), (2025, 5), (2025, 11), (2026, 2), (2026, 3)]] == [3, 4, 5, 6, 7]
    assert by[2026, 6].u2_denominator == 11


def test_projection_to_year_end(street, filters, settings):
    frame = unionization.union_rate_projections(street, filters, settings).set_index("indicator")
    # 30 June is day 181 of 365.
    # U1: 3 on 31 Dec 2025, 3 now -> no pace, 3 of 8 at year end; 95 % of 8 needs 8 -> short 5
    assert frame.loc["U1", ["start", "now", "projected", "shortfall"]].tolist() == [3, 3, 3, 5]
    # U2: 5 -> 7, +2 in 181 days -> 2 * 365 // 181 = 4 more by year end: 9 of 11; needs ceil(10.45)=11 -> 2
    assert frame.loc["U2", ["start", "now", "projected", "shortfall"]].tolist() == [5, 7, 9, 2]
    assert frame.loc["U2", "projected_rate"] == pytest.approx(9 / 11)


def test_todo_list_membership_and_order(street, filters, settings):
    frame = unionization.unionisation_todo(street, filters, settings)
    # in: 丙 (100, none), 丁 (40, own union founded after as-of), 乙 (30, joint), 子 (26, joint), 丑 (exactly 25)
    # out: 甲 (own union), 戊 (停产), 己 (24 staff), 庚 (10 staff), 辛 (own union), 壬 (no staff count)
    assert rows(frame, ["name", "employees", "union_status"]) == [
        ("丙", 100, "未建会"),
        ("丁", 40, "截止日后建会"),
        ("乙", 30, "联合建会"),
        ("子", 26, "联合建会"),
        ("丑", 25, "未建会"),
    ]
    assert frame.loc[0, "phone"] == "13812345678"  # masking happens where it is shown or exported
    # the list is exactly the U1 gap's population: denominator minus numerator
    u1 = metrics.union_coverage_25plus(street, filters, settings)
    assert len(frame) == int(u1["denominator"].sum() - u1["numerator"].sum())


def test_todo_list_by_year_end_drops_the_late_union(street, settings):
    frame = unionization.unionisation_todo(street, Filters(year=2026, as_of=date(2026, 12, 31)), settings)
    assert "丁" not in set(frame["name"])


def test_todo_list_follows_the_community_filter(street, settings):
    frame = unionization.unionisation_todo(street, Filters(year=2026, as_of=AS_OF, communities=(C2,)), settings)
    assert list(frame["name"]) == ["子", "丑"]


def test_membership_rate(street, filters, settings):
    frame = unionization.union_membership_by_community(street, filters, settings)
    # C1 unionised: 甲乙庚辛壬; reported: 甲乙庚辛 (壬 blank); employees 25+30+10+500 = 565;
    # members 20+30+8+min(600,500) = 558. C2 unionised 癸子; reported 癸: 50 / 99; 子 blank.
    # lowest rate first
    cols = ["community", "unionised", "reported", "employees", "members", "members_missing"]
    assert rows(frame, cols) == [(C2, 2, 1, 99, 50, 1), (C1, 5, 4, 565, 558, 1)]
    assert frame["rate"].tolist() == pytest.approx([50 / 99, 558 / 565])


def test_rows_for_a_size_band(street, filters, settings):
    """The enterprises behind each bar of the size-band chart (same bands as test_by_size_band)."""
    ents = unionization.union_enterprise_rows(street, filters, settings)
    # operating: C1 甲乙丙丁己庚辛壬 + C2 癸子丑 = 11 (戊 停产 is not); largest first, blank staff last
    assert len(ents) == 11
    assert ents["name"].iloc[0] == "辛" and ents["name"].iloc[-1] == "壬"
    # 25-99: 癸99 丁40 乙30 子26 甲25 丑25 (ties by community then name: 东风 甲 before 向阳 丑)
    band = unionization.rows_for_band(ents, "25–99人")
    assert band["name"].tolist() == ["癸", "丁", "乙", "子", "甲", "丑"]
    # 丁's own union was founded after the as-of date: it shows as such and has no union yet
    row = band[band["name"] == "丁"].iloc[0]
    assert (row["union_status"], bool(row["has_union"])) == ("截止日后建会", False)
    assert unionization.rows_for_band(ents, "不足25人")["name"].tolist() == ["己", "庚"]
    assert unionization.rows_for_band(ents, "人数未填")["name"].tolist() == ["壬"]
    assert unionization.rows_for_band(ents, "100–499人")["phone"].tolist() == ["13812345678"]
    assert len(unionization.rows_for_band(ents, None)) == 11
    # each band's row count is the chart's 'operating' for that band
    sizes = unionization.union_coverage_by_size_band(street, filters, settings)
    assert [len(unionization.rows_for_band(ents, b)) for b in sizes["size_band"]] == sizes["operating"].tolist()


def test_rows_for_a_membership_bar(street, filters, settings):
    """The enterprises behind a bar of the 入会率 chart: unionised at the as-of date in that community."""
    ents = unionization.union_enterprise_rows(street, filters, settings)
    c1 = unionization.rows_for_members(ents, C1)
    # C1 unionised at as-of: 辛500 乙30 甲25 庚10 壬(blank staff) - 丁 founded later, 丙己 none
    assert c1["name"].tolist() == ["辛", "乙", "甲", "庚", "壬"]
    # 辛 600 members capped at 500 -> 1.0; 乙 30/30; 甲 20/25 = 0.8; 庚 8/10; 壬 no figures -> blank
    assert c1["member_rate"].tolist()[:4] == pytest.approx([1.0, 1.0, 0.8, 0.8])
    assert pd.isna(c1["member_rate"].iloc[4])
    assert unionization.rows_for_members(ents, C2)["name"].tolist() == ["癸", "子"]
    assert len(unionization.rows_for_members(ents, None)) == 7


def test_rows_for_a_trend_point(street, filters, settings):
    """What a month of the U1/U2 trend added: unions founded that month and counted by the as-of date."""
    ents = unionization.union_enterprise_rows(street, filters, settings)
    point = unionization.rows_for_trend_point
    # founded in 2026 by 30 June: 子 (2-01, joint, 26 staff), 庚 (3-15, own, 10 staff); 丁's August union
    # is after the as-of date
    assert point(ents, "u2", 2026)["name"].tolist() == ["子", "庚"]
    assert point(ents, "u2", 2026, 3)["name"].tolist() == ["庚"]
    assert point(ents, "u1", 2026, 3).empty  # 庚 is below 25 staff
    assert point(ents, "u1", 2026, 2).empty  # 子's union is joint
    assert point(ents, "u1", 2025, 5)["name"].tolist() == ["癸"]  # own union, 99 staff
    assert point(ents, "u2", 2025, 11)["name"].tolist() == ["壬"]  # joint, no staff count: U2 only
    assert point(ents, "u1", 2025, 11).empty
    # each month's rows are exactly the step of the trend's numerator from the month before
    trend = unionization.union_trend_monthly(street, filters, settings)
    for key in ("u1", "u2"):
        nums = trend[f"{key}_numerator"].tolist()
        months = list(trend[["year", "month"]].itertuples(index=False))
        steps = [nums[i] - nums[i - 1] for i in range(1, len(nums))]
        assert [len(point(ents, key, y, m)) for y, m in months[1:]] == steps


def test_new_unions_against_time_progress(street, settings):
    frame = unionization.new_unions_progress(street, Filters(year=2026, as_of=AS_OF), settings)
    # 30 June: time share 181/365 = 49.6 %; each community has 1 of 2 = 50 %: neither behind
    assert rows(frame, ["community", "count", "task_share", "behind"]) == [(C1, 1, 0.5, False), (C2, 1, 0.5, False)]
    late = unionization.new_unions_progress(street, Filters(year=2026, as_of=date(2026, 9, 30)), settings)
    # 30 September: 273/365 = 74.8 %; C1 now has 庚 and 丁 (August) = 2 of 2; C2 still 1 of 2: behind
    assert rows(late, ["community", "count", "task_share", "behind", "short"]) == [
        (C2, 1, 0.5, True, 1),
        (C1, 2, 1.0, False, 0),
    ]
    assert late["time_share"].iloc[0] == pytest.approx(273 / 365)


def test_empty_database_gives_empty_frames(con, filters, settings):
    assert unionization.union_coverage_by_community(con, filters, settings).empty
    assert unionization.unionisation_todo(con, filters, settings).empty
    proj = unionization.union_rate_projections(con, filters, settings)
    assert proj["denominator"].tolist() == [0, 0] and proj["projected_rate"].isna().all()
    bands = unionization.union_coverage_by_size_band(con, filters, settings)
    assert bands["operating"].tolist() == [0, 0, 0, 0]
