"""Drill-downs in the URL (dashboard.ui.tables.url_pick): a link holding a pick opens the narrowed view, a
pick the reader may not see (unknown, or another community for a cadre) is dropped with a Chinese note.
Figures of tests/small_street.py (2026, as-of 30 June)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth, scope
from tests.conftest import database_copy
from tests.small_street import C1, C2, build_small_street

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a-long-password"
BASE = {"year": "2026", "as_of": "2026-06-30"}


@pytest.fixture
def small_db(tmp_path, monkeypatch):
    path = database_copy(tmp_path / "small.duckdb", build_small_street)
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(path))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    return path


def build_cadres_street(con) -> None:
    build_small_street(con)
    auth.add_user(con, "dongfeng", PASSWORD, auth.CADRE, C1)


@pytest.fixture
def cadre_db(tmp_path, monkeypatch):
    path = database_copy(tmp_path / "cadres.duckdb", build_cadres_street)
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(path))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    yield path
    scope.enforce(False)  # the login gate turned enforcement on for this process


def open_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / page), default_timeout=60)
    for k, v in {**BASE, **query}.items():
        at.query_params[k] = v
    return at.run()


def table_with(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "title", "subheader") for e in getattr(at, kind)]
    parts += [df.value.astype(str).to_string() for df in at.dataframe]
    return " ".join(parts)


def test_a_link_with_a_community_pick_opens_the_narrowed_tables(small_db):
    at = open_page("app_pages/unionization.py", u_pick=C2)
    assert not at.exception
    assert list(table_with(at, "U1独立建会率")["社区"]) == [C2]  # the 各社区 table: the one community
    # 应建未建 of 向阳社区 alone: 庚公司 (30 staff, no union); 丙, 己, 丁 are 东风社区's
    assert list(table_with(at, "农民工人数")["企业名称"]) == ["庚公司"]
    assert any(f"只显示 **{C2}**" in i.value for i in at.info)
    assert at.query_params["u_pick"] == [C2] or at.query_params["u_pick"] == C2  # kept: a reload keeps it
    at.button(key="u_reset").click().run()  # 显示全部社区: the pick leaves the link
    assert "u_pick" not in at.query_params
    assert len(table_with(at, "U1独立建会率")) == 2


def test_an_unknown_community_in_the_link_is_ignored_with_a_note(small_db):
    at = open_page("app_pages/unionization.py", u_pick="不存在社区")
    assert not at.exception
    assert any("链接中的社区「不存在社区」不在可查看的范围内，已显示全部" in c.value for c in at.caption)
    assert len(table_with(at, "U1独立建会率")) == 2  # both communities: nothing narrowed
    assert "u_pick" not in at.query_params


def test_a_task_pick_in_the_link_lists_the_enterprises_counted(small_db):
    at = open_page("app_pages/overview.py", ov_task_pick=f"U3,{C1}")
    assert not at.exception
    # U3 of 东风社区 in 2026 to 30 June: 甲二公司 and 戊公司 (see tests/test_page_unionization.py)
    assert sorted(table_with(at, "企业名称")["企业名称"]) == ["戊公司", "甲二公司"]
    bad = open_page("app_pages/overview.py", ov_task_pick="X9,东风社区")  # no such task: ignored
    assert not bad.exception
    assert any("不在可查看的范围内" in c.value for c in bad.caption)


def test_a_cadre_cannot_open_another_community_by_link(cadre_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for k, v in {**BASE, "ov_task_pick": f"U3,{C2}"}.items():
        at.query_params[k] = v
    at.run()
    at.text_input(key="login_user").input("dongfeng")
    at.text_input(key="login_password").input(PASSWORD)
    at.button(key="login_submit").click().run()
    assert not at.exception
    assert any(f"链接中的社区「U3,{C2}」不在可查看的范围内" in c.value for c in at.caption)
    assert not any("计入「" in i.value for i in at.info)  # no list of 向阳社区 opened
    at.query_params["u_pick"] = C2
    at.switch_page("app_pages/unionization.py").run()
    assert not at.exception
    assert any(f"链接中的社区「{C2}」不在可查看的范围内" in c.value for c in at.caption)
    assert C2 not in " ".join(df.value.astype(str).to_string() for df in at.dataframe)


def test_wages_picks_in_the_link(small_db):
    at = open_page("app_pages/wages.py", w_pick=C2)
    assert not at.exception
    assert any(f"只显示：{C2}" in i.value or f"只显示：**{C2}**" in i.value for i in at.info)
    bad = open_page("app_pages/wages.py", w_pick=f"{C2},别的社区", w_sign_pick="2026-13,")
    assert not bad.exception
    notes = " ".join(c.value for c in bad.caption)
    assert "链接中的社区" in notes and "链接中的月份或增幅段「2026-13,」" in notes
