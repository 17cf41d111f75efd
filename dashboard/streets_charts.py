"""The street ranking as a plotly Figure (dashboard/streets.py's wide table)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, streets

CHART_CODES = ("U1", "U2", "W1", "H1")  # the rates, drawn per street (counts are in the table)


def street_chart(wide) -> go.Figure:
    """The four rates of every street side by side (percent), one group of bars per street."""
    fig = go.Figure()
    names = [charts.plot_text(s) for s in wide["street"]]
    for code in CHART_CODES:
        values = [None if pd.isna(v) else round(float(v) * 100, 1) for v in wide[f"{code}_value"]]
        fig.add_bar(name=streets.SHORT[code], x=names, y=values)
    fig.update_layout(
        barmode="group",
        yaxis_title="%",
        yaxis_range=[0, 100],
        height=380,
        margin=dict(l=50, r=10, t=20),
    )
    fig.update_xaxes(automargin=True)  # the street names, turned on a phone, are never cut off
    return charts.legend_below(fig, len(CHART_CODES))  # above the plot it ran into the 100 tick on a phone
