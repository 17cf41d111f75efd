"""Step 2 of the import: find the header row(s) of a sheet and the data rows below them.

Hand-kept ledgers put a title ("东风社区企业建会情况台账") and a unit/date line above the header, often
a two-row header with merged cells ("企业基本情况" over 名称/信用代码), and below the data a 合计 row and
a footer ("填报人：  审核人：  填报日期："). This module finds the header within the first rows,
drops everything that is not data, and reads the community/street named in titles, the 填报单位 line
or the file name.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from dashboard.ledgers.columns import match_header, norm_header

MAX_HEADER_SCAN = 30
MIN_HEADER_MATCHES = 2
SEQUENCE_HEADERS = frozenset({"序号", "序", "no", "no.", "顺序号"})
TOTAL_WORDS = ("合计", "小计", "总计", "共计")
FOOTER_WORDS = (
    "填报人", "填表人", "审核人", "制表人", "制表", "统计人", "负责人", "单位负责人", "联系人:",
    "填报日期", "填表日期", "报送日期", "注:", "备注:", "说明:",
)  # fmt: skip
# Group labels above a two-row header ("企业基本情况" over "名称") lose these words when combined.
_GROUP_SUFFIX = re.compile(r"(基本情况|基本信息|情况|信息)$")


@dataclass
class HeaderInfo:
    first_row: int  # 0-based index of the first header row (Excel row first_row + 1)
    last_row: int  # 0-based index of the last header row
    headers: list[str]  # per column: the header text as the user sees it ("" when blank)
    title_lines: list[str] = field(default_factory=list)  # text of the rows above the header
    match_texts: list[str] = field(default_factory=list)  # per column: the text matched to aliases

    def __post_init__(self) -> None:
        if not self.match_texts:
            self.match_texts = list(self.headers)

    @property
    def excel_row(self) -> int:
        return self.last_row + 1


def cell_text(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _score(headers: list[str]) -> int:
    return sum(1 for h in headers if h and match_header(h))


def _combine(upper: list, lower: list) -> tuple[list[str], list[str]]:
    """One header per column from a two-row header: (text to match, text as the user sees it).

    Group labels are forward-filled across their merged cells: "工会情况" over "成立时间" matches as
    "工会成立时间" but is shown as "成立时间".
    """
    match, shown = [], []
    group = ""
    for u_raw, l_raw in zip(upper, lower, strict=False):
        u, lo = cell_text(u_raw), cell_text(l_raw)
        if u:
            group = u
        elif not lo:
            group = ""
        shown.append(lo or u)
        if lo and match_header(lo):
            match.append(lo)
            continue
        if lo and group:
            combos = (group + lo, _GROUP_SUFFIX.sub("", group) + lo)
            hit = next((c for c in combos if match_header(c)), None)
            if hit:
                match.append(hit)
                continue
        match.append(lo or u)
    return match, shown


def find_header(rows: list[list], max_scan: int = MAX_HEADER_SCAN) -> HeaderInfo | None:
    """The header row (or two-row header) that names the most known fields; None if none names two."""
    best: tuple[int, int, int, list[str], list[str]] | None = None  # (score, first, last, match, shown)
    for r in range(min(max_scan, len(rows))):
        single = [cell_text(v) for v in rows[r]]
        candidates = [(r, r, single, single)]
        if r > 0:
            candidates.append((r - 1, r, *_combine(rows[r - 1], rows[r])))
        for first, last, match, shown in candidates:
            score = _score(match)
            # Strictly better only: ties keep the earlier, single-row reading.
            if best is None or score > best[0]:
                best = (score, first, last, match, shown)
    if best is None or best[0] < MIN_HEADER_MATCHES:
        return None
    _, first, last, match, shown = best
    title_lines = [" ".join(cell_text(v) for v in rows[i] if cell_text(v)) for i in range(first)]
    return HeaderInfo(first, last, shown, [t for t in title_lines if t], match)


@dataclass
class DataRows:
    indices: list[int]  # 0-based indices of data rows in the sheet
    footer_lines: list[str] = field(default_factory=list)
    dropped_totals: int = 0


def _norm_cell(value) -> str:
    return unicodedata.normalize("NFKC", "".join(str(value).split()))


def data_rows(rows: list[list], header: HeaderInfo) -> DataRows:
    """Rows below the header that hold data: blank, total, footer and repeated header rows dropped."""
    out = DataRows([])
    seq_cols = {i for i, h in enumerate(header.headers) if norm_header(h) in SEQUENCE_HEADERS}
    header_set = {norm_header(h) for h in header.headers if h}
    after_footer = False
    start = header.last_row + 1
    for i in range(start, len(rows)):
        row = rows[i]
        # Fast path for the usual data row: more than six cells and the first three filled. Of the tests
        # below only the total and repeated-header ones can drop it, and both start from those three cells;
        # any row they might drop goes the long way.
        if i != start and len(row) - row.count("") > 6:
            a, b, c = row[0], row[1], row[2]
            if (
                a != ""
                and b != ""
                and c != ""
                and not (isinstance(a, str) and ("计" in a or norm_header(a) in header_set))
                and not (isinstance(b, str) and "计" in b)
                and not (isinstance(c, str) and "计" in c)
            ):
                out.indices.append(i)
                continue
        filled = [j for j, v in enumerate(row) if v != ""]  # readers give "" for empty cells
        if len(filled) <= 3:  # whitespace-only cells count as blank (checked on sparse rows only)
            filled = [j for j in filled if not (isinstance(row[j], str) and not row[j].strip())]
        if not filled:
            continue
        if len(filled) == 1 and filled[0] in seq_cols:
            continue  # pre-numbered blank template row
        if len(filled) <= 6:
            texts = [_norm_cell(row[j]) for j in filled if isinstance(row[j], str)]
            if any(t.startswith(FOOTER_WORDS) for t in texts):
                after_footer = True
                out.footer_lines.append(" ".join(cell_text(row[j]) for j in filled))
                continue
            if after_footer and len(filled) <= 2:
                out.footer_lines.append(" ".join(cell_text(row[j]) for j in filled))
                continue
        # Cheap tests first: these run on every row of a 100,000-row sheet.
        heads = [row[j] for j in filled[:3] if isinstance(row[j], str) and "计" in row[j]]
        if heads and any(_norm_cell(t).startswith(TOTAL_WORDS) for t in heads):
            out.dropped_totals += 1
            continue
        if i == start and len(filled) >= 3 and _is_column_number_row([row[j] for j in filled]):
            continue
        first = row[filled[0]]
        if isinstance(first, str) and norm_header(first) in header_set and _repeats_header(row, filled, header_set):
            continue  # header repeated (printed pages)
        out.indices.append(i)
    return out


def _repeats_header(row: list, filled: list[int], header_set: set[str]) -> bool:
    return len(filled) >= 3 and sum(1 for j in filled if norm_header(cell_text(row[j])) in header_set) * 2 >= len(
        filled
    )


def _is_column_number_row(values: list) -> bool:
    try:
        nums = [int(float(v)) for v in values if not isinstance(v, dt.date)]
    except (TypeError, ValueError, OverflowError):
        return False
    return len(nums) == len(values) and nums == list(range(nums[0], nums[0] + len(nums))) and nums[0] in (0, 1)


# --- community and street named in titles, unit lines and file names ---------------------------

_COMMUNITY = re.compile(r"([\u4e00-\u9fa5A-Za-z0-9]+?)社区")
_STREET = re.compile(r"([\u4e00-\u9fa5]+?)街道")
_PLACE_CUT = re.compile(r".*(?:街道|[省市区县镇乡]|单位|[:：\s（(])")
_NOT_A_NAME = ("各", "全", "所有", "本", "辖区", "所属", "xx", "XX", "××")


def find_community(text: str) -> str | None:
    """The community named in a title, unit line or file name: "XX街道东风社区企业台账" -> "东风社区"."""
    for m in _COMMUNITY.finditer(unicodedata.normalize("NFKC", text)):
        stem = _PLACE_CUT.sub("", m.group(1))
        if stem and stem not in _NOT_A_NAME and not stem.endswith(_NOT_A_NAME) and not stem.isdigit():
            return stem + "社区"
    return None


def find_street(text: str) -> str | None:
    for m in _STREET.finditer(unicodedata.normalize("NFKC", text)):
        stem = re.sub(r".*(?:[省市区县]|[:：\s])", "", m.group(1))
        if stem and stem not in _NOT_A_NAME:
            return stem + "街道"
    return None


def unit_lines(lines: list[str]) -> list[str]:
    """The 填报单位 parts of lines ("填报单位：东风社区居委会  填报日期：…" -> "东风社区居委会")."""
    out = []
    for line in lines:
        m = re.search(r"(?:填报|报送|填表)?单位\s*[:：]\s*(\S+)", unicodedata.normalize("NFKC", line))
        if m:
            out.append(m.group(1))
    return out
