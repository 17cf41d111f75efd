"""The meeting deck as data: the month, the eight slides and the tables behind them (small street, March 2026)."""

from datetime import date

import pytest

from dashboard import meeting, meeting_facts
from dashboard.config import load_settings
from tests.conftest import connect_copy
from tests.small_street import build_small_street


@pytest.fixture
def deck(tmp_path):
    filters = meeting_facts.month_filters(2026, 3, today=date(2026, 11, 1))
    with connect_copy(tmp_path / "test.duckdb", build_small_street) as con:
        yield meeting.meeting_deck(con.cursor(), filters, load_settings())


def test_month_end_and_previous_month():
    assert meeting_facts.month_end(2026, 2, today=date(2026, 11, 1)) == date(2026, 2, 28)
    assert meeting_facts.month_end(2024, 2, today=date(2026, 11, 1)) == date(2024, 2, 29)
    assert meeting_facts.month_end(2026, 11, today=date(2026, 11, 23)) == date(2026, 11, 23)  # under way: today
    assert meeting_facts.month_end(2026, 12, today=date(2026, 11, 23)) == date(2026, 12, 31)
    assert meeting_facts.previous_month(2026, 1) == (2025, 12)
    assert meeting_facts.previous_month(2026, 3) == (2026, 2)


def test_ten_slides_in_order(deck):
    assert [s.key for s in deck.slides] == [
        "scorecard", "union", "wage", "harmony", "aid", "dispute", "behind", "plan", "submissions", "highlights"
    ]  # fmt: skip
    assert deck.title == "示例街道工会工作2026年3月例会"


def test_scorecard(deck):
    """U1 3/7 42.9% red; U2 at 31 March 东风 甲一 甲二 丙 of 5 operating (己's union is from August) + 向阳 2/3
    = 5/8 62.5% red (95% of 8 = 7.6 -> 8, 3 more); W1 4/5 80% red (10 points below, band 5); H1 2/4 50% green.
    Counts (time share 90/365): U3 东风 2, 向阳 0 -> street task (2+0)/4 = 50% >= 24.7%: amber, 1 community short;
    W2 东风 2, 向阳 1: amber; H2 1 and 1: amber."""
    slide = deck.slides[0]
    assert slide.table["当前"].tolist() == [
        "42.9%",
        "62.5%",
        "80.0%",
        "50.0%",
        "1/2个社区完成",
        "1/2个社区完成",
        "0/2个社区完成",
    ]
    assert slide.statuses == ["red", "red", "red", "green", "amber", "amber", "amber"]
    assert slide.table["差距"].tolist() == [
        "还差 4 家",
        "还差 3 家",
        "还差 1 家",
        "已达标",
        "1个社区未完成",
        "1个社区未完成",
        "2个社区未完成",
    ]
    assert slide.headline.value == "1/7"


def test_topic_slides_headlines_and_charts(deck):
    union, wage, harmony, aid, dispute = deck.slides[1:6]
    assert union.headline.value == "42.9%" and union.note == "目标95% · 还差 4 家"
    # 东风 甲一 of 甲一 丁 丙 己 = 1/4 = 25%; 向阳 甲 乙 of 甲 乙 庚 = 2/3 = 66.7%; lowest first (drawn at the bottom)
    assert union.chart.categories == ["东风", "向阳"]
    assert union.chart.series == [("比率", [25.0, 66.7])]
    assert union.chart.target == 95.0
    assert [f.value for f in union.figures] == ["62.5%", "2家", "1家"]  # U2; U3 this year 甲二 + 戊; March 甲二
    assert wage.chart.series == [("比率", [50.0, 100.0])] and wage.chart.categories == ["向阳", "东风"]
    assert harmony.headline.value == "50.0%"
    # aid to 31 March: 冬送温暖 张三 + 李四 (2), 春送岗位 王五 (1)
    assert aid.headline.value == "3人次" and aid.note == "慰问金和物资共1,200元"
    assert dict(zip(aid.chart.categories, aid.chart.series[0][1], strict=True)) == {"春送岗位": 1.0, "冬送温暖": 2.0}
    # disputes received: D1 January, D2 February, nothing in March
    assert dispute.chart.categories == ["1月", "2月", "3月"]
    assert dispute.chart.series == [("受理件数", [1.0, 1.0, 0.0])]
    assert dispute.headline.value == "2件" and dispute.note == "其中集体争议1件"
    # D1 success, D2 failed; nothing open on 31 March (D3, D4 came later), under the names of dashboard.spec
    assert [(f.label, f.value) for f in dispute.figures] == [
        ("调解成功率", "50.0%"),
        ("全部未结（含往年）", "0件"),
        ("其中超期", "0件"),
    ]


def test_communities_behind(deck):
    """东风: U1 1/4 (95% -> 4, 3 more), U2 3/5 (5, 2 more), W1 3/3, H1 1/2 green, U3 2, W2 2, H2 1 (1 short)
    -> U1, U2, H2 missed: 3. 向阳: U1 2/3 (3, 1 more), U2 2/3 (1 more), W1 1/2 (1 more), H1 1/2, U3 0 (2
    short), W2 1 (1 short), H2 1 (1 short) -> 6 missed."""
    table = deck.slides[6].table
    assert list(table.columns) == [
        "社区",
        "未达标项",
        "独立建会率",
        "建会率",
        "签约率",
        "A级占比",
        "新增建会",
        "新增建制",
        "新创建",
    ]
    assert table.values.tolist() == [
        ["向阳社区", 6, "差1", "差1", "差1", "", "差2", "差1", "差1"],
        ["东风社区", 3, "差3", "差2", "", "", "", "", "差1"],
    ]
    assert deck.slides[6].headline.value == "2/2"


def test_tables_behind_the_slides(deck):
    assert list(deck.tables) == [
        "1目标完成情况",
        "2组建工会_分社区",
        "3集体协商_分社区",
        "3集体协商_行业区域协议",
        "4和谐企业_分社区",
        "5送温暖_分活动",
        "6劳动争议_各月",
        "7未达标社区",
        "8工作计划",
        "9报送提醒",
        "10本月要点",
    ]
    union = deck.tables["2组建工会_分社区"].set_index("社区")
    assert union.loc["东风社区", "独立建会率（%）"] == 25.0 and union.loc["向阳社区", "其中独立建会"] == 2
    assert deck.tables["10本月要点"]["要点"].tolist() == deck.highlights


def test_empty_database_says_so(con):
    deck = meeting.meeting_deck(con.cursor(), meeting_facts.month_filters(2026, 3), load_settings())
    assert [s.empty != "" for s in deck.slides] == [True] * 10
    assert deck.highlights == []


def test_plan_slide_has_the_plan_pages_figures(tmp_path):
    """Slide 8 lists every duty of the 工作计划 page with the same figures (plan.fmt, share_text, the
    status word). Over tests/plan_street.py at 30 June (worked out in tests/test_plan.py): 每月一题 C1 6
    months, C2 2 of 12 each -> 8 of 24 期, task 8/24 = 33.3 %, time 181/365 = 49.6 %, 落后 (16.3 points
    behind, beyond the 5-point band); only 向阳社区 (2/12) is behind -> 1个."""
    from tests.conftest import connect_copy
    from tests.plan_street import build_plan_street

    with connect_copy(tmp_path / "p.duckdb", build_plan_street) as con:
        deck = meeting.meeting_deck(
            con.cursor(), meeting_facts.month_filters(2026, 6, today=date(2026, 11, 1)), load_settings()
        )
    s = deck.slides[7]
    assert (s.key, s.title, s.empty) == ("plan", "工作计划进度", "")
    assert list(s.table.columns) == ["条款", "工作", "完成", "目标", "时间进度", "任务进度", "状态", "落后社区"]
    assert len(s.table) == 14 == len(s.statuses)  # the plan's 14 duties
    row = s.table[s.table["工作"] == "继续开展“每月一题”活动"].iloc[0].to_dict()
    assert row == {
        "条款": "四.一",
        "工作": "继续开展“每月一题”活动",
        "完成": "8 期",
        "目标": "24 期",
        "时间进度": "49.6%",
        "任务进度": "33.3%",
        "状态": "落后",
        "落后社区": "1个",
    }
    red = sum(st == "red" for st in s.statuses)
    assert s.headline.value == f"{red}/14" and red >= 1
    assert deck.tables["8工作计划"] is s.table
