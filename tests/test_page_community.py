"""The 社区画像 page under AppTest on the hand-written street of tests/small_street.py (plan year 2026,
as-of 2026-06-30; expected figures worked out in tests/test_community.py)."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.small_street import C1, C2

ROOT = Path(__file__).resolve().parent.parent
PAGE = "app_pages/community.py"


def open_page(query: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def test_link_opens_the_community_with_indicators_ranks_and_lists(small_db):
    at = open_page({"year": "2026", "as_of": "2026-06-30", "community": C1})
    assert not at.exception
    assert at.selectbox(key="community_pick").value == C1
    values = metrics(at)
    assert values["25人以上企业独立建会率（U1）"] == "25.0%"  # 1/4
    assert values["建会企业工资集体协商签约率（W1）"] == "66.7%"  # 2/3
    assert values["新增建会（U3）"] == "2 家"
    assert values["帮扶人次"] == "3 人次"  # 张三, 李四 in January, 王五 in March (all 东风)
    assert "在 2 个社区中排第 2 · 全街道 42.9%" in captions(at)  # U1: 向阳 66.7 % is ahead
    texts = " ".join(m.value for m in at.markdown)
    assert "目标 95% · 还差 3 家" in texts
    todo = next(d.value for d in at.dataframe if "农民工人数" in d.value.columns)
    assert list(todo["企业名称"]) == ["丙公司", "己公司", "丁公司"]  # 应建未建 of 东风 only, largest first
    assert "档案" in todo.columns  # each row opens the enterprise's profile
    assert at.query_params["community"] == C1
    assert at.query_params["year"] == "2026"  # the filter bar's parameters stay beside it


def test_switching_community_rewrites_the_link(small_db):
    at = open_page({"year": "2026", "as_of": "2026-06-30", "community": C1})
    at.selectbox(key="community_pick").set_value(C2).run()
    assert not at.exception
    assert at.query_params["community"] == C2
    assert metrics(at)["25人以上企业独立建会率（U1）"] == "66.7%"  # 2/3
    assert metrics(at)["全部未结（含往年）"] == "2 件"  # D3 and D4 of 甲公司
    assert metrics(at)["本年受理"] == "4 件"  # D1-D4 (D5 came in 2025, D6 after the as-of date)
    overdue = next(d.value for d in at.dataframe if "已受理天数" in d.value.columns)
    assert list(overdue["案件编号"]) == ["D3", "D4"]


def test_other_filters_apply_and_community_filter_is_a_default(small_db):
    at = open_page({"year": "2026", "as_of": "2026-06-30", "c": C2, "band": "25"})
    assert not at.exception
    assert at.selectbox(key="community_pick").value == C2  # no ?community=: the filter bar's community
    assert metrics(at)["25人以上企业独立建会率（U1）"] == "50.0%"  # 25–99 staff: 乙 of 乙, 庚


def test_choice_kept_across_pages(small_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["year"], at.query_params["as_of"] = "2026", "2026-06-30"
    at.run()
    at.switch_page(PAGE).run()
    at.selectbox(key="community_pick").set_value(C2).run()
    at.switch_page("app_pages/unionization.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.selectbox(key="community_pick").value == C2


def test_empty_database_says_where_to_upload(tmp_path, monkeypatch):
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    at = open_page({})
    assert not at.exception
    assert any("数据管理" in i.value for i in at.info)
