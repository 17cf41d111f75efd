"""D1 劳动争议: monthly trend, types, industries, communities, three-level mediation, open cases by age,
wage arrears, repeat employers and early warnings. Each function is (cursor, filters, settings) ->
DataFrame over queries/<same name>.sql, except `early_warnings`, which joins two of them into alerts.

Cases are counted by the date they were received; a case is closed at the as-of date only when its
outcome is final and it was closed by then, so a case closed after the as-of date was open on it.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from dashboard import spec
from dashboard.config import Settings
from dashboard.db import Rows, run_query, run_rows
from dashboard.filters import Filters
from dashboard.formatting import fmt_int, fmt_yuan

Cursor = duckdb.DuckDBPyConnection

TYPES = tuple(spec.VOCABULARIES["dispute_type"])
LEVELS = tuple(spec.VOCABULARIES["mediation_level"])  # 企业, 社区, 街道: the plan's 三级调解

SPIKE, COLLECTIVE = "spike", "collective"
WARNING_COLUMNS = ["kind", "date", "community", "name", "case_no", "workers", "cases", "threshold", "message"]

LABELS = {
    "case_no": "案件编号",
    "community": "社区",
    "name": "用人单位",
    "industry": "行业",
    "dispute_type": "争议类型",
    "workers": "涉及人数",
    "collective": "集体争议",
    "amount": "涉及金额（元）",
    "level": "调解层级",
    "outcome": "调解结果",
    "received_on": "受理日期",
    "closed_on": "结案日期",
    "age_days": "已受理天数",
    "age_band": "受理时长",
    "overdue": "超期",
    "cases": "案件数",
    "types": "争议类型",
    "first_received": "首次受理",
    "last_received": "最近受理",
    "case_nos": "案件编号",
    "open": spec.OPEN_THIS_YEAR,  # the tables that have it break this year's cases down
}


def params(filters: Filters, settings: Settings) -> dict:
    """The shared filter parameters plus the vocabularies and thresholds the dispute queries use."""
    return {
        **filters.params(settings),
        "types": list(TYPES),
        "levels": list(LEVELS),
        "overdue_days": int(settings.rule("mediation_overdue_days")),
        "repeat_cases": int(settings.rule("repeat_employer_cases")),
    }


def _run(cur: Cursor, name: str, filters: Filters, settings: Settings, many_rows: bool = False) -> pd.DataFrame:
    return run_query(cur, name, params(filters, settings), many_rows=many_rows)


def dispute_kpis(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """One row: cases (and cases_last, same period last year), collective, closed, success, success_rate,
    median_days to close, open_now and overdue_now at the as-of date, wage-arrears cases/workers/amount."""
    return _run(cur, "disputes_kpis", filters, settings)


def disputes_by_month(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Months of the plan year and the year before: cases, collective, 3-month moving average."""
    return _run(cur, "disputes_by_month", filters, settings)


def dispute_spikes(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Months of the plan year: cases, mean and sd of the 12 months before, threshold, judged, spike."""
    return _run(cur, "disputes_spikes", filters, settings)


def collective_disputes(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Collective disputes received in the plan year up to the as-of date."""
    return _run(cur, "disputes_collective", filters, settings, many_rows=True)


def disputes_by_type(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    return _run(cur, "disputes_by_type", filters, settings)


def disputes_by_industry(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    return _run(cur, "disputes_by_industry", filters, settings)


def disputes_by_community(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    return _run(cur, "disputes_by_community", filters, settings)


def mediation_levels(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """企业 / 社区 / 街道: cases, closed, success, success_rate, share_of_settled."""
    return _run(cur, "disputes_mediation_levels", filters, settings)


def open_cases(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Every case open at the as-of date, oldest first, with age_days, age_band and overdue."""
    return _run(cur, "disputes_open_cases", filters, settings, many_rows=True)


def open_cases_by_age(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    return _run(cur, "disputes_open_cases_by_age", filters, settings)


def wage_arrears_by_community(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    return _run(cur, "disputes_wage_arrears_by_community", filters, settings)


def repeat_employers(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Employers with rules.repeat_employer_cases or more cases in the 12 months up to the as-of date."""
    return _run(cur, "disputes_repeat_employers", filters, settings, many_rows=True)


def dispute_rows(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """The cases behind every figure (the plan year and the year before), for drilling down."""
    return _run(cur, "disputes_rows", filters, settings, many_rows=True)


def dispute_rows_page(
    cur: Cursor,
    filters: Filters,
    settings: Settings,
    *,
    where: dict | None = None,
    limit: int | None = None,
) -> Rows:
    """dispute_rows narrowed to a chart selection ({column: value}, None meaning any), at most `limit`
    rows, and how many match."""
    return run_rows(cur, "disputes_rows", params(filters, settings), where=where, limit=limit)


def _or_unfilled(dispute_type) -> str:
    """The type for a message; a blank one (None, or pandas' NA/NaN in a string column) reads 未填类型."""
    return "未填类型" if pd.isna(dispute_type) or not str(dispute_type).strip() else str(dispute_type)


SPIKE_COLUMNS = ["kind", "date", "cases", "threshold", "message"]


def spike_warnings(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """The spike alerts alone (what 总览 shows): one row per month of the plan year whose cases exceed
    mean + 2 sd of the 12 months before (queries/disputes_spikes.sql), newest first, with kind, date,
    cases, threshold and message; the same rows as early_warnings' spike rows, without reading the
    collective disputes."""
    spikes = dispute_spikes(cur, filters, settings)
    rows = [
        {
            "kind": SPIKE,
            "date": r.month_start,
            "cases": int(r.cases),
            "threshold": float(r.threshold),
            "message": (
                f"{r.year}年{r.month}月受理劳动争议 {fmt_int(r.cases)} 件，超过前12个月平均"
                f" {r.mean_prev:.1f} 件加2倍标准差（预警线 {r.threshold:.1f} 件），请关注。"
            ),
        }
        for r in spikes[spikes["spike"].fillna(False).astype(bool)].itertuples()
    ]
    out = pd.DataFrame(rows, columns=SPIKE_COLUMNS)
    return out.sort_values("date", ascending=False, ignore_index=True) if len(out) else out


def early_warnings(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Alerts for the page: months whose cases exceed mean + 2 sd of the 12 months before
    (spike_warnings), and every collective dispute of the selected period; spikes first, then newest first."""
    rows = spike_warnings(cur, filters, settings).to_dict("records")
    for r in collective_disputes(cur, filters, settings).itertuples():
        state = r.outcome if r.is_closed else "尚未结案"
        amount = f"，涉及金额 {fmt_yuan(r.amount)}" if r.amount == r.amount and r.amount is not None else ""
        rows.append(
            {
                "kind": COLLECTIVE,
                "date": r.received_on,
                "community": r.community,
                "name": r.name,
                "case_no": r.case_no,
                "workers": int(r.workers),
                "message": (
                    f"集体争议：{r.community} {r.name}，{_or_unfilled(r.dispute_type)}，涉及 {int(r.workers)} 人"
                    f"{amount}，{r.received_on:%Y-%m-%d} 受理，{state}（{r.case_no}）。"
                ),
            }
        )
    out = pd.DataFrame(rows, columns=WARNING_COLUMNS)
    if out.empty:
        return out
    out["order"] = (out["kind"] != SPIKE).astype(int)
    out = out.sort_values(["order", "date"], ascending=[True, False], ignore_index=True)
    return out.drop(columns="order")


def drill(rows: pd.DataFrame, **selection) -> pd.DataFrame:
    """The cases matching a chart selection, e.g. drill(rows, year=2026, month=3); None means any."""
    out = rows
    for column, value in selection.items():
        if value is not None:
            out = out[out[column] == value]
    return out.reset_index(drop=True)


def for_display(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as shown and downloaded: yes/no flags in words, blank text as empty cells, dates without
    a time, Chinese column headers."""
    out = frame.copy()
    if "collective" in out.columns and out["collective"].dtype == bool:
        out["collective"] = out["collective"].map({True: "是", False: ""})
    if "overdue" in out.columns:
        out["overdue"] = out["overdue"].map({True: "超期", False: ""})
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.date
        elif out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].fillna("")
    return out.rename(columns=LABELS)
