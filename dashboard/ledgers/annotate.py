"""The user's own workbook back with every problem cell highlighted and a comment on it.

.xlsx/.xlsm files are opened with openpyxl and keep their layout (titles, merged headers, widths).
.xls and .csv cannot be written back as they are, so their cell values are copied into a new .xlsx
first. Errors are filled red, warnings yellow; problems that name no cell go on an extra sheet
「导入问题」 that lists every problem.
"""

from __future__ import annotations

import io
from collections import defaultdict
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from dashboard.ledgers.model import ERROR, ParsedFile, Problem

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")
PROBLEMS_SHEET = "导入问题"
AUTHOR = "工会工作数据看板"
SEVERITY_LABELS = {"error": "错误", "warning": "提醒"}


def _norm(text) -> str:
    return "".join(str(text or "").split()).replace("（", "(").replace("）", ")")


def _open(data: bytes, file_name: str) -> tuple[Workbook, bool]:
    """The workbook to annotate and whether it keeps VBA (.xlsm)."""
    suffix = Path(file_name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        keep_vba = suffix == ".xlsm"
        return load_workbook(io.BytesIO(data), keep_vba=keep_vba, rich_text=False), keep_vba
    # Same reader as the import, so sheet names and row numbers match the problems.
    from dashboard.ledgers.read import read_workbook

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in read_workbook(data, file_name, max_upload_mb=float("inf")):
        ws = wb.create_sheet(sheet.name[:31])
        for r, row in enumerate(sheet.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value != "" and value is not None:
                    ws.cell(row=r, column=c, value=value)
    return wb, False


def _column_index(ws, header_row: int | None, header_text: str | None) -> int | None:
    """The column whose header (in the header row or the rows just above it) reads header_text."""
    if not header_text or not header_row:
        return None
    wanted = _norm(header_text)
    for r in range(header_row, max(header_row - 3, 0), -1):
        for cell in ws[r]:
            if cell.value is not None and _norm(cell.value) == wanted:
                return cell.column
    # A two-row header may be reported as "upper/lower" or "upper lower": try the last part.
    for sep in ("/", " ", "-"):
        if sep in header_text:
            return _column_index(ws, header_row, header_text.split(sep)[-1])
    return None


def annotate_workbook(data: bytes, parsed: ParsedFile, problems: list[Problem] | None = None) -> bytes:
    """The user's workbook with problem cells highlighted and commented, as .xlsx (or .xlsm) bytes."""
    problems = parsed.all_problems if problems is None else problems
    wb, _ = _open(data, parsed.file_name)
    header_rows = {s.sheet: s.header_row for s in parsed.sheets}
    by_cell: dict[tuple[str, int, int], list[Problem]] = defaultdict(list)
    for p in problems:
        if not p.sheet or p.sheet not in wb.sheetnames or not p.row:
            continue
        ws = wb[p.sheet]
        col = _column_index(ws, header_rows.get(p.sheet), p.column) or 1
        by_cell[(p.sheet, p.row, col)].append(p)
    for (sheet, row, col), items in by_cell.items():
        cell = wb[sheet].cell(row=row, column=col)
        worst = ERROR if any(p.severity == ERROR for p in items) else "warning"
        cell.fill = ERROR_FILL if worst == ERROR else WARNING_FILL
        text = "\n".join(f"【{SEVERITY_LABELS.get(p.severity, p.severity)}】{p.message}" for p in items)
        cell.comment = Comment(text, AUTHOR, width=300, height=40 + 40 * len(items))
    _problems_sheet(wb, problems)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _problems_sheet(wb: Workbook, problems: list[Problem]) -> None:
    name = PROBLEMS_SHEET
    while name in wb.sheetnames:
        name += "_"
    ws = wb.create_sheet(name)
    ws.append(["级别", "工作表", "行号", "列", "问题与处理办法"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for p in problems:
        ws.append([SEVERITY_LABELS.get(p.severity, p.severity), p.sheet or "", p.row or "", p.column or "", p.message])
        ws.cell(row=ws.max_row, column=1).fill = ERROR_FILL if p.severity == ERROR else WARNING_FILL
    for letter, width in zip("ABCDE", (8, 18, 8, 18, 90), strict=True):
        ws.column_dimensions[letter].width = width


def annotated_file_name(file_name: str) -> str:
    path = Path(file_name)
    suffix = ".xlsm" if path.suffix.lower() == ".xlsm" else ".xlsx"
    return f"{path.stem}（问题标注）{suffix}"
