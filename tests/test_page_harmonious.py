"""The 和谐企业 page under AppTest on the hand-written street of tests/small_street.py."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard import db
from tests.conftest import add_batch

ROOT = Path(__file__).resolve().parent.parent
PAGE = "app_pages/harmonious.py"


def open_page(query: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=60)  # the page sets itself up
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def todo_names(at: AppTest) -> list[str]:
    frame = next(d.value for d in at.dataframe if "最新等级" in d.value.columns)
    return list(frame["企业名称"])


def test_cards_and_todo_list(small_db):
    at = open_page({"year": "2026", "as_of": "2026-06-30"})
    assert not at.exception
    values = metrics(at)
    # H1 base: 甲一 (AA from 2025 carries), 甲二 (2026 未达标), 甲公司 (申报中), 乙公司 (A 2026): 2/4
    assert values["A级以上和谐企业占比（H1）"] == "50.0%"
    assert values["新创建和谐企业（H2）"] == "2 家"  # 丙公司 (AAA, joint union) and 乙公司, first A in 2026
    # not yet A: 甲公司 (申报中, 200 staff) before 甲二公司 (未达标, 24 staff): no scores, so largest first
    assert todo_names(at) == ["甲公司", "甲二公司"]
    assert any("年末预测" in m.value for m in at.markdown)


def test_community_filter_narrows_the_list(small_db):
    at = open_page({"year": "2026", "as_of": "2026-06-30"})
    at.multiselect(key="f_communities").set_value(["东风社区"]).run()
    assert not at.exception
    assert todo_names(at) == ["甲二公司"]
    assert metrics(at)["新创建和谐企业（H2）"] == "1 家"


def test_changing_the_year_recomputes(small_db):
    at = open_page({"year": "2026", "as_of": "2026-06-30"})
    at.selectbox(key="f_year").set_value(2025).run()
    assert not at.exception
    # at 2025-12-31 the base is 甲一, 甲公司, 乙公司 (甲二's union dates from 2026); only 甲一 (AA) is A or above
    assert metrics(at)["A级以上和谐企业占比（H1）"] == "33.3%"


def test_no_grading_ledger_yet_says_where_to_upload(tmp_path, monkeypatch):
    path = tmp_path / "registry_only.duckdb"
    with db.connect(path) as con:
        add_batch(con, "enterprises", [dict(community="东风社区", name="甲", employees=30, union_status="独立建会")])
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(path))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    at = open_page({})
    assert not at.exception
    assert metrics(at)["A级以上和谐企业占比（H1）"] == "0.0%"  # 0 of 1
    assert any("和谐企业创建台账" in i.value for i in at.info)
    assert todo_names(at) == ["甲"]


def test_empty_database_says_where_to_upload(tmp_path, monkeypatch):
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    at = open_page({})
    assert not at.exception
    assert any("数据管理" in i.value for i in at.info)
