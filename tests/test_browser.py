"""As a person would: a real `streamlit run` on the embedded sample street, opened in Debian's chromium.

The first start imports the sample ledgers (the whole import pipeline), then the overview must show
U1 with the same value the metrics CLI computes from that database, and its target.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from playwright.sync_api import sync_playwright

from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ROOT, settle, streamlit_server

pytestmark = pytest.mark.browser


def test_overview_in_chromium_on_sample_street(tmp_path):
    db_path = tmp_path / "browser.duckdb"
    ARTIFACTS.mkdir(exist_ok=True)
    with (
        streamlit_server({"UNION_DASHBOARD_DB": str(db_path)}, tmp_path / "server.log") as base,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{base}/?year=2026&as_of=2026-11-20")
        settle(page)
        page.wait_for_selector("text=25人以上企业独立建会率（U1）", timeout=120_000)
        settle(page)
        page.screenshot(path=str(ARTIFACTS / "overview-1920x1080.png"), full_page=True)
        body = page.inner_text("[data-testid='stMain']")
        exceptions = page.locator("[data-testid='stException']").count()
        browser.close()

    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "dashboard",
            "metrics",
            "--year",
            "2026",
            "--as-of",
            "2026-11-20",
            "--db",
            str(db_path),
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout)
    u1 = result["U1"]
    assert exceptions == 0
    assert result["U2"]["denominator"] > 1000  # the sample street was imported on first start
    assert f"{u1['rate']:.1f}%" in body
    expected_gap = "已达标" if u1["gap"] == 0 else f"还差 {u1['gap']} 家"
    assert f"目标 95% · {expected_gap}" in body
