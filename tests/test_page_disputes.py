"""The 劳动争议 page under AppTest on the hand-written dispute ledger (tests/dispute_fixture.py)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import app_database
from tests.dispute_fixture import build_dispute_street

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def dispute_db(tmp_path, monkeypatch):
    return app_database(tmp_path / "disputes.duckdb", build_dispute_street, monkeypatch)


def open_page(query: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    return at.switch_page("app_pages/disputes.py").run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def cases_table(at: AppTest):
    return next(d.value for d in at.dataframe if "结案日期" in d.value.columns)


def test_headline_and_early_warnings(dispute_db):
    at = open_page({"year": "2026", "as_of": "2026-06-30"})
    assert not at.exception
    values = metrics(at)
    # worked out in tests/test_disputes.py
    assert values["本年受理（件）"] == "6"
    assert values["调解成功率"] == "33.3%"
    assert values["结案天数中位数（天）"] == "22"  # 21.5 rounded
    assert values["全部未结（含往年）（件）"] == "4"  # K3, K4, K5 and K8 of 2025
    texts = " ".join(m.value for m in at.markdown)
    assert "其中超期 3 件 · 本年受理未结 3 件" in texts  # K3, K4, K8 overdue; K3, K4, K5 of this year
    assert any("集体争议 2 件" in m.value for m in at.markdown)
    warnings = [w.value for w in at.warning]
    assert any("2026年6月受理劳动争议 3 件" in w for w in warnings)  # the spike
    assert any("集体争议 2 件" in w for w in warnings)
    assert not at.error


def test_collective_disputes_listed_in_one_list(dispute_db):
    at = open_page({"year": "2026", "as_of": "2026-06-30"})
    box = next(e for e in at.expander if e.label == "集体争议清单")
    assert len(box.markdown) == 1  # one list, however many cases
    lines = box.markdown[0].value.split("\n")
    assert len(lines) == 2 and all(line.startswith("- ") for line in lines)


def test_drill_by_month_and_type(dispute_db):
    at = open_page({"year": "2026", "as_of": "2026-06-30"})
    assert len(cases_table(at)) == 6  # the plan year's cases
    at.selectbox(key="dispute_drill_month").set_value(6).run()
    assert sorted(cases_table(at)["案件编号"]) == ["K4", "K5", "K6"]
    at.selectbox(key="dispute_drill_type").set_value("劳动报酬").run()
    assert cases_table(at)["案件编号"].tolist() == ["K4"]
    assert not at.exception


def test_industry_filter_changes_figures(dispute_db):
    at = open_page({"year": "2026", "as_of": "2026-06-30"})
    at.multiselect(key="f_industries").set_value(["制造业"]).run()
    assert not at.exception
    assert metrics(at)["本年受理（件）"] == "2"
    assert metrics(at)["全部未结（含往年）（件）"] == "1"  # K8


def test_empty_database_says_where_to_upload(tmp_path, monkeypatch):
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    at = open_page({})
    assert not at.exception
    assert any("数据管理" in i.value and "劳动争议" in i.value for i in at.info)
