"""Figures of the 集体协商 page: coverage by agreement type, the signing calendar, the wage increase
distribution. DataFrame -> plotly Figure, no Streamlit; house colours and fonts from dashboard.charts."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts
from dashboard.wages import AGREEMENT_TYPES, ALL_COMMUNITIES

TYPE_COLOURS = {"单独签订": charts.NEUTRAL, "行业性": "#56B4E9", "区域性": "#CC79A7"}
KIND_COLOURS = {"新签": charts.NEUTRAL, "续签": "#56B4E9", "未注明": "#999999"}
LAST_YEAR = "#555555"


def _with_legend(fig: charts.Draft, title: str, height: int) -> go.Figure:
    """The legend under the plot (charts.legend_below): beside the title it ran into it on a phone."""
    rows = (len(fig.data) + 1) // 2
    return charts.legend_below(charts.layout(fig, title, height + 22 * rows), len(fig.data)).figure()


def coverage_by_type_bar(frame: pd.DataFrame, title: str) -> go.Figure:
    """Enterprises covered per community, stacked by agreement type (the street total left out)."""
    data = frame[(frame["community"] != ALL_COMMUNITIES) & (frame["agreement_type"] != "合计")]
    totals = data.groupby("community")["enterprises"].sum().sort_values()
    order = list(totals.index)
    fig = charts.Draft()
    for kind in AGREEMENT_TYPES:
        part = data[data["agreement_type"] == kind].set_index("community").reindex(order)
        fig.add_trace(
            go.Bar(
                name=kind,
                x=part["enterprises"].fillna(0),
                y=order,
                orientation="h",
                marker_color=TYPE_COLOURS[kind],
                customdata=[[c] for c in order],
                hovertemplate="%{y} · " + kind + "：%{x} 家<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", legend_traceorder="normal")
    fig.update_xaxes(title_text="签约企业（家，一家可被多种协议覆盖）", rangemode="tozero")
    return _with_legend(fig, title, height=max(320, 36 * len(order) + 130))


def signing_calendar(frame: pd.DataFrame, year: int, title: str) -> go.Figure:
    """Agreement rows signed per month this year, stacked by 新签/续签, with last year's totals as a line."""
    months = list(range(1, 13))
    labels = [f"{m}月" for m in months]
    this_year = frame[frame["year"] == year]
    fig = charts.Draft()
    for kind in sorted(this_year["sign_kind"].unique(), key=lambda k: list(KIND_COLOURS).index(k)):
        part = this_year[this_year["sign_kind"] == kind].set_index("month")["agreements"].reindex(months)
        fig.add_trace(
            go.Bar(
                name=f"{year}年{kind}",
                x=labels,
                y=part.fillna(0),
                customdata=[[year, m] for m in months],  # a click says which year and month it picked
                marker_color=KIND_COLOURS.get(kind, "#999999"),
                hovertemplate="%{x} " + kind + "：%{y} 家<extra></extra>",
            )
        )
    last = frame[frame["year"] == year - 1].groupby("month")["agreements"].sum().reindex(months)
    if last.notna().any():
        fig.add_trace(
            go.Scatter(
                name=f"{year - 1}年合计",
                x=labels,
                y=last.fillna(0),
                customdata=[[year - 1, m] for m in months],
                mode="lines+markers",
                line=dict(color=LAST_YEAR, width=2, dash="dot"),
                hovertemplate="%{x} 上年：%{y} 家<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title_text="签约企业（家次）", gridcolor="#DDDDDD", rangemode="tozero")
    return _with_legend(fig, title, height=400)


def wage_increase_histogram(frame: pd.DataFrame, title: str) -> go.Figure:
    """Agreement rows per one-point band of the wage increase agreed."""
    labels = [f"{int(b)}–{int(b) + 1}%" for b in frame["band_low"]]
    fig = charts.Draft(
        go.Bar(
            x=labels,
            y=frame["agreements"],
            customdata=[[int(b)] for b in frame["band_low"]],  # a click says which band it picked
            marker_color=charts.NEUTRAL,
            text=[f"{int(n)}" for n in frame["agreements"]],
            textposition="outside",
            hovertemplate="增幅 %{x}：%{y} 家<extra></extra>",
        )
    )
    fig.update_yaxes(title_text="签约企业（家次）", gridcolor="#DDDDDD", rangemode="tozero")
    fig.update_xaxes(title_text="工资增长幅度")
    return charts.layout(fig, title, height=400).figure()
