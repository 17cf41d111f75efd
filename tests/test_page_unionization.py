"""The 组建工会 page under AppTest on the hand-written street of tests/small_street.py."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import db
from tests.conftest import database_copy
from tests.small_street import build_small_street

ROOT = Path(__file__).resolve().parent.parent
PAGE = "app_pages/unionization.py"


def build_phone_street(con) -> None:
    """The small street where 庚公司 has a phone number (masked in the list)."""
    build_small_street(con)
    con.execute("update enterprises set phone = '13812345678' where name = '庚公司'")


@pytest.fixture
def small_db(tmp_path, monkeypatch):
    path = database_copy(tmp_path / "small.duckdb", build_phone_street)
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(path))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    return path


def open_page(query: dict) -> AppTest:
    # The page sets itself up (dashboard.ui.page.setup), so it runs on its own: the test does not depend
    # on every other page listed in app.py being in place.
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table_with(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_cards_list_and_masking(small_db):
    at = open_page({"year": "2026", "as_of": "2026-06-30"})
    assert not at.exception
    values = metrics(at)
    assert values["25人以上企业独立建会率（U1）"] == "42.9%"  # 3/7, as on the overview
    assert values["正常经营企业建会率（U2）"] == "62.5%"  # 5/8
    assert values["新增建会（U3）"] == "2 家"  # 甲二公司 and 戊公司 (U3 counts any status), both 东风社区
    assert values["时间进度"] == "49.6%"  # 181 of 365 days
    todo = table_with(at, "农民工人数")
    # operating, >= 25 staff, no own union at 30 June: 丙 (100, joint), 己 (40, founded in August),
    # 丁 and 庚 (30, none); largest first
    assert list(todo["企业名称"]) == ["丙公司", "己公司", "丁公司", "庚公司"]
    assert list(todo["建会情况"])[:2] == ["联合建会", "截止日后建会"]
    assert todo["联系电话"].iloc[-1] == "138****5678"  # personal data masked on screen
    assert any("年末预测" in s.value for s in at.subheader)
    assert any("当前企业名录" in c.value for c in at.caption)  # the trend says how it was built


def test_community_filter_narrows_cards_and_list(small_db):
    at = open_page({"year": "2026", "as_of": "2026-06-30"})
    at.multiselect(key="f_communities").set_value(["向阳社区"]).run()
    assert not at.exception
    assert metrics(at)["25人以上企业独立建会率（U1）"] == "66.7%"  # 2/3
    assert list(table_with(at, "农民工人数")["企业名称"]) == ["庚公司"]
    assert at.query_params["c"] == "向阳社区"  # the link reproduces the view


def test_rows_behind_the_size_membership_and_trend_charts(small_db):
    """Before any click the two chart-fed lists hold every row behind their chart (a click narrows them
    through dashboard.unionization.rows_for_band / rows_for_members, tested in tests/test_unionization.py)."""
    at = open_page({"year": "2026", "as_of": "2026-06-30"})
    assert not at.exception
    sizes = table_with(at, "建会时间")
    # operating: 甲200 丙100 己40 丁30 庚30 乙26 甲一25 甲二24 (戊 停产 is not); ties by community
    expected = ["甲公司", "丙公司", "己公司", "丁公司", "庚公司", "乙公司", "甲一公司", "甲二公司"]
    assert list(sizes["企业名称"]) == expected
    assert list(sizes["职工规模"])[-2:] == ["25–99人", "不足25人"]
    members = next(d.value for d in at.dataframe if {"会员人数", "企业名称"} <= set(d.value.columns))
    # unionised at 30 June: 己 (founded in August) is not yet
    assert list(members["企业名称"]) == ["甲公司", "丙公司", "乙公司", "甲一公司", "甲二公司"]
    captions = " ".join(c.value for c in at.caption)
    assert "只看该规模的企业" in captions and "只看该社区的企业" in captions
    # the trend charts' list: unions founded this year by 30 June (甲二 3-01; 戊 停产, 己 in August)
    trend_rows = [d.value for d in at.dataframe if "建会时间" in d.value.columns][1]
    assert list(trend_rows["企业名称"]) == ["甲二公司"]
    assert "点击上方折线上的点" in captions
    assert not any("下表只显示" in i.value for i in at.info)  # nothing picked, nothing to clear


def test_empty_year_says_where_to_upload(tmp_path, monkeypatch):
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    at = open_page({})
    assert not at.exception
    assert any("数据管理" in i.value for i in at.info)


def test_member_rows_show_each_enterprise_rate(small_db):
    """已建会企业的会员人数: members ÷ staff per enterprise, capped at the staff count, as text."""
    with db.connect(small_db) as con:
        con.execute("update enterprises set union_members = 20 where name = '甲一公司'")  # 20 / 25
        con.execute("update enterprises set union_members = 150 where name = '丙公司'")  # capped at 100
    at = open_page({"year": "2026", "as_of": "2026-06-30"})
    assert not at.exception
    rows = next(d.value for d in at.dataframe if {"企业名称", "会员人数"} <= set(d.value.columns))
    rates = dict(zip(rows["企业名称"], rows["入会率"], strict=True))
    assert rates["甲一公司"] == "80.0%"
    assert rates["丙公司"] == "100.0%"
