"""A1 帮扶救助 on the hand-written aid ledger of tests/aid_fixture.py; expected values worked out by hand.

In the period (2026-01-01 … 2026-06-30) rows 1-7 and 11 count: 8 aid rows (人次) for 5 people (A, B, D,
东风社区|李四, 向阳社区|李四); cash 500+300+1000+0+200+400+0+100 = 2500, goods 100+200+150+50 = 500.
"""

from datetime import date

import pytest

from dashboard import aid, metrics
from dashboard.config import Settings, load_settings
from dashboard.filters import Filters
from tests.aid_fixture import AS_OF, C1, C2, C3, build_aid_street, row
from tests.conftest import add_batch, connect_copy


@pytest.fixture
def cur(tmp_path):
    with connect_copy(tmp_path / "test.duckdb", build_aid_street) as con:
        yield con.cursor()


@pytest.fixture
def settings():
    return load_settings()


@pytest.fixture
def filters():
    return Filters(year=2026, as_of=AS_OF)


def with_rules(settings: Settings, **rules) -> Settings:
    return Settings({**settings.raw, "rules": {**settings.raw["rules"], **rules}})


def test_totals_this_year_against_same_period_last_year(cur, filters, settings):
    t = aid.aid_totals(cur, filters, settings).iloc[0]
    assert (t["people"], t["distinct_people"], t["jobs"]) == (8, 5, 2)
    assert (t["cash"], t["goods"], t["amount"]) == (2500, 500, 3000)
    assert t["per_person"] == 600  # 3000 / 5 distinct people
    # last year: only 赵六's January row; his August row is after 30 June 2025
    assert (t["people_last"], t["distinct_people_last"], t["amount_last"], t["jobs_last"]) == (1, 1, 900, 0)


def test_campaigns_every_campaign_and_festival_listed(cur, filters, settings):
    frame = aid.aid_campaigns(cur, filters, settings).set_index("label")
    assert list(frame.index) == [
        "春送岗位",
        "夏送凉爽",
        "金秋助学",
        "冬送温暖",
        "节日慰问·元旦",
        "节日慰问·春节",
        "节日慰问·端午",
        "节日慰问·中秋",
        "节日慰问·国庆",
        "日常帮扶",
    ]
    cols = ["people", "distinct_people", "cash", "goods", "amount", "jobs", "people_last", "amount_last"]
    got = {k: tuple(frame.loc[k, cols]) for k in frame.index}
    assert got["春送岗位"] == (1, 1, 0, 0, 0, 2, 0, 0)
    assert got["夏送凉爽"] == (1, 1, 100, 50, 150, 0, 0, 0)  # given on the as-of date itself
    assert got["金秋助学"] == (0, 0, 0, 0, 0, 0, 0, 0)  # last year's was in August: outside the period
    assert got["冬送温暖"] == (2, 2, 1400, 200, 1600, 0, 1, 900)  # the undone 9999 is ignored
    assert got["节日慰问·春节"] == (3, 2, 800, 250, 1050, 0, 0, 0)  # 张三 twice, 王五 once
    assert got["节日慰问·端午"] == (1, 1, 200, 0, 200, 0, 0, 0)
    assert got["节日慰问·中秋"] == (0, 0, 0, 0, 0, 0, 0, 0)  # September: after the as-of date
    assert frame["people"].sum() == 8


def test_month_calendar(cur, filters, settings):
    frame = aid.aid_by_month(cur, filters, settings)
    assert len(frame) == 2 * 12 * 6  # two years x 12 months x 6 campaigns, zeros included
    busy = frame[frame["people"] > 0]
    got = {(r.year, r.month, r.campaign): (r.people, r.amount) for r in busy.itertuples()}
    assert got == {
        (2025, 1, "冬送温暖"): (1, 900),
        (2025, 8, "金秋助学"): (1, 1000),  # last year's calendar is the whole year
        (2026, 1, "冬送温暖"): (2, 1600),
        (2026, 2, "节日慰问"): (3, 1050),
        (2026, 3, "春送岗位"): (1, 0),
        (2026, 6, "节日慰问"): (1, 200),
        (2026, 6, "夏送凉爽"): (1, 150),
    }
    later = frame[(frame["year"] == 2026) & frame["after_as_of"]]
    assert sorted(later["month"].unique()) == list(range(7, 13))
    assert not frame[frame["year"] == 2025]["after_as_of"].any()


def test_by_community_with_focus_groups(cur, filters, settings):
    frame = aid.aid_by_community(cur, filters, settings)
    assert list(frame["community"]) == [C1, C2, C3]  # most people reached first
    cols = ["people", "distinct_people", "amount", "jobs", "migrant_people", "outside_people"]
    got = {r["community"]: tuple(r[cols]) for _, r in frame.iterrows()}
    assert got[C1] == (5, 2, 2300, 2, 1, 0)
    assert got[C2] == (3, 3, 700, 0, 1, 1)
    assert got[C3] == (0, 0, 0, 0, 0, 0)  # no aid, still listed
    per = dict(zip(frame["community"], frame["per_person"], strict=True))
    assert per[C1] == 1150  # 2300 / 2
    assert per[C2] == pytest.approx(700 / 3)
    assert per[C3] != per[C3]  # NaN: no people, no per-capita amount


def test_by_category_focus_groups_on_their_own(cur, filters, settings):
    frame = aid.aid_by_category(cur, filters, settings).set_index("category")
    assert list(frame.index) == ["困难职工", "农民工", "外来务工人员", "下岗失业人员", "劳模", "其他", "未填类别"]
    assert frame.loc["困难职工", ["people", "distinct_people", "amount", "per_person"]].tolist() == [4, 1, 2100, 2100]
    assert frame.loc["农民工", ["people", "distinct_people", "amount", "per_person"]].tolist() == [2, 2, 350, 175]
    assert frame.loc["外来务工人员", ["people", "amount"]].tolist() == [1, 400]
    assert frame.loc["未填类别", ["people", "amount"]].tolist() == [1, 150]
    assert frame.loc["劳模", "people"] == 0
    assert frame[frame["focus_group"]].index.tolist() == ["农民工", "外来务工人员"]


def test_by_funding_with_shares(cur, filters, settings):
    frame = aid.aid_by_funding(cur, filters, settings).set_index("funding")
    assert list(frame.index) == ["上级工会", "街道工会", "企业", "社会捐助", "未填来源"]
    assert frame["amount"].tolist() == [1500, 750, 200, 400, 150]
    assert frame["people"].tolist() == [2, 3, 1, 1, 1]
    assert frame.loc["上级工会", "share"] == 0.5  # 1500 / 3000
    assert frame.loc["未填来源", "share"] == 0.05


def test_repeat_in_same_campaign(cur, filters, settings):
    frame = aid.aid_repeat_in_campaign(cur, filters, settings)
    assert len(frame) == 1
    r = frame.iloc[0]
    assert (r["recipient"], r["campaign"], r["festival"], r["times"]) == ("张三", "节日慰问", "春节", 2)
    assert r["dates"] == "2026-02-10、2026-02-20"
    assert r["amount"] == 900


def test_many_campaigns(cur, filters, settings):
    frame = aid.aid_many_campaigns(cur, filters, settings)
    assert frame[["recipient", "campaigns", "times", "amount"]].values.tolist() == [["张三", 3, 4, 2100]]
    assert frame.iloc[0]["campaign_list"] == "冬送温暖、春送岗位、节日慰问"
    assert aid.aid_many_campaigns(cur, filters, with_rules(settings, aid_many_campaigns=4)).empty


def test_category_gaps(cur, filters, settings):
    # 东风社区 aided 2 people (none 外来务工人员); 向阳社区 3 people (none 困难职工: 王五's category is blank)
    loose = with_rules(settings, aid_gap_min_recipients=2)
    frame = aid.aid_category_gaps(cur, filters, loose)
    assert frame[["community", "distinct_people", "missing_category"]].values.tolist() == [
        [C1, 2, "外来务工人员"],
        [C2, 3, "困难职工"],
    ]
    strict = with_rules(settings, aid_gap_min_recipients=3)
    assert aid.aid_category_gaps(cur, filters, strict)["community"].tolist() == [C2]


def test_community_filter(cur, settings):
    f = Filters(year=2026, as_of=AS_OF, communities=(C2,))
    t = aid.aid_totals(cur, f, settings).iloc[0]
    assert (t["people"], t["distinct_people"], t["amount"]) == (3, 3, 700)
    assert aid.aid_by_community(cur, f, settings)["community"].tolist() == [C2]


def test_empty_year(cur, settings):
    f = Filters(year=2020)
    t = aid.aid_totals(cur, f, settings).iloc[0]
    assert (t["people"], t["amount"]) == (0, 0)
    assert t["per_person"] != t["per_person"]  # NaN, shown as a dash
    assert aid.aid_rows(cur, f, settings).empty
    assert aid.aid_campaigns(cur, f, settings)["people"].sum() == 0


def test_drill_down_to_rows(cur, filters, settings):
    assert len(aid.aid_rows(cur, filters, settings)) == 8

    def drill(**selection):
        return aid.list_page(cur, filters, settings, where=aid.drill_where(**selection))

    assert drill(campaign="节日慰问·春节").total == 3
    assert drill(campaign="节日慰问").total == 4
    assert drill(campaign="冬送温暖", month=1).frame["recipient"].tolist() == ["张三", "李四"]
    assert drill(community=None).total == 8
    assert drill(category="农民工").frame["recipient"].tolist() == ["李四", "钱七"]  # by date


def test_drill_where_splits_a_festival_label():
    assert aid.drill_where(campaign="节日慰问·春节", month=None) == {
        "campaign": "节日慰问",
        "festival": "春节",
        "month": None,
    }
    assert aid.drill_where(campaign=None) == {"campaign": None}


def test_a_page_of_rows_and_their_count(cur, filters, settings):
    """The page fetches the first rows of a selection and how many there are: 4 节日慰问 rows, 3 shown;
    the 3 are the first 3 of the full list, in its order (given_on, community, recipient)."""
    where = aid.drill_where(campaign="节日慰问")
    every = aid.list_page(cur, filters, settings, where=where)
    first = aid.list_page(cur, filters, settings, where=where, limit=3)
    assert (every.total, len(every.frame)) == (4, 4)
    assert (first.total, len(first.frame)) == (4, 3)
    assert first.frame.equals(every.frame.head(3))
    assert aid.list_page(cur, filters, settings, where=where, limit=10).total == 4


def test_drill_by_funding_source(cur, filters, settings):
    """A click on the funding chart: 上级工会 paid 张三 on 5 Jan (冬送温暖) and 20 Feb (春节); row 7 has
    no source, so 未填来源 holds 王五 alone."""

    def drill(**selection):
        return aid.list_page(cur, filters, settings, where=aid.drill_where(**selection)).frame

    picked = drill(funding="上级工会")
    assert picked["recipient"].tolist() == ["张三", "张三"]
    assert [d.isoformat() for d in picked["given_on"].dt.date] == ["2026-01-05", "2026-02-20"]
    assert drill(funding="未填来源")["recipient"].tolist() == ["王五"]
    assert drill(funding="上级工会", month=1)["campaign"].tolist() == ["冬送温暖"]


def test_the_plan_year_runs_from_1_january_to_31_december_inclusive(con, settings):
    """The year filter is a date range (given_on >= 1 Jan and < 1 Jan next year): rows on the last day of
    the year before and the first day of the year after stay out, both edge days of the year count."""
    add_batch(
        con,
        "aid",
        [
            row(C1, "甲", "P1", "困难职工", "冬送温暖", date(2025, 12, 31), 1),  # the year before
            row(C1, "乙", "P2", "困难职工", "冬送温暖", date(2026, 1, 1), 10),  # first day: counts
            row(C1, "丙", "P3", "困难职工", "冬送温暖", date(2026, 12, 31), 100),  # last day: counts
            row(C1, "丁", "P4", "困难职工", "冬送温暖", date(2027, 1, 1), 1000),  # the year after
        ],
    )
    frame = aid.aid_rows(con.cursor(), Filters(year=2026, as_of=date(2026, 12, 31)), settings)
    assert set(frame["recipient"]) == {"乙", "丙"}
    a1 = metrics.aid_by_campaign(con.cursor(), Filters(year=2026, as_of=date(2026, 12, 31)), settings)
    assert a1[["campaign", "people", "distinct_people", "cash"]].values.tolist() == [["冬送温暖", 2, 2, 110]]


def test_ties_come_in_a_fixed_order(con, settings):
    """One person's two rows of one day: in ledger order (source row 3 before 5, whatever order they were
    stored in). One person repeated twice for 200 in two campaigns: 春送岗位 before 金秋助学 (campaign name
    order, U+6625 < U+91D1). Pages show the first rows of these lists, so the same rows on every run."""
    from tests.conftest import add_batch

    def row(campaign, given, source_row, category):
        return dict(community="东风社区", recipient="张三", id_number="120101199001011234", campaign=campaign,
                    given_on=given, cash=100, goods_value=0, category=category, source_row=source_row)  # fmt: skip

    add_batch(
        con,
        "aid",
        [
            row("金秋助学", date(2026, 3, 1), 5, "劳模"),
            row("金秋助学", date(2026, 3, 1), 3, "其他"),
            row("春送岗位", date(2026, 2, 1), 7, "其他"),
            row("春送岗位", date(2026, 2, 2), 8, "其他"),
        ],
    )
    f = Filters(year=2026, as_of=date(2026, 6, 30))
    rows = aid.aid_rows(con.cursor(), f, settings)
    assert rows["category"].tolist() == ["其他", "其他", "其他", "劳模"]  # 2-1, 2-2, then row 3 before row 5
    repeat = aid.aid_repeat_in_campaign(con.cursor(), f, settings)
    assert repeat["campaign"].tolist() == ["春送岗位", "金秋助学"]
    assert repeat["times"].tolist() == [2, 2] and repeat["amount"].tolist() == [200, 200]
    assert aid.aid_repeat_people(con.cursor(), f, settings) == 1  # two rows, one person


def test_check_lists_come_a_page_at_a_time(cur, filters, settings):
    """The repeat and many-campaign lists: the first rows and the count, the same rows as the whole list."""
    for query, fn in (
        ("aid_repeat_in_campaign", aid.aid_repeat_in_campaign),
        ("aid_many_campaigns", aid.aid_many_campaigns),
    ):
        every = fn(cur, filters, settings)
        page = aid.list_page(cur, filters, settings, query=query, limit=1)
        assert page.total == len(every) >= 1
        assert page.frame.equals(every.head(1))
    with pytest.raises(ValueError):
        aid.list_page(cur, filters, settings, query="accounts")


def test_distinct_people_per_period_campaign_and_category(con, settings):
    """One person counted once per period and campaign however many rows; a person with rows of two
    categories counts in both category columns of the community (worked out by hand below)."""
    add_batch(con, "enterprises", [dict(community=C1, name="企业", uscc="U1")])
    add_batch(
        con,
        "aid",
        [
            # X (ID X1): 农民工 in 冬送温暖, then 外来务工人员 in 夏送凉爽, and last year in 冬送温暖
            row(C1, "某甲", "X1", "农民工", "冬送温暖", date(2026, 1, 5), 100),
            row(C1, "某甲", "X1", "外来务工人员", "夏送凉爽", date(2026, 3, 1), 100),
            row(C1, "某甲", "X1", "农民工", "冬送温暖", date(2025, 2, 1), 100),
            # Y (no ID): twice in 冬送温暖
            row(C1, "某乙", None, "困难职工", "冬送温暖", date(2026, 1, 6), 100),
            row(C1, "某乙", None, "困难职工", "冬送温暖", date(2026, 1, 7), 100),
        ],
    )
    f, cur = Filters(year=2026, as_of=AS_OF), con.cursor()
    t = aid.aid_totals(cur, f, settings).iloc[0]
    assert (t["people"], t["distinct_people"], t["people_last"], t["distinct_people_last"]) == (4, 2, 1, 1)
    assert t["per_person"] == 200  # 400 / 2 people
    campaigns = aid.aid_campaigns(cur, f, settings).set_index("label")
    assert tuple(campaigns.loc["冬送温暖", ["people", "distinct_people", "people_last", "distinct_people_last"]]) == (
        3,
        2,
        1,
        1,
    )
    assert tuple(campaigns.loc["夏送凉爽", ["people", "distinct_people", "distinct_people_last"]]) == (1, 1, 0)
    assert campaigns.loc["金秋助学", "distinct_people"] == 0  # listed, nobody
    c1 = aid.aid_by_community(cur, f, settings).set_index("community").loc[C1]
    assert tuple(c1[["people", "distinct_people", "migrant_people", "outside_people"]]) == (4, 2, 1, 1)
    empty = aid.aid_totals(cur, Filters(year=2020), settings).iloc[0]
    assert (empty["distinct_people"], empty["distinct_people_last"]) == (0, 0)  # zero, not missing
