"""考核评比 on tests/small_street.py (2026, as-of 30 June), scores worked out by hand."""

import copy
from datetime import date

import pandas as pd
import pytest

from dashboard import assessment, scoring
from dashboard.config import Settings, load_settings
from dashboard.filters import Filters
from tests.conftest import connect_copy
from tests.small_street import build_small_street

FILTERS = Filters(year=2026, as_of=date(2026, 6, 30))


@pytest.fixture
def street(tmp_path):
    with connect_copy(tmp_path / "test.duckdb", build_small_street) as con:
        yield con


def with_weights(**weights) -> Settings:
    raw = copy.deepcopy(load_settings().raw)
    raw["assessment"] = weights
    return Settings(raw)


def test_default_weights_ranking(street):
    """东风: U1 1/4 ÷ 95% = 0.263158, U2 3/5 ÷ 95% = 0.631579, W1 2/3 ÷ 90% = 0.740741, H1 1/2 ÷ 40% -> 1,
    U3 2/2, W2 2/2, H2 1/2 -> 25×0.263158 + 10×0.631579 + 20×0.740741 + 15 + 10 + 10 + 5
    = 6.578947 + 6.315789 + 14.814815 + 40 = 67.709551.
    向阳: U1 = U2 = 2/3 ÷ 95% = 0.701754, W1 1/2 ÷ 90% = 0.555556, H1 1, U3 0/2, W2 1/2, H2 1/2
    -> 17.543860 + 7.017544 + 11.111111 + 15 + 0 + 5 + 5 = 60.672515.
    The work plan's duties: the small street has no duty ledger, so each community scores 0 on the counted
    duties (双亮 3 — its own union is a unit, not marked —, 每月一题 3, 半年测试次数 2, 培训 3, 信息 3, 走访 3,
    五比一创 2, 技能 2, 文化 2, 书屋 2, 之家 2 = 27) and has no base for 调研报告, 经费 and 测试平均分 (left
    out). Σ weight = 100 + 27 = 127: 东风 6770.9551 ÷ 127 = 53.314608, 向阳 6067.2515 ÷ 127 = 47.773634."""
    frame = assessment.assessment_ranking(street.cursor(), FILTERS, load_settings())
    assert frame["community"].tolist() == ["东风社区", "向阳社区"]
    assert frame["score"].tolist() == pytest.approx([53.314608, 47.773634], abs=1e-6)
    assert frame["rank"].tolist() == [1, 2]
    assert round(float(frame.loc[0, "W1"]), 4) == 0.7407
    assert float(frame.loc[0, "monthly_topic"]) == 0.0 and pd.isna(frame.loc[0, "fund_collection"])
    assert assessment.ranking_table(frame)["得分"].tolist() == [53.31, 47.77]


def test_weights_change_the_order(street):
    frame = assessment.assessment_ranking(street.cursor(), FILTERS, with_weights(U1=1))
    # U1 alone: 向阳 (2/3) ÷ 95% = 0.701754 -> 70.18, 东风 (1/4) ÷ 95% = 0.263158 -> 26.32
    assert frame["community"].tolist() == ["向阳社区", "东风社区"]
    assert assessment.ranking_table(frame)["得分"].tolist() == [70.18, 26.32]


def test_ties_share_a_rank(street):
    frame = assessment.assessment_ranking(street.cursor(), FILTERS, with_weights(H1=1))
    assert frame["score"].tolist() == [100.0, 100.0]
    assert frame["rank"].tolist() == [1, 1]


def test_a_hair_short_of_a_target_is_not_tied_first(con):
    """东风 misses W1 by a hair, 向阳 meets every target. Weights U1 99, W1 1.
    东风: 9 enterprises of 30 staff, all with their own union: U1 9/9 -> 1; 8 of the 9 have an agreement
    in force: W1 8/9 = 88.9 % ÷ 90 % = 80/81 = 0.987654 -> score (99 × 1 + 1 × 0.987654) = 99.987654,
    which one decimal showed as 100.0, tied first with 向阳. 向阳: one such enterprise with an agreement:
    U1 1/1, W1 1/1 -> 100. Ranked unrounded: 向阳 1st, 东风 2nd; shown 100.00 and 99.99."""
    from tests.conftest import add_batch

    def ent(community, i):
        return dict(community=community, name=f"{community}{i}", uscc=f"{community}{i}", employees=30,
                    union_status="独立建会", union_founded=date(2020, 1, 1), status="正常经营")  # fmt: skip

    def agr(community, i):
        return dict(community=community, name=f"{community}{i}", uscc=f"{community}{i}", signed_on=date(2026, 1, 1),
                    expires_on=date(2026, 12, 31), sign_kind="续签", agreement_type="单独签订")  # fmt: skip

    add_batch(con, "enterprises", [ent("东风社区", i) for i in range(9)])
    add_batch(con, "enterprises", [ent("向阳社区", 0)])
    add_batch(con, "wage_agreements", [agr("东风社区", i) for i in range(8)] + [agr("向阳社区", 0)])
    frame = assessment.assessment_ranking(con.cursor(), FILTERS, with_weights(U1=99, W1=1))
    assert frame["community"].tolist() == ["向阳社区", "东风社区"]
    assert frame["rank"].tolist() == [1, 2]
    assert frame["score"].tolist() == pytest.approx([100.0, 99 + 80 / 81], abs=1e-9)
    table = assessment.ranking_table(frame)
    assert table["得分"].tolist() == [100.0, 99.99]
    assert table["建会企业工资集体协商签约率完成度（%）"].tolist() == [100.0, 98.77]  # 80/81


def test_shown_never_reads_100_short_of_it():
    assert assessment.shown(99.996) == 99.99  # rounds to 100.00, but a target is missed
    assert assessment.shown(99.987654) == 99.99
    assert assessment.shown(100.0) == 100.0
    assert assessment.shown(67.709551) == 67.71
    assert assessment.shown(None) is None


def test_a_rate_without_base_is_left_out(con):
    from tests.conftest import add_batch

    # one enterprise of 10 staff with a union founded in 2026: no U1 base; U2 1/1; W1 0/1; H1 0/1
    add_batch(
        con,
        "enterprises",
        [dict(community="东风社区", name="甲", employees=10, union_status="独立建会", union_founded=date(2026, 1, 5),
              status="正常经营")],
    )  # fmt: skip
    frame = assessment.assessment_ranking(con.cursor(), FILTERS, with_weights(U1=50, U2=50))
    # U1 has no base, so U2 alone: 1/1 ÷ 95% -> 100
    assert frame["score"].tolist() == [100.0]


def test_bad_weights_are_refused_in_chinese():
    with pytest.raises(ValueError, match="不能为负数"):
        scoring.weights(with_weights(U1=-1, U2=1))
    with pytest.raises(ValueError, match="全部为 0"):
        scoring.weights(with_weights())


def test_formula_names_targets_and_weights():
    text = assessment.formula_text(load_settings(), 2026)
    # 25 ÷ 138 = 18.1 %, 10 ÷ 138 = 7.2 %, 4 ÷ 138 = 2.9 %
    assert "25人以上企业独立建会率（目标95%，权重18%）" in text
    assert "新增建会（目标2家，权重7%）" in text
    assert "半年测试平均分（权重2.9%）" in text


def test_ranking_table_headers(street):
    table = assessment.ranking_table(assessment.assessment_ranking(street.cursor(), FILTERS, load_settings()))
    assert list(table.columns[:3]) == ["名次", "社区", "得分"]
    assert table.loc[0, "25人以上企业独立建会率完成度（%）"] == 26.32  # 1/4 ÷ 95% = 0.263158
