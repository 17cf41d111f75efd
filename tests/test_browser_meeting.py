"""会议模式 in a real chromium on the sample street: every slide screenshotted at 1280×720 (and checked at
1920×1080), no scrolling, pages turned by the keys a keyboard and a presenter's clicker send."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, settle

pytestmark = pytest.mark.browser

KEYS = [
    "slide",
    "scorecard",
    "union",
    "wage",
    "harmony",
    "aid",
    "dispute",
    "behind",
    "plan",
    "submissions",
    "highlights",
]
SCROLL = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const slide = document.querySelector('.ms');
  return {doc: document.documentElement.scrollHeight, main: main.scrollHeight, view: window.innerHeight,
          slide: slide.scrollHeight, slideBox: slide.clientHeight};
}"""


def current(page) -> str:
    return page.locator(".ms").get_attribute("data-slide")


def test_meeting_slides_fit_and_turn_by_keys(sample_server):
    ARTIFACTS.mkdir(exist_ok=True)
    base = sample_server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width, height in ((1280, 720), (1920, 1080)):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(f"{base}/meeting?year=2026&month=10&slide=1")
            settle(page)
            page.wait_for_selector(".ms", timeout=180_000)
            settle(page)
            assert page.locator("[data-testid='stSidebar']").is_hidden()
            assert page.locator("[data-testid='stHeader']").is_hidden()
            seen = []
            for i in range(10):
                seen.append(current(page))
                m = page.evaluate(SCROLL)
                # nothing below the fold, and the slide's content fits its box
                assert m["doc"] <= m["view"] and m["main"] <= m["view"], (seen[-1], m)
                assert m["slide"] <= m["slideBox"] + 1, (seen[-1], m)
                if width == 1280:
                    page.screenshot(path=str(ARTIFACTS / f"meeting-{i + 1}-{seen[-1]}-1280x720.png"))
                page.keyboard.press("ArrowRight" if i % 2 == 0 else "PageDown")
                settle(page)
            assert seen == KEYS[1:]
            assert current(page) == "highlights"  # no page after the last
            page.keyboard.press("ArrowLeft")
            settle(page)
            assert current(page) == "submissions"
            page.keyboard.press("PageUp")
            settle(page)
            assert current(page) == "plan"
            assert page.locator("[data-testid='stException']").count() == 0
            page.close()
        browser.close()
