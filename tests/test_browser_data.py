"""As a person would: upload a messy community ledger on the 数据管理 page in Debian's chromium,
see the preview and the problems, commit it, find it in the history and undo it."""

from __future__ import annotations

import duckdb
import openpyxl
import pytest
from playwright.sync_api import sync_playwright

from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, settle, streamlit_server

pytestmark = pytest.mark.browser


def messy_ledger(path) -> None:
    """A community's own registry as cadres keep it: title, unit line, two-row merged header, 序号,
    full-width digits, a unit in a cell, a bad row, a 合计 row and a footer; no 社区 column."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2026年"
    ws.append(["东风社区企业建会情况台账"])
    ws.append(["填报单位：东风社区工会联合会", None, None, None, "填报日期：2026年11月"])
    ws.append(["序号", "企业基本情况", None, "职工人数（人）", "建会情况", "建会时间"])
    ws.append([None, "企业名称", "统一社会信用代码", None, None, None])
    ws.merge_cells("B3:C3")
    for col in ("A", "D", "E", "F"):
        ws.merge_cells(f"{col}3:{col}4")
    ws.append([1, "甲 公司", "", "５６人", "已建", "2026年3月5日"])
    ws.append([2, "乙公司", "", "30", "否", None])
    ws.append([3, "丙公司", "", "很多", "是", "2020/1/8"])  # not a number: rejected
    ws.append([None, None, None, None, None, None])
    ws.append(["合计", None, None, "86", None, None])
    ws.append(["填报人：张三", None, "审核人：李四", None, "填报日期：2026.11.20"])
    wb.save(path)


def test_upload_preview_commit_and_undo_in_chromium(tmp_path):
    db_path = tmp_path / "data.duckdb"
    upload = tmp_path / "东风社区台账.xlsx"
    messy_ledger(upload)
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
        page.wait_for_selector("text=导入预览", timeout=60_000)
        settle(page)
        main = page.inner_text("[data-testid='stMain']")
        page.screenshot(path=str(ARTIFACTS / "data-preview-1280.png"), full_page=True)
        assert "东风社区" in main  # the community came from the title, for the user to confirm
        assert "错误 1 个" in main  # 丙公司's staff count

        page.get_by_role("button", name="确认导入").click()
        page.wait_for_selector("text=已导入批次", timeout=60_000)
        settle(page)
        page.screenshot(path=str(ARTIFACTS / "data-committed-1280.png"), full_page=True)

        page.get_by_role("tab", name="导入记录与撤销").click()
        page.wait_for_selector("text=撤销一个批次", timeout=30_000)
        page.locator("[data-testid='stCheckbox'] label").filter(has_text="我确认要撤销").click()
        settle(page)
        page.screenshot(path=str(ARTIFACTS / "data-history-1280.png"), full_page=True)
        page.get_by_role("button", name="撤销所选批次").click()
        settle(page)
        page.screenshot(path=str(ARTIFACTS / "data-undone-1280.png"), full_page=True)
        exceptions = page.locator("[data-testid='stException']").count()
        browser.close()

    assert exceptions == 0
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        batches = con.execute("select file_name, rows_added, rows_rejected, status from import_batches").fetchall()
        names = con.execute("select name from enterprises").fetchall()
        current = con.execute("select count(*) from v_enterprises").fetchone()[0]
    finally:
        con.close()
    assert batches == [("东风社区台账.xlsx", 2, 1, "undone")]
    assert names == []  # undo removed the batch's rows; the batch record stays, marked undone
    assert current == 0
