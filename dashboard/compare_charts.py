"""The 同比 / 环比 figure under a trend chart: one bar per month of the plan year, the change against the
same month last year or the month before. DataFrame -> plotly Figure, no Streamlit."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts
from dashboard.compare import MODE_LABELS, change_text

UP, DOWN = "#0072B2", "#E69F00"  # direction only: whether a rise is good depends on the series


def change_bar(frame: pd.DataFrame, mode: str, title: str, *, unit: str, rate: bool = False) -> go.Figure:
    """Bars of frame[<mode>_change] per month, labelled with the change (and % for counts)."""
    change = frame[f"{mode}_change"].astype("Float64")
    y = [None if pd.isna(c) else float(c) * (100 if rate else 1) for c in change]
    fig = go.Figure(
        go.Bar(
            x=[f"{int(m)}月" for m in frame["month"]],
            y=y,
            marker_color=[UP if (v or 0) >= 0 else DOWN for v in y],
            text=[
                change_text(c, p, unit=unit, rate=rate)
                for c, p in zip(frame[f"{mode}_change"], frame[f"{mode}_pct"], strict=True)
            ],
            textposition="outside",
            customdata=[[int(m)] for m in frame["month"]],
            hovertemplate=f"%{{x}} {MODE_LABELS[mode]}：%{{text}}<extra></extra>",
        )
    )
    fig.update_yaxes(
        title_text="百分点" if rate else unit, gridcolor="#DDDDDD", zerolinecolor="#111111", zerolinewidth=2
    )
    fig.update_xaxes(type="category")
    fig = charts._layout(fig, title, height=320)
    fig.update_traces(textfont=dict(size=13))
    return fig
