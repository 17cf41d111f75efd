"""Excel/CSV export: one sheet per table, styled header, widths, no formula injection, masking."""

import csv
import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from dashboard.export import mask_personal, to_csv_bytes, to_excel_bytes

DANGEROUS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1", '=HYPERLINK("http://x","点我")']


def read_book(raw: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(raw))


def test_one_sheet_per_table_with_header_and_values():
    frames = {
        "应建未建名单": pd.DataFrame({"企业名称": ["甲公司", "乙公司"], "职工人数": [120, 25]}),
        "入会率": pd.DataFrame({"社区": ["东风社区"], "入会率": [0.875], "日期": [date(2026, 3, 5)]}),
    }
    wb = read_book(to_excel_bytes(frames))
    assert wb.sheetnames == ["应建未建名单", "入会率"]
    ws = wb["应建未建名单"]
    assert [c.value for c in ws[1]] == ["企业名称", "职工人数"]
    assert [c.value for c in ws[3]] == ["乙公司", 25]
    assert ws["B2"].data_type == "n"
    assert ws["A1"].font.bold
    assert ws.freeze_panes == "A2"
    # "企业名称" is 4 wide characters = 8 columns; plus 2 of padding
    assert ws.column_dimensions["A"].width == pytest.approx(10, abs=1)
    ws2 = wb["入会率"]
    assert ws2["B2"].value == 0.875
    assert ws2["C2"].value.date() == date(2026, 3, 5)


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_like_text_is_written_as_text(text):
    wb = read_book(to_excel_bytes({"表": pd.DataFrame({"名称": [text]})}))
    cell = wb["表"]["A2"]
    assert cell.data_type == "s"  # a string cell, never a formula ('f')
    # xlsxwriter stores a carriage return as the OOXML escape _x000D_, which Excel reads back as \r
    assert cell.value.replace("_x000D_", "\r") == text
    assert cell.quotePrefix  # Excel keeps it text even when the cell is edited


def test_formula_like_header_is_text_too():
    wb = read_book(to_excel_bytes({"表": pd.DataFrame({"=1+1": ["x"]})}))
    assert wb["表"]["A1"].data_type == "s"


def test_sheet_names_are_made_valid_and_unique():
    long = "很长的表名" * 8
    frames = {"a/b": pd.DataFrame({"x": [1]}), long: pd.DataFrame({"x": [1]}), long + "2": pd.DataFrame({"x": [1]})}
    names = read_book(to_excel_bytes(frames)).sheetnames
    assert names[0] == "a_b"
    assert len(names[1]) == 31 and len(names[2]) == 31
    assert names[1] != names[2]


def test_missing_values_are_blank():
    frame = pd.DataFrame({"a": [None, "x"], "b": [float("nan"), 1.0]})
    ws = read_book(to_excel_bytes({"t": frame}))["t"]
    assert ws["A2"].value is None and ws["B2"].value is None
    assert ws["A3"].value == "x" and ws["B3"].value == 1


def test_csv_has_bom_and_guards_formulas():
    frame = pd.DataFrame({"企业名称": ["=1+1", "甲公司", "@x"], "职工人数": [-5, 25, 30]})
    raw = to_csv_bytes(frame)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["企业名称", "职工人数"]
    assert rows[1] == ["'=1+1", "-5"]  # numbers stay numbers, even negative ones
    assert rows[2] == ["甲公司", "25"]
    assert rows[3] == ["'@x", "30"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_guards_every_formula_start_in_text_and_mixed_columns(text):
    frame = pd.DataFrame(
        {
            "文本": pd.array([text, None, "甲"], dtype="str"),  # pandas' str dtype, with a missing cell
            "混合": [text, 12, None],  # object: a number and a missing cell stay as they are
            "日期": [date(2026, 1, 1), text, None],
        }
    )
    rows = list(csv.reader(io.StringIO(to_csv_bytes(frame).decode("utf-8-sig"), newline="")))
    assert [r[0] for r in rows[1:]] == ["'" + text, "", "甲"]
    assert [r[1] for r in rows[1:]] == ["'" + text, "12", ""]
    assert [r[2] for r in rows[1:]] == ["2026-01-01", "'" + text, ""]
    assert frame["混合"].tolist()[0] == text  # the caller's frame is not changed


def test_csv_cells_with_line_breaks_stay_in_their_row():
    frame = pd.DataFrame({"备注": ["东风社区\r", "第一行\r\n第二行", "甲\n乙"], "n": [1, 2, 3]})
    rows = list(csv.reader(io.StringIO(to_csv_bytes(frame).decode("utf-8-sig"), newline="")))
    assert rows == [["备注", "n"], ["东风社区\r", "1"], ["第一行\r\n第二行", "2"], ["甲\n乙", "3"]]


def test_mask_personal_by_field_name_and_chinese_header():
    frame = pd.DataFrame(
        {
            "name": ["甲公司"],
            "union_chair": ["王小明"],
            "联系电话": ["13812345678"],
            "身份证号": ["12010119900101123X"],
            "employees": [30],
        }
    )
    out = mask_personal(frame)
    assert out.iloc[0].tolist() == ["甲公司", "王**", "138****5678", "1201**********123X", 30]
    assert frame.loc[0, "union_chair"] == "王小明"  # the input is untouched


def test_a_table_longer_than_a_sheet_continues_on_the_next_sheets(monkeypatch):
    import dashboard.export as export

    monkeypatch.setattr(export, "MAX_SHEET_ROWS", 3)
    long_name = "表" * 31
    frames = {"名单": pd.DataFrame({"序号": range(1, 8)}), long_name: pd.DataFrame({"x": range(4)})}
    wb = read_book(to_excel_bytes(frames))
    assert wb.sheetnames == ["名单", "名单(续2)", "名单(续3)", long_name, "表" * 27 + "(续2)"]
    parts = [[row[0] for row in wb[name].iter_rows(values_only=True)] for name in wb.sheetnames[:3]]
    # every part has the header, and the rows 1..7 in order, none lost or repeated
    assert parts == [["序号", 1, 2, 3], ["序号", 4, 5, 6], ["序号", 7]]
    assert all(wb[name].freeze_panes == "A2" for name in wb.sheetnames)
    assert [row[0] for row in wb[wb.sheetnames[4]].iter_rows(values_only=True)] == ["x", 3]


def test_the_sheet_limit_is_excels():
    # xlsxwriter (like Excel) has rows 0..1,048,575: the header and MAX_SHEET_ROWS rows, and no more
    import xlsxwriter

    from dashboard.export import MAX_SHEET_ROWS

    with xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True}) as wb:
        ws = wb.add_worksheet()
        assert ws.write_number(MAX_SHEET_ROWS, 0, 1) == 0
        assert ws.write_number(MAX_SHEET_ROWS + 1, 0, 1) == -1


def test_an_empty_table_is_a_sheet_with_its_header():
    wb = read_book(to_excel_bytes({"空": pd.DataFrame({"企业名称": []})}))
    assert [[c.value for c in row] for row in wb["空"].iter_rows()] == [["企业名称"]]


def _cells(raw: bytes) -> list:
    ws = read_book(raw).active
    cells = [(c.coordinate, c.value, c.data_type, c.quotePrefix, c.number_format) for r in ws.iter_rows() for c in r]
    widths = {k: round(d.width) for k, d in ws.column_dimensions.items()}
    return [cells, widths, ws.freeze_panes, ws.row_dimensions[1].height]


def test_large_workbooks_are_written_row_by_row_with_the_same_cells(monkeypatch):
    from decimal import Decimal

    import numpy as np

    import dashboard.export as export

    frame = pd.DataFrame(
        {
            "名称": ["甲公司", "=1+1", None, "乙"],
            "金额": [1.5, float("nan"), 3.0, 4.25],
            "人数": pd.array([25, None, 7, 8], dtype="Int64"),
            "是否": [True, False, None, True],
            "日期": [date(2026, 3, 5), None, date(2026, 1, 1), date(2025, 12, 31)],
            "时间": pd.to_datetime(["2026-03-05", None, "2026-01-01", "2025-12-31"]),
            "其他": [Decimal("2.50"), np.int64(3), pd.NA, "很长的文字" * 20],
        }
    )
    small = to_excel_bytes({"表": frame})
    monkeypatch.setattr(export, "CONSTANT_MEMORY_CELLS", 0)
    large = to_excel_bytes({"表": frame})
    assert small != large  # written the other way (inline strings)...
    assert _cells(large) == _cells(small)  # ...to the same cells, formats and widths
    cells = {c[0]: c[1:] for c in _cells(large)[0]}
    assert cells["A3"][0] == "=1+1" and cells["A3"][2]  # guarded text
    assert cells["D2"][0] == "是" and cells["D3"][0] == "否"
    assert cells["B3"][0] is None and cells["C3"][0] is None and cells["G4"][0] is None
    assert cells["G2"][0] == 2.5 and cells["G3"][0] == 3
    assert _cells(large)[1]["G"] == pytest.approx(export.MAX_COLUMN_WIDTH, abs=1)  # long text: the widest column


def test_cells_holding_lists_are_written_as_text():
    frame = pd.DataFrame({"台账": [["enterprises", "aid"], ["disputes"]], "n": [1, 2]})
    ws = read_book(to_excel_bytes({"t": frame}))["t"]
    assert ws["A2"].value == "['enterprises', 'aid']" and ws["A3"].value == "['disputes']"


def test_csv_writes_yes_no_in_chinese_and_blanks_for_missing():
    """True/False reached the plan's CSV downloads in English; the workbook already said 是/否."""
    frame = pd.DataFrame(
        {"已完成": [True, False], "有报告": pd.array([True, None], dtype="boolean"), "得分": [1.5, None]}
    )
    text = to_csv_bytes(frame).decode("utf-8-sig")
    assert text.split("\r\n")[1:3] == ["是,是,1.5", "否,,"]
    assert "True" not in text and "False" not in text and "nan" not in text


def test_numbers_get_number_formats_and_stay_numbers():
    frame = pd.DataFrame(
        {
            "企业名称": ["甲", "乙"],
            "涉及金额（元）": [124200, 800.5],
            "职工人数": [1234, 25],
            "任务进度": [0.5, 1.0],
            "工资增幅（%）": [5.0, 3.5],
            "创建年度": [2026, 2025],
        }
    )
    ws = read_book(to_excel_bytes({"表": frame})).active
    row = {ws.cell(1, j).value: ws.cell(2, j) for j in range(1, 7)}
    assert row["涉及金额（元）"].value == 124200 and row["涉及金额（元）"].number_format == "#,##0.00"
    assert row["职工人数"].value == 1234 and row["职工人数"].number_format == "#,##0"
    assert row["任务进度"].value == 0.5 and row["任务进度"].number_format == "0.0%"
    assert row["工资增幅（%）"].number_format == "0.0"  # points: 5 means 5 %, not 500 %
    assert row["创建年度"].value == 2026 and row["创建年度"].number_format == "General"  # not 2,026
    assert row["企业名称"].data_type == "s"
