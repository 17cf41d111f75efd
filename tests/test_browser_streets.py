"""The street level in a real chromium at district scale: bench/generate.py's district (15 streets, 150
communities, 100,000 enterprises) in single-user mode, which reads every street (a 区领导's view). 总览 shows
the 街道 filter and 各街道排名 with all 15 streets; the meeting deck's second slide ranks the streets and fits
its box. Screenshots in test-artifacts/ (streets-overview-1920x1080.png, streets-deck-1280x720.png)."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ROOT, settle, streamlit_server

sys.path.insert(0, str(ROOT / "bench"))
import generate

pytestmark = pytest.mark.browser

STREETS = [f"街道{i:03d}" for i in range(15)]
SLIDE = """() => { const s = document.querySelector('.ms'); return {h: s.scrollHeight, box: s.clientHeight}; }"""


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> Path:
    """A copy of the generator's district (its own folder: the app migrates the copy it opens)."""
    built = generate.ensure("district", Path(tempfile.gettempdir()) / "union-bench-streets")
    path = tmp_path_factory.mktemp("streets") / "district.duckdb"
    shutil.copyfile(built, path)
    return path


def test_overview_and_deck_rank_the_streets(district, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    env = {"UNION_DASHBOARD_DB": str(district), "UNION_DASHBOARD_NO_SAMPLE": "1"}
    with streamlit_server(env, tmp_path / "server.log") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{base}/?year=2026&as_of=2026-11-20")
        settle(page)
        page.wait_for_selector("text=各街道排名", timeout=240_000)
        settle(page)
        sidebar = page.locator("[data-testid='stSidebar']")
        assert sidebar.get_by_text("街道", exact=True).count() >= 1  # the 街道 filter
        ranking = page.locator("[data-testid='stHeadingWithActionElements']", has_text="各街道排名")
        ranking.scroll_into_view_if_needed()
        page.wait_for_timeout(800)
        page.screenshot(path=str(ARTIFACTS / "streets-overview-1920x1080.png"), full_page=False)
        assert page.get_by_text("共 15 条").count() >= 1  # the table (a canvas grid) lists every street
        chart = page.locator("[data-testid='stPlotlyChart']").first
        chart.scroll_into_view_if_needed()
        page.wait_for_timeout(800)
        page.screenshot(path=str(ARTIFACTS / "streets-overview-chart-1920x1080.png"))
        # the deck: 各街道排名 after the scorecard, every street on the slide, nothing overflowing
        deck = browser.new_page(viewport={"width": 1280, "height": 720})
        deck.goto(f"{base}/meeting?year=2026&month=10&slide=2")
        settle(deck)
        deck.wait_for_selector(".ms[data-slide='streets']", timeout=240_000)
        settle(deck)
        text = deck.locator(".ms").inner_text()
        assert "各街道排名" in text and all(s in text for s in STREETS)
        m = deck.evaluate(SLIDE)
        assert m["h"] <= m["box"] + 1, m
        deck.screenshot(path=str(ARTIFACTS / "streets-deck-1280x720.png"))
        browser.close()
