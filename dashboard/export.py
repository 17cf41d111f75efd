"""Tables out of the dashboard: Excel and CSV bytes that are safe to open, and masking of personal data.

Safe to open means no cell can turn into a formula: text that starts with = + - @ (or a tab / carriage
return, which some spreadsheet programs strip before reading a formula) is written as text. In the
workbook it is a string cell with Excel's quote prefix set; in CSV it gets a leading apostrophe, the
OWASP recommendation, because CSV has no cell types.
Personal data (fields marked `personal` in dashboard/spec.py) is masked before a table reaches a
screen or a file unless the caller explicitly allows it.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
import zipfile
from datetime import date, datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.formatting import EXCEL_FORMATS, number_kind
from dashboard.privacy import mask_frame

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_SHEET_NAME = 31
MAX_COLUMN_WIDTH = 60
# Excel's 1,048,576 rows a sheet, less the header row. xlsxwriter ignores a write beyond it (returns -1),
# so a longer table would lose its tail without a word: it continues on further sheets instead.
MAX_SHEET_ROWS = 1_048_575
# The rows of a sheet are turned into XML this many at a time (a column at a time, in Arrow), so a long
# table never has all of its XML in memory at once.
ROW_BATCH = 10_000
# zlib level of the sheets: 1 is several times faster than the default 6 on a sheet of a few hundred
# thousand rows, for a somewhat larger file (the district's aid rows: 20.4 MB, 17.3 MB from xlsxwriter)
ZIP_LEVEL = 1


def _is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def mask_personal(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` with every personal-data column masked (see dashboard.privacy)."""
    return mask_frame(df)


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


# ---- CSV ------------------------------------------------------------------------------------------


def _csv_safe(value):
    return "'" + value if is_formula_like(value) else value


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads Chinese correctly), CRLF line ends; formula-like text
    gets a leading apostrophe; yes/no is 是/否 and a missing value an empty cell."""
    safe = df.copy()
    for col in safe.columns:
        values = safe[col]
        if pd.api.types.is_bool_dtype(values):  # yes/no as 是/否, as in the workbook (not True/False)
            safe[col] = values.map({True: "是", False: "否"}).astype(object)
            continue
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
            continue
        # only the cells that need it are touched (a district's 300,000 rows: a few, not every cell)
        if values.dtype == object:  # anything: only its str cells can be formulas
            is_text = values.map(lambda v: isinstance(v, str), na_action="ignore").fillna(False).astype(bool)
            values_text = values.where(is_text, "").astype(str)
        else:  # pandas' str dtype
            is_text, values_text = values.notna(), values.fillna("")
        risky = is_text & values_text.str.startswith(FORMULA_STARTS)
        if risky.any():
            values = values.astype(object)
            values[risky] = "'" + values[risky].astype(str)
            safe[col] = values
    safe.columns = [_csv_safe(str(c)) for c in safe.columns]
    # CRLF line ends (RFC 4180, as Excel writes CSV): a cell holding a bare carriage return is then quoted;
    # with "\n" alone it went out unquoted and split its row in two when read back
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


# ---- Excel ----------------------------------------------------------------------------------------


def _display_width(text: str) -> int:
    """Columns a text takes in Excel: a CJK (wide) character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _sheet_names(names: list[str]) -> list[str]:
    """Excel sheet names: at most 31 characters, none of []:*?/\\ , unique (case-insensitive)."""
    out: list[str] = []
    seen: set[str] = set()
    for i, name in enumerate(names, start=1):
        base = re.sub(r"[\[\]:*?/\\]", "_", str(name)).strip("'") or f"表{i}"
        base = base[:MAX_SHEET_NAME]
        candidate, n = base, 2
        while candidate.lower() in seen:
            suffix = f"({n})"
            candidate = base[: MAX_SHEET_NAME - len(suffix)] + suffix
            n += 1
        seen.add(candidate.lower())
        out.append(candidate)
    return out


def _split_long(frames: dict[str, pd.DataFrame]) -> list[tuple[str, pd.DataFrame]]:
    """Each table as (sheet name, rows), a table longer than MAX_SHEET_ROWS in parts: the first keeps
    its name, the next are "name(续2)", "name(续3)", ... (the name shortened to keep the suffix)."""
    out: list[tuple[str, pd.DataFrame]] = []
    for name, frame in frames.items():
        out.append((name, frame.iloc[:MAX_SHEET_ROWS]))
        for part, start in enumerate(range(MAX_SHEET_ROWS, len(frame), MAX_SHEET_ROWS), start=2):
            suffix = f"(续{part})"
            out.append((str(name)[: MAX_SHEET_NAME - len(suffix)] + suffix, frame.iloc[start : start + MAX_SHEET_ROWS]))
    return out


def _cell_text(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (datetime, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    return str(value)


# ---- a column in Arrow -------------------------------------------------------------------------------
# The workbook's cells are made a column at a time with Arrow's string kernels, not a cell at a time: a
# district's 306,075 aid rows x 14 columns took a minute through xlsxwriter's write_* calls. Only a column
# Arrow cannot type (an object column mixing text and numbers, lists) goes cell by cell (_object_cells).

_CONTROL = r"[\x00-\x08\x0B-\x1F]"  # not allowed in XML: written as Excel's _xHHHH_ escape (as xlsxwriter does)
# a text that is not written as it stands: a formula start (FORMULA_STARTS), a space at either end
# (kept only under xml:space="preserve"), markup, a control character, or what looks like Excel's escape
_SPECIAL_TEXT = r"^[=+\-@\s\pZ\x85]|[\s\pZ\x85]$|[&<>\x00-\x08\x0B-\x1F]|_x[0-9A-Fa-f]{4}_"
_EXCEL_1970 = 25569  # Excel's serial number of 1970-01-01 (1900 date system)
_DAY_UNITS = {"s": 86_400, "ms": 86_400_000, "us": 86_400_000_000, "ns": 86_400_000_000_000}


def _arrow(values: pd.Series) -> pa.Array | pa.ChunkedArray | None:
    """The column as one Arrow array, or None when Arrow cannot type it (mixed kinds, odd objects)."""
    try:
        arr = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, ValueError):
        return None
    # kept in its chunks (a column fetched from DuckDB comes in several): joined a batch at a time in cells
    if pa.types.is_dictionary(arr.type):
        arr = pc.cast(arr, arr.type.value_type)
    t = arr.type
    if pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return arr  # pandas' str columns: Arrow's own buffers, no copy (cast a batch at a time in cells)
    if pa.types.is_decimal(t):
        return arr.cast(pa.float64())
    if pa.types.is_timestamp(t) and t.tz is not None:
        return pc.local_timestamp(arr)  # the wall-clock time, as it would be read
    kinds = (pa.types.is_string, pa.types.is_large_string, pa.types.is_boolean, pa.types.is_integer)
    kinds += (pa.types.is_floating, pa.types.is_null, pa.types.is_timestamp, pa.types.is_date)
    if any(test(t) for test in kinds):
        return arr
    return None


def _xml_escape(text: str) -> str:
    text = re.sub(r"(_x[0-9A-Fa-f]{4}_)", r"_x005F\1", text)
    text = re.sub(_CONTROL, lambda m: f"_x{ord(m.group()):04X}_", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _serials(arr: pa.Array) -> pa.Array:
    """Dates and times as Excel serial numbers (float64), as xlsxwriter's write_datetime computes them:
    days since 1899-12-31, one more from 1900-03-01 on (Excel's 29 February 1900)."""
    if pa.types.is_date32(arr.type):
        days = pc.cast(arr, pa.int32()).to_numpy(zero_copy_only=False).astype("float64")
    elif pa.types.is_date64(arr.type):
        days = pc.cast(arr, pa.int64()).to_numpy(zero_copy_only=False) / _DAY_UNITS["ms"]
    else:
        days = pc.cast(arr, pa.int64()).to_numpy(zero_copy_only=False) / _DAY_UNITS[arr.type.unit]
    since_1231 = days + (_EXCEL_1970 - 1)
    serial = np.where(since_1231 > 59, since_1231 + 1, since_1231)
    return pa.array(serial, mask=arr.is_null().to_numpy(zero_copy_only=False))


class _Styles:
    """The cell formats a data cell may take, registered with the skeleton workbook; `xf` gives the style
    index each one got there once the workbook is closed."""

    def __init__(self, wb) -> None:
        self.guarded = wb.add_format({"quote_prefix": True})
        self.date = wb.add_format({"num_format": "yyyy-mm-dd"})
        self.numbers = {kind: wb.add_format({"num_format": f}) for kind, f in EXCEL_FORMATS.items()}

    def register(self, ws) -> None:
        """Use each format once (in a cell that _write_sheet drops), so the workbook's styles hold it."""
        for j, fmt in enumerate([self.guarded, self.date, *self.numbers.values()]):
            ws.write_number(1, j, 0, fmt)

    def xf(self, fmt) -> int | None:
        return None if fmt is None else fmt.xf_index


def _number_text(arr: pa.Array) -> pa.Array:
    """Numbers as the text of a <v>: the shortest that reads back the same; NaN and infinities are blank."""
    if pa.types.is_floating(arr.type):
        arr = pc.if_else(pc.is_finite(arr), arr, pa.scalar(None, arr.type))
    return pc.cast(arr, pa.string())


def _number_cells(arr: pa.Array, ref: tuple, style: int | None) -> pa.Array:
    s = f' s="{style}"' if style is not None else ""
    return pc.binary_join_element_wise(ref[0], ref[1], f'"{s}><v>', _number_text(arr), "</v></c>", "")


def _text_cell(ref: str, text: str, guarded: int) -> str:
    """One inline-string cell ("" for an empty text): escaped for XML, formula-like text under the
    quote-prefix style, spaces at either end kept."""
    if text == "":
        return ""
    s = f' s="{guarded}"' if is_formula_like(text) else ""
    t = '<t xml:space="preserve">' if re.search(r"^\s|\s$", text) else "<t>"
    return f'{ref}{s} t="inlineStr"><is>{t}{_xml_escape(text)}</t></is></c>'


def _text_cells(arr: pa.Array, ref: tuple, guarded: int) -> pa.Array:
    """Inline strings, as _text_cell writes them. The plain texts (no markup, no formula start, no
    space at either end, no control character: nearly all) are joined in Arrow; the others, found in
    one pass, go through _text_cell."""
    arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)  # no cell, as a missing value
    cells = pc.binary_join_element_wise(ref[0], ref[1], '" t="inlineStr"><is><t>', arr, "</t></is></c>", "")
    special = pc.match_substring_regex(arr, _SPECIAL_TEXT).fill_null(False)
    if pc.any(special).as_py():
        picked = pc.filter(pa.StructArray.from_arrays([ref[1], arr], ["row", "text"]), special).to_pylist()
        fixed = [_text_cell(f'{ref[0]}{p["row"]}"', p["text"], guarded) for p in picked]
        cells = pc.replace_with_mask(cells, special, pa.array(fixed, pa.string()))
    return cells


def _object_cells(values: pd.Series, letter: str, first_row: int, styles: _Styles, number_xf: int | None) -> pa.Array:
    """Cell by cell, for a column Arrow cannot type: each value by its own type, as _text_cells,
    _number_cells and the date cells write it ("" for a blank)."""
    out = []
    for i, value in enumerate(values.tolist(), start=first_row):
        ref = f'<c r="{letter}{i}"'
        if _is_missing(value):
            out.append("")
        elif isinstance(value, (bool, np.bool_)):
            out.append(f'{ref} t="inlineStr"><is><t>{"是" if value else "否"}</t></is></c>')
        elif isinstance(value, (int, float)) or (hasattr(value, "__float__") and not isinstance(value, (str, date))):
            number = float(value)  # numpy and Decimal numbers too
            s = f' s="{number_xf}"' if number_xf is not None else ""
            out.append(f"{ref}{s}><v>{number!r}</v></c>" if math.isfinite(number) else "")
        elif isinstance(value, date):  # datetime and Timestamp too
            stamp = pd.Timestamp(value)
            if stamp.tzinfo is not None:
                stamp = stamp.tz_localize(None)
            delta = stamp.to_pydatetime() - datetime(1899, 12, 31)
            days = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86_400
            serial = days + 1 if days > 59 else days  # as _serials
            out.append(f'{ref} s="{styles.xf(styles.date)}"><v>{serial!r}</v></c>')
        else:
            out.append(_text_cell(ref, value if isinstance(value, str) else str(value), styles.xf(styles.guarded)))
    return pa.array(out, pa.string())


class _Column:
    """One column of a sheet: its Arrow array (or None: written cell by cell), its cell style and width."""

    def __init__(self, name, values: pd.Series) -> None:
        self.name, self.values = name, values
        self.arrow = _arrow(values)
        self.kind = number_kind(name, values)

    def cells(self, start: int, stop: int, letter: str, rows: pa.Array, styles: _Styles) -> pa.Array:
        """The cells of rows start..stop-1 (sheet rows start+2...), "" where a cell is blank."""
        number_xf = styles.xf(styles.numbers.get(self.kind))
        if self.arrow is None:
            return _object_cells(self.values.iloc[start:stop], letter, start + 2, styles, number_xf)
        arr = self.arrow.slice(start, stop - start)
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        if pa.types.is_large_string(arr.type):
            arr = arr.cast(pa.string())  # a batch's text is far below 2 GB
        ref = (f'<c r="{letter}', rows)
        t = arr.type
        if pa.types.is_null(t):
            return pa.array([""] * len(arr), pa.string())
        if pa.types.is_string(t):
            cells = _text_cells(arr, ref, styles.xf(styles.guarded))
        elif pa.types.is_boolean(t):
            cells = pc.binary_join_element_wise(
                ref[0], ref[1], '" t="inlineStr"><is><t>', pc.if_else(arr, "是", "否"), "</t></is></c>", ""
            )
        elif pa.types.is_timestamp(t) or pa.types.is_date(t):
            cells = _number_cells(_serials(arr), ref, styles.xf(styles.date))
        else:
            cells = _number_cells(arr, ref, number_xf)
        return cells.fill_null("")

    def width(self) -> int:
        """The widest of the header and the cells as shown, in Excel's columns (a wide character takes
        two), plus 2; at least 6, at most MAX_COLUMN_WIDTH."""
        widest = _display_width(str(self.name))
        texts = self._texts()
        if texts is None:  # cell by cell: each distinct value measured once
            try:
                distinct = pd.unique(self.values.dropna())
            except TypeError:  # unhashable cells (lists): each measured
                distinct = self.values.dropna()
            for value in distinct:
                widest = max(widest, _display_width(_cell_text(value)))
                if widest + 2 >= MAX_COLUMN_WIDTH:
                    break
        elif len(texts):
            distinct = pc.unique(texts)
            # at most one column more than its characters per non-ASCII character (a wide one takes two):
            # measured exactly from the widest bound down, until no text left can be wider
            bounds = pc.add(pc.utf8_length(distinct), pc.count_substring_regex(distinct, r"[^\x00-\x7F]"))
            bounds = bounds.to_numpy(zero_copy_only=False)
            for k in np.argsort(-bounds, kind="stable"):
                if bounds[k] <= widest or widest + 2 >= MAX_COLUMN_WIDTH:
                    break
                widest = max(widest, _display_width(distinct[int(k)].as_py()))
        return min(max(widest + 2, 6), MAX_COLUMN_WIDTH)

    def _texts(self) -> pa.Array | None:
        """What the cells show, as text (numbers as their shortest text), for measuring; None when the
        column goes cell by cell."""
        arr = self.arrow
        if arr is None:
            return None
        t = arr.type
        arr = arr.drop_null()
        if pa.types.is_null(t) or len(arr) == 0:
            return pa.array([], pa.string())
        if pa.types.is_string(t) or pa.types.is_large_string(t):
            return arr
        if pa.types.is_boolean(t):
            return pa.array(sorted({"是" if v else "否" for v in pc.unique(arr).to_pylist()}), pa.string())
        if pa.types.is_timestamp(t) or pa.types.is_date(t):
            return pa.array(["2026-01-01"], pa.string())  # yyyy-mm-dd
        return _number_text(arr).drop_null()


def _column_width(name, values: pd.Series) -> int:
    return _Column(name, values).width()


# ---- the workbook ------------------------------------------------------------------------------------


def _string_bytes(arr: pa.Array) -> memoryview:
    """The characters of a string array, end to end, without a copy."""
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32, count=len(arr) + 1, offset=arr.offset * 4)
    data = arr.buffers()[2]
    if data is None:
        return memoryview(b"")
    return memoryview(data)[int(offsets[0]) : int(offsets[-1])]


def _split_sheet_xml(xml: str) -> tuple[str, str, str]:
    """xlsxwriter's sheet XML as (everything before the data rows, its header row, everything after)."""
    if "<sheetData/>" in xml:
        before, after = xml.split("<sheetData/>", 1)
        return before + "<sheetData>", "", "</sheetData>" + after
    before, rest = xml.split("<sheetData>", 1)
    inner, after = rest.split("</sheetData>", 1)
    header = ""
    if inner.startswith('<row r="1"'):
        tag_end = inner.index(">") + 1
        header = inner[:tag_end] if inner[tag_end - 2] == "/" else inner[: inner.index("</row>") + len("</row>")]
    return before + "<sheetData>", header, "</sheetData>" + after


def _write_sheet(out, xml: str, frame: pd.DataFrame, columns: list[_Column], styles: _Styles) -> None:
    from xlsxwriter.utility import xl_col_to_name

    before, header, after = _split_sheet_xml(xml)
    used = f"A1:{xl_col_to_name(len(columns) - 1)}{len(frame) + 1}" if columns else "A1"
    before = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{used}"/>', before, count=1)
    out.write(before.encode())
    out.write(header.encode())
    letters = [xl_col_to_name(j) for j in range(len(columns))]
    for start in range(0, len(frame), ROW_BATCH):
        stop = min(start + ROW_BATCH, len(frame))
        rows = pc.cast(pa.array(np.arange(start + 2, stop + 2)), pa.string())
        cells = [col.cells(start, stop, letters[j], rows, styles) for j, col in enumerate(columns)]
        xml_rows = pc.binary_join_element_wise('<row r="', rows, '">', *cells, "</row>", "")
        out.write(_string_bytes(xml_rows))
        del cells, xml_rows
    out.write(after.encode())


def to_excel_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table (the dict key is the sheet name): styled header, frozen first row, column
    widths fitted to the content, and text never read as a formula, URL or number. A table longer than
    an Excel sheet continues on the next sheets (see _split_long).

    xlsxwriter writes the workbook around the data (styles, header rows, widths, frozen panes); the data
    rows are then streamed into each sheet's XML from Arrow (`_Column.cells`), a batch of rows at a time,
    as inline strings and numbers with the number formats of dashboard.formatting."""
    import xlsxwriter  # here, not at import: the app's first page needs no workbook

    sheets = _split_long(frames or {"空表": pd.DataFrame()})
    names = _sheet_names([n for n, _ in sheets])
    skeleton = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    columns_by_sheet: list[list[_Column]] = []
    with xlsxwriter.Workbook(skeleton, options) as wb:
        header = wb.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"}
        )
        styles = _Styles(wb)
        for k, (sheet_name, (_, frame)) in enumerate(zip(names, sheets, strict=True)):
            ws = wb.add_worksheet(sheet_name)
            ws.set_row(0, 24)
            for j, col in enumerate(frame.columns):
                ws.write_string(0, j, str(col), header)
            columns = [_Column(col, frame.iloc[:, j]) for j, col in enumerate(frame.columns)]
            for j, column in enumerate(columns):
                ws.set_column(j, j, column.width())
            ws.freeze_panes(1, 0)
            if k == 0:
                styles.register(ws)
            columns_by_sheet.append(columns)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(skeleton) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as dst,
    ):
        for info in src.infolist():
            sheet = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            if sheet is None:
                dst.writestr(info.filename, src.read(info))
                continue
            k = int(sheet[1]) - 1
            with dst.open(info.filename, "w", force_zip64=True) as part:
                _write_sheet(part, src.read(info).decode("utf-8"), sheets[k][1], columns_by_sheet[k], styles)
    return out.getvalue()
