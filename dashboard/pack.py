"""Workbooks handed out after the meeting: the tables behind the slides, each community's follow-up
list (分社区督办清单, zipped together), and the year-end statistics (年度大统计).

Every workbook goes through dashboard.export.to_excel_bytes (styled header, fitted widths, text never a
formula) and has personal data masked: these files leave the office.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pandas as pd

from dashboard import aid, disputes, harmonious, metrics, scope, spec, submissions, unionization, wages
from dashboard.export import mask_personal, to_excel_bytes
from dashboard.filters import Filters
from dashboard.meeting import Deck


def meeting_pack_bytes(deck: Deck, extra: dict[str, pd.DataFrame] | None = None) -> bytes:
    """One sheet per table behind the slides (sheet names keep the slide numbers; "9报送提醒" is the
    报送情况 slide's), then the `extra` sheets (submissions_sheets: the 报送情况 grid)."""
    sheets = {**deck.tables, **(extra or {})}
    return to_excel_bytes({name: mask_personal(frame) for name, frame in sheets.items()})


# ---- 报送情况 -----------------------------------------------------------------------------------------


def submissions_sheets(cur, filters, settings, today: str | date | None = None) -> dict[str, pd.DataFrame]:
    """报送情况: the community × ledger × month grid for the filters' plan year as of `today` (the meeting
    pack passes the deck's as-of date, so the grid and the 报送情况 slide agree), within the reader's scope
    (a cadre's: her community only). The reminders are the slide's own table (deck.tables["9报送提醒"])."""
    return {"报送情况": submissions.grid_table(submissions.grid(cur, filters, settings, today))}


def meeting_pack_name(deck: Deck) -> str:
    return f"{deck.file_prefix}{deck.year}年{deck.month}月例会数据.xlsx"


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A zip of named files; names are UTF-8 (the flag Windows Explorer and 7-Zip read)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def _frame(frame: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    cols = [c for c in labels if c in frame.columns]
    return mask_personal(frame[cols]).rename(columns=labels)


# ---- 分社区督办清单 -----------------------------------------------------------------------------------

FOLLOW_UP = {
    # sheet name -> (loader, Chinese headers of the columns kept)
    "应建未建企业": (
        unionization.unionisation_todo,
        spec.column_labels("name", "uscc", "industry", "employees", "phone"),
    ),
    "到期未续签": (
        wages.expired_without_renewal,
        spec.column_labels("name", "uscc", "agreement_type", "expires_on", "days_overdue", "union_chair", "phone"),
    ),
    "即将到期": (
        wages.expiring_agreements,
        spec.column_labels("name", "uscc", "agreement_type", "expires_on", "days_left", "union_chair", "phone"),
    ),
    "待创建和谐企业": (
        harmonious.harmonious_todo,
        spec.column_labels("name", "uscc", "employees", "latest_grade", "grade_year", "score", latest_grade="最近等级"),
    ),
    "超期未结争议": (
        disputes.open_cases,
        {
            "case_no": "案件编号",
            "name": "用人单位",
            "dispute_type": "争议类型",
            "workers": "涉及人数",
            "level": "调解层级",
            "received_on": "受理日期",
            "age_days": "已受理天数",
        },
    ),
}


def follow_up_lists(cur, filters, settings) -> dict[str, dict[str, pd.DataFrame]]:
    """Community -> sheet -> its rows of each list the meeting hands out (超期未结争议: only the overdue)."""
    frames = {}
    for sheet, (fn, _labels) in FOLLOW_UP.items():
        frame = fn(cur, filters, settings)
        if sheet == "超期未结争议":
            frame = frame[frame["overdue"].fillna(False).astype(bool)]
        frames[sheet] = frame
    communities = sorted({str(c) for f in frames.values() for c in f["community"].dropna()})
    return {
        c: {sheet: _frame(f[f["community"] == c], FOLLOW_UP[sheet][1]) for sheet, f in frames.items()}
        for c in communities
    }


def follow_up_zip(cur, filters, settings) -> bytes:
    """One workbook per community (its lists, masked) in a zip: 东风社区督办清单.xlsx, …"""
    lists = follow_up_lists(cur, filters, settings)
    return zip_bytes({f"{c}督办清单.xlsx": to_excel_bytes(sheets) for c, sheets in lists.items()})


# ---- 年度大统计 -----------------------------------------------------------------------------------------

ANNUAL_LABELS = {
    "community": "社区",
    "operating": "正常经营企业（家）",
    "unionised": "已建会企业（家）",
    "eligible": "25人以上企业（家）",
    "independent": "其中独立建会（家）",
    "new_unions": "本年新建会（家）",
    "employees": "建会企业职工（人）",
    "members": "工会会员（人）",
    "signed": "签订工资集体协议企业（家）",
    "new_signed": "本年新增建制（家）",
    "a_or_above": "A级以上和谐企业（家）",
    "new_harmonious": "本年新创建和谐企业（家）",
    "aid_people": "帮扶慰问（人次）",
    "aid_amount": "慰问金和物资（元）",
    "jobs": "提供岗位（个）",
    "cases": "受理劳动争议（件）",
    "collective": "其中集体争议（件）",
}


def annual_summary(cur, year: int, settings) -> pd.DataFrame:
    """The plan's section 八 figures per community at 31 December of `year`, with a 合计 row."""
    f = Filters(year=year, as_of=date(year, 12, 31))
    out = unionization.union_coverage_by_community(cur, f, settings)[
        ["community", "operating", "unionised", "eligible", "independent", "new_unions"]
    ]
    members = unionization.union_membership_by_community(cur, f, settings)[["community", "employees", "members"]]
    w1 = wages.w1_by_community(cur, f, settings).rename(columns={"numerator": "signed"})[["community", "signed"]]
    w2 = metrics.new_wage_agreements_by_community(cur, f, settings).rename(columns={"count": "new_signed"})
    h1 = metrics.harmonious_a_or_above(cur, f, settings).rename(columns={"numerator": "a_or_above"})
    h2 = metrics.new_harmonious_by_community(cur, f, settings).rename(columns={"count": "new_harmonious"})
    a = aid.aid_by_community(cur, f, settings).rename(columns={"people": "aid_people", "amount": "aid_amount"})
    d = disputes.disputes_by_community(cur, f, settings)
    for part in (
        members,
        w1,
        w2,
        h1[["community", "a_or_above"]],
        h2,
        a[["community", "aid_people", "aid_amount", "jobs"]],
        d[["community", "cases", "collective"]],
    ):
        out = out.merge(part, on="community", how="outer")
    numeric = [c for c in ANNUAL_LABELS if c != "community"]
    for c in numeric:
        out[c] = pd.to_numeric(out[c], errors="coerce").fillna(0)
        if c != "aid_amount":
            out[c] = out[c].astype(int)
    out = out.sort_values("community", ignore_index=True)
    total = {"community": "合计", **{c: out[c].sum() for c in numeric}}
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    return out[list(ANNUAL_LABELS)].rename(columns=ANNUAL_LABELS)


MONEY_ITEMS = (ANNUAL_LABELS["aid_amount"],)


def community_items(table: pd.DataFrame, row: pd.Series) -> pd.DataFrame:
    """One community's 年度大统计 as 项目 / 数量 / 金额（元）: counts in one column, money in the other, so
    each keeps its number format (1,234 and 124,200.00) as money does in every other download."""
    names = list(table.columns[1:])
    counts = [None if n in MONEY_ITEMS else int(row[n]) for n in names]
    money = [float(row[n]) if n in MONEY_ITEMS else None for n in names]
    return pd.DataFrame(
        {"项目": names, "数量": pd.array(counts, dtype="Int64"), "金额（元）": pd.array(money, dtype="Float64")}
    )


def annual_zip(cur, year: int, settings, street: str) -> bytes:
    """年度大统计: the street's workbook (one row per community and the total) and one per community (its
    figures as 项目 / 数值), zipped."""
    table = annual_summary(cur, year, settings)
    files = {f"{street}{year}年度大统计.xlsx": to_excel_bytes({f"{year}年度大统计": table})}
    for _, row in table.iterrows():
        name = row["社区"]
        if name == "合计":
            continue
        items = community_items(table, row)
        files[f"{name}{year}年度大统计.xlsx"] = to_excel_bytes({f"{name}{year}年": items})
    return zip_bytes(files)


def annual_pack(cur, filters, settings) -> bytes:
    """annual_zip for the filters' plan year, in the (cursor, filters, settings) shape pages load."""
    within = scope.of(cur)  # the whole street whatever the filters; a cadre's holds her community only
    street = filters.street or within.street_name(settings.street)
    covers = street if not within.by_community else street + scope.label(None, within)  # 示例街道东风社区
    return annual_zip(cur, filters.year, settings, covers)
