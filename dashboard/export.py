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

from dashboard import spec

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_SHEET_NAME = 31
MAX_COLUMN_WIDTH = 60

# How each personal field is masked; any other personal field is masked like a name.
_PHONE_FIELDS = {"phone"}
_ID_FIELDS = {"id_number"}


def _personal_columns() -> dict[str, str]:
    """Column name (field name, Chinese label or any header alias) -> masking rule."""
    out: dict[str, str] = {}
    for ledger in spec.LEDGERS.values():
        for f in ledger.fields:
            if not f.personal:
                continue
            rule = "phone" if f.name in _PHONE_FIELDS else "id" if f.name in _ID_FIELDS else "name"
            for col in (f.name, f.label, *f.aliases):
                out[col] = rule
    return out


PERSONAL_COLUMNS = _personal_columns()


def _is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def mask_name(value) -> str | None:
    """张三 -> 张*, 欧阳娜娜 -> 欧***: the first character, then one * per remaining character."""
    if _is_missing(value):
        return None
    s = str(value).strip()
    return s[:1] + "*" * (len(s) - 1) if s else s


def mask_phone(value) -> str | None:
    """13812345678 -> 138****5678, 022-26424432 -> 022*****4432: the first 3 and the last 4 characters
    stay, everything between becomes *. A number of 7 characters or fewer keeps only its last 4."""
    if _is_missing(value):
        return None
    s = str(value).strip()
    if len(s) <= 7:
        return "*" * max(len(s) - 4, 0) + s[-4:]
    return s[:3] + "*" * (len(s) - 7) + s[-4:]


def mask_id_number(value) -> str | None:
    """120101199001011234 -> 1201**********1234: the first 4 and the last 4 characters stay."""
    if _is_missing(value):
        return None
    s = str(value).strip()
    if len(s) <= 8:
        return "*" * len(s)
    return s[:4] + "*" * (len(s) - 8) + s[-4:]


_MASKERS = {"name": mask_name, "phone": mask_phone, "id": mask_id_number}


def mask_personal(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` with every personal-data column (by field name or Chinese header) masked."""
    out = df.copy()
    for col in out.columns:
        rule = PERSONAL_COLUMNS.get(str(col))
        if rule:
            out[col] = pd.Series([_MASKERS[rule](v) for v in out[col]], index=out.index, dtype="object")
    return out


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
