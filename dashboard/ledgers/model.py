"""The objects passed between the import steps: read → header → columns → normalise → validate → load.

parse (no database) produces a ParsedFile; load writes it in one transaction as one batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

ERROR = "error"  # the row is rejected
WARNING = "warning"  # the row is kept


@dataclass(slots=True)
class Problem:
    """One thing wrong, located as the user sees it in their own file.

    Slotted: a large file can carry a million of these (one per flagged cell), and a slotted instance
    takes about a third less memory than one with a __dict__."""

    severity: str  # ERROR or WARNING
    message: str  # a Chinese sentence: what is wrong and what to do
    file: str = ""
    sheet: str | None = None
    row: int | None = None  # Excel row number (1-based), as shown in the user's spreadsheet
    column: str | None = None  # the header text in the user's file
    field: str | None = None  # our field name, when known
    ledger: str | None = None

    def where(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"工作表「{self.sheet}」")
        if self.row:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"「{self.column}」列")
        return "".join(parts)

    def as_dict(self) -> dict:
        return {
            "severity": self.severity,
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "field": self.field,
            "ledger": self.ledger,
            "message": self.message,
        }


@dataclass
class ParsedSheet:
    """One sheet recognised as a ledger (or skipped, with the reason in `note`)."""

    sheet: str
    ledger: str | None  # None when the sheet was skipped
    note: str | None = None  # why skipped, or other remarks shown to the user
    header_row: int | None = None  # Excel row number of the (last) header row
    header_map: dict[str, str] = field(default_factory=dict)  # field -> header text as in the file
    # Normalised accepted rows: the ledger's fields (see dashboard.spec) plus name_norm (when the
    # ledger has a name), festival (aid), street, source_sheet and source_row (Excel row number).
    # dtypes: text/vocab/community/uscc/id_number "string"; int/year "Int64"; amount/number/percent
    # "Float64"; date "datetime64[s]" (midnight); bool "boolean". Blanks are <NA>/NaT, except where
    # the parser fills a default (status, union_status, agreement_type, expires_on, outcome, cash,
    # goods_value, workers).
    frame: pd.DataFrame = field(default_factory=pd.DataFrame)
    rows_read: int = 0  # data rows found (after dropping blank, total and footer rows)
    rows_rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    community_source: str | None = None  # "column", "title", "unit_line", "file_name", "option"
    # For the manual column-mapping UI: every header text of the sheet (index = column), the key a
    # hand-made mapping is remembered under, and required fields no column was matched to.
    raw_headers: list[str] = field(default_factory=list)
    header_signature: str | None = None
    unmatched_required: list[str] = field(default_factory=list)
    community: str | None = None  # the community the file names (title, 填报单位, file name or option)
    title_street: str | None = None  # a street named in the title, if any (informational)
    merged_filled: int = 0  # merged ranges in the data area whose value was copied into every cell
    hidden_rows_read: int = 0  # data rows hidden in Excel (read as data like any other)


@dataclass
class ParsedFile:
    file_name: str
    sha256: str
    sheets: list[ParsedSheet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # file-level problems
    fatal: str | None = None  # the file could not be read at all: a Chinese message
    street: str | None = None  # the street every row was stamped with

    @property
    def all_problems(self) -> list[Problem]:
        out = list(self.problems)
        for s in self.sheets:
            out.extend(s.problems)
        return out

    @property
    def rows_rejected(self) -> int:
        return sum(s.rows_rejected for s in self.sheets)

    @property
    def ledger_sheets(self) -> list[ParsedSheet]:
        return [s for s in self.sheets if s.ledger]
