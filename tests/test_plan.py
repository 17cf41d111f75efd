"""工作计划 measures over tests/plan_street.py, each expected value worked out by hand.

As-of 2026-06-30: time share = 181 / 365 = 0.49589 (Jan 31 + Feb 28 + Mar 31 + Apr 30 + May 31 + Jun 30).
Communities: 东风社区 (C1) and 向阳社区 (C2). Amber band: 5 percentage points.
"""

from __future__ import annotations

import pytest

from dashboard import plan
from dashboard.config import load_settings
from dashboard.filters import Filters
from tests.conftest import connect_copy
from tests.plan_street import build_plan_street
from tests.small_street import AS_OF, C1, C2

TIME = 181 / 365


@pytest.fixture(scope="module")
def street(tmp_path_factory):
    with connect_copy(tmp_path_factory.mktemp("plan") / "p.duckdb", build_plan_street) as c:
        yield c


@pytest.fixture
def settings():
    return load_settings()


@pytest.fixture
def filters():
    return Filters(year=2026, as_of=AS_OF)


def test_monthly_topic_counts_months_not_rows(street, filters, settings):
    m = plan.monthly_topic(street, filters, settings)
    # C1: months 1-6 (March twice = one month; Dec 2025 and 5 July left out) = 6; C2: months 1, 2 = 2
    assert dict(zip(m.rows["community"], m.rows["count"], strict=True)) == {C1: 6, C2: 2}
    assert (m.actual, m.target) == (8, 24)  # target 12 per community x 2
    assert m.task_share == pytest.approx(8 / 24)
    assert m.time_share == pytest.approx(TIME)
    assert m.status == "red"  # 49.6 % - 33.3 % = 16.3 points behind, beyond the 5-point band
    assert m.behind == [f"{C2}（2/12）"]  # C1: 6/12 = 50 % >= 49.6 %, on pace


def test_half_year_test_and_its_average_score(street, filters, settings):
    m = plan.half_year_test(street, filters, settings)
    # C1: two people tested on 28 June = one half-year; C2: none. Target 2 each: 1 of 4
    assert (m.actual, m.target) == (1, 4)
    assert m.status == "red"  # 25 % against 49.6 %
    assert m.behind == [f"{C2}（0/2）"]
    scores = dict(zip(m.rows["community"], m.rows["avg_test_score"], strict=True))
    assert scores[C1] == 85.0  # (80 + 90) / 2


def test_trainings_count_sessions_up_to_the_as_of_date(street, filters, settings):
    m = plan.trainings(street, filters, settings)
    # C1: 2 sessions (2/4 = 50 %, on pace); C2: 1 (October's not yet) = 25 %, behind
    assert (m.actual, m.target) == (3, 8)
    assert m.status == "red"  # 37.5 % against 49.6 %: 12.1 points
    assert m.behind == [f"{C2}（1/4）"]
    assert m.extra["attendees"] == 65  # 30 + 20 + 15


def test_research_reports_name_the_chairs_without_one_masked(street, filters, settings):
    m = plan.research_reports(street, filters, settings)
    # 2026 roster: 张三 (written), 李四 (blank), 王五 (submitted 1 August, after the as-of date); 赵六 is 2025's
    assert (m.extra["chairs"], m.extra["written"], m.extra["awarded"]) == (3, 1, 1)
    assert m.actual == pytest.approx(1 / 3)
    assert m.status == "red"  # 33.3 % against 100 % x 49.6 % = 49.6 %
    assert m.behind == [f"{C1} 东风社区联合工会 副主席 李*", f"{C2} 甲公司工会 主席 王*"]
    assert "李四" not in set(m.rows["person"])
    shown = plan.research_reports(street, filters, settings, show_personal=True)
    assert shown.behind[0].endswith("李四")


def test_info_submissions_name_the_missed_quarters(street, filters, settings):
    m = plan.info_submissions(street, filters, settings)
    # C1: Q1 (2 items) and Q2 (1) = 2 quarters; C2: Q1 only (July's after the as-of date) = 1
    assert (m.actual, m.target) == (3, 8)
    assert m.behind == [f"{C2}：第2季度未完成"]  # quarters finished by 30 June: 1 and 2
    assert (m.extra["items"], m.extra["adopted"]) == (4, 1)
    assert m.status == "red"  # 37.5 % against 49.6 %


def test_visits_count_quarters_fed_back_and_problems(street, filters, settings):
    m = plan.visits(street, filters, settings)
    # C1: Q1 visit fed back, Q2 visit not fed back -> 1 quarter; C2: Q2 fed back on the as-of date -> 1
    assert (m.actual, m.target) == (2, 8)
    assert m.behind == [f"{C1}：第2季度未完成", f"{C2}：第1季度未完成"]
    assert m.extra == {"visits": 3, "problems_found": 6, "problems_solved": 4}


def test_union_funds_collected_over_due_and_who_is_short(street, filters, settings):
    m = plan.union_funds(street, filters, settings)
    # due 10000 + 2000 + 8000 = 20000 (2025's row left out); collected 10000 + 500 + 0 = 10500
    assert m.extra == {"due": 20000.0, "collected": 10500.0}
    assert m.actual == pytest.approx(0.525)
    assert m.status == "red"  # target 95 %
    assert m.behind == [f"{C1} 丁公司（中小企业经费代管）差 1,500.00 元", f"{C2} 甲公司（税务代收）差 8,000.00 元"]


def test_double_display_over_communities_and_large_enterprises(street, filters, settings):
    m = plan.double_display(street, filters, settings)
    # units: 东风社区, 向阳社区 and the 规模企业 (>= 25 staff, operating, own union): 甲一公司 (25), 己公司 (40)
    # in C1; 甲公司 (200), 乙公司 (26) in C2 = 6. Done: 东风社区 and 甲公司 = 2
    assert (m.extra["units"], m.extra["done"]) == (6, 2)
    assert m.actual == pytest.approx(2 / 6)
    assert m.status == "red"  # target 90 %
    assert f"{C2} {C2}（缺亮身份）" in m.behind  # its 亮身份 is dated after the as-of date
    assert f"{C1} 甲一公司（缺亮身份）" in m.behind and f"{C1} 己公司（未双亮）" in m.behind
    assert len(m.behind) == 4


def test_sites_are_a_state_compared_with_the_whole_target(street, filters, settings):
    books, homes = plan.book_houses(street, filters, settings), plan.workers_homes(street, filters, settings)
    assert (books.actual, books.target, books.time_share) == (1, 2, None)
    assert books.behind == [f"{C2}（0/1）"] and books.status == "red"  # 50 % of a stock target
    # C1's 职工之家 is dated September: not yet; C2's from 2025 still stands
    assert homes.actual == 1 and homes.behind == [f"{C1}（0/1）"]


def test_activities_by_kind(street, filters, settings):
    five = plan.five_one(street, filters, settings)
    # 五比一创 + 四比一创 in C1 = 2 (2/2), C2 0: 2 of 4 = 50 % >= 49.6 % -> green, C2 behind
    assert (five.actual, five.target, five.status) == (2, 4, "green")
    assert five.behind == [f"{C2}（0/2）"]
    assert five.extra["participants"] == 150
    skills = plan.skills_training(street, filters, settings)
    assert (skills.actual, skills.target, skills.status) == (1, 4, "red")
    culture = plan.culture(street, filters, settings)
    # C1's 读书会 only (C2's 文化节 is in July): 1 of 4 x 2
    assert (culture.actual, culture.target, culture.extra["participants"]) == (1, 8, 200)


def test_reemployment_for_the_street(street, filters, settings):
    m = plan.reemployment(street, filters, settings)
    # a job fair in C1 and a training class in C2: 2 of 4 = 50 % >= 49.6 % -> green
    assert (m.actual, m.target, m.status, m.behind) == (2, 4, "green", [])
    assert m.extra == {"participants": 120, "jobs_offered": 120, "placed": 21}


def test_the_community_filter_narrows_every_duty(street, settings):
    only = Filters(year=2026, as_of=AS_OF, communities=(C2,))
    m = plan.monthly_topic(street, only, settings)
    assert (m.actual, m.target, list(m.rows["community"])) == (2, 12, [C2])
    assert plan.union_funds(street, only, settings).extra == {"due": 8000.0, "collected": 0.0}


def test_json_has_one_entry_per_duty_with_a_stable_id(street, filters, settings):
    out = plan.as_json(plan.all_measures(street, filters, settings))
    assert len(out) == len(plan.DUTIES) == 14
    entry = out["plan.4.1.monthly_topic"]
    assert entry["section"] == "四.一" and entry["target"] == 24 and entry["actual"] == 8
    assert entry["status"] == "red" and entry["behind"] == [f"{C2}（2/12）"]
    assert entry["time_progress"] == 49.59
    assert set(out) >= {"plan.3.2.double_display", "plan.4.4.union_funds", "plan.7.4.reemployment"}


def test_a_cadre_sees_only_her_community_in_every_duty(tmp_path, filters, settings):
    from dashboard import db, scope
    from tests.conftest import database_copy

    path = database_copy(tmp_path / "scoped.duckdb", build_plan_street)
    with scope.using(scope.Scope((C1,))), db.connect(path) as con:
        measures = plan.all_measures(con, filters, settings)
    text = repr([(m.behind, m.rows.to_dict("records")) for m in measures])
    assert C1 in text and C2 not in text and "甲公司" not in text  # 甲公司 is C2's
    funds = next(m for m in measures if m.id == "plan.4.4.union_funds")
    assert funds.extra == {"due": 12000.0, "collected": 10500.0}  # C1's two rows only


def test_cli_metrics_json_gains_the_plan_object(tmp_path, capsys):
    import json

    from dashboard.__main__ import main
    from tests.conftest import database_copy

    path = database_copy(tmp_path / "cli.duckdb", build_plan_street)
    assert main(["metrics", "--year", "2026", "--as-of", "2026-06-30", "--db", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert "U1" in out and len(out["plan"]) == 14
    funds = out["plan"]["plan.4.4.union_funds"]
    assert (funds["section"], funds["unit"], funds["target"], funds["actual"], funds["status"]) == (
        "四.四",
        "%",
        0.95,
        0.525,
        "red",
    )
    assert out["plan"]["plan.4.2.research_report"]["behind"][0].endswith("李*")  # masked
    assert main(["metrics", "--year", "2026", "--as-of", "2026-06-30", "--db", str(path)]) == 0
    text = capsys.readouterr().out
    assert "四.一 继续开展“每月一题”活动: 8 期 / 目标 24 期，落后；落后 1 项" in text


def test_the_sql_console_holds_the_duty_ledgers_masked(tmp_path):
    from dashboard import console, db, scope
    from tests.conftest import database_copy

    path = database_copy(tmp_path / "console.duckdb", build_plan_street)
    with scope.using(scope.ALL), db.connect(path) as con:
        tables = console.snapshot(con, show_personal=False)
    people = tables["v_research_reports"].column("person").to_pylist()
    assert sorted(people) == ["张*", "李*", "王*", "赵*"]  # every 姓名 masked in the sandbox copy
    assert tables["v_union_funds"].num_rows == 4


def test_who_is_behind_as_rows_of_community_item_and_what_is_missing(street, filters, settings):
    """The same gaps as the `behind` texts above, one (社区, 事项, 缺什么) row each."""
    measures = {m.id: m for m in plan.all_measures(street, filters, settings)}
    assert measures["plan.4.1.monthly_topic"].gaps == [(C2, "继续开展“每月一题”活动", "已完成 2/12 期")]
    assert measures["plan.4.3.visit_feedback"].gaps == [
        (C1, "走访企事业单位，每季度反馈一次情况", "第2季度未完成"),
        (C2, "走访企事业单位，每季度反馈一次情况", "第1季度未完成"),
    ]
    assert measures["plan.4.2.research_report"].gaps == [
        (C1, "东风社区联合工会 副主席 李*", "调研报告未完成"),
        (C2, "甲公司工会 主席 王*", "调研报告未完成"),
    ]
    assert measures["plan.4.4.union_funds"].gaps[1] == (C2, "甲公司（税务代收）", "欠缴 8,000.00 元")
    assert (C1, "己公司", "未双亮") in measures["plan.3.2.double_display"].gaps
    assert measures["plan.7.4.reemployment"].gaps == []  # 2 of 4 is on pace
    table = plan.gaps_table(list(measures.values()))
    # one row per gap: as many as the behind texts of every duty
    assert len(table) == sum(len(m.behind) for m in measures.values())
    assert list(table.columns) == ["section", "title", "community", "item", "missing"]


def test_every_duty_is_one_description_of_the_table(street, filters, settings):
    assert [d.id for d in plan.DUTY_TABLE] == [f(street, filters, settings).id for f in plan.DUTIES]
    assert {d.shape for d in plan.DUTY_TABLE} <= set(plan.SHAPES)
    assert plan.monthly_topic.__name__ == "monthly_topic" and plan.monthly_topic.__doc__.startswith("四.一")
