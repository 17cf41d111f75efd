"""The shared 同比 / 环比 control under every trend chart: pick a comparison and see the change per month
(a bar chart, the last month in a sentence, the table with downloads). Data: dashboard.compare."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import compare_charts
from dashboard.compare import (
    MODE_LABELS,
    MODE_NOTES,
    MOM,
    PARTIAL_NOTE,
    YOY,
    comparison_table,
    latest_sentence,
    rows_for_month,
)
from dashboard.ui.tables import clickable_chart, data_table, pick_nonce, pick_note, point_value
from dashboard.ui.text import md

TABLE_LABELS = {
    "month": "月份",
    "value": "本月",
    "last_year": "去年同月",
    "yoy": "同比",
    "previous": "上月",
    "mom": "环比",
}


def compare_control(key: str) -> str | None:
    """None, 'yoy' or 'mom' as the user picks; its own key per chart, so each chart keeps its choice."""
    return st.segmented_control(
        "对比",
        [YOY, MOM],
        format_func=lambda m: MODE_LABELS[m],
        key=key,
        bind="query-params",
        help="同比：与去年同月比较；环比：与上月比较。再点一次可收起。",
    )


def comparison(frame: pd.DataFrame, *, key: str, what: str, unit: str, rate: bool = False) -> None:
    """The control and, once a comparison is picked, its chart, sentence and table."""
    mode = compare_control(f"{key}_mode")
    if mode is None or frame.empty:
        return

    event = clickable_chart(
        compare_charts.change_bar(frame, mode, f"{what}{MODE_LABELS[mode]}变化", unit=unit, rate=rate),
        key=f"{key}_chart_{mode}_{pick_nonce(key)}",
    )
    notes = [MODE_NOTES[mode]]
    if frame["partial"].any():
        notes.append(PARTIAL_NOTE)
    st.caption(latest_sentence(frame, mode, what=what, unit=unit, rate=rate) + " " + "".join(notes))
    table = comparison_table(frame, unit=unit, rate=rate)
    month = point_value(event, "x")
    if month:  # a bar clicked: its month's figures, open
        pick_note(f"下表只显示 **{md(month)}**（在上方变化图中点击了该月）。", prefix=key, clear="显示全部月份")
        data_table(
            rows_for_month(table, month), key=f"{key}_table", file_name=f"{what}_同比环比_{month}", labels=TABLE_LABELS
        )
        return
    with st.expander(f"{what}逐月同比、环比表（点击上方柱条只看该月）"):
        data_table(table, key=f"{key}_table", file_name=f"{what}_同比环比", labels=TABLE_LABELS)
