"""口径说明 in Debian's chromium: hovering a KPI card's ⓘ shows its definition (spec.INDICATORS) and when its
ledgers were last imported. Screenshots with the tooltip open go to test-artifacts/explain-<page>.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from dashboard import spec
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, settle, streamlit_server
from tests.conftest import database_copy
from tests.small_street import build_small_street

pytestmark = pytest.mark.browser
QUERY = "year=2026&as_of=2026-06-30"

# page URL -> the card hovered (its label) and the indicator it names
CARDS = {
    "": ("25人以上企业独立建会率（U1）", "U1"),
    "unionization": ("新增建会（U3）", "U3"),
    "wages": ("建会企业工资集体协商签约率（W1）", "W1"),
    "disputes": ("调解成功率", "D1.success"),
    "aid": ("发放金额", "A1"),
}


def test_hovering_a_card_shows_its_definition(tmp_path: Path):
    db_path = database_copy(tmp_path / "explain.duckdb", build_small_street)
    ARTIFACTS.mkdir(exist_ok=True)
    env = {"UNION_DASHBOARD_DB": str(db_path), "UNION_DASHBOARD_NO_SAMPLE": "1"}
    with streamlit_server(env, tmp_path / "server.log") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for url, (label, code) in CARDS.items():
            page.goto(f"{base}/{url}?{QUERY}")
            page.wait_for_selector("[data-testid='stMetric']", timeout=180_000)
            settle(page)
            card = page.locator("[data-testid='stMetric']", has_text=label).first
            card.scroll_into_view_if_needed()
            card.locator("[data-testid='stTooltipHoverTarget']").first.hover()
            tip = page.locator("[data-testid='stTooltipContent']").first
            tip.wait_for(timeout=30_000)
            text = tip.inner_text()
            indicator = spec.INDICATORS[code]
            assert indicator.name in text, (url, text)
            assert indicator.numerator in text and indicator.rule in text, (url, text)
            if indicator.denominator:
                assert indicator.denominator in text, (url, text)
            assert "最近导入：" in text and all(lg in text for lg in indicator.ledger_labels), (url, text)
            page.wait_for_timeout(800)  # the tooltip fades in: the screenshot shows it whole
            page.screenshot(path=str(ARTIFACTS / f"explain-{url or 'overview'}.png"))
            page.mouse.move(0, 0)
            page.wait_for_timeout(300)
        browser.close()
