"""A person logs in: a real `streamlit run` with accounts, in Debian's chromium. A wrong password is
refused; the right one opens the overview as a 社区 cadre, who sees only their own community."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from dashboard import auth, db
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, settle, streamlit_server
from tests.small_street import C1, C2, build_small_street

pytestmark = pytest.mark.browser


def test_cadre_logs_in_and_sees_own_community(tmp_path):
    db_path = tmp_path / "login.duckdb"
    with db.connect(db_path) as con:
        build_small_street(con)
        auth.add_user(con, "东风干部", "a-long-password", auth.CADRE, C1)
    ARTIFACTS.mkdir(exist_ok=True)
    env = {"UNION_DASHBOARD_DB": str(db_path), "UNION_DASHBOARD_NO_SAMPLE": "1"}
    with streamlit_server(env, tmp_path / "server.log") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(f"{base}/?year=2026&as_of=2026-06-30")
        settle(page)
        page.get_by_label("用户名").fill("东风干部")
        page.get_by_label("密码", exact=True).fill("wrong-password")
        page.get_by_role("button", name="登录").click()
        page.wait_for_selector("text=用户名或密码不正确", timeout=60_000)
        page.get_by_label("密码", exact=True).fill("a-long-password")
        page.get_by_role("button", name="登录").click()
        page.wait_for_selector("text=25人以上企业独立建会率（U1）", timeout=120_000)
        settle(page)
        page.screenshot(path=str(ARTIFACTS / "login-cadre-1280x720.png"), full_page=True)
        sidebar = page.inner_text("[data-testid='stSidebar']")
        body = page.inner_text("[data-testid='stMain']")
        exceptions = page.locator("[data-testid='stException']").count()
        browser.close()
    assert exceptions == 0
    assert "当前用户：东风干部 · 社区（东风社区）" in sidebar
    assert "数据查询" not in sidebar and "管理员" not in sidebar.replace("联系管理员", "")
    assert C2 not in body and C2 not in sidebar
    with db.connect(db_path) as con:
        actions = con.execute("select action from audit_log order by audit_id").fetchall()
    assert actions == [("login_failed",), ("login",)]
