"""各街道排名 on a page: the streets side by side (dashboard/streets.py), drawn only when the reader's data
holds more than one street; with one street loaded nothing is drawn and the page is as before."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import streets
from dashboard.filters import Filters
from dashboard.streets_charts import street_chart
from dashboard.ui.data import load, lookup
from dashboard.ui.tables import data_table


def many_streets() -> bool:
    """More than one street in the reader's scope (the lookup reads through it)."""
    return len(streets.streets_in(lookup("communities"))) > 1


def street_ranking(filters: Filters, *, key: str, title: str = "各街道排名", wide: pd.DataFrame | None = None) -> bool:
    """The street ranking table (and the rates' chart) under `title`; False when one street is read.
    `wide`: streets.ranking of these filters, when the page has it already (streets.district_tables)."""
    if not many_streets():
        return False
    if wide is None:
        wide = load(streets.ranking, filters)
    if len(wide) < 2:  # the filter bar narrowed it to one street
        return False
    st.subheader(title, help=streets.NOTE)
    data_table(streets.for_display(wide), key=key, file_name=f"{filters.year}年各街道排名")
    st.plotly_chart(street_chart(wide), key=f"{key}_chart", theme=None, config={"displayModeBar": False})
    return True
