"""The 帮扶救助 page under AppTest on the hand-written aid ledger (tests/aid_fixture.py)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.aid_fixture import build_aid_street
from tests.conftest import app_database

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def aid_db(tmp_path, monkeypatch):
    return app_database(tmp_path / "aid.duckdb", build_aid_street, monkeypatch)


def open_page(query: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    return at.switch_page("app_pages/aid.py").run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def rows_table(at: AppTest):
    return next(d.value for d in at.dataframe if "身份证号" in d.value.columns)


def test_headline_and_checks(aid_db):
    at = open_page({"year": "2026", "as_of": "2026-06-30"})
    assert not at.exception
    values = metrics(at)
    # worked out in tests/test_aid.py: 8 visits, 5 people, 3,000 yuan, 600 per person, 2 jobs
    assert values["帮扶人次"] == "8"
    assert values["帮扶人数"] == "5"
    assert values["发放金额"] == "3,000元"
    assert values["人均金额"] == "600元"
    assert any("提供岗位 2 个" in c.value for c in at.caption)
    warning = " ".join(w.value for w in at.warning)
    assert "1 人在同一活动中重复领取" in warning and "1 人参加了多项活动" in warning


def test_rows_are_masked_and_drill_by_campaign(aid_db):
    at = open_page({"year": "2026", "as_of": "2026-06-30"})
    table = rows_table(at)
    assert len(table) == 8
    assert "张三" not in set(table["姓名"]) and "张*" in set(table["姓名"])
    at.selectbox(key="aid_drill_campaign").set_value("节日慰问·春节").run()
    assert not at.exception
    table = rows_table(at)
    assert sorted(table["姓名"]) == ["张*", "张*", "王*"]
    at.selectbox(key="aid_drill_month").set_value(3).run()
    assert any("没有符合所选条件" in i.value for i in at.info)  # no 春节 visits in March


def test_a_long_list_shows_its_first_rows_and_fetches_the_rest_for_a_download(aid_db, monkeypatch):
    """With room for 3 rows on screen, the 8 rows of the year: the first 3 in date order, the count of all
    8, and every row only after 准备下载 (the page fetched 3 rows to show, not 8)."""
    from dashboard.ui import tables

    monkeypatch.setattr(tables, "MAX_SHOWN_ROWS", 3)
    made = {}
    real = tables.audited

    def keep(make, file_name, rows=None):
        made[file_name] = make
        return real(make, file_name, rows)

    monkeypatch.setattr(tables, "audited", keep)
    at = open_page({"year": "2026", "as_of": "2026-06-30"})
    assert not at.exception
    table = rows_table(at)
    assert len(table) == 3 and list(table["发放日期"]) == sorted(table["发放日期"])
    assert any(c.value.startswith("共 8 条，页面显示前 3 条") for c in at.caption)
    assert not any(name.startswith("帮扶发放明细") for name in made)
    at.button(key="aid_rows_fetch").click().run()
    assert not at.exception
    csv = made["帮扶发放明细_2026.csv"]().decode("utf-8-sig").splitlines()
    assert len(csv) == 1 + 8 and "张三" not in "".join(csv)


def test_funding_selector_narrows_rows(aid_db):
    """What a click on the 资金来源 chart does (it fills this selector): 上级工会 paid 张三 twice."""
    at = open_page({"year": "2026", "as_of": "2026-06-30"})
    at.selectbox(key="aid_drill_funding").set_value("上级工会").run()
    assert not at.exception
    table = rows_table(at)
    assert list(table["姓名"]) == ["张*", "张*"]
    assert set(table["资金来源"]) == {"上级工会"}
    at.selectbox(key="aid_drill_funding").set_value(None).run()
    assert len(rows_table(at)) == 8


def test_community_filter_changes_figures(aid_db):
    at = open_page({"year": "2026", "as_of": "2026-06-30"})
    at.multiselect(key="f_communities").set_value(["向阳社区"]).run()
    assert not at.exception
    assert metrics(at)["帮扶人次"] == "3"
    assert metrics(at)["发放金额"] == "700元"


def test_empty_database_says_where_to_upload(tmp_path, monkeypatch):
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    at = open_page({})
    assert not at.exception
    assert any("数据管理" in i.value and "帮扶救助" in i.value for i in at.info)


def test_check_lists_are_masked_tables_with_downloads(aid_db):
    """The repeat and many-campaign lists go through data_table: masked, capped on screen, downloadable."""
    at = open_page({"year": "2026", "as_of": "2026-06-30"})
    assert not at.exception
    repeat = next(d.value for d in at.dataframe if "次数" in d.value.columns and "节日" in d.value.columns)
    many = next(d.value for d in at.dataframe if "活动数" in d.value.columns)
    assert len(repeat) == 1 and len(many) == 1  # worked out in tests/test_aid.py
    for frame in (repeat, many):
        assert frame["姓名"].tolist() == ["张*"]
    assert any(c.value.startswith("共 1 条") and "个人信息已脱敏" in c.value for c in at.caption)
    titles = [e.label for e in at.expander]
    assert "同一活动中重复帮扶（1 人，1 条）" in titles and "参加多项活动的对象（1 人）" in titles
