"""考核评比 with the work plan's duties, line by line, over tests/plan_street.py (the small street with a few
rows of every duty ledger; plan year 2026, as-of 30 June). Every figure is worked out by hand below; the
per-community duty figures are those of tests/test_plan.py.

Default weights (dashboard/defaults.toml): targets U1 25, U2 10, W1 20, H1 15, U3 10, W2 10, H2 10 (100);
duties 双亮 3, 每月一题 3, 半年测试次数 2, 测试平均分 4, 培训 3, 调研报告 3, 信息 3, 走访 3, 经费 4, 五比一创 2,
技能 2, 文化 2, 书屋 2, 之家 2 (38). Targets: [plan] of defaults.toml (test_score 80).

The seven targets, as in tests/test_assessment.py:
  东风: 25 × 0.263158 + 10 × 0.631579 + 20 × 0.740741 + 15 + 10 + 10 + 10 × 0.5 = 67.709552
  向阳: 25 × 0.701754 + 10 × 0.701754 + 20 × 0.555556 + 15 + 0 + 10 × 0.5 + 10 × 0.5 = 60.672515
The duties, attainment = actual ÷ target at most 1:
  东风: 双亮 1 of its 3 units (东风社区; not 甲一公司, 己公司) 33.3 % ÷ 90 % = 0.370370; 每月一题 6/12 = 0.5;
        半年测试 1/2 = 0.5; 测试平均分 (80 + 90) / 2 = 85 ÷ 80 -> 1; 培训 2/4 = 0.5; 调研报告 张三 of 张三, 李四
        = 0.5 ÷ 100 %; 信息 2/4 = 0.5; 走访 1/4 = 0.25; 经费 10500 / 12000 = 87.5 % ÷ 95 % = 0.921053;
        五比一创 2/2 = 1; 技能 1/2 = 0.5; 文化 1/4 = 0.25; 书屋 1/1 = 1; 之家 0/1 = 0 (September's not yet).
        Σ weight × attainment = 1.111111 + 1.5 + 1 + 4 + 1.5 + 1.5 + 1.5 + 0.75 + 3.684211 + 2 + 1 + 0.5 + 2
        + 0 = 22.045322; Σ weight = 138 -> (67.709552 + 22.045322) ÷ 138 × 100 = 65.039764.
  向阳: 双亮 1 of 3 (甲公司; 向阳社区's 亮身份 is July's, 乙公司 none) = 0.370370; 每月一题 2/12 = 0.166667;
        半年测试 0/2 = 0; 测试平均分: no test, left out (its weight 4 too); 培训 1/4 = 0.25; 调研报告 王五's is
        August's: 0/1 = 0; 信息 1/4 = 0.25; 走访 1/4 = 0.25; 经费 0 / 8000 = 0; 五比一创, 技能, 文化, 书屋 0;
        之家 1/1 = 1. Σ weight × attainment = 1.111111 + 0.5 + 0.75 + 0.75 + 0.75 + 2 = 5.861111;
        Σ weight = 134 -> (60.672515 + 5.861111) ÷ 134 × 100 = 49.651960.
"""

import copy
import io

import openpyxl
import pandas as pd
import pytest

from dashboard import assessment, benchmarks, db, scope, scoring
from dashboard.config import Settings, load_settings
from dashboard.filters import Filters
from tests.conftest import connect_copy, database_copy
from tests.plan_street import build_plan_street
from tests.small_street import AS_OF, C1, C2

F = Filters(year=2026, as_of=AS_OF)


@pytest.fixture(scope="module")
def street(tmp_path_factory):
    with connect_copy(tmp_path_factory.mktemp("lines") / "p.duckdb", build_plan_street) as c:
        yield c


@pytest.fixture(scope="module")
def street_file(tmp_path_factory):
    return database_copy(tmp_path_factory.mktemp("lines_file") / "p.duckdb", build_plan_street)


def with_weights(**weights) -> Settings:
    raw = copy.deepcopy(load_settings().raw)
    raw["assessment"] = weights
    return Settings(raw)


def own_lines(lines: pd.DataFrame, community: str) -> dict[str, tuple]:
    mine = lines[lines["community"] == community]
    return {
        i: (round(float(a), 6), round(float(t), 6), round(float(att), 6), float(w))
        for i, a, t, att, w in zip(
            mine["item"], mine["actual"], mine["target"], mine["attainment"], mine["weight"], strict=True
        )
    }


def test_default_scores_count_the_duties(street):
    frame = assessment.assessment_ranking(street.cursor(), F, load_settings())
    assert frame["community"].tolist() == [C1, C2]
    assert frame["score"].tolist() == pytest.approx([65.039764, 49.651960], abs=1e-6)
    assert assessment.ranking_table(frame)["得分"].tolist() == [65.04, 49.65]


def test_each_duty_line_as_worked_out(street):
    lines = assessment.assessment_lines(street.cursor(), F, load_settings())
    dongfeng, xiangyang = own_lines(lines, C1), own_lines(lines, C2)
    assert dongfeng["double_display"] == (round(1 / 3, 6), 0.9, 0.37037, 3.0)
    assert dongfeng["monthly_topic"] == (6.0, 12.0, 0.5, 3.0)
    assert dongfeng["test_score"] == (85.0, 80.0, 1.0, 4.0)  # 85 of 80: capped
    assert dongfeng["research_report"] == (0.5, 1.0, 0.5, 3.0)
    assert dongfeng["visit_feedback"] == (1.0, 4.0, 0.25, 3.0)
    assert dongfeng["fund_collection"] == (0.875, 0.95, 0.921053, 4.0)
    assert dongfeng["workers_home"] == (0.0, 1.0, 0.0, 2.0)
    assert "test_score" not in xiangyang  # no test taken: left out, not scored 0
    assert xiangyang["research_report"] == (0.0, 1.0, 0.0, 3.0)
    assert xiangyang["fund_collection"] == (0.0, 0.95, 0.0, 4.0)
    assert xiangyang["workers_home"] == (1.0, 1.0, 1.0, 2.0)
    # the seven targets first, then the duties in the plan's order; 21 lines for 东风, 20 for 向阳
    assert list(lines.loc[lines["community"] == C1, "item"]) == list(scoring.ITEMS)
    assert len(xiangyang) == 20


def test_the_lines_add_up_to_the_score_in_the_ranking(street):
    lines = assessment.assessment_lines(street.cursor(), F, load_settings())
    ranking = assessment.assessment_ranking(street.cursor(), F, load_settings()).set_index("community")
    for community in (C1, C2):
        mine = lines[lines["community"] == community]
        assert mine["contribution"].sum() == pytest.approx(float(ranking.loc[community, "score"]), abs=1e-9)
        # contribution = 100 × weight × attainment ÷ Σ weight: 东风's U1 100 × 25 × 0.263158 ÷ 138 = 4.767353
    first = lines[(lines["community"] == C1) & (lines["item"] == "U1")].iloc[0]
    assert float(first["contribution"]) == pytest.approx(4.767353, abs=1e-6)
    # as shown: four decimals, which add up to the two-decimal score
    shown = assessment.lines_table(lines[lines["community"] == C2], community=False)
    assert list(shown.columns) == ["项目", "实际值", "目标", "完成度（%）", "权重", "得分贡献"]
    assert round(shown["得分贡献"].sum(), 2) == 49.65
    assert shown.loc[0, "实际值"] == "66.7%" and shown.loc[0, "目标"] == "95.0%"


def test_a_duty_alone_decides_the_ranking(street):
    """Weights 每月一题 1 and 职工之家 1 only: 东风 (0.5 + 0) ÷ 2 = 25; 向阳 (0.166667 + 1) ÷ 2 = 58.333333."""
    frame = assessment.assessment_ranking(street.cursor(), F, with_weights(monthly_topic=1, workers_home=1))
    assert frame["community"].tolist() == [C2, C1]
    assert frame["score"].tolist() == pytest.approx([58.333333, 25.0], abs=1e-6)


def test_a_community_without_a_base_for_every_weighted_item_is_not_ranked(street):
    """Weight on the test score only: 东风 85 ÷ 80 -> 100; 向阳 took no test -> no score, listed last."""
    frame = assessment.assessment_ranking(street.cursor(), F, with_weights(test_score=1))
    assert frame["community"].tolist() == [C1, C2]
    assert float(frame.loc[0, "score"]) == 100.0 and pd.isna(frame.loc[1, "score"])
    assert pd.isna(frame.loc[1, "rank"])


def test_a_cadre_sees_only_her_lines_and_her_real_rank(street_file):
    with scope.using(scope.Scope((C2,))), db.connect(street_file) as con:
        lines = assessment.assessment_lines(con.cursor(), F, load_settings())
        frame = assessment.assessment_ranking(con.cursor(), F, load_settings())
        standing = benchmarks.standing(con.cursor(), C2, F, load_settings())
    assert set(lines["community"]) == {C2}
    assert lines["contribution"].sum() == pytest.approx(49.651960, abs=1e-6)
    assert frame["community"].tolist() == [C2] and frame["rank"].tolist() == [2]  # of the street, not of one
    assert (standing.score, standing.score_place.rank, standing.score_place.of) == (
        pytest.approx(49.651960, abs=1e-6),
        2,
        2,
    )


def test_the_workbooks_second_sheet_holds_the_readers_lines_only(street_file):
    from dashboard.export import to_excel_bytes

    with scope.using(scope.Scope((C1,))), db.connect(street_file) as con:
        lines = assessment.assessment_lines(con.cursor(), F, load_settings())
    book = openpyxl.load_workbook(
        io.BytesIO(to_excel_bytes({"排名": pd.DataFrame({"a": [1]}), **assessment.lines_sheets(lines)}))
    )
    sheet = book["得分明细"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("社区", "项目", "实际值")
    assert {r[0] for r in rows[1:]} == {C1} and len(rows) == 1 + 21
    assert C2 not in repr(rows)


def test_weights_of_the_duties_are_checked():
    with pytest.raises(ValueError, match="不能为负数：每月一题"):
        scoring.weights(with_weights(U1=1, monthly_topic=-1))
    with pytest.raises(ValueError, match="「管理员」页"):
        scoring.weights(with_weights())
