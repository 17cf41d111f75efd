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
