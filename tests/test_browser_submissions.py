"""报送情况 in chromium on the street of tests/test_page_submissions.py (plan year 2025, single-user mode):
the grid's cells carry their symbol and word, the reminders are listed, and the 总览 block links here."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, settle, streamlit_server
from tests.conftest import database_copy
from tests.test_page_submissions import build_sent_street

pytestmark = pytest.mark.browser


def test_submissions_page_and_overview_block_in_chromium(tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    path = database_copy(tmp_path / "b.duckdb", build_sent_street)
    env = {"UNION_DASHBOARD_DB": str(path), "UNION_DASHBOARD_NO_SAMPLE": "1"}
    with streamlit_server(env, tmp_path / "server.log") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{base}/?year=2025")
        settle(page)
        page.wait_for_selector("text=查看报送情况和催报提醒", timeout=120_000)
        overview = page.inner_text("[data-testid='stMain']")
        block = page.get_by_text("查看报送情况和催报提醒")
        block.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / "submissions-overview-block.png"))
        page.get_by_text("查看报送情况和催报提醒").click()
        settle(page)
        page.wait_for_selector("text=报送表（社区 × 台账 × 月份）", timeout=120_000)
        settle(page)
        url = page.url
        page.screenshot(path=str(ARTIFACTS / "submissions-1920x1080.png"), full_page=True)
        body = page.inner_text("[data-testid='stMain']")
        grid = page.locator("[data-testid='stDataFrame']").first
        grid.scroll_into_view_if_needed()
        grid.screenshot(path=str(ARTIFACTS / "submissions-grid.png"))
        exceptions = page.locator("[data-testid='stException']").count()
        browser.close()
    assert exceptions == 0
    assert "报送情况：2 个社区有逾期台账（向阳社区 逾期 65 期；东风社区 逾期 59 期）" in overview
    assert url.endswith("/submissions") or "/submissions?" in url
    assert "报送情况 · 2025年" in body
    assert "向阳社区：企业名录及建会台账 1月、2月" in body  # the reminders, most overdue first
    assert body.index("向阳社区：") < body.index("东风社区：企业名录")
