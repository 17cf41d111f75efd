"""Column settings shared by every on-screen table: money and counts with thousands separators."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from dashboard.formatting import COUNT, MONEY, number_kind


def number_columns(frame: pd.DataFrame, config: Mapping | None = None) -> dict:
    """NumberColumn settings for the money and count columns of `frame` (dashboard.formatting.number_kind)
    that `config` leaves alone: thousands separators on screen (124,200) while the cells stay numbers and
    sort by value."""
    out = {}
    for j, col in enumerate(frame.columns):
        if config and col in config:
            continue
        if number_kind(col, frame.iloc[:, j]) in (MONEY, COUNT):
            out[col] = st.column_config.NumberColumn(format="localized")
    return out
