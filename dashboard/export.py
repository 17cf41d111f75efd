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

from dashboard.privacy import mask_frame

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_SHEET_NAME = 31
MAX_COLUMN_WIDTH = 60


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
    """UTF-8 with a byte-order mark (so Excel reads Chinese correctly); formula-like text is quoted."""
    safe = df.copy()
    for col in safe.columns:
        if not (pd.api.types.is_numeric_dtype(safe[col]) or pd.api.types.is_datetime64_any_dtype(safe[col])):
            safe[col] = pd.Series([_csv_safe(v) for v in safe[col]], index=safe.index, dtype="object")
    safe.columns = [_csv_safe(str(c)) for c in safe.columns]
    return safe.to_csv(index=False).encode("utf-8-sig")


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


def _cell_text(value) -> str:
    if isinstance(value, (datetime, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    return str(value)


def to_excel_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table (the dict key is the sheet name): styled header, frozen first row, column
    widths fitted to the content, and text never read as a formula, URL or number."""
    buf = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with xlsxwriter.Workbook(buf, options) as wb:
        header = wb.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"}
        )
        text_guarded = wb.add_format({"quote_prefix": True})
        date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
        if not frames:
            frames = {"空表": pd.DataFrame()}
        for sheet_name, frame in zip(_sheet_names(list(frames)), frames.values(), strict=True):
            ws = wb.add_worksheet(sheet_name)
            widths = [_display_width(str(c)) for c in frame.columns]
            for j, col in enumerate(frame.columns):
                ws.write_string(0, j, str(col), header)
            for i, row in enumerate(frame.itertuples(index=False), start=1):
                for j, value in enumerate(row):
                    if _is_missing(value):
                        ws.write_blank(i, j, None)
                        continue
                    if isinstance(value, bool):
                        ws.write_string(i, j, "是" if value else "否")
                    elif isinstance(value, (int, float)) and not isinstance(value, bool):
                        ws.write_number(i, j, float(value))
                    elif hasattr(value, "__float__") and not isinstance(value, (str, date)):
                        ws.write_number(i, j, float(value))  # numpy / Decimal numbers
                    elif isinstance(value, (datetime, pd.Timestamp)):
                        ws.write_datetime(i, j, pd.Timestamp(value).to_pydatetime(), date_fmt)
                    elif isinstance(value, date):
                        ws.write_datetime(i, j, datetime(value.year, value.month, value.day), date_fmt)
                    else:
                        text = str(value)
                        ws.write_string(i, j, text, text_guarded if is_formula_like(text) else None)
                    widths[j] = max(widths[j], _display_width(_cell_text(value)))
            for j, w in enumerate(widths):
                ws.set_column(j, j, min(max(w + 2, 6), MAX_COLUMN_WIDTH))
            ws.set_row(0, 24)
            ws.freeze_panes(1, 0)
    return buf.getvalue()
