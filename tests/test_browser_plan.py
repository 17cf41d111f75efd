"""工作计划 in chromium on the sample street: the sample's import (dashboard.sample, the first start's) takes
工作计划台账.xlsx with the other ledgers, and every duty of the plan shows data."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from tests.browser import ARTIFACTS, grid_text, sample_page

pytestmark = pytest.mark.browser


def test_plan_page_in_chromium_on_sample_street(sample_server):
    ARTIFACTS.mkdir(exist_ok=True)
    base = sample_server
    with sync_playwright() as p:
        browser, page = sample_page(p, base, "plan", "四、工会干部队伍建设")
        page.screenshot(path=str(ARTIFACTS / "plan-1920x1080.png"), full_page=True)
        body = page.inner_text("[data-testid='stMain']")
        books = page.locator("[data-testid='stExpander']").filter(has_text="建立“职工书屋”")
        grid = grid_text(books.locator("[data-testid='stDataFrame']").first)  # the grid's a11y cells
        exceptions = page.locator("[data-testid='stException']").count()
        browser.close()
    assert exceptions == 0
    for heading in ("三、基础工作规范化建设", "五、职工文化生活与技能", "七、职工队伍维稳（再就业）"):
        assert heading in body
    assert "还没有工作计划台账数据" not in body
    # the sample's story (data/README.md): 新华 has no 职工书屋; who is behind is a table, not a text wall
    assert "新华社区" in grid and "已完成 0/1 个" in grid, grid
