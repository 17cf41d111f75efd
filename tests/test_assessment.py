"""考核评比 on tests/small_street.py (2026, as-of 30 June), scores worked out by hand."""

import copy
from datetime import date

import pytest

from dashboard import assessment
from dashboard.config import Settings, load_settings
from dashboard.metrics import Filters
from tests.small_street import build_small_street

FILTERS = Filters(year=2026, as_of=date(2026, 6, 30))


@pytest.fixture
def street(con):
    return build_small_street(con)


def with_weights(**weights) -> Settings:
    raw = copy.deepcopy(load_settings().raw)
    raw["assessment"] = weights
    return Settings(raw)


def test_default_weights_ranking(street):
    """东风: U1 1/4 ÷ 95% = 0.2632, U2 3/5 ÷ 95% = 0.6316, W1 2/3 ÷ 90% = 0.7407, H1 1/2 ÷ 40% -> 1, U3 2/2,
    W2 2/2, H2 1/2 -> (25×0.2632 + 10×0.6316 + 20×0.7407 + 15 + 10 + 10 + 5) = 67.7.
    向阳: U1 = U2 = 2/3 ÷ 95% = 0.7018, W1 1/2 ÷ 90% = 0.5556, H1 1, U3 0/2, W2 1/2, H2 1/2
    -> 17.54 + 7.02 + 11.11 + 15 + 0 + 5 + 5 = 60.7."""
    frame = assessment.assessment_ranking(street.cursor(), FILTERS, load_settings())
    assert frame["community"].tolist() == ["东风社区", "向阳社区"]
    assert frame["score"].tolist() == [67.7, 60.7]
    assert frame["rank"].tolist() == [1, 2]
    assert round(float(frame.loc[0, "W1"]), 4) == 0.7407


def test_weights_change_the_order(street):
    frame = assessment.assessment_ranking(street.cursor(), FILTERS, with_weights(U1=1))
    # U1 alone: 向阳 0.7018 -> 70.2, 东风 0.2632 -> 26.3
    assert frame["community"].tolist() == ["向阳社区", "东风社区"]
    assert frame["score"].tolist() == [70.2, 26.3]


def test_ties_share_a_rank(street):
    frame = assessment.assessment_ranking(street.cursor(), FILTERS, with_weights(H1=1))
    assert frame["score"].tolist() == [100.0, 100.0]
    assert frame["rank"].tolist() == [1, 1]


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
        assessment.weights(with_weights(U1=-1, U2=1))
    with pytest.raises(ValueError, match="全部为 0"):
        assessment.weights(with_weights())


def test_formula_names_targets_and_weights():
    text = assessment.formula_text(load_settings(), 2026)
    assert "25人以上企业独立建会率（目标95%，权重25%）" in text
    assert "新增建会（目标2家，权重10%）" in text


def test_ranking_table_headers(street):
    table = assessment.ranking_table(assessment.assessment_ranking(street.cursor(), FILTERS, load_settings()))
    assert list(table.columns[:3]) == ["名次", "社区", "得分"]
    assert table.loc[0, "25人以上企业独立建会率完成度（%）"] == 26.3
