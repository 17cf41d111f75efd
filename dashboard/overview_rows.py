"""The rows behind the overview's charts: which enterprises make up a community's U3 / W2 / H2 count,
for the list a click on a task bar opens. (cursor, filters, settings) -> DataFrame over
queries/<function name>.sql, like dashboard.metrics; the picking is a plain function so it is tested
without a browser."""

from __future__ import annotations

import pandas as pd

from dashboard.config import Settings
from dashboard.db import run_query
from dashboard.filters import Filters
from dashboard.metrics import Cursor

# What the detail and date columns mean for each count, as the list's headers say it.
DETAIL_LABELS = {"U3": ("建会情况", "建会时间"), "W2": ("协议类型", "签订日期"), "H2": ("评定等级", "评定日期")}


def new_task_rows(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """One row per enterprise counted in U3, W2 or H2 (code), with community, name, detail, happened_on
    and enterprise_key (rules in the SQL, the same as the counts')."""
    return run_query(cur, "new_task_rows", filters.params(settings), many_rows=True)


def rows_for_task_bar(frame: pd.DataFrame, code: str, community: str | None) -> pd.DataFrame:
    """The rows behind one bar of a task chart: indicator `code`'s enterprises in `community` (every
    community when None)."""
    out = frame[frame["code"] == code]
    if community:
        out = out[out["community"] == community]
    return out.reset_index(drop=True)
