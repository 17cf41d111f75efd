"""A1 帮扶救助 (送温暖): aid by campaign, month, community, category and funding source, and the checks a
leader asks for. Each function is (cursor, filters, settings) -> DataFrame over queries/<same name>.sql.

People reached (人次) counts aid rows; distinct people are counted by ID number, else by name within the
community. "Last year" always means the same period of the year before (1 January to the as-of date).
Names and ID numbers come out as stored: pages mask them with dashboard.privacy.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from dashboard import privacy, spec
from dashboard.config import Settings
from dashboard.db import Rows, run_query, run_rows
from dashboard.filters import Filters

Cursor = duckdb.DuckDBPyConnection

CAMPAIGNS = tuple(spec.VOCABULARIES["campaign"])  # the plan's order: 春送岗位 … 日常帮扶
CATEGORIES = tuple(spec.VOCABULARIES["aid_category"])
FUNDINGS = tuple(spec.VOCABULARIES["funding"])
FOCUS_GROUPS = ("农民工", "外来务工人员")  # the plan singles these out (section 六)

# Column headers for tables shown to users.
LABELS = {
    "community": "社区",
    "recipient": "姓名",
    "id_number": "身份证号",
    "employer": "工作单位",
    "category": "对象类别",
    "campaign": "活动",
    "festival": "节日",
    "label": "活动",
    "given_on": "发放日期",
    "cash": "慰问金（元）",
    "goods_value": "物资折款（元）",
    "goods": "物资内容",
    "jobs_offered": "提供岗位数",
    "funding": "资金来源",
    "people": "人次",
    "distinct_people": "人数",
    "amount": "金额（元）",
    "per_person": "人均（元）",
    "jobs": "岗位数",
    "times": "次数",
    "dates": "发放日期",
    "campaigns": "活动数",
    "campaign_list": "参与活动",
    "missing_category": "缺少的类别",
    "migrant_people": "其中农民工",
    "outside_people": "其中外来务工人员",
}


def params(filters: Filters, settings: Settings) -> dict:
    """The shared filter parameters plus the vocabularies and thresholds the aid queries use."""
    return {
        **filters.params(settings),
        "campaigns": list(CAMPAIGNS),
        "festivals": list(spec.FESTIVALS),
        "categories": list(CATEGORIES),
        "fundings": list(FUNDINGS),
        "many_campaigns": int(settings.rule("aid_many_campaigns")),
        "gap_min_recipients": int(settings.rule("aid_gap_min_recipients")),
        "gap_categories": list(settings.rule("aid_gap_categories")),
    }


def _run(cur: Cursor, name: str, filters: Filters, settings: Settings, many_rows: bool = False) -> pd.DataFrame:
    return run_query(cur, name, params(filters, settings), many_rows=many_rows)


def aid_totals(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """One row: people, distinct people, cash, goods, amount, jobs, per-person amount; *_last the same
    period of the year before."""
    return _run(cur, "aid_totals", filters, settings)


def aid_campaigns(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Per campaign (节日慰问 per festival), every campaign listed: this year and the same period last year."""
    return _run(cur, "aid_campaigns", filters, settings)


def aid_by_month(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Year × month × campaign: people and amount, the plan year and the year before."""
    return _run(cur, "aid_by_month", filters, settings)


def aid_by_community(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Per community: people, distinct people, amounts, per-person amount, 农民工 and 外来务工人员 counts."""
    return _run(cur, "aid_by_community", filters, settings)


def aid_by_category(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Per recipient category, with the plan's focus groups flagged."""
    return _run(cur, "aid_by_category", filters, settings)


def aid_by_funding(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Per funding source: amounts and share of the total."""
    return _run(cur, "aid_by_funding", filters, settings)


def aid_rows(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """The rows behind every figure, for drilling down (unmasked: mask before showing)."""
    return _run(cur, "aid_rows", filters, settings, many_rows=True)


def aid_repeat_in_campaign(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """People aided more than once in the same campaign (and festival) of the year."""
    return _run(cur, "aid_repeat_in_campaign", filters, settings, many_rows=True)


def aid_repeat_people(cur: Cursor, filters: Filters, settings: Settings) -> int:
    """How many people aid_repeat_in_campaign's rows hold (a row is a person in one campaign)."""
    return int(_run(cur, "aid_repeat_people", filters, settings)["people"].iloc[0])


def aid_many_campaigns(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """People aided in at least rules.aid_many_campaigns different campaigns of the year."""
    return _run(cur, "aid_many_campaigns", filters, settings, many_rows=True)


def aid_category_gaps(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Communities with many recipients but none in one of rules.aid_gap_categories."""
    return _run(cur, "aid_category_gaps", filters, settings)


# the lists a page shows a screenful of (db.run_rows), by query
ROW_LISTS = ("aid_rows", "aid_repeat_in_campaign", "aid_many_campaigns")


def list_page(
    cur: Cursor,
    filters: Filters,
    settings: Settings,
    *,
    query: str = "aid_rows",
    where: dict | None = None,
    limit: int | None = None,
) -> Rows:
    """One of ROW_LISTS narrowed to a selection (for aid_rows see `drill_where`), at most `limit` rows,
    and how many match: a page fetches the rows it shows, not a district's 300,000."""
    if query not in ROW_LISTS:
        raise ValueError(f"not an aid row list: {query!r}")
    return run_rows(cur, query, params(filters, settings), where=where, limit=limit)


def drill_where(**selection) -> dict:
    """The aid_rows columns a chart selection fixes, e.g. drill_where(campaign="冬送温暖", month=1).

    A selection value of None means no restriction on that column; a campaign given as a label
    ("节日慰问·春节") also restricts the festival.
    """
    out = {}
    for column, value in selection.items():
        if column == "campaign" and value is not None and "·" in str(value):
            out["campaign"], out["festival"] = str(value).split("·", 1)
        else:
            out[column] = value
    return out


def for_display(frame: pd.DataFrame, user=None) -> pd.DataFrame:
    """A table as shown and downloaded: personal data masked (unless the user may see it), blank text as
    empty cells rather than None, dates without a time, Chinese column headers."""
    out = privacy.mask_frame(frame, user).copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.date
        elif out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].fillna("")
    return out.rename(columns=LABELS)
