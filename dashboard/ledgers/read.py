"""Step 1 of the import: the uploaded bytes -> a list of (sheet name, rows of cell values).

Rows always start at Excel row 1 (index i is Excel row i + 1), so later steps can name rows as the
user sees them. Cells are str, float, int, bool, datetime.date/datetime or "" when blank. Formulas
give their cached values; an .xlsx whose formulas were never calculated is refused (ReadError).
Each sheet also carries its merged ranges and hidden rows (see RawSheet).

Everything that can go wrong with the file as a whole raises ReadError carrying a Chinese sentence
(what is wrong, what to do); parse.py turns it into ParsedFile.fatal. Dangerous files (zip bombs,
XML entity bombs, encrypted packages) are refused before any parser sees them.
"""

from __future__ import annotations

import csv
import gc
import io
import re
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from defusedxml import ElementTree as SafeET

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Zip bomb limits, checked on the zip directory's declared sizes before anything is inflated.
# A real 100,000-row ledger inflates about 10x; bombs inflate 1000x and more.
MAX_ENTRY_RATIO = 200
RATIO_CHECK_MIN_BYTES = 10 * 2**20  # small parts may compress extremely well (empty styles, etc.)
MAX_TOTAL_UNCOMPRESSED = 2 * 2**30
MAX_ZIP_ENTRIES = 10_000
PROLOG_SCAN_LIMIT = 64 * 2**10  # the XML prolog (where a DTD would sit) is never longer than this

HOW_TO_FIX_FORMAT = "请用 Excel 或 WPS 打开后另存为 .xlsx 格式再上传。"


class ReadError(Exception):
    """The file cannot be read at all; str(self) is the Chinese message shown to the user."""


@dataclass
class RawSheet:
    name: str
    rows: list[list]  # rows[i] is Excel row i + 1; every row has the same length
    # Merged ranges as (first row, first column, last row, last column), 0-based and inclusive: the
    # value sits in the first cell only (parse fills the ones in the data area).
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: frozenset[int] = frozenset()  # 0-based indices of rows hidden in Excel (still data)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Cyclic garbage collection off while a file is read and parsed.

    A 100,000-row sheet is a million Python objects made in one go; the collector, triggered by the
    count of new objects, walks them again and again although none can be garbage yet
    (docs/performance-notes.md). Reference counting still frees everything as usual; cycles wait until the end.
    Only turns collection back on if it was on: concurrent imports never leave it off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_workbook(data: bytes, file_name: str, *, max_upload_mb: float = 50) -> list[RawSheet]:
    """Read every sheet of an .xlsx/.xlsm/.xls/.csv file given as bytes."""
    size_mb = len(data) / 2**20
    if size_mb > max_upload_mb:
        raise ReadError(
            f"文件大小为 {size_mb:.1f} MB，超过了 {max_upload_mb:g} MB 的上限。"
            "请把台账拆成几个文件分别上传，或请管理员在设置中调高上限。"
        )
    if not data:
        raise ReadError("文件是空的（0 字节）。请确认选择了正确的文件后重新上传。")
    if data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        return _read_xlsx(data)
    if data.startswith(OLE_MAGIC):
        return _read_ole(data)
    if file_name.lower().endswith((".csv", ".txt")):
        return _read_csv(data, file_name)
    raise ReadError(f"“{file_name}”不是 Excel 表格或 CSV 文件，无法读取。{HOW_TO_FIX_FORMAT}")


# --- .xlsx / .xlsm -------------------------------------------------------------------------------


def _read_xlsx(data: bytes) -> list[RawSheet]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise ReadError(
            "文件已损坏或不完整（可能在下载或拷贝时中断），无法打开。请用 Excel 打开原文件确认无误、重新保存后再上传。"
        ) from exc
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        raise ReadError(f"这个文件是压缩包或 Word/PPT 文档，不是 Excel 工作簿。{HOW_TO_FIX_FORMAT}")
    if "xl/workbook.bin" in names:
        raise ReadError("暂不支持 Excel 二进制工作簿（.xlsb）。" + HOW_TO_FIX_FORMAT)
    check_zip_bomb(infos)
    check_xml_prologs(zf, infos)
    # The XML scan (inflate, GIL released) runs beside calamine's parse: hidden rows and formulas for free.
    with ThreadPoolExecutor(max_workers=1) as pool:
        scan = pool.submit(scan_sheet_xml, zf, infos)
        try:
            sheets = _calamine_sheets(data)
        finally:
            hidden, uncalculated = scan.result()
    if uncalculated:
        raise ReadError(UNCALCULATED_MESSAGE.format(n=uncalculated))
    for sheet, rows in zip(sheets, hidden, strict=False):
        sheet.hidden_rows = rows
    return sheets


def _calamine_sheets(data: bytes) -> list[RawSheet]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for name in wb.sheet_names:
            sh = wb.get_sheet_by_name(name)
            rows = sh.to_python(skip_empty_area=False)
            merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sh.merged_cell_ranges or [])]
            sheets.append(RawSheet(name, _pad(rows), merged=merged))
    except Exception as exc:  # calamine raises its own error types for every broken part
        raise ReadError(
            "文件内容已损坏，无法读取其中的表格。请用 Excel 打开原文件确认无误、重新保存后再上传。"
        ) from exc
    return sheets


UNCALCULATED_MESSAGE = (
    "文件中的公式没有计算结果（共 {n} 个公式单元格没有保存计算值，常见于程序生成的文件或设为“手动计算”的工作簿），"
    "无法读取其中的数字。请用 Excel 或 WPS 打开文件，让公式计算完成（可按 F9），保存后再重新上传。"
)

# One <row> start tag marked hidden; a formula cell (<f …>…</f> or <f …/>) closed without a cached <v>.
_HIDDEN_ROW = re.compile(
    rb'<row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"|<row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="(\d+)"'
)
# A formula cell: its attributes, then the cached value if any. A formula's text has no "<" (escaped).
_FORMULA_CELL = re.compile(rb"<c\b([^>]*)>\s*(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)\s*(?:<v>([^<]*)</v>|<v\s*/>)?\s*</c>")


def _uncalculated(xml: bytes) -> int:
    """Formula cells with no cached value. An empty <v> is a real result on a text cell (=IF(…,"",…))."""
    n = 0
    for m in _FORMULA_CELL.finditer(xml):
        value = m.group(2)
        if value is None or not value.strip():
            if value is None and b"<v" in m.group(0):  # <v/>
                value = b""
            if value is None or b't="str"' not in m.group(1):
                n += 1
    return n


def scan_sheet_xml(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> tuple[list[frozenset[int]], int]:
    """Hidden rows per sheet (workbook order) and the number of formula cells without a cached value.

    calamine does not expose either, so the worksheet XML (Excel and WPS write the same) is scanned
    with two byte regexes: no XML tree is built, the cost is one inflate of each sheet part.
    """
    try:
        order = _sheet_parts(zf)
    except Exception:
        order = sorted(i.filename for i in infos if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", i.filename))
    hidden: list[frozenset[int]] = []
    uncalculated = 0
    for part in order:
        try:
            has_hidden, has_formula = _mentions(zf, part, (b'hidden="', b"<f"))
        except (KeyError, zipfile.BadZipFile, EOFError, OSError):
            hidden.append(frozenset())
            continue
        rows = frozenset()
        if has_hidden or has_formula:  # rare: only now is the whole part held in memory
            xml = zf.read(part)
            if has_hidden:
                rows = frozenset(int(m.group(1) or m.group(2)) - 1 for m in _HIDDEN_ROW.finditer(xml))
            if has_formula:
                uncalculated += _uncalculated(xml)
        hidden.append(rows)
    return hidden, uncalculated


SCAN_CHUNK = 4 * 2**20


def _mentions(zf: zipfile.ZipFile, part: str, needles: tuple[bytes, ...]) -> list[bool]:
    """Whether each needle occurs in the part, inflating it chunk by chunk (memory stays at one chunk)."""
    found = [False] * len(needles)
    keep = max(len(n) for n in needles) - 1
    tail = b""
    with zf.open(part) as fh:
        while not all(found):
            chunk = fh.read(SCAN_CHUNK)
            if not chunk:
                break
            window = tail + chunk
            for i, n in enumerate(needles):
                found[i] = found[i] or n in window
            tail = window[-keep:]
    return found


def _sheet_parts(zf: zipfile.ZipFile) -> list[str]:
    """The worksheet part of each sheet, in the workbook's order (the order calamine lists them)."""
    rels = zf.read("xl/_rels/workbook.xml.rels")
    targets = {}
    for m in re.finditer(rb"<Relationship\b[^>]*>", rels):
        tag = m.group(0)
        rid = re.search(rb'\bId="([^"]+)"', tag)
        target = re.search(rb'\bTarget="([^"]+)"', tag)
        if rid and target and b"/worksheet" in tag:
            t = target.group(1).decode()
            targets[rid.group(1)] = t.lstrip("/") if t.startswith("/") else "xl/" + t
    book = zf.read("xl/workbook.xml")
    parts = []
    for m in re.finditer(rb"<sheet\b[^>]*>", book):
        rid = re.search(rb'\br:id="([^"]+)"', m.group(0)) or re.search(rb'\b\w+:id="([^"]+)"', m.group(0))
        if rid and rid.group(1) in targets:
            parts.append(targets[rid.group(1)])
    return parts


def check_zip_bomb(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse archives whose declared sizes or compression ratios betray a zip bomb."""
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ReadError("文件内部结构异常（包含的部件过多），疑似恶意构造的文件，已拒绝读取。请上传正常的 Excel 台账。")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_CHECK_MIN_BYTES and ratio > MAX_ENTRY_RATIO:
            raise ReadError(
                "文件解压后会膨胀到异常大小（压缩比过高），疑似“压缩炸弹”，已拒绝读取。请上传正常的 Excel 台账。"
            )
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise ReadError("文件解压后超过 2 GB，疑似“压缩炸弹”或数据量过大，已拒绝读取。请拆分后再上传。")


_PROLOG_SKIP = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.S)


def check_xml_prologs(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse any XML part declaring a DTD: Office never writes one, entity bombs need one.

    A DTD may only appear in the prolog, before the root element, so reading each part up to its
    first element is enough and costs nothing on large sheets.
    """
    for info in infos:
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        with zf.open(info) as fh:
            head = fh.read(PROLOG_SCAN_LIMIT)
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]
        pos = 0
        while True:
            m = _PROLOG_SKIP.match(head, pos)
            if not m or m.end() == pos:
                break
            pos = m.end()
        rest = head[pos : pos + 9].upper()
        if rest.startswith((b"<!DOCTYPE", b"<!ENTITY")) or (
            len(head) == PROLOG_SCAN_LIMIT and not rest.startswith(b"<")
        ):
            raise ReadError(
                "文件中含有 Excel 从不使用的 XML 实体定义，疑似恶意构造的文件（XML 炸弹），已拒绝读取。"
                "请用 Excel 重新保存后再上传。"
            )
    # The workbook part is small: parse it with defusedxml as a second line of defence.
    try:
        SafeET.fromstring(zf.read("xl/workbook.xml"))
    except KeyError:
        pass
    except Exception as exc:
        raise ReadError("文件中的工作簿结构无法安全解析，已拒绝读取。请用 Excel 重新保存后再上传。") from exc


# --- .xls and other OLE containers ---------------------------------------------------------------


def _read_ole(data: bytes) -> list[RawSheet]:
    # An encrypted .xlsx is an OLE container holding an EncryptedPackage stream (names are UTF-16).
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise ReadError(ENCRYPTED_MESSAGE)
    import xlrd

    try:
        try:  # formatting_info gives merged ranges and hidden rows
            book = xlrd.open_workbook(file_contents=data, on_demand=False, formatting_info=True)
        except (NotImplementedError, xlrd.XLRDError) as exc:
            if "encrypt" in str(exc).lower():
                raise
            book = xlrd.open_workbook(file_contents=data, on_demand=False)
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise ReadError(ENCRYPTED_MESSAGE) from exc
        raise ReadError(f"文件不是能读取的 Excel 97-2003 工作簿（.xls），可能已损坏。{HOW_TO_FIX_FORMAT}") from exc
    except Exception as exc:
        raise ReadError(f"文件已损坏或不完整，无法读取。{HOW_TO_FIX_FORMAT}") from exc
    sheets = []
    for sh in book.sheets():
        rows = []
        for r in range(sh.nrows):
            rows.append([_xls_cell(sh.cell(r, c), book.datemode) for c in range(sh.ncols)])
        # xlrd gives (first row, last row + 1, first column, last column + 1).
        merged = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in getattr(sh, "merged_cells", [])]
        hidden = frozenset(r for r, info in getattr(sh, "rowinfo_map", {}).items() if info.hidden and r < sh.nrows)
        sheets.append(RawSheet(sh.name, _pad(rows), merged=merged, hidden_rows=hidden))
    return sheets


ENCRYPTED_MESSAGE = (
    "文件设置了打开密码（已加密），无法读取。"
    "请在 Excel 中取消密码（文件→信息→保护工作簿→用密码进行加密，清空密码）后重新保存再上传。"
)


def _xls_cell(cell, datemode: int):
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            dt = xlrd.xldate_as_datetime(cell.value, datemode)
        except Exception:
            return cell.value
        return dt.date() if dt.time() == dt.min.time() else dt
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    return cell.value


# --- .csv -----------------------------------------------------------------------------------------


def _read_csv(data: bytes, file_name: str) -> list[RawSheet]:
    text = decode_text(data)
    if text is None or "\x00" in text:
        raise ReadError(f"“{file_name}”不是文本格式的 CSV 文件，无法读取。{HOW_TO_FIX_FORMAT}")
    sample = text[:4096]
    delimiter = max((",", "\t", ";"), key=sample.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    stem = re.sub(r"\.(csv|txt)$", "", file_name, flags=re.I) or "CSV"
    return [RawSheet(stem, _pad(rows))]


def decode_text(data: bytes) -> str | None:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK/GB2312); None if neither."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _pad(rows: list[list]) -> list[list]:
    """Make every row the same length so columns can be sliced without bounds checks."""
    if not rows:
        return rows
    width = max(len(r) for r in rows)
    return [r if len(r) == width else [*r, *([""] * (width - len(r)))] for r in rows]
