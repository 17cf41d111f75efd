"""The app under Streamlit's AppTest, on the hand-written street: the overview shows the indicators."""

from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def run_app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_overview_shows_rates_against_targets(small_db):
    at = run_app({"year": "2026", "as_of": "2026-06-30"})
    assert not at.exception
    values = metric_values(at)
    # U1 3/7, U2 5/8, W1 3/5, H1 2/4 (worked out in tests/test_metrics.py)
    assert values["25人以上企业独立建会率（U1）"] == "42.9%"
    assert values["正常经营企业建会率（U2）"] == "62.5%"
    assert values["建会企业工资集体协商签约率（W1）"] == "60.0%"
    assert values["A级以上和谐企业占比（H1）"] == "50.0%"
    texts = " ".join(m.value for m in at.markdown)
    assert "目标 95% · 还差 4 家" in texts
    assert values["本年受理"] == "4 件"
    assert values["本年受理未结"] == "2 件"
    assert any("本年有集体争议 2 件" in w.value for w in at.warning)


def test_community_filter_from_url_narrows_figures(small_db):
    at = run_app({"year": "2026", "as_of": "2026-06-30", "c": "向阳社区"})
    assert not at.exception
    assert metric_values(at)["25人以上企业独立建会率（U1）"] == "66.7%"  # 2/3
    assert at.multiselect(key="f_communities").value == ["向阳社区"]


def test_changing_as_of_recomputes(small_db):
    at = run_app({"year": "2026", "as_of": "2026-06-30"})
    at.date_input(key="f_as_of_2026").set_value(date(2026, 12, 31)).run()
    assert not at.exception
    # by year end 己公司's union (founded 2026-08-01) counts: U1 4/7
    assert metric_values(at)["25人以上企业独立建会率（U1）"] == "57.1%"
    assert at.query_params["as_of"] == "2026-12-31"  # the link reproduces the view


def test_empty_database_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    at = run_app()
    assert not at.exception
    assert any("还没有数据" in i.value for i in at.info)


def test_filters_persist_across_pages(small_db):
    at = run_app({"year": "2026", "as_of": "2026-06-30"})
    at.multiselect(key="f_communities").set_value(["向阳社区"]).run()
    at.switch_page("app_pages/unionization.py").run()
    assert not at.exception
    assert at.multiselect(key="f_communities").value == ["向阳社区"]
    assert at.date_input(key="f_as_of_2026").value == date(2026, 6, 30)
    at.switch_page("app_pages/overview.py").run()
    assert at.multiselect(key="f_communities").value == ["向阳社区"]
    assert metric_values(at)["25人以上企业独立建会率（U1）"] == "66.7%"


def test_filter_bar_keeps_url_parameters_it_does_not_own(small_db):
    at = run_app({"year": "2026", "as_of": "2026-06-30", "ent": "U1"})
    assert at.query_params["ent"] == "U1"
    assert at.query_params["year"] == "2026"


def test_a_full_link_reproduces_the_community_view(small_db):
    # every filter-bar parameter plus the 社区画像 page's own: the page opens the community, the bar its view
    at = run_app({"year": "2026", "as_of": "2026-06-30", "band": "25", "st": "正常经营", "community": "向阳社区"})
    at.switch_page("app_pages/community.py").run()
    assert not at.exception
    assert at.selectbox(key="community_pick").value == "向阳社区"
    assert at.multiselect(key="f_size_bands").value == [25]
    assert metric_values(at)["25人以上企业独立建会率（U1）"] == "50.0%"  # 25–99 staff: 乙 of 乙 and 庚
    assert at.query_params["community"] == "向阳社区" and at.query_params["band"] == "25"


def test_every_page_is_in_exactly_one_sidebar_section():
    from dashboard.ui import nav

    listed = [p for paths in nav.SECTIONS.values() for p in paths]
    assert sorted(listed) == sorted(p for p, _, _ in nav.PAGES)
    assert len(listed) == len(set(listed))


def test_overview_task_heading_follows_the_settings(small_db, tmp_path, monkeypatch):
    path = tmp_path / "settings.toml"
    monkeypatch.setenv("UNION_DASHBOARD_SETTINGS", str(path))
    path.write_text("[targets.2026]\nU3 = 3\nW2 = 3\nH2 = 3\n", encoding="utf-8")
    at = run_app({"year": "2026", "as_of": "2026-06-30"})
    assert not at.exception
    assert any(s.value.startswith("各社区年度任务（每社区每年不少于 3 家") for s in at.subheader)
    path.write_text("[targets.2026]\nU3 = 3\n", encoding="utf-8")  # W2 and H2 stay 2: no one number
    at = run_app({"year": "2026", "as_of": "2026-06-30"})
    assert any(s.value.startswith("各社区年度任务（每社区每年任务见各图") for s in at.subheader)
    assert not any("不少于 2 家" in s.value for s in at.subheader)
