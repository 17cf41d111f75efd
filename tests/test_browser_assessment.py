"""考核评比 in chromium on the sample street: the ranking, and a community's lines (得分明细) opened by
clicking its ranking row; the lines add up to the score the ranking shows."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import sync_playwright

from tests.browser import ARTIFACTS, sample_page, settle

pytestmark = pytest.mark.browser

ROW = 35  # the grid's header and row height in pixels


def lines_caption(page) -> str:
    return page.locator("[data-testid='stCaptionContainer']").filter(has_text="下表“得分贡献”之和").inner_text()


def test_assessment_lines_in_chromium_on_sample_street(sample_server):
    ARTIFACTS.mkdir(exist_ok=True)
    base = sample_server
    with sync_playwright() as p:
        browser, page = sample_page(p, base, "assessment", "得分明细")
        first = lines_caption(page)
        page.screenshot(path=str(ARTIFACTS / "assessment-1920x1080.png"), full_page=True)
        # click the second ranking row's selection box (the grid's leftmost column)
        box = page.locator("[data-testid='stDataFrame']").first.bounding_box()
        page.mouse.click(box["x"] + 14, box["y"] + ROW + ROW + ROW / 2)
        settle(page)
        page.wait_for_function(
            "(first) => [...document.querySelectorAll(\"[data-testid='stCaptionContainer']\")]"
            ".some(e => e.innerText.includes('得分贡献”之和') && !e.innerText.includes(first))",
            arg=first.split("：")[0],
            timeout=60_000,
        )
        second = lines_caption(page)
        page.set_viewport_size({"width": 1920, "height": 2000})  # the lines below the ranking, in one picture
        settle(page)
        page.screenshot(path=str(ARTIFACTS / "assessment-lines-1920x1080.png"), full_page=True)
        body = page.inner_text("[data-testid='stMain']")
        exceptions = page.locator("[data-testid='stException']").count()
        browser.close()
    assert exceptions == 0
    assert "管理员可在「管理员」页调整权重" in body and "[assessment]" not in body
    assert first.split("：")[0] != second.split("：")[0]  # another community's lines after the click
    assert re.search(r"得分 \d+\.\d\d = 下表“得分贡献”之和", second)
