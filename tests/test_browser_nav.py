"""Every page in Debian's chromium against a real `streamlit run`, by URL and by the sidebar: with the
pages in app_pages/ the server never runs a page on its own, so the first request of a URL already has
the Chinese sidebar and the right page. Screenshots (1280x900) go to test-artifacts/nav-<url>.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from dashboard.ui import nav
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, settle, streamlit_server
from tests.conftest import database_copy
from tests.small_street import build_small_street
from tests.test_nav import HEADINGS

pytestmark = pytest.mark.browser
QUERY = "year=2026&as_of=2026-06-30"
SECTIONS = list(nav.SECTIONS)
NO_FILTER_BAR = {"admin", "console", "data", "meeting"}  # setup(filters=False)


def shows(page, path: str) -> None:
    """The page of `path` is on screen: its heading (or its own widget), the sidebar's Chinese sections,
    and no exception."""
    main = page.locator("[data-testid='stMain']")
    if path in HEADINGS:
        assert main.locator("h1").first.inner_text().startswith(HEADINGS[path]), (path, main.inner_text()[:200])
    elif path.endswith("community.py"):
        assert "东风社区" in main.inner_text()
    else:  # 会议模式
        assert main.get_by_text("退出会议模式").count() >= 1
    assert page.locator("[data-testid='stException']").count() == 0, path
    assert page.get_by_text("Page not found").count() == 0, path
    sidebar = page.locator("[data-testid='stSidebarNav']").inner_text()
    assert all(section in sidebar for section in SECTIONS), sidebar
    assert "app_pages" not in sidebar and "overview" not in sidebar  # titles, not file names


def test_every_page_by_url_and_by_sidebar(tmp_path: Path):
    db_path = database_copy(tmp_path / "nav.duckdb", build_small_street)
    ARTIFACTS.mkdir(exist_ok=True)
    env = {"UNION_DASHBOARD_DB": str(db_path), "UNION_DASHBOARD_NO_SAMPLE": "1"}
    with streamlit_server(env, tmp_path / "server.log") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for path, _, _ in nav.PAGES:  # by URL: each a fresh first request of that address
            url = Path(path).stem
            page.goto(f"{base}/{'' if path == nav.PAGES[0][0] else url}?{QUERY}")  # the default page is /
            page.wait_for_selector("[data-testid='stSidebarNav']", timeout=180_000)
            settle(page)
            assert page.url.split("?")[0].rstrip("/").endswith("" if path == nav.PAGES[0][0] else url), page.url
            shows(page, path)
            page.screenshot(path=str(ARTIFACTS / f"nav-{url}.png"))
        page.goto(f"{base}/?{QUERY}")
        settle(page)
        for path, title, _ in reversed(nav.PAGES):  # by the sidebar, as a person would
            page.locator("[data-testid='stSidebarNav'] a", has_text=title).first.dispatch_event("click")
            settle(page)
            assert page.url.split("?")[0].endswith("/" if path == nav.PAGES[0][0] else Path(path).stem), page.url
            if Path(path).stem not in NO_FILTER_BAR:
                assert "year=2026" in page.url  # the filter bar keeps the view in the address
            shows(page, path)
        # 集体协商: a click on a community's W1 bar narrows the lists below through the filters
        page.goto(f"{base}/wages?{QUERY}")
        page.wait_for_selector("text=各社区情况", timeout=180_000)
        settle(page)
        w1 = page.locator(".js-plotly-plot", has_text="建会企业签约率（W1）").first
        bars = w1.locator(".bars path")
        expect(bars).to_have_count(2, timeout=60_000)  # 东风社区, 向阳社区 (plotly draws after the script ends)
        bars.nth(0).scroll_into_view_if_needed()
        box = bars.nth(0).bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        settle(page)
        note = page.locator("[data-testid='stAlert']", has_text="下方表格和名单只显示").first
        note.wait_for(timeout=60_000)
        shown = note.inner_text()
        assert ("东风社区" in shown) != ("向阳社区" in shown), shown  # exactly the one clicked
        assert page.locator("[data-testid='stException']").count() == 0
        page.screenshot(path=str(ARTIFACTS / "nav-wages-clicked.png"), full_page=True)
        browser.close()
    log = (tmp_path / "server.log").read_text(encoding="utf-8")
    assert "Traceback" not in log, log[-2000:]
