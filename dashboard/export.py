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
from datetime import date, datetime

import pandas as pd
import xlsxwriter

from dashboard.formatting import EXCEL_FORMATS, number_kind
from dashboard.privacy import mask_frame

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_SHEET_NAME = 31
MAX_COLUMN_WIDTH = 60
# Excel's 1,048,576 rows a sheet, less the header row. xlsxwriter ignores a write beyond it (returns -1),
# so a longer table would lose its tail without a word: it continues on further sheets instead.
MAX_SHEET_ROWS = 1_048_575
# Above this many cells a workbook is written row by row through temporary files (xlsxwriter's
# constant_memory): far less memory, somewhat slower (its strings are written inline, escaped cell by
# cell, not shared); docs/performance-notes.md has the measurement.
CONSTANT_MEMORY_CELLS = 1_000_000


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


def _column_width(name, values: pd.Series) -> int:
    """The widest of a column's header and cells, in Excel's columns (each distinct value measured once;
    the search stops at the widest a column is shown)."""
    widest = _display_width(str(name))
    try:
        distinct = pd.unique(values.dropna())
    except TypeError:  # unhashable cells (lists): each measured
        distinct = values.dropna()
    for value in distinct:
        widest = max(widest, _display_width(_cell_text(value)))
        if widest + 2 >= MAX_COLUMN_WIDTH:
            break
    return min(max(widest + 2, 6), MAX_COLUMN_WIDTH)


class _CellWriter:
    """Writes one value into a cell by its type: numbers as numbers (with their column's number format),
    dates as dates, yes/no as 是/否, anything else as text, formula-like text guarded. Plain str, float and
    int take the short way."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.text_guarded = wb.add_format({"quote_prefix": True})
        self.date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
        self.number_fmts = {kind: wb.add_format({"num_format": f}) for kind, f in EXCEL_FORMATS.items()}
        self.columns: list = []  # the number format of each column of the sheet being written

    def start_sheet(self, frame: pd.DataFrame) -> None:
        """Number formats by column (dashboard.formatting.number_kind: money #,##0.00, counts #,##0,
        rates 0.0%); the values stay numbers."""
        kinds = [number_kind(col, frame.iloc[:, j]) for j, col in enumerate(frame.columns)]
        self.columns = [self.number_fmts.get(k) for k in kinds]

    def write(self, ws, i: int, j: int, value) -> None:
        kind = type(value)
        if kind is str:
            ws.write_string(i, j, value, self.text_guarded if value.startswith(FORMULA_STARTS) else None)
        elif kind is float:
            if value == value:  # NaN is a blank cell
                ws.write_number(i, j, value, self.columns[j])
        elif kind is int:
            ws.write_number(i, j, float(value), self.columns[j])
        elif _is_missing(value):
            return
        elif isinstance(value, bool):
            ws.write_string(i, j, "是" if value else "否")
        elif isinstance(value, (int, float)):
            ws.write_number(i, j, float(value), self.columns[j])
        elif hasattr(value, "__float__") and not isinstance(value, (str, date)):
            ws.write_number(i, j, float(value), self.columns[j])  # numpy / Decimal numbers
        elif isinstance(value, (datetime, pd.Timestamp)):
            ws.write_datetime(i, j, pd.Timestamp(value).to_pydatetime(), self.date_fmt)
        elif isinstance(value, date):
            ws.write_datetime(i, j, datetime(value.year, value.month, value.day), self.date_fmt)
        else:
            text = str(value)
            ws.write_string(i, j, text, self.text_guarded if is_formula_like(text) else None)


def to_excel_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table (the dict key is the sheet name): styled header, frozen first row, column
    widths fitted to the content, and text never read as a formula, URL or number. A table longer than
    an Excel sheet continues on the next sheets (see _split_long).

    A workbook of more than CONSTANT_MEMORY_CELLS cells goes to temporary files row by row as it is
    written, so a download of a few hundred thousand rows does not hold every cell in memory."""
    buf = io.BytesIO()
    large = sum(frame.size for frame in frames.values()) > CONSTANT_MEMORY_CELLS
    options = {
        "in_memory": not large,
        "constant_memory": large,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    with xlsxwriter.Workbook(buf, options) as wb:
        header = wb.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"}
        )
        cells = _CellWriter(wb)
        sheets = _split_long(frames or {"空表": pd.DataFrame()})
        for sheet_name, (_, frame) in zip(_sheet_names([n for n, _ in sheets]), sheets, strict=True):
            ws = wb.add_worksheet(sheet_name)
            ws.set_row(0, 24)  # before the row is written: constant_memory writes rows out in order
            for j, col in enumerate(frame.columns):
                ws.write_string(0, j, str(col), header)
            cells.start_sheet(frame)
            for i, row in enumerate(frame.itertuples(index=False, name=None), start=1):
                for j, value in enumerate(row):
                    cells.write(ws, i, j, value)
            for j, col in enumerate(frame.columns):
                ws.set_column(j, j, _column_width(col, frame.iloc[:, j]))
            ws.freeze_panes(1, 0)
    return buf.getvalue()
