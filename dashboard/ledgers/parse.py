"""The parsing half of the import, end to end: bytes -> ParsedFile (no database).

read (cells) -> header (header rows, data rows, community in titles) -> columns (which ledger, which
field each column is) -> normalise (typed canonical values, defaults) -> validate (the contract).
Nothing here raises on bad input: a file that cannot be read gets ParsedFile.fatal, a row that
cannot be used gets an error Problem and is left out of the frame.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import PurePath

import numpy as np
import pandas as pd

from dashboard import spec
from dashboard.config import Settings, load_settings
from dashboard.ledgers import columns as cols
from dashboard.ledgers import header as hdr
from dashboard.ledgers import normalise as norm
from dashboard.ledgers import validate
from dashboard.ledgers.model import ERROR, WARNING, ParsedFile, ParsedSheet, Problem
from dashboard.ledgers.read import RawSheet, ReadError, collector_paused, read_workbook

log = logging.getLogger(__name__)

header_signature = cols.header_signature

# Vocabularies that drive an indicator: an unknown value rejects the row. Others only warn and keep
# the text as written.
STRICT_VOCABS = frozenset(
    {
        *("status", "union_status", "agreement_type", "sign_kind", "grade", "campaign", "outcome"),
        # the duty ledgers' words their measures count by
        *("test_kind", "union_role", "fund_channel", "unit_type", "site_kind", "activity_type"),
    }
)


def parse_file(
    data: bytes,
    file_name: str,
    *,
    community: str | None = None,
    street: str | None = None,
    mappings: dict[str, dict[str, str]] | None = None,
    settings: Settings | None = None,
) -> ParsedFile:
    """Read, recognise, normalise and validate every sheet of an uploaded ledger file."""
    with collector_paused():
        return _parse_file(data, file_name, community, street, mappings, settings)


def _parse_file(
    data: bytes,
    file_name: str,
    community: str | None,
    street: str | None,
    mappings: dict[str, dict[str, str]] | None,
    settings: Settings | None,
) -> ParsedFile:
    settings = settings or load_settings()
    pf = ParsedFile(file_name, hashlib.sha256(data).hexdigest(), street=street or settings.street)
    try:
        max_mb = float(settings.raw.get("import", {}).get("max_upload_mb", 50))
        sheets = read_workbook(data, file_name, max_upload_mb=max_mb)
        for raw in sheets:
            pf.sheets.append(
                parse_sheet(raw, file_name, community=community, street=pf.street, mappings=mappings, settings=settings)
            )
        pf.fatal = _nothing_to_import(pf, sheets)
    except ReadError as exc:
        pf.fatal = str(exc)
    except Exception:  # never let a strange file take the app down
        log.exception("parse_file failed on %s", file_name)
        pf.sheets = []
        pf.fatal = (
            "读取文件时出现意外错误，文件可能已损坏或格式特殊。"
            "请用 Excel 打开后另存为 .xlsx 再上传；如仍不行，请联系管理员。"
        )
    for s in pf.sheets:
        for p in s.problems:
            p.file = file_name
    return pf


def _nothing_to_import(pf: ParsedFile, sheets: list[RawSheet]) -> str | None:
    if not sheets or all(not _has_content(s.rows) for s in sheets):
        return "工作簿是空的：没有任何填写了内容的工作表。请确认上传的是填好的台账。"
    ledger_sheets = pf.ledger_sheets
    if not ledger_sheets:
        return (
            "没有在文件中识别出任何台账：各工作表的表头里都找不到台账的列名（如“企业名称”“职工人数”“签订日期”）。"
            "请确认上传的是看板所列台账之一，或下载数据页的空白模板，按模板表头整理后再上传。"
        )
    if all(s.rows_read == 0 for s in ledger_sheets) and not any(s.unmatched_required for s in ledger_sheets):
        names = "、".join(f"「{s.sheet}」" for s in ledger_sheets)
        return f"工作表{names}只有表头，没有数据行。请填写数据后再上传。"
    return None


def _has_content(rows: list[list]) -> bool:
    return any(v != "" and v is not None and not (isinstance(v, str) and not v.strip()) for row in rows for v in row)


def parse_sheet(
    raw: RawSheet,
    file_name: str,
    *,
    community: str | None = None,
    street: str = "",
    mappings: dict[str, dict[str, str]] | None = None,
    settings: Settings | None = None,
) -> ParsedSheet:
    """One sheet: recognise the ledger, normalise and validate its rows."""
    settings = settings or load_settings()
    if not _has_content(raw.rows):
        return ParsedSheet(raw.name, None, note="空工作表，已跳过。")
    head = hdr.find_header(raw.rows)
    if head is None:
        if cols.is_explanation_sheet(raw.name):
            return ParsedSheet(raw.name, None, note="说明页，已跳过。")
        return ParsedSheet(raw.name, None, note="没有找到表头（前 30 行中没有台账的列名），已跳过。")
    signature = cols.header_signature(head.headers)
    mapping = (mappings or {}).get(signature)
    title = " ".join(head.title_lines)
    cls = cols.classify(head.match_texts, sheet_name=raw.name, title_text=title, mapping=mapping)
    sheet = ParsedSheet(
        raw.name,
        cls.ledger,
        header_row=head.excel_row,
        raw_headers=list(head.headers),
        header_signature=signature,
        title_street=hdr.find_street(title) if title else None,
    )
    if cls.ledger is None:
        sheet.note = cls.note if not cols.is_explanation_sheet(raw.name) else "说明页，已跳过。"
        return sheet
    ledger = spec.LEDGERS[cls.ledger]
    sheet.header_map = {f: head.headers[c] for f, c in cls.columns.items()}
    rows = hdr.data_rows(raw.rows, head)  # on the cells as stored: a merged 合计 or footer stays one
    sheet.merged_filled = fill_merged(raw, rows.indices)
    sheet.rows_read = len(rows.indices)
    if raw.hidden_rows:
        sheet.hidden_rows_read = sum(1 for i in rows.indices if i in raw.hidden_rows)

    # The community the file itself names, for rows without a 社区 cell.
    file_community, source = _file_community(community, head.title_lines, rows.footer_lines, file_name)
    sheet.community = file_community
    sheet.community_source = "column" if "community" in cls.columns else source

    missing = [f for f in cls.unmatched_required if f != "community"]
    sheet.unmatched_required = list(missing)
    if "community" not in cls.columns and file_community is None:
        sheet.unmatched_required.append("community")
    for fname, col in cls.duplicate_columns:
        message = (
            f"「{head.headers[col]}」与「{sheet.header_map[fname]}」都对应{ledger.field(fname).label}，只使用了前一列。"
            "如有误，请在数据页手动对应各列。"
        )
        sheet.problems.append(_problem(WARNING, message, raw.name, ledger.name, None, head.headers[col], fname))
    if missing:
        wanted = "；".join(
            f"「{ledger.field(f).label}」（可用列名：{'、'.join(ledger.field(f).aliases)}）" for f in missing
        )
        sheet.problems.append(
            _problem(
                ERROR,
                f"识别为{ledger.label}，但没有找到必填列{wanted}。本表未导入：请在数据页手动对应各列，或把表头改成上述列名之一。",
                raw.name,
                ledger.name,
                head.excel_row,
            )
        )
        sheet.rows_rejected = sheet.rows_read
        return sheet
    if sheet.rows_read == 0:
        sheet.note = "只有表头，没有数据行。"
        return sheet

    df, issues = build_frame(raw.rows, rows.indices, ledger, cls.columns, sheet.header_map, file_community, settings)
    flagged = {(i.row, i.field) for i in issues}
    # A value already reported as unreadable is blank now: do not report it again as missing.
    issues += [
        i
        for i in validate.check(df, ledger.name, sheet.header_map, set(cls.columns))
        if (i.row, i.field) not in flagged
    ]
    rejected = {i.row for i in issues if i.severity == ERROR}
    if "uscc" in ledger.columns and "uscc" not in cls.columns:
        sheet.problems.append(
            _problem(
                WARNING,
                "本表没有“统一社会信用代码”列，企业将按名称和社区识别，跨台账匹配可能不准。建议加上该列。",
                raw.name,
                ledger.name,
                head.excel_row,
            )
        )
    if "community" not in cls.columns and file_community is None:
        # One sheet-level error instead of the same complaint on every row.
        issues = [i for i in issues if i.field != "community"]
        rejected = set(df.index)
        sheet.problems.append(
            _problem(
                ERROR,
                "本表没有“社区”列，标题、填报单位和文件名中也没有写明社区，无法确定这些记录属于哪个社区，全部未导入。"
                "请在导入时选择社区，或在表中加一列“社区”后重新上传。",
                raw.name,
                ledger.name,
                head.excel_row,
            )
        )
    for i in sorted(issues, key=lambda i: (i.row, i.severity != ERROR)):
        sheet.problems.append(
            _problem(i.severity, i.message, raw.name, ledger.name, i.row, sheet.header_map.get(i.field), i.field)
        )
    keep = ~df.index.isin(list(rejected)) if rejected else np.ones(len(df), dtype=bool)
    df = df[keep]
    sheet.rows_rejected = sheet.rows_read - len(df)
    df.insert(0, "street", pd.array([street] * len(df), dtype="string"))
    df["source_sheet"] = pd.array([raw.name] * len(df), dtype="string")
    df["source_row"] = pd.array(df.index.to_numpy(), dtype="Int64")
    sheet.frame = df.reset_index(drop=True)
    return sheet


def fill_merged(raw: RawSheet, data_indices: list[int]) -> int:
    """Copy each merged range's value (kept by Excel in its first cell) into its cells on data rows.

    Only ranges starting on a data row: a community, 行业, 协议名称 or 填报单位 merged down the rows of
    several enterprises (or across columns). Header merges are left to header.find_header (group
    labels); 合计 and footer rows are not data rows, so a footer merged across the width stays one
    line. Returns how many ranges were filled.
    """
    if not raw.merged:
        return 0
    data = set(data_indices)
    filled = 0
    rows = raw.rows
    for r0, c0, r1, c1 in raw.merged:
        if r0 not in data or (r0 == r1 and c0 == c1):
            continue
        width = len(rows[r0])
        if c0 >= width:
            continue
        value = rows[r0][c0]
        if value == "" or value is None:
            continue
        first = rows[r0]
        if not any(v != "" and v is not None for c, v in enumerate(first) if c < c0 or c > c1):
            continue  # a line of text merged across the row (a note, 填报人), not a field's value
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            if r not in data:
                continue
            row = rows[r]
            for c in range(c0, min(c1, width - 1) + 1):
                row[c] = value
        filled += 1
    return filled


def _problem(severity, message, sheet, ledger, row=None, column=None, field=None) -> Problem:
    return Problem(severity, message, sheet=sheet, row=row, column=column, field=field, ledger=ledger)


def _file_community(
    option: str | None, title_lines: list[str], footer_lines: list[str], file_name: str
) -> tuple[str | None, str | None]:
    if option and option.strip():
        return spec.community_key(option.strip()), "option"
    for line in title_lines:
        for unit in hdr.unit_lines([line]):
            found = hdr.find_community(unit)
            if found:
                return found, "unit_line"
        if "单位" not in line:
            found = hdr.find_community(line)
            if found:
                return found, "title"
    for unit in hdr.unit_lines(footer_lines):
        found = hdr.find_community(unit)
        if found:
            return found, "unit_line"
    found = hdr.find_community(PurePath(file_name).stem)
    return (found, "file_name") if found else (None, None)


def build_frame(
    rows: list[list],
    indices: list[int],
    ledger: spec.Ledger,
    columns: dict[str, int],
    headers: dict[str, str],
    file_community: str | None,
    settings: Settings,
) -> tuple[pd.DataFrame, list[norm.Issue]]:
    """Normalised frame of a ledger's data rows (index = Excel row number) and the issues found."""
    index = pd.Index(np.asarray(indices, dtype=np.int64) + 1, name="row")
    n = len(indices)
    order = list(columns.items())
    grid = np.empty((n, len(rows[0]) if rows else 0), dtype=object)
    if n:
        grid[:] = [rows[i] for i in indices]
    grid = grid[:, [c for _, c in order]]
    issues: list[norm.Issue] = []
    data: dict[str, pd.Series] = {}
    for k, (fname, _) in enumerate(order):
        f = ledger.field(fname)
        raw = grid[:, k]
        col = norm.normalise_column(raw, f, headers.get(fname, ""))
        values = col.values
        values.index = index
        if col.bad.any():
            strict = f.kind != spec.VOCAB or f.vocab in STRICT_VOCABS
            values = values.copy()
            for pos in np.flatnonzero(col.bad):
                issues.append(_bad_value(int(index[pos]), f, headers.get(fname, f.label), raw[pos], strict))
                if not strict:  # keep the text as written
                    values.iloc[pos] = norm.parse_text(raw[pos])[0]
        if col.estimate is not None:
            shown_header = headers.get(fname, f.label)
            for pos in np.flatnonzero(col.estimate):
                row = int(index[pos])
                issues.append(
                    norm.Issue(
                        row,
                        fname,
                        WARNING,
                        f"第{row}行「{shown_header}」为“{hdr.cell_text(raw[pos])}”，是估计数而不是确数，本项未导入（留空），"
                        "该行其他内容照常导入。请填写准确的数字后重新上传。",
                    )
                )
        data[fname] = values
        for extra, series in col.extra.items():
            series.index = index
            data[extra] = series
    df = pd.DataFrame(data, index=index)
    for f in ledger.fields:  # fields the sheet lacks: all blank, with the right dtype
        if f.name not in df.columns:
            df[f.name] = _blank_column(f, index)
    if ledger.name == "aid" and "festival" not in df.columns:
        df["festival"] = pd.array([None] * n, dtype="string")
    if file_community is not None:
        df["community"] = df["community"].fillna(file_community)
    if "name" in df.columns:
        df["name_norm"] = norm.name_norm(df["name"])
    issues += apply_defaults(df, ledger, headers, settings)
    order_cols = [*ledger.columns, *[c for c in ("name_norm", "festival") if c in df.columns]]
    return df[order_cols], issues


def _blank_column(f: spec.Field, index: pd.Index) -> pd.Series:
    n = len(index)
    if f.kind in (spec.INT, spec.YEAR):
        arr = pd.array([None] * n, dtype="Int64")
    elif f.kind in (spec.AMOUNT, spec.NUMBER, spec.PERCENT):
        arr = pd.array([None] * n, dtype="Float64")
    elif f.kind == spec.DATE:
        return pd.Series(np.full(n, np.datetime64("NaT"), dtype="M8[s]"), index=index)
    elif f.kind == spec.BOOL:
        arr = pd.array([None] * n, dtype="boolean")
    else:
        arr = pd.array([None] * n, dtype="string")
    return pd.Series(arr, index=index)


def _bad_value(row: int, f: spec.Field, header: str, raw, strict: bool) -> norm.Issue:
    shown = hdr.cell_text(raw)
    if f.kind == spec.VOCAB:
        allowed = "、".join(spec.VOCABULARIES[f.vocab or ""])
        if strict:
            msg = f"第{row}行「{header}」为“{shown}”，不是认可的取值，应为{allowed}之一。请改正后重新上传。"
        else:
            msg = f"第{row}行「{header}」为“{shown}”，不在常用取值（{allowed}）中，已按原文导入，建议改为其中之一。"
        return norm.Issue(row, f.name, ERROR if strict else WARNING, msg)
    expected = norm.EXPECTED.get(f.kind, "无法识别")
    return norm.Issue(row, f.name, ERROR, f"第{row}行「{header}」为“{shown}”，{expected}。请改正后重新上传。")


def apply_defaults(
    df: pd.DataFrame, ledger: spec.Ledger, headers: dict[str, str], settings: Settings
) -> list[norm.Issue]:
    """Fill the blanks the spec gives a meaning to; report the fills a user should know about."""
    issues: list[norm.Issue] = []
    if ledger.name == "enterprises":
        df["status"] = df["status"].fillna("正常经营")
        blank = df["union_status"].isna()
        founded = blank & df["union_founded"].notna()
        df.loc[blank & ~founded, "union_status"] = "未建会"
        if founded.any():
            df.loc[founded, "union_status"] = "独立建会"
            h = headers.get("union_status", "建会情况")
            for row in df.index[founded]:
                issues.append(
                    norm.Issue(
                        int(row),
                        "union_status",
                        WARNING,
                        f"第{row}行「{h}」为空但填了建会时间，已按“独立建会”导入；如是联合建会，请改正后重新上传。",
                    )
                )
    elif ledger.name == "wage_agreements":
        df["agreement_type"] = df["agreement_type"].fillna("单独签订")
        years = int(settings.rule("agreement_term_years"))
        blank = df["expires_on"].isna() & df["signed_on"].notna()
        if blank.any():
            signed = df.loc[blank, "signed_on"]
            df.loc[blank, "expires_on"] = (signed + pd.DateOffset(years=years) - pd.Timedelta(days=1)).astype("M8[s]")
    elif ledger.name == "aid":
        df["cash"] = df["cash"].fillna(0.0)
        df["goods_value"] = df["goods_value"].fillna(0.0)
    elif ledger.name == "disputes":
        df["workers"] = df["workers"].fillna(1)
        blank = df["outcome"].isna()
        df.loc[blank & df["closed_on"].isna(), "outcome"] = "调解中"
        closed_blank = blank & df["closed_on"].notna()
        h = headers.get("outcome", "调解结果")
        for row in df.index[closed_blank]:
            issues.append(
                norm.Issue(
                    int(row),
                    "outcome",
                    ERROR,
                    f"第{row}行填了结案日期，但「{h}」为空。请填写调解成功、调解不成或撤回；未结案的请删去结案日期。",
                )
            )
    return issues


def read_notes(pf: ParsedFile) -> list[str]:
    """What the reader did that the user should know: merged ranges filled, hidden rows read."""
    notes = []
    for s in pf.ledger_sheets:
        if s.merged_filled:
            notes.append(
                f"工作表「{s.sheet}」：数据区有 {s.merged_filled} 处合并单元格，"
                "已把合并格的内容填入其中的每一行（每一格）。"
            )
        if s.hidden_rows_read:
            notes.append(f"工作表「{s.sheet}」：有 {s.hidden_rows_read} 行在 Excel 中被隐藏，已按数据照常读取。")
    return notes
