"""Blank ledger templates: one workbook per ledger for communities to fill new ledgers right.

Chinese headers from dashboard.spec, a comment on each header saying what goes in the column, and
dropdowns (data validation) on the vocabulary and yes/no columns. The choices live on a hidden
「选项」 sheet because Excel limits an inline list to 255 characters (the industry list is longer).
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from dashboard import spec

OPTIONS_SHEET = "选项"
GUIDE_SHEET = "填表说明"
DATA_ROWS = 1000  # rows covered by the dropdowns

_KIND_HINTS = {
    spec.TEXT: "文字。",
    spec.INT: "整数，如 56（不要写单位）。",
    spec.AMOUNT: "金额，单位元，如 1200。",
    spec.NUMBER: "数字，0–100。",
    spec.PERCENT: "百分比，如 5% 或 5。",
    spec.DATE: "日期，如 2026-03-05。",
    spec.YEAR: "年份，如 2026。",
    spec.BOOL: "从下拉列表选择“是”或“否”。",
    spec.VOCAB: "从下拉列表选择。",
    spec.USCC: "18位统一社会信用代码（数字和大写字母）。",
    spec.ID_NUMBER: "18位身份证号码。",
    spec.COMMUNITY: "社区名称，如 东风社区。",
}

_EXTRA_HINTS = {
    "employees": "填报时的在岗职工总数。",
    "migrant_workers": "不大于职工人数。",
    "union_members": "不大于职工人数。",
    "union_founded": "已建会的必须填写。",
    "agreement_name": "行业性、区域性协议必须填写协议名称。",
    "expires_on": "不填则按签订日期起一年计算。",
    "jobs_offered": "只在“春送岗位”活动填写。",
    "workers": "10人及以上为集体争议。",
    "closed_on": "未结案不填。",
    "case_no": "街道内不重复。",
}


def column_comment(f: spec.Field) -> str:
    parts = [f"{f.label}：{_KIND_HINTS.get(f.kind, '')}"]
    if f.required:
        parts.append("必填。")
    if f.name in _EXTRA_HINTS:
        parts.append(_EXTRA_HINTS[f.name])
    if f.kind == spec.VOCAB and f.vocab:
        parts.append("可选：" + "、".join(spec.VOCABULARIES[f.vocab]) + "。")
    if f.personal:
        parts.append("个人信息，仅限工作使用。")
    return "".join(parts)


def _choices(f: spec.Field) -> list[str] | None:
    if f.kind == spec.VOCAB and f.vocab:
        return list(spec.VOCABULARIES[f.vocab])
    if f.kind == spec.BOOL:
        return ["是", "否"]
    return None


def template_workbook(ledger_name: str) -> bytes:
    """The blank template of one ledger as .xlsx bytes."""
    ledger = spec.LEDGERS[ledger_name]
    wb = Workbook()
    ws = wb.active
    ws.title = ledger.label[:31]
    options = wb.create_sheet(OPTIONS_SHEET)
    options.sheet_state = "hidden"
    guide = wb.create_sheet(GUIDE_SHEET)

    header_fill = PatternFill("solid", fgColor="DDEBF7")
    required_font = Font(bold=True, color="C00000")
    option_col = 0
    for col, f in enumerate(ledger.fields, start=1):
        cell = ws.cell(row=1, column=col, value=f.label)
        cell.fill = header_fill
        cell.font = required_font if f.required else Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.comment = Comment(column_comment(f), "工会工作数据看板", width=260, height=120)
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = max(12, 2.2 * len(f.label) + 4)
        rng = f"{letter}2:{letter}{DATA_ROWS + 1}"
        if f.kind == spec.DATE:
            for row in ws.iter_rows(min_row=2, max_row=DATA_ROWS + 1, min_col=col, max_col=col):
                row[0].number_format = "yyyy-mm-dd"
        if f.kind in (spec.USCC, spec.ID_NUMBER, spec.TEXT):
            # Text format keeps long codes from turning into 1.2E+17.
            for row in ws.iter_rows(min_row=2, max_row=DATA_ROWS + 1, min_col=col, max_col=col):
                row[0].number_format = "@"
        choices = _choices(f)
        if choices:
            option_col += 1
            opt_letter = get_column_letter(option_col)
            # No header row here: the importer must not mistake this sheet for a ledger.
            for i, value in enumerate(choices, start=1):
                options.cell(row=i, column=option_col, value=value)
            source = f"{quote_sheetname(OPTIONS_SHEET)}!${opt_letter}$1:${opt_letter}${len(choices)}"
            dv = DataValidation(type="list", formula1=source, allow_blank=True)
            dv.error = f"请从下拉列表中选择{f.label}。"
            dv.errorTitle = "输入有误"
            dv.prompt = column_comment(f)[:255]
            dv.showErrorMessage = True
            ws.add_data_validation(dv)
            dv.add(rng)
    ws.freeze_panes = "A2"

    guide["A1"] = f"{ledger.label} 填表说明"
    guide["A1"].font = Font(bold=True, size=14)
    guide["A2"] = "红色加粗的列为必填项。每行一条记录；不要合并单元格，不要在表格中间插入合计行。"
    guide["A3"] = "把鼠标放在表头上可以看到每一列的填写要求。"
    for i, f in enumerate(ledger.fields, start=5):
        guide.cell(row=i, column=1, value=f.label)
        guide.cell(row=i, column=2, value=column_comment(f))
    guide.column_dimensions["A"].width = 20
    guide.column_dimensions["B"].width = 90

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_file_name(ledger_name: str) -> str:
    return f"{spec.LEDGERS[ledger_name].label}（模板）.xlsx"
