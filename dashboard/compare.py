"""Year-on-year (同比) and month-on-month (环比) changes behind every trend chart.

Each chart's monthly series already comes from its topic's query (the plan year and the year before);
`month_changes` turns such a series into one row per month of the plan year up to the as-of month: the
value, the same month a year before and the month before (January's is December of the year before),
and the changes. The topic functions are (cursor, filters, settings) -> DataFrame like the rest.
"""

from __future__ import annotations

import pandas as pd

from dashboard import aid, disputes, unionization, wages
from dashboard.config import Settings
from dashboard.filters import Filters
from dashboard.metrics import Cursor

YOY, MOM = "yoy", "mom"
MODE_LABELS = {YOY: "同比", MOM: "环比"}
MODE_NOTES = {
    YOY: "同比：本月与去年同月相比。",
    MOM: "环比：本月与上月相比（1月与去年12月相比）。",
}
PARTIAL_NOTE = "统计截止日所在月份只计到截止日，与整月相比会偏低。"
COLUMNS = [
    "month",
    "value",
    "last_year",
    "yoy_change",
    "yoy_pct",
    "previous",
    "mom_change",
    "mom_pct",
    "partial",
]


def _change_pct(change, base):
    """Relative change; None when the base is 0 or missing (a rise from nothing has no percentage)."""
    if base is None or pd.isna(base) or base == 0 or change is None or pd.isna(change):
        return None
    return float(change) / float(base)


def month_changes(frame: pd.DataFrame, value: str, filters: Filters, *, rate: bool = False) -> pd.DataFrame:
    """Changes of `value` per month of the plan year up to the as-of month.

    `frame` has year, month and `value` columns; several rows of one month are summed (a count split by
    kind or campaign). Months with no row are 0 for counts and missing for rates. For a rate, the
    changes are differences of the fractions (percentage points once shown) and no *_pct is given.
    """
    year, as_of = filters.year, filters.as_of_date
    if frame.empty:
        series: dict[tuple[int, int], float | None] = {}
    elif rate:
        series = {
            (int(y), int(m)): (None if pd.isna(v) else float(v))
            for y, m, v in zip(frame["year"], frame["month"], frame[value], strict=True)
        }
    else:
        summed = frame.groupby(["year", "month"])[value].sum(min_count=1)
        series = {(int(y), int(m)): (None if pd.isna(v) else float(v)) for (y, m), v in summed.items()}

    def get(y: int, m: int):
        got = series.get((y, m))
        return got if got is not None or rate else (got or 0.0)

    last_month = as_of.month if as_of.year == year else 12
    rows = []
    for m in range(1, last_month + 1):
        v = get(year, m)
        ly = get(year - 1, m)
        prev = get(year, m - 1) if m > 1 else get(year - 1, 12)
        yoy = None if v is None or ly is None else v - ly
        mom = None if v is None or prev is None else v - prev
        rows.append(
            {
                "month": m,
                "value": v,
                "last_year": ly,
                "yoy_change": yoy,
                "yoy_pct": None if rate else _change_pct(yoy, ly),
                "previous": prev,
                "mom_change": mom,
                "mom_pct": None if rate else _change_pct(mom, prev),
                # a month still running at the as-of date: fewer days than the month it is compared with
                "partial": as_of.year == year and m == as_of.month and (as_of + pd.Timedelta(days=1)).month == m,
            }
        )
    out = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("value", "last_year", "yoy_change", "yoy_pct", "previous", "mom_change", "mom_pct"):
        out[col] = pd.array(out[col], dtype="Float64")
    return out


def union_trend_compare(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """U1 and U2 at each month end against the same month last year and the month before; column
    `indicator` is U1 or U2; changes are differences of rates."""
    trend = unionization.union_trend_monthly(cur, filters, settings)
    parts = []
    for code in ("U1", "U2"):
        part = month_changes(trend, f"{code.lower()}_rate", filters, rate=True)
        part["partial"] = False  # a month-end stock, not a flow: a part month is not short of anything
        parts.append(part.assign(indicator=code))
    return pd.concat(parts, ignore_index=True)


def signings_compare(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Agreement rows signed per month (新签 and 续签 together), with 同比 and 环比."""
    return month_changes(wages.signings_by_month(cur, filters, settings), "agreements", filters)


def aid_month_compare(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """People reached (人次, every campaign) per month, with 同比 and 环比."""
    return month_changes(aid.aid_by_month(cur, filters, settings), "people", filters)


def disputes_month_compare(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Cases received per month, with 同比 and 环比."""
    frame = disputes.disputes_by_month(cur, filters, settings)
    return month_changes(frame[~frame["after_as_of"]], "cases", filters)


def _num(x) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def change_text(change, pct, *, unit: str, rate: bool = False) -> str:
    """+3 件（+50.0%）, −2 件, 持平, +1.5 个百分点, 无可比数据."""
    change, pct = _num(change), _num(pct)
    if change is None:
        return "无可比数据"
    if abs(change) < 1e-12:
        return "持平"
    sign = "+" if change > 0 else "−"
    if rate:
        return f"{sign}{abs(change) * 100:.1f} 个百分点"
    text = f"{sign}{abs(change):,.0f} {unit}"
    return text if pct is None else f"{text}（{sign}{abs(pct) * 100:.1f}%）"


def _value_text(value, *, unit: str, rate: bool) -> str:
    value = _num(value)
    if value is None:
        return "—"
    return f"{value * 100:.1f}%" if rate else f"{value:,.0f} {unit}"


def comparison_table(frame: pd.DataFrame, *, unit: str, rate: bool = False) -> pd.DataFrame:
    """month_changes as text for a table: month, value, last_year, yoy, previous, mom."""

    def changes(mode: str) -> list[str]:
        pairs = zip(frame[f"{mode}_change"], frame[f"{mode}_pct"], strict=True)
        return [change_text(c, p, unit=unit, rate=rate) for c, p in pairs]

    return pd.DataFrame(
        {
            "month": [f"{int(m)}月" for m in frame["month"]],
            "value": [_value_text(v, unit=unit, rate=rate) for v in frame["value"]],
            "last_year": [_value_text(v, unit=unit, rate=rate) for v in frame["last_year"]],
            "yoy": changes(YOY),
            "previous": [_value_text(v, unit=unit, rate=rate) for v in frame["previous"]],
            "mom": changes(MOM),
        }
    )


def rows_for_month(table: pd.DataFrame, month: str | None) -> pd.DataFrame:
    """The row of comparison_table behind one bar of the change chart (its x, e.g. '3月'); the whole
    table when nothing is picked."""
    if not month:
        return table
    return table[table["month"] == month].reset_index(drop=True)


def latest_sentence(frame: pd.DataFrame, mode: str, *, what: str, unit: str, rate: bool = False) -> str:
    """The last month in a sentence: '6月受理 1 件，同比 +1 件；上月 1 件。'"""
    if frame.empty:
        return ""
    row = frame.iloc[-1]
    value = row["value"]
    shown = _value_text(value, unit=unit, rate=rate)
    base_text = _value_text(row["last_year" if mode == YOY else "previous"], unit=unit, rate=rate)
    base_name = "去年同月" if mode == YOY else "上月"
    change = change_text(row[f"{mode}_change"], row[f"{mode}_pct"], unit=unit, rate=rate)
    partial = "（截至统计截止日）" if bool(row["partial"]) else ""
    return f"{int(row['month'])}月{what} {shown}{partial}，{MODE_LABELS[mode]} {change}；{base_name} {base_text}。"
