"""本月要点: every kind of sentence against a hand-computed expectation, and no sentence without data."""

from datetime import date

import pandas as pd
import pytest

from dashboard import highlights as hl
from dashboard import meeting_facts
from dashboard.config import load_settings
from dashboard.rates import RateResult, gap_to_target
from tests.conftest import add_batch
from tests.small_street import build_small_street


def rate(num, den, target):
    return RateResult(num, den, target, num / den if den else None, gap_to_target(num, den, target))


# ---- pure sentences ---------------------------------------------------------------------------------


def test_rate_sentence_the_issue_example():
    # 312/340 = 91.76% -> 91.8%; a month before 308/340 = 90.59% -> 90.6%: +1.2 points;
    # 95% of 340 = 323 -> 11 more
    s = hl.rate_sentence(
        "新增建会", {"红旗社区": 1, "向阳社区": 2}, "25人以上企业独立建会率", rate(312, 340, 0.95), 308 / 340
    )
    expected = (
        "本月新增建会3家（向阳2家、红旗1家），25人以上企业独立建会率91.8%，较上月提高1.2个百分点，距95%目标还差11家。"
    )
    assert s == expected


def test_rate_sentence_fall_flat_reached_and_nothing_new():
    # 9/10 = 90.0%, before 91/100 = 91.0%: down 1.0 point; 90% reached
    s = hl.rate_sentence("新增建制企业", {}, "签约率", rate(9, 10, 0.9), 0.91)
    assert s == "本月无新增建制企业，签约率90.0%，较上月下降1.0个百分点，已达到90%目标。"
    # the same shown value is 与上月持平 even when the fractions differ a little (0.9004 -> 90.0%)
    s = hl.rate_sentence("新增建会", {"东风社区": 0}, "建会率", rate(9, 10, 0.95), 0.9004)
    assert s == "本月无新增建会，建会率90.0%，与上月持平，距95%目标还差1家。"


def test_rate_sentence_without_previous_month_or_denominator():
    assert (
        hl.rate_sentence("新增建会", {}, "建会率", rate(1, 2, 0.95), None)
        == "本月无新增建会，建会率50.0%，距95%目标还差1家。"
    )
    assert hl.rate_sentence("新增建会", {"东风社区": 1}, "建会率", rate(0, 0, 0.95), None) is None


def test_share_sentence():
    # 35/100 against 40%: 5 more
    assert (
        hl.share_sentence("A级以上和谐企业占比", rate(35, 100, 0.4)) == "A级以上和谐企业占比35.0%，距40%目标还差5家。"
    )
    assert hl.share_sentence("A级以上和谐企业占比", rate(2, 4, 0.4)) == "A级以上和谐企业占比50.0%，已达到40%目标。"
    assert hl.share_sentence("A级以上和谐企业占比", rate(0, 0, 0.4)) is None


@pytest.mark.parametrize(
    "done,total,behind,expected",
    [
        (10, 10, [], "各社区新增建会任务（每社区2家）已全部完成。"),
        (
            8,
            10,
            ["新华社区", "红旗社区"],
            "各社区新增建会任务（每社区2家）已有8个社区完成，新华、红旗2个社区进度滞后于时间进度。",
        ),
        (9, 10, ["红旗社区"], "各社区新增建会任务（每社区2家）已有9个社区完成，红旗社区进度滞后于时间进度。"),
        (
            0,
            10,
            ["红旗社区", "滨河社区", "育才社区", "东风社区"],
            "各社区新增建会任务（每社区2家）尚无社区完成，红旗、滨河、育才等4个社区进度滞后于时间进度。",
        ),
        (1, 2, [], "各社区新增建会任务（每社区2家）已有1个社区完成，其余社区进度不落后于时间进度。"),
        (0, 2, [], "各社区新增建会任务（每社区2家）尚无社区完成，各社区进度不落后于时间进度。"),
    ],
)
def test_task_sentence(done, total, behind, expected):
    assert hl.task_sentence("新增建会", 2, done, total, behind) == expected


def test_task_sentence_without_communities():
    assert hl.task_sentence("新增建会", 2, 0, 0, []) is None


def aid_month(rows):
    return pd.DataFrame(rows, columns=["campaign", "people", "amount", "jobs"])


def test_aid_sentence_several_campaigns_with_comparison():
    # 150 + 10 = 160 people; 200,000 + 33,000 = 233,000 yuan -> 23.30万元; 20 more than 140 last month
    month = aid_month([("冬送温暖", 150, 200000.0, 0), ("日常帮扶", 10, 33000.0, 0)])
    assert (
        hl.aid_sentence(month, 140)
        == "本月送温暖惠及160人次，其中冬送温暖150人次，发放慰问金和物资共23.30万元，较上月增加20人次。"
    )


def test_aid_sentence_one_campaign_jobs_no_money_no_previous():
    month = aid_month([("春送岗位", 1, 0.0, 3)])
    assert hl.aid_sentence(month, 0) == "本月开展春送岗位，惠及1人次，提供就业岗位3个。"


def test_aid_sentence_nothing_given():
    assert hl.aid_sentence(aid_month([]), 5) is None


def test_dispute_sentence():
    s = hl.dispute_sentence(12, 2, 9, 9, 5, 15)
    assert s == (
        "本月受理劳动争议12件，较上月增加3件，其中集体争议2件；截至月末全部未结（含往年）9件，"
        "其中超期（受理超过15天）5件。"
    )
    assert hl.dispute_sentence(4, 0, 4, 0, 0, 15) == "本月受理劳动争议4件，与上月持平。"
    assert hl.dispute_sentence(3, 0, None, 2, 0, 15) == "本月受理劳动争议3件；截至月末全部未结（含往年）2件。"
    assert (
        hl.dispute_sentence(0, 0, 2, 1, 1, 15)
        == "本月未受理新的劳动争议，较上月减少2件；截至月末全部未结（含往年）1件，其中超期（受理超过15天）1件。"
    )
    assert hl.dispute_sentence(0, 0, 0, 0, 0, 15) is None


# ---- a month of the small street ---------------------------------------------------------------------


def test_march_of_the_small_street(con):
    """March 2026 of tests/small_street.py, every figure worked out by hand:
    - U3: 甲二公司 founded 1 March (戊公司 in February) -> 东风 1 new in March. U1 3/7 at the end of
      February and of March (甲二 has 24 staff), 42.9%, 95% of 7 = 6.65 -> 7, 4 more.
    - W1 at 31 March: 东风 甲一, 甲二 (union from 1 March), 丙 all in force 3/3, 向阳 甲 1/2 -> 4/5 = 80.0%;
      at 28 February 甲二 had no union yet: 2/2 + 1/2 = 3/4 = 75.0%; +5.0 points; 90% of 5 = 4.5 -> 1 more.
      No 新签 signed in March (丙, 丁 on 1 January, 甲 on 1 February).
    - H1: 东风 甲一 AA / 甲二 未达标, 向阳 乙 A / 甲 申报中 -> 2/4 = 50.0%, above 40%.
    - Tasks (time share 90/365 = 24.7%): U3 东风 2 done, 向阳 0 behind; W2 东风 2 done, 向阳 1 (50%);
      H2 东风 1, 向阳 1 (50% each).
    - Aid: 王五 春送岗位 on 1 March, 3 jobs, no money; nothing in February.
    - Disputes: none received in March, none open at 31 March (D2 closed 1 March): no sentence."""
    build_small_street(con)
    settings = load_settings()
    facts = meeting_facts.month_facts(
        con.cursor(), meeting_facts.month_filters(2026, 3, today=date(2026, 11, 1)), settings
    )
    assert hl.highlights(facts, settings) == [
        "本月新增建会1家（东风1家），25人以上企业独立建会率42.9%，与上月持平，距95%目标还差4家。",
        "本月无新增建制企业，建会企业工资集体协商签约率80.0%，较上月提高5.0个百分点，距90%目标还差1家。",
        "A级以上和谐企业占比50.0%，已达到40%目标。",
        "各社区新增建会任务（每社区2家）已有1个社区完成，向阳社区进度滞后于时间进度。",
        "各社区新增建制任务（每社区2家）已有1个社区完成，其余社区进度不落后于时间进度。",
        "各社区创建和谐企业任务（每社区2家）尚无社区完成，各社区进度不落后于时间进度。",
        "本月开展春送岗位，惠及1人次，提供就业岗位3个。",
    ]


def test_no_sentence_for_a_ledger_not_uploaded(con):
    # only an enterprises ledger: 1 operating enterprise of 30 staff, union founded in March 2026
    add_batch(
        con,
        "enterprises",
        [
            dict(
                community="东风社区",
                name="甲公司",
                employees=30,
                union_status="独立建会",
                union_founded=date(2026, 3, 10),
                status="正常经营",
            )
        ],
    )
    settings = load_settings()
    facts = meeting_facts.month_facts(
        con.cursor(), meeting_facts.month_filters(2026, 3, today=date(2026, 11, 1)), settings
    )
    # U1 1/1 at the end of March, 0/1 at the end of February: +100.0 points
    assert hl.highlights(facts, settings) == [
        "本月新增建会1家（东风1家），25人以上企业独立建会率100.0%，较上月提高100.0个百分点，已达到95%目标。",
        "各社区新增建会任务（每社区2家）尚无社区完成，各社区进度不落后于时间进度。",
    ]


def test_empty_database_has_no_sentences(con):
    settings = load_settings()
    facts = meeting_facts.month_facts(
        con.cursor(), meeting_facts.month_filters(2026, 3, today=date(2026, 11, 1)), settings
    )
    assert hl.highlights(facts, settings) == []
