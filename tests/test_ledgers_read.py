"""Reading bytes into sheets: every file type, and every kind of bad input refused with a message."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
import xlsxwriter
import xlwt

from dashboard.ledgers.read import ReadError, read_workbook


def xlsx(rows_by_sheet: dict[str, list[list]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in rows_by_sheet.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_rows_start_at_excel_row_one():
    data = xlsx({"企业": [[], [None, "企业名称"], [None, "甲公司", 30]]})
    (sheet,) = read_workbook(data, "a.xlsx")
    assert sheet.name == "企业"
    assert sheet.rows[1][1] == "企业名称" and sheet.rows[2][2] == 30
    assert len({len(r) for r in sheet.rows}) == 1


def test_chinese_builtin_date_formats_27_to_36_come_out_as_dates():
    # openpyxl reads these cells as plain numbers; calamine must (and does) give dates.
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("s")
    for i, fmt_id in enumerate([*range(27, 37), *range(50, 59)]):
        ws.write_number(i, 0, 46086, wb.add_format({"num_format": fmt_id}))  # 2026-03-05
    wb.close()
    (sheet,) = read_workbook(buf.getvalue(), "a.xlsx")
    assert all(r[0] == dt.date(2026, 3, 5) for r in sheet.rows)


def test_formula_cached_values_are_used():
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("s")
    ws.write_formula(0, 0, "=20+36", None, 56)
    wb.close()
    (sheet,) = read_workbook(buf.getvalue(), "a.xlsx")
    assert sheet.rows[0][0] == 56


def test_xls_with_date_cells():
    book = xlwt.Workbook()
    ws = book.add_sheet("企业")
    ws.write(0, 0, "企业名称")
    ws.write(1, 0, "甲公司")
    ws.write(1, 1, dt.datetime(2026, 3, 5), xlwt.easyxf(num_format_str="yyyy-mm-dd"))
    ws.write(1, 2, 30)
    buf = io.BytesIO()
    book.save(buf)
    (sheet,) = read_workbook(buf.getvalue(), "a.xls")
    assert sheet.rows[1] == ["甲公司", dt.date(2026, 3, 5), 30.0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings(encoding):
    text = "社区,企业名称,职工人数\n东风,甲公司,30\n"
    (sheet,) = read_workbook(text.encode(encoding), "企业台账.csv")
    assert sheet.name == "企业台账"
    assert sheet.rows == [["社区", "企业名称", "职工人数"], ["东风", "甲公司", "30"]]


def fatal(data: bytes, name: str = "a.xlsx", **kw) -> str:
    with pytest.raises(ReadError) as exc:
        read_workbook(data, name, **kw)
    return str(exc.value)


def test_not_a_spreadsheet():
    assert "不是 Excel" in fatal(b"%PDF-1.4 hello", "a.xlsx")
    assert "不是文本格式的 CSV" in fatal(b"\x00\x01binary", "a.csv")


def test_zip_that_is_not_a_workbook():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    assert "不是 Excel 工作簿" in fatal(buf.getvalue())


def test_truncated_workbook():
    data = xlsx({"s": [["企业名称"], ["甲公司"]]})
    assert "损坏或不完整" in fatal(data[: len(data) // 2])


def test_empty_file():
    assert "空的" in fatal(b"")


def test_encrypted_package():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 100
    assert "密码" in fatal(data)


def test_corrupt_xls():
    assert ".xls" in fatal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "a.xls")


def test_too_large():
    assert "超过了 1 MB" in fatal(b"x" * (2 * 2**20), max_upload_mb=1)


def test_zip_bomb_refused_before_inflating():
    data = xlsx({"s": [["企业名称"]]})
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            zf.writestr(info, src.read(info))
        zf.writestr("xl/media/bomb.bin", b"\x00" * (12 * 2**20))
    assert "压缩炸弹" in fatal(buf.getvalue())


BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
    b"<si><t>&lol2;</t></si></sst>"
)


@pytest.mark.parametrize("where", ["sharedStrings", "sheet_after_comment"])
def test_xml_entity_bomb_refused(where):
    data = xlsx({"s": [["企业名称"], ["甲公司"]]})
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            body = src.read(info)
            if where == "sheet_after_comment" and info.filename == "xl/worksheets/sheet1.xml":
                prolog = b'<?xml version="1.0"?>\n<!-- a comment first -->\n<!DOCTYPE x [<!ENTITY a "b">]>'
                body = prolog + (body[body.index(b"?>") + 2 :] if body.startswith(b"<?xml") else body)
            zf.writestr(info, body)
        if where == "sharedStrings":
            zf.writestr("xl/sharedStrings.xml", BOMB)
    assert "XML" in fatal(buf.getvalue())
