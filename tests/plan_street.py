"""The small street (tests/small_street.py) with the work plan's duty ledgers: a few rows of each, the
comment by a row saying which edge it exercises. Plan year 2026, as-of 2026-06-30; the expected values
are worked out by hand in tests/test_plan.py."""

from datetime import date

from tests.conftest import add_batch
from tests.small_street import C1, C2, build_small_street

D = date


def build_plan_street(con):
    build_small_street(con)

    def test(c, person, kind, on, score=None):
        return dict(community=c, person=person, test_kind=kind, taken_on=on, score=score)

    add_batch(
        con,
        "study_tests",
        [
            *(test(C1, "张三", "每月一题", D(2026, m, 10)) for m in (1, 2, 3, 4, 5, 6)),
            test(C1, "李四", "每月一题", D(2026, 3, 12)),  # a second row in March: still one month
            test(C1, "张三", "每月一题", D(2025, 12, 10)),  # last year: not counted
            test(C1, "张三", "每月一题", D(2026, 7, 5)),  # after the as-of date: not counted
            test(C1, "张三", "半年测试", D(2026, 6, 28), 80),
            test(C1, "李四", "半年测试", D(2026, 6, 28), 90),  # same half-year: one test, average 85
            test(C2, "王五", "每月一题", D(2026, 1, 8)),
            test(C2, "王五", "每月一题", D(2026, 2, 8)),
        ],
    )
    add_batch(
        con,
        "trainings",
        [
            dict(community=C1, title="工会法讲座", held_on=D(2026, 3, 10), attendees=30),
            dict(community=C1, title="经费管理培训", held_on=D(2026, 5, 20), attendees=20),
            dict(community=C2, title="集体协商实务", held_on=D(2026, 4, 1), attendees=15),
            dict(community=C2, title="秋季培训", held_on=D(2026, 10, 1), attendees=99),  # after the as-of date
        ],
    )

    def report(c, union, person, role, year, on=None, award=None):
        return dict(community=c, union_name=union, person=person, role=role, year=year, submitted_on=on, award=award)

    add_batch(
        con,
        "research_reports",
        [
            report(C1, "东风社区联合工会", "张三", "主席", 2026, D(2026, 5, 1), "二等奖"),
            report(C1, "东风社区联合工会", "李四", "副主席", 2026),  # not written yet
            report(C2, "甲公司工会", "王五", "主席", 2026, D(2026, 8, 1)),  # after the as-of date: not yet
            report(C2, "甲公司工会", "赵六", "副主席", 2025, D(2025, 6, 1)),  # last year's roster
        ],
    )
    add_batch(
        con,
        "info_submissions",
        [
            dict(community=C1, info_title="一季度信息一", sent_on=D(2026, 1, 15), adopted=True),
            dict(community=C1, info_title="一季度信息二", sent_on=D(2026, 3, 15), adopted=False),
            dict(community=C1, info_title="二季度信息", sent_on=D(2026, 5, 15)),
            dict(community=C2, info_title="向阳一季度", sent_on=D(2026, 2, 1)),  # no second quarter
            dict(community=C2, info_title="向阳三季度", sent_on=D(2026, 7, 2)),  # after the as-of date
        ],
    )
    add_batch(
        con,
        "visits",
        [
            dict(
                community=C1,
                name="甲一公司",
                visited_on=D(2026, 2, 3),
                problems_found=3,
                problems_solved=2,
                fed_back_on=D(2026, 3, 25),
            ),
            dict(community=C1, name="丁公司", visited_on=D(2026, 5, 6), problems_found=1, problems_solved=0),
            dict(
                community=C2,
                name="甲公司",
                visited_on=D(2026, 6, 1),
                problems_found=2,
                problems_solved=2,
                fed_back_on=D(2026, 6, 30),
            ),  # fed back on the as-of date: counts
        ],
    )
    add_batch(
        con,
        "union_funds",
        [
            dict(community=C1, name="甲一公司", year=2026, channel="税务代收", due=10000, collected=10000),
            dict(community=C1, name="丁公司", year=2026, channel="中小企业经费代管", due=2000, collected=500),
            dict(community=C2, name="甲公司", year=2026, channel="税务代收", due=8000),  # nothing collected yet
            dict(community=C2, name="乙公司", year=2025, channel="税务代收", due=5000, collected=0),  # last year
        ],
    )

    def site(c, unit, kind, on, unit_type="社区"):
        return dict(community=c, unit_name=unit, unit_type=unit_type, site_kind=kind, set_up_on=on)

    add_batch(
        con,
        "sites",
        [
            site(C1, C1, "工会亮牌子", D(2025, 3, 1)),
            site(C1, C1, "主席亮身份", D(2025, 3, 1)),  # 东风社区: both marks
            site(C1, "甲一公司", "工会亮牌子", D(2026, 4, 1), "规模企业"),  # only one mark
            site(C2, C2, "工会亮牌子", D(2026, 1, 1)),
            site(C2, C2, "主席亮身份", D(2026, 7, 15)),  # after the as-of date
            site(C2, "甲公司", "工会亮牌子", D(2026, 2, 1), "规模企业"),  # the registry name of 甲公司
            site(C2, "甲公司", "主席亮身份", D(2026, 2, 1), "规模企业"),
            site(C1, C1, "职工书屋", D(2026, 3, 1)),
            site(C2, C2, "职工之家", D(2025, 5, 1)),
            site(C1, C1, "职工之家", D(2026, 9, 1)),  # after the as-of date
        ],
    )

    def act(c, theme, on, kind, participants=None, jobs=None, placed=None):
        return dict(
            community=c,
            theme=theme,
            held_on=on,
            activity_type=kind,
            participants=participants,
            jobs_offered=jobs,
            placed=placed,
        )

    add_batch(
        con,
        "activities",
        [
            act(C1, "岗位练兵", D(2026, 4, 1), "五比一创", 100),
            act(C1, "科室创优", D(2026, 5, 1), "四比一创", 50),
            act(C1, "电工培训", D(2026, 3, 1), "职工技能培训", 30),
            act(C1, "读书会", D(2026, 2, 1), "文化活动", 200),
            act(C1, "春季招聘会", D(2026, 3, 15), "再就业招聘会", 80, 120, 15),
            act(C2, "家政培训班", D(2026, 5, 10), "再就业培训班", 40, None, 6),
            act(C2, "夏季文化节", D(2026, 7, 20), "文化活动", 300),  # after the as-of date
        ],
    )
