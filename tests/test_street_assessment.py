"""考核评比 at the street level (dashboard/scoring.py evaluate_streets, evaluate_by_street; streets.ranking):
every figure worked out by hand.

On the two-street fixture (tests/two_streets.py), the seven targets only (weights U1 25, U2 10, W1 20, H1 15,
U3 10, W2 10, H2 10; targets 95 %, 95 %, 90 %, 40 %, 2 per community): a street's rate is its own
(tests/test_street_standing.py), a per-community count is Σ min(count, 2) ÷ (2 × 2 communities).
  示例街道: U1 3/7 = 0.428571 ÷ 0.95 = 0.451128; U2 5/8 ÷ 0.95 = 0.657895; W1 3/5 ÷ 0.9 = 0.666667; H1 2/4 ÷ 0.4
           -> 1; U3 东风 2, 向阳 0 -> 2/4 = 0.5; W2 东风 2, 向阳 1 -> 3/4 = 0.75; H2 1 + 1 -> 2/4 = 0.5.
           25 × 0.451128 + 10 × 0.657895 + 20 × 0.666667 + 15 + 5 + 7.5 + 5 = 63.690476
           (not the mean of its communities' 67.709552 and 60.672515, tests/test_assessment.py: 64.191033).
  河西街道: U1 2/3 ÷ 0.95 = 0.701754; U2 3/4 ÷ 0.95 = 0.789474; W1 1/3 ÷ 0.9 = 0.370370; H1 1/2 ÷ 0.4 -> 1;
           U3 东风 (丙) 1, 河西 (丁) 1 -> 2/4 = 0.5; W2 东风 (甲) 1 -> 1/4; H2 东风 (甲) 1 -> 1/4.
           17.543860 + 7.894737 + 7.407407 + 15 + 5 + 2.5 + 2.5 = 57.846004
With the default weights (duties too, 38 more): the fixture has no duty ledgers, so every per-community
duty counts 0 of its target, 双亮 0 of its units (the communities' unions and scale enterprises), and
调研报告, 经费, 测试平均分 have no base and are left out: Σ weight = 100 + 27 = 127, so
  示例街道 63.690476 × 100 ÷ 127 = 50.149981, 河西街道 57.846004 × 100 ÷ 127 = 45.548035.

The communities, street by street (河西街道's 东风社区 is not 示例街道's):
  河西街道 东风社区 (甲 乙 丙): U1 1/2 ÷ 0.95 = 0.526316; U2 2/3 ÷ 0.95 = 0.701754; W1 1/2 ÷ 0.9 = 0.555556;
           H1 1/1 -> 1; U3 1/2; W2 1/2; H2 1/2 -> 13.157895 + 7.017544 + 11.111111 + 15 + 5 + 5 + 5 = 61.286550
  河西街道 河西社区 (丁): U1 1/1, U2 1/1 -> 25 + 10; W1 0/1; H1 0/1; U3 1/2 -> 5; W2, H2 0 -> 40
  示例街道 东风社区 67.709552, 向阳社区 60.672515 (tests/test_assessment.py)
Merged by name (as before streets), 东风社区 would read 73.684211: both kept apart is the point.

The duties at street level, over tests/plan_street.py (one street; the per-community figures are those of
tests/test_assessment_lines.py): 双亮 (1 + 1) of (3 + 3) units = 33.3 % ÷ 90 % = 0.370370; 每月一题 (6 + 2) ÷
(12 × 2) = 0.333333; 半年测试 (1 + 0) ÷ 4 = 0.25; 测试平均分: 东风's 85 alone (向阳 no test) ÷ 80 -> 1; 培训
(2 + 1) ÷ 8 = 0.375; 调研报告 张三 of 张三 李四 王五 = 1/3 ÷ 100 %; 信息 (2 + 1) ÷ 8 = 0.375; 走访 (1 + 1) ÷ 8 = 0.25;
经费 (10500 + 0) ÷ (12000 + 8000) = 52.5 % ÷ 95 % = 0.552632; 五比一创 (2 + 0) ÷ 4 = 0.5; 技能 (1 + 0) ÷ 4 = 0.25;
文化 (1 + 0) ÷ 8 = 0.125; 书屋 (1 + 0) ÷ 2 = 0.5; 之家 (0 + 1) ÷ 2 = 0.5.
"""

import copy

import pandas as pd
import pytest

from dashboard import assessment, db, meeting, pack, scope, scoring, streets
from dashboard.config import Settings, load_settings
from dashboard.filters import Filters
from tests.conftest import database_copy
from tests.plan_street import build_plan_street
from tests.two_streets import AS_OF, C1, C2, HX, S1, S2, build_two_streets

F = Filters(year=2026, as_of=AS_OF)
TARGETS_ONLY = dict(U1=25, U2=10, W1=20, H1=15, U3=10, W2=10, H2=10)


def with_weights(**weights) -> Settings:
    raw = copy.deepcopy(load_settings().raw)
    raw["assessment"] = weights
    return Settings(raw)


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    yield database_copy(tmp_path_factory.mktemp("street_assess") / "two.duckdb", build_two_streets)
    scope.enforce(False)


def test_a_streets_score_is_made_of_its_own_figures(two):
    with db.connect(two) as con:
        ev = scoring.evaluate_streets(con.cursor(), F, with_weights(**TARGETS_ONLY))
    assert dict(ev.scores) == pytest.approx({S1: 63.690476, S2: 57.846004}, abs=1e-6)
    lines = {(r.street, r.item): (r.actual, r.target, r.attainment) for r in ev.lines.itertuples()}
    assert lines[(S1, "U1")] == pytest.approx((3 / 7, 0.95, 3 / 7 / 0.95))
    assert lines[(S1, "U3")] == pytest.approx((2, 4, 0.5))
    assert lines[(S1, "W2")] == pytest.approx((3, 4, 0.75))
    assert lines[(S2, "W1")] == pytest.approx((1 / 3, 0.9, 1 / 3 / 0.9))
    assert lines[(S2, "H2")] == pytest.approx((1, 4, 0.25))
    # the lines add up to the score
    summed = ev.lines.groupby("street")["contribution"].sum()
    assert dict(summed) == pytest.approx(dict(ev.scores))


def test_default_weights_leave_out_what_has_no_base(two):
    with db.connect(two) as con:
        ev = scoring.evaluate_streets(con.cursor(), F, load_settings())
    assert dict(ev.scores) == pytest.approx({S1: 50.149981, S2: 45.548035}, abs=1e-6)
    items = set(ev.lines[ev.lines["street"] == S1]["item"])
    assert not items & {"research_report", "fund_collection", "test_score"}
    assert ev.lines.groupby("street")["weight"].sum().to_dict() == {S1: 127.0, S2: 127.0}


def test_communities_are_evaluated_street_by_street(two):
    with db.connect(two) as con:
        ev = scoring.evaluate_by_street(con.cursor(), F, with_weights(**TARGETS_ONLY))
        merged = scoring.evaluate(con.cursor(), F, with_weights(**TARGETS_ONLY))
    assert dict(ev.scores) == pytest.approx(
        {(S2, C1): 61.286550, (S2, HX): 40.0, (S1, C1): 67.709552, (S1, C2): 60.672515}, abs=1e-6
    )
    assert merged.scores[C1] == pytest.approx(73.684211, abs=1e-6)  # what the district read merged by name
    assert list(ev.lines.columns[:2]) == ["street", "community"]


def test_the_district_ranking_keeps_same_named_communities_apart(two):
    with db.connect(two) as con:
        frame = assessment.assessment_ranking(con.cursor(), F, with_weights(**TARGETS_ONLY))
        shown = assessment.ranking_table(frame)
        lines = assessment.assessment_lines(con.cursor(), F, with_weights(**TARGETS_ONLY))
    assert list(zip(frame["street"], frame["community"], frame["rank"], strict=True)) == [
        (S1, C1, 1),
        (S2, C1, 2),
        (S1, C2, 3),
        (S2, HX, 4),
    ]
    assert list(shown.columns[:4]) == ["名次", "街道", "社区", "得分"]
    assert shown["得分"].tolist() == [67.71, 61.29, 60.67, 40.0]
    sheet = assessment.lines_table(lines)
    assert list(sheet.columns[:2]) == ["街道", "社区"]
    assert len(lines[(lines["street"] == S2) & (lines["community"] == C1)]) == 7


def test_one_street_chosen_ranks_as_before(two):
    """The filter bar narrowed to one street: the ranking has no 街道 column, as with one street loaded."""
    from dataclasses import replace

    with db.connect(two) as con:
        frame = assessment.assessment_ranking(con.cursor(), replace(F, streets=(S2,)), with_weights(**TARGETS_ONLY))
    assert "street" not in frame.columns
    assert dict(zip(frame["community"], frame["score"], strict=True)) == pytest.approx({C1: 61.286550, HX: 40.0})


def test_the_page_the_deck_and_the_pack_show_the_same_street_scores(two):
    settings = load_settings()
    with db.connect(two) as con:
        wide = streets.ranking(con.cursor(), F, settings)
        deck = meeting.meeting_deck(con.cursor(), F, settings)
    assert dict(zip(wide["street"], wide["score"], strict=True)) == pytest.approx({S1: 50.149981, S2: 45.548035})
    assert dict(zip(wide["street"], wide["score_rank"], strict=True)) == {S1: 1, S2: 2}
    page = streets.for_display(wide)
    assert page["考核得分"].tolist() == ["45.55 第2名", "50.15 第1名"]  # 河西 first, by name
    slide = next(s for s in deck.slides if s.key == "streets").table
    assert slide["考核得分"].tolist() == ["45.55 第2", "50.15 第1"]
    assert deck.tables["1各街道排名"]["考核得分"].tolist() == ["45.55 第2", "50.15 第1"]
    assert slide["A1 帮扶救助"].tolist() == ["300元", "1,200元"] and slide["D1 劳动争议"].tolist() == ["1件", "4件"]
    assert callable(pack.annual_pack)


def test_the_overviews_district_tables_are_ranking_and_scorecards(two):
    """总览 loads streets.district_tables (each street's overview once for both tables): the same tables as
    streets.ranking and streets.scorecards one after the other, also with communities or one street chosen."""
    from dataclasses import replace

    settings = load_settings()
    with db.connect(two) as con:
        for f in (F, replace(F, communities=(C1,)), replace(F, streets=(S2,)), replace(F, industries=("制造业",))):
            wide, cards = streets.district_tables(con.cursor(), f, settings)
            pd.testing.assert_frame_equal(wide, streets.ranking(con.cursor(), f, settings))
            pd.testing.assert_frame_equal(cards, streets.scorecards(con.cursor(), f, settings))
        wide, cards = streets.district_tables(con.cursor(), F, settings)
    assert dict(zip(wide["street"], wide["score"], strict=True)) == pytest.approx({S1: 50.149981, S2: 45.548035})
    assert set(zip(cards["street"], cards["community"], strict=True)) == {(S1, C1), (S1, C2), (S2, C1), (S2, HX)}


def test_a_tie_shares_the_rank():
    assert streets.score_ranks(pd.Series([50.0, 50.0, 40.0], index=["a", "b", "c"])).tolist() == [1, 1, 3]


def test_duties_at_street_level_by_hand(tmp_path):
    path = database_copy(tmp_path / "plan.duckdb", build_plan_street)
    with db.connect(path) as con:
        ev = scoring.evaluate_streets(con.cursor(), F, load_settings())
    got = dict(zip(ev.lines["item"], ev.lines["attainment"], strict=True))
    want = {
        "double_display": (2 / 6) / 0.9,
        "monthly_topic": 8 / 24,
        "half_year_test": 1 / 4,
        "test_score": 1.0,
        "training_sessions": 3 / 8,
        "research_report": 1 / 3,
        "info_quarters": 3 / 8,
        "visit_feedback": 2 / 8,
        "fund_collection": 0.525 / 0.95,
        "five_one": 2 / 4,
        "skills_training": 1 / 4,
        "culture": 1 / 8,
        "book_house": 1 / 2,
        "workers_home": 1 / 2,
    }
    assert {k: got[k] for k in want} == pytest.approx(want)
    actual = dict(zip(ev.lines["item"], ev.lines["actual"], strict=True))
    assert actual["test_score"] == pytest.approx(85.0) and actual["monthly_topic"] == 8
