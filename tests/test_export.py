"""Excel/CSV export: one sheet per table, styled header, widths, no formula injection, masking."""

import csv
import io
import math
from datetime import date

import numpy as np
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


def _value(v, inline: bool):
    """A cell's value as read, comparable across writers: openpyxl undoes Excel's _xHHHH_ escapes in
    shared strings (xlsxwriter's) but not in inline ones (ours), and xlsxwriter writes 16 significant
    digits, we 17."""
    from openpyxl.utils.escape import unescape

    if isinstance(v, str):
        return unescape(v) if inline else v
    if isinstance(v, float):
        return float(f"{v:.15g}")
    return v


def _cells(raw: bytes, *, inline: bool = True) -> list:
    ws = read_book(raw).active
    cells = [
        (c.coordinate, _value(c.value, inline), c.data_type, c.quotePrefix, c.number_format)
        for r in ws.iter_rows()
        for c in r
        if c.value is not None or c.data_type != "n"  # openpyxl fills the grid with empty cells
    ]
    widths = {k: round(d.width) for k, d in ws.column_dimensions.items()}
    return [cells, widths, ws.freeze_panes, ws.row_dimensions[1].height]


def _reference_workbook(frame: pd.DataFrame) -> bytes:
    """The workbook as to_excel_bytes wrote it before issue 21 (xlsxwriter, a write_* call a cell): the
    oracle the streamed sheets are held to."""
    from datetime import datetime

    import xlsxwriter

    from dashboard import export
    from dashboard.formatting import EXCEL_FORMATS, number_kind

    buf = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with xlsxwriter.Workbook(buf, options) as wb:
        header = wb.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"}
        )
        guarded, date_fmt = wb.add_format({"quote_prefix": True}), wb.add_format({"num_format": "yyyy-mm-dd"})
        numbers = {kind: wb.add_format({"num_format": f}) for kind, f in EXCEL_FORMATS.items()}
        ws = wb.add_worksheet("表")
        ws.set_row(0, 24)
        for j, col in enumerate(frame.columns):
            ws.write_string(0, j, str(col), header)
        fmts = [numbers.get(number_kind(col, frame.iloc[:, j])) for j, col in enumerate(frame.columns)]
        for i, row in enumerate(frame.itertuples(index=False, name=None), start=1):
            for j, v in enumerate(row):
                if isinstance(v, (bool, np.bool_)):
                    ws.write_string(i, j, "是" if v else "否")
                elif export._is_missing(v) or (isinstance(v, float) and not math.isfinite(v)):
                    continue
                elif isinstance(v, (datetime, date)):
                    stamp = pd.Timestamp(v).to_pydatetime()
                    ws.write_datetime(i, j, stamp, date_fmt)
                elif isinstance(v, str):
                    if v:  # an empty text is no cell now, as a missing value (the CSV writes both as nothing)
                        ws.write_string(i, j, v, guarded if export.is_formula_like(v) else None)
                elif hasattr(v, "__float__"):
                    ws.write_number(i, j, float(v), fmts[j])
                else:
                    ws.write_string(i, j, str(v), guarded if export.is_formula_like(str(v)) else None)
        for j, col in enumerate(frame.columns):
            ws.set_column(j, j, export._column_width(col, frame.iloc[:, j]))
        ws.freeze_panes(1, 0)
    return buf.getvalue()


def _every_kind() -> pd.DataFrame:
    """A column of every kind the pages download, with blanks, formula starts, CJK and XML markup."""
    from decimal import Decimal

    texts = ["甲公司", "=1+1", None, "乙 & <丙>", "+SUM(A1)", "-2", "@x", "\t=1", " 前后空格 ", "东风社区", "丁", ""]
    n = len(texts)
    return pd.DataFrame(
        {
            "名称": texts,
            "社区": pd.array([t if t != "" else None for t in texts], dtype="str"),  # pandas' str dtype
            "涉及金额（元）": [1.5, float("nan"), 3.0, 4.25, 0.1 + 0.2, -0.0, 1e15, 124200.0, 800.5, 2.0, 7.0, 8.0],
            "职工人数": pd.array([25, None, 7, 8, 0, -3, 1234, 1, 2, 3, 4, 5], dtype="Int64"),
            "任务进度": np.linspace(0, 1, n),
            "创建年度": np.arange(2015, 2015 + n),
            "是否": [True, False, None, True] * 3,
            "有报告": pd.array([True, None, False] * 4, dtype="boolean"),
            "日期": [date(2026, 3, 5), None, date(2026, 1, 1), date(2025, 12, 31), date(1970, 1, 1), date(1900, 3, 1)]
            * 2,
            "时间": pd.to_datetime(["2026-03-05 10:30", None, "2026-01-01 00:00", "2025-12-31 23:59"] * 3),
            "类别": pd.Categorical(["冬送温暖", "金秋助学", None] * 4),
            "其他": [
                Decimal("2.50"),
                np.int64(3),
                pd.NA,
                "很长的文字" * 20,
                1.25,
                "=x",
                None,
                7,
                "乙",
                date(2026, 2, 1),
                True,
                "z",
            ],
        }
    )


def test_the_streamed_sheet_holds_the_cells_of_a_cell_by_cell_workbook():
    """Every column kind: the same values, types, quote prefixes, number formats and widths as xlsxwriter
    writing cell by cell, the header as before."""
    frame = _every_kind()
    ours, reference = to_excel_bytes({"表": frame}), _reference_workbook(frame)
    assert _cells(ours) == _cells(reference, inline=False)
    cells = {c[0]: c[1:] for c in _cells(ours)[0]}
    assert cells["A3"][0] == "=1+1" and cells["A3"][2]  # guarded text
    assert cells["A5"][0] == "乙 & <丙>" and not cells["A5"][2]
    assert cells["A10"][0] == " 前后空格 "  # spaces kept
    assert "A4" not in cells and "A13" not in cells  # missing and empty text: no cell
    assert "C3" not in cells and "D3" not in cells and "L4" not in cells and "H3" not in cells
    assert cells["C2"][3] == "#,##0.00" and cells["D2"][3] == "#,##0" and cells["E2"][3] == "0.0%"
    assert cells["F2"][0] == 2015 and cells["F2"][3] == "General"  # a year is not 2,015
    assert cells["G2"][0] == "是" and cells["G3"][0] == "否"
    assert cells["I2"][0].date() == date(2026, 3, 5) and cells["I2"][3] == "yyyy-mm-dd"
    assert cells["I7"][0].date() == date(1900, 3, 1)
    assert cells["J2"][0] == pd.Timestamp("2026-03-05 10:30").to_pydatetime()
    assert cells["K2"][0] == "冬送温暖"
    assert cells["L2"][0] == 2.5 and cells["L3"][0] == 3 and cells["L7"][2]  # "=x" guarded in a mixed column
    assert _cells(ours)[1]["L"] == pytest.approx(export_module().MAX_COLUMN_WIDTH, abs=1)  # long text


def export_module():
    import dashboard.export as export

    return export


def _calamine_values(raw: bytes, sheet: str) -> list[list]:
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_filelike(io.BytesIO(raw)).get_sheet_by_name(sheet).to_python()
    return [[None if v == "" else v for v in row] for row in rows]


def _openpyxl_values(raw: bytes, sheet: str) -> list[list]:
    from openpyxl.utils.escape import unescape  # openpyxl leaves _xHHHH_ in inline strings as written

    rows = read_book(raw)[sheet].iter_rows(values_only=True)
    return [[unescape(v) if isinstance(v, str) else v for v in row] for row in rows]


def _same(a, b) -> bool:
    from datetime import datetime

    if isinstance(a, datetime) and not isinstance(b, datetime) and isinstance(b, date):
        return a == datetime(b.year, b.month, b.day)
    if isinstance(b, datetime) and not isinstance(a, datetime) and isinstance(a, date):
        return _same(b, a)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return a == b
    return type(a) is type(b) and a == b


def test_openpyxl_and_calamine_read_the_same_values():
    frame = _every_kind()
    raw = to_excel_bytes({"表": frame, "第二张": frame.iloc[::-1]})
    for sheet in ("表", "第二张"):
        ours, theirs = _openpyxl_values(raw, sheet), _calamine_values(raw, sheet)
        width = max(len(r) for r in ours)
        theirs = [r + [None] * (width - len(r)) for r in theirs]
        assert len(ours) == len(theirs) == len(frame) + 1
        for i, (a_row, b_row) in enumerate(zip(ours, theirs, strict=True)):
            for j, (a, b) in enumerate(zip(a_row, b_row, strict=True)):
                assert _same(a, b), (sheet, i, j, a, b)
    assert _openpyxl_values(raw, "表")[2][0] == "=1+1"  # text, not a formula either way
    streamed = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)["表"]  # as the browser test reads files
    assert [list(r) for r in streamed.iter_rows(values_only=True)] == [list(r) for r in read_book(raw)["表"].values]


def test_control_characters_are_escaped_as_excel_does():
    frame = pd.DataFrame({"备注": ["甲\x01乙", "\r=1", "第一行\n第二行", "_x0041_"]})
    ours = to_excel_bytes({"表": frame})
    raw = [row[0] for row in read_book(ours).active.iter_rows(values_only=True)][1:]
    assert raw == [
        "甲_x0001_乙",
        "_x000D_=1",
        "第一行\n第二行",
        "_x005F_x0041_",
    ]  # openpyxl leaves the escapes as written
    assert [r[0] for r in _calamine_values(ours, "表")[1:]] == ["甲\x01乙", "\r=1", "第一行\n第二行", "_x0041_"]


def test_a_long_table_is_streamed_in_batches_without_losing_a_row(monkeypatch):
    import dashboard.export as export

    monkeypatch.setattr(export, "ROW_BATCH", 7)
    frame = pd.DataFrame({"序号": range(1, 51), "名称": [f"企业{i}" for i in range(1, 51)]})
    values = _openpyxl_values(to_excel_bytes({"t": frame}), "t")
    assert values == [["序号", "名称"], *[[i, f"企业{i}"] for i in range(1, 51)]]
    ws = read_book(to_excel_bytes({"t": frame}))["t"]
    assert ws.calculate_dimension() == "A1:B51"


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
