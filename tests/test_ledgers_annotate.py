"""The user's workbook back with problem cells highlighted and commented, layout kept."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from dashboard.ledgers import annotate
from dashboard.ledgers.model import ERROR, WARNING, ParsedFile, ParsedSheet, Problem


def messy_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "企业台账"
    ws["A1"] = "东风社区企业建会情况台账"
    ws.merge_cells("A1:D1")
    ws.append(["序号", "企业名称", "职工人数（人）", "建会情况"])
    ws.append([1, "甲公司", "很多", "是"])
    ws.append([2, "乙公司", 30, "否"])
    ws.column_dimensions["B"].width = 33
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def parsed_with(problems: list[Problem], file_name: str = "东风.xlsx", sheet: str = "企业台账") -> ParsedFile:
    s = ParsedSheet(sheet=sheet, ledger="enterprises", header_row=2, problems=problems)
    return ParsedFile(file_name, "sha", [s])


def test_problem_cells_are_filled_and_commented_and_layout_kept():
    problems = [
        Problem(ERROR, "「职工人数」为“很多”，应为整数。", sheet="企业台账", row=3, column="职工人数（人）"),
        Problem(WARNING, "缺少统一社会信用代码。", sheet="企业台账", row=4, column="企业名称"),
        Problem(WARNING, "这一行与第9行重复。", sheet="企业台账", row=4),  # no column: first cell
        Problem(WARNING, "没有企业名录，无法核对。", sheet="企业台账"),  # no cell at all
    ]
    out = load_workbook(io.BytesIO(annotate.annotate_workbook(messy_workbook(), parsed_with(problems))))
    ws = out["企业台账"]
    assert ws["C3"].fill.fgColor.rgb.endswith("FFC7CE")
    assert "【错误】「职工人数」为“很多”" in ws["C3"].comment.text
    assert ws["B4"].fill.fgColor.rgb.endswith("FFEB9C")
    assert "【提醒】这一行与第9行重复。" in ws["A4"].comment.text
    assert ws["B3"].comment is None
    # The user's layout is theirs: title merge and column width stay.
    assert "A1:D1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.column_dimensions["B"].width == 33
    listing = out[annotate.PROBLEMS_SHEET]
    assert [c.value for c in listing[1]] == ["级别", "工作表", "行号", "列", "问题与处理办法"]
    assert listing.max_row == 5
    assert listing["E5"].value == "没有企业名录，无法核对。"


def test_two_problems_on_one_cell_share_the_comment_and_errors_win():
    problems = [
        Problem(WARNING, "提醒一。", sheet="企业台账", row=3, column="企业名称"),
        Problem(ERROR, "错误一。", sheet="企业台账", row=3, column="企业名称"),
    ]
    ws = load_workbook(io.BytesIO(annotate.annotate_workbook(messy_workbook(), parsed_with(problems))))["企业台账"]
    assert ws["B3"].comment.text == "【提醒】提醒一。\n【错误】错误一。"
    assert ws["B3"].fill.fgColor.rgb.endswith("FFC7CE")


def test_csv_comes_back_as_a_workbook():
    data = "企业名称,职工人数\n甲公司,很多\n".encode("gb18030")
    problems = [Problem(ERROR, "应为整数。", sheet="东风", row=2, column="职工人数")]
    out = load_workbook(io.BytesIO(annotate.annotate_workbook(data, parsed_with(problems, "东风.csv", "东风"))))
    assert out["东风"]["B2"].value == "很多"
    assert out["东风"]["B2"].comment.text == "【错误】应为整数。"
    assert annotate.annotated_file_name("东风.csv") == "东风（问题标注）.xlsx"
