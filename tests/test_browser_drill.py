"""The analyst's drill-down in a real chromium on the sample street: a click on a community bar narrows the
tables under it; a 社区画像 link opens that community, and a click on its ranking chart switches to another
while the filter bar's parameters stay in the URL; a click on the 集体协商 wage-increase histogram narrows
the signing list and its button clears it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import sync_playwright

from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, settle

pytestmark = pytest.mark.browser

BARS = ".js-plotly-plot .bars path"


def shown_community(page) -> str:
    """The community the 社区画像 page draws: its caption starts with it."""
    caption = page.locator("[data-testid='stCaptionContainer']", has_text="年度 · 统计截止").first.inner_text()
    return caption.split(" · ")[0]


def click_bar(page, bar) -> None:
    """Click the middle of a bar as a person would: plotly's drag layer above the bars takes the click."""
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_click_a_bar_filters_the_tables(sample_server):
    ARTIFACTS.mkdir(exist_ok=True)
    base = sample_server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})

        # ---- 组建工会: the U1 bar of one community narrows the community table and the lists --------------
        page.goto(f"{base}/unionization?year=2026&as_of=2026-11-20")
        settle(page)
        page.wait_for_selector(BARS, timeout=180_000)
        settle(page)
        before = page.locator("[data-testid='stCaptionContainer']", has_text="共 ").first.inner_text()
        click_bar(page, page.locator(".js-plotly-plot").first.locator(".bars path").nth(0))
        settle(page)
        page.wait_for_selector("text=下面的表格只显示", timeout=60_000)
        settle(page)
        note = page.locator("[data-testid='stAlert']", has_text="下面的表格只显示").inner_text()
        picked = note.split("只显示")[1].split("（")[0].strip()
        after = page.locator("[data-testid='stCaptionContainer']", has_text="共 ").first.inner_text()
        page.screenshot(path=str(ARTIFACTS / "drill-unionization-click-1920x1080.png"), full_page=True)
        assert picked.endswith("社区")
        assert before != after and after.startswith("共 1 条")  # the community table holds the one community
        assert page.locator("[data-testid='stException']").count() == 0

        # ---- 社区画像 by link, then a click on the ranking chart switches community -----------------------
        page.goto(f"{base}/community?year=2026&as_of=2026-11-20&community={picked}&band=25")
        settle(page)
        page.wait_for_selector("text=四项比率指标", timeout=180_000)
        settle(page)
        assert shown_community(page) == picked
        page.screenshot(path=str(ARTIFACTS / "drill-community-1920x1080.png"), full_page=True)
        ranking = page.locator(".js-plotly-plot").last
        ranking.scroll_into_view_if_needed()
        names = ranking.locator(".ytick text").evaluate_all("els => els.map(e => e.textContent)")
        bars = ranking.locator(".bars path")
        bars.first.wait_for(timeout=60_000)  # plotly draws after the script has ended
        names = ranking.locator(".ytick text").evaluate_all("els => els.map(e => e.textContent)")
        assert len(names) == bars.count() > 1  # one bar per community, ticks in the bars' order
        target = next(i for i in range(bars.count()) if names[i] != picked)
        click_bar(page, bars.nth(target))
        settle(page)
        page.wait_for_function(
            "(p) => !new URLSearchParams(location.search).get('community')?.includes(p)", arg=picked, timeout=60_000
        )
        settle(page)
        query = parse_qs(urlparse(page.url).query)
        assert query["community"][0] == names[target] != picked
        assert shown_community(page) == names[target]
        page.screenshot(path=str(ARTIFACTS / "drill-community-switched-1920x1080.png"), full_page=True)
        assert query["band"] == ["25"] and query["year"] == ["2026"]  # the filter bar's view is kept
        assert page.locator("[data-testid='stException']").count() == 0

        # ---- 集体协商: a bar of the wage-increase histogram narrows 签约明细; the button clears it -------
        page.goto(f"{base}/wages?year=2026&as_of=2026-11-20")
        settle(page)
        page.wait_for_selector("text=签约明细", timeout=180_000)
        settle(page)
        histogram = page.locator(".js-plotly-plot", has_text="工资增长幅度分布")
        histogram.scroll_into_view_if_needed()
        labels = histogram.locator(".xtick text").evaluate_all("els => els.map(e => e.textContent)")
        bars = histogram.locator(".bars path")
        bars.first.wait_for(timeout=60_000)
        labels = histogram.locator(".xtick text").evaluate_all("els => els.map(e => e.textContent)")
        assert len(labels) == bars.count() > 1  # one bar per one-point band, ticks in the bars' order
        rows_caption = page.locator("[data-testid='stCaptionContainer']", has_text="共 ").last
        before = rows_caption.inner_text()
        click_bar(page, bars.nth(0))
        settle(page)
        page.wait_for_selector("text=下表只显示", timeout=60_000)
        settle(page)
        note = page.locator("[data-testid='stAlert']", has_text="下表只显示").inner_text()
        low = labels[0].split("–")[0]  # '3–4%' -> the band 3 %–4 %
        assert f"工资增幅 {low}%–" in note and "2026年签订" in note
        after = page.locator("[data-testid='stCaptionContainer']", has_text="共 ").last.inner_text()
        assert after != before  # fewer rows: the band is part of the year
        page.screenshot(path=str(ARTIFACTS / "drill-wages-histogram-1920x1080.png"), full_page=True)
        page.get_by_role("button", name="取消图表筛选").click()
        settle(page)
        page.wait_for_selector("text=下表只显示", state="detached", timeout=60_000)
        assert page.locator("[data-testid='stCaptionContainer']", has_text="共 ").last.inner_text() == before
        assert page.locator("[data-testid='stException']").count() == 0
        browser.close()
