"""Blank templates: Chinese headers, a comment per column, dropdowns on vocabulary columns."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from dashboard import spec
from dashboard.ledgers import template


@pytest.mark.parametrize("ledger", list(spec.LEDGERS))
def test_template_has_every_field_with_a_comment(ledger):
    wb = load_workbook(io.BytesIO(template.template_workbook(ledger)))
    ws = wb.worksheets[0]
    fields = spec.LEDGERS[ledger].fields
    assert [c.value for c in ws[1]] == [f.label for f in fields]
    for cell, f in zip(ws[1], fields, strict=True):
        assert cell.comment is not None and cell.comment.text.startswith(f.label)
    assert wb[template.OPTIONS_SHEET].sheet_state == "hidden"


def test_enterprise_template_dropdowns_list_the_vocabularies():
    wb = load_workbook(io.BytesIO(template.template_workbook("enterprises")))
    ws, options = wb.worksheets[0], wb[template.OPTIONS_SHEET]
    by_column = {}
    for dv in ws.data_validations.dataValidation:
        ref = str(dv.sqref).split(":")[0]
        by_column[ref.rstrip("0123456789")] = dv
    labels = {c.value: c.column_letter for c in ws[1]}
    # 所属行业, 经营状态, 建会情况 have dropdowns; 企业名称 and 职工人数 do not.
    assert set(by_column) == {labels["所属行业"], labels["经营状态"], labels["建会情况"]}
    status = by_column[labels["经营状态"]]
    assert status.type == "list" and status.formula1.startswith("'选项'!$")
    col = status.formula1.split("!$")[1].split("$")[0]
    values = [c.value for c in options[col] if c.value is not None]
    assert values == ["正常经营", "停产", "歇业", "注销", "迁出"]
    assert str(status.sqref) == f"{labels['经营状态']}2:{labels['经营状态']}{template.DATA_ROWS + 1}"


def test_yes_no_column_offers_yes_and_no():
    wb = load_workbook(io.BytesIO(template.template_workbook("wage_agreements")))
    ws, options = wb.worksheets[0], wb[template.OPTIONS_SHEET]
    filed = next(c.column_letter for c in ws[1] if c.value == "是否审查备案")
    dv = next(d for d in ws.data_validations.dataValidation if str(d.sqref).startswith(filed + "2"))
    col = dv.formula1.split("!$")[1].split("$")[0]
    assert [c.value for c in options[col] if c.value is not None] == ["是", "否"]


def test_comment_says_required_and_choices():
    text = template.column_comment(spec.ENTERPRISES.field("union_status"))
    assert text.startswith("建会情况：") and "独立建会、联合建会、未建会" in text
    assert "必填" in template.column_comment(spec.ENTERPRISES.field("employees"))
    assert template.template_file_name("aid") == "帮扶救助台账（模板）.xlsx"
