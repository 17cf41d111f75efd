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
    # short labels on the bars, none when unchanged (the % and the unit are in the hover, the axis and the
    # table below)
    labels = ["" if v is None or abs(v) < 1e-9 else (f"{v:+.1f}" if rate else f"{v:+,.0f}") for v in y]
    fig = charts.Draft(
        go.Bar(
            x=[f"{int(m)}月" for m in frame["month"]],
            y=y,
            marker_color=[UP if (v or 0) >= 0 else DOWN for v in y],
            text=[t.replace("-", "−") for t in labels],
            textposition="outside",
            textfont=dict(size=14),
            customdata=[
                [int(m), change_text(c, p, unit=unit, rate=rate)]
                for m, c, p in zip(frame["month"], frame[f"{mode}_change"], frame[f"{mode}_pct"], strict=True)
            ],
            hovertemplate=f"%{{x}} {MODE_LABELS[mode]}：%{{customdata[1]}}<extra></extra>",
        )
    )
    values = [abs(v) for v in y if v is not None] or [1.0]
    pad = max(max(values), 1e-9) * 0.3
    low = min([v for v in y if v is not None] or [0.0])
    high = max([v for v in y if v is not None] or [0.0])
    fig.update_yaxes(
        title_text="百分点" if rate else unit,
        gridcolor="#DDDDDD",
        zerolinecolor="#111111",
        zerolinewidth=2,
        range=[min(low, 0) - pad, max(high, 0) + pad],
    )
    fig.update_xaxes(type="category", tickangle=0, tickfont=dict(size=12))
    fig = charts.layout(fig, title, height=320)
    fig.update_layout(uniformtext=dict(minsize=12, mode="show"))
    return fig.figure()
