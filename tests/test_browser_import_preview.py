"""In Debian's chromium against a real `streamlit run`: a registry re-upload on 数据管理 shows which rows
it adds, removes and changes, the filter by kind, the indicator impact and the mass-removal checkbox."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from dashboard import db, scope
from dashboard.ledgers import load
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, settle, streamlit_server
from tests.test_import_preview_cli import AGAIN, FIRST
from tests.test_ledgers_cli import write_workbook

pytestmark = pytest.mark.browser


def test_a_reupload_lists_what_changes_in_chromium(tmp_path):
    db_path = tmp_path / "data.duckdb"
    first = write_workbook(tmp_path / "东风名录.xlsx", FIRST)
    upload = write_workbook(tmp_path / "东风名录（更新）.xlsx", AGAIN)
    with scope.using(scope.ALL), db.connect(db_path) as con:
        assert load.import_files(con, [first], archive=tmp_path / "archive")[0].status == "imported"
    ARTIFACTS.mkdir(exist_ok=True)
    env = {
        "UNION_DASHBOARD_DB": str(db_path),
        "UNION_DASHBOARD_NO_SAMPLE": "1",
        "UNION_DASHBOARD_ARCHIVE": str(tmp_path / "archive"),
    }
    with streamlit_server(env, tmp_path / "server.log") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        page.goto(f"{base}/data")
        settle(page)
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(upload))
        page.wait_for_selector("text=变化明细", timeout=60_000)
        settle(page)
        page.screenshot(path=str(ARTIFACTS / "data-diff-1280.png"), full_page=True)
        main = page.inner_text("[data-testid='stMain']")
        assert "新增 1 行，修改 2 行，移除 1 行" in main
        assert "对指标的影响" in main
        assert "东风社区移除 1 家（现有 4 家）" in main
        assert page.get_by_role("button", name="确认导入").is_disabled()  # until the removal is confirmed
        grids = page.locator("[data-testid='stDataFrame']")
        assert grids.count() >= 3  # plan, changes, impact

        page.locator("[data-testid='stRadio'] label").filter(has_text="修改").first.click()
        settle(page)
        page.screenshot(path=str(ARTIFACTS / "data-diff-changed-1280.png"), full_page=True)
        page.locator("[data-testid='stCheckbox'] label").filter(has_text="确认移除").click()
        settle(page)
        assert page.get_by_role("button", name="确认导入").is_enabled()
        exceptions = page.locator("[data-testid='stException']").count()
        browser.close()
    assert exceptions == 0
