"""DataFrame -> plotly Figure. No Streamlit here. Colours carry meaning only: status, and the target.

Status colours are the Okabe-Ito blue/orange/vermillion family, readable on a washed-out projector
and distinguishable by colour-blind viewers; every bar also carries its value as text.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.formatting import fmt_pct

STATUS_COLOURS = {"green": "#009E73", "amber": "#E69F00", "red": "#D55E00", "none": "#999999"}
TARGET_COLOUR = "#111111"
NEUTRAL = "#0072B2"
FONT = dict(family="WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, sans-serif", size=16, color="#111111")


def layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(
        title=dict(text=title, font=dict(size=20)),
        font=FONT,
        height=height,
        margin=dict(l=10, r=40, t=70, b=10),
        plot_bgcolor="white",
        paper_bgcolor="white",
        showlegend=False,
    )
    fig.update_xaxes(gridcolor="#DDDDDD", zerolinecolor="#999999")
    fig.update_yaxes(automargin=True, tickfont=dict(size=15))
    fig.update_traces(cliponaxis=False, selector=dict(type="bar"))
    return fig


def rate_by_community_bar(frame: pd.DataFrame, target: float, title: str) -> go.Figure:
    """Ranked horizontal bars of each community's rate, the target drawn as a line."""
    data = frame.dropna(subset=["rate"]).sort_values("rate", ascending=True)
    fig = go.Figure(
        go.Bar(
            x=data["rate"] * 100,
            y=data["community"],
            orientation="h",
            marker_color=[STATUS_COLOURS[s] for s in data["status"]],
            text=[
                f"{fmt_pct(r)}（{int(n)}/{int(d)}）"
                for r, n, d in zip(data["rate"], data["numerator"], data["denominator"], strict=True)
            ],
            textposition="auto",
            customdata=data[["community"]].to_numpy(),
            hovertemplate="%{y}：%{x:.1f}%<extra></extra>",
        )
    )
    fig.add_vline(
        x=target * 100,
        line=dict(color=TARGET_COLOUR, width=3, dash="dash"),
        annotation_text=f"目标 {target * 100:.0f}%",
        annotation_position="top",
    )
    fig.update_xaxes(range=[0, 100], ticksuffix="%")
    return layout(fig, title, height=max(300, 40 * len(data) + 100))


def count_by_community_bar(frame: pd.DataFrame, target: int, title: str) -> go.Figure:
    """Per-community counts against the per-community target (2 a year in the plan)."""
    data = frame.sort_values(["count", "community"], ascending=[True, True])
    colours = [STATUS_COLOURS["green"] if c >= target else STATUS_COLOURS["red"] for c in data["count"]]
    fig = go.Figure(
        go.Bar(
            x=data["count"],
            y=data["community"],
            orientation="h",
            marker_color=colours,
            text=[f"{int(c)} 家" for c in data["count"]],
            textposition="outside",
            customdata=data[["community"]].to_numpy(),
            hovertemplate="%{y}：%{x} 家<extra></extra>",
        )
    )
    fig.add_vline(
        x=target,
        line=dict(color=TARGET_COLOUR, width=3, dash="dash"),
        annotation_text=f"目标 {target} 家",
        annotation_position="top",
    )
    fig.update_xaxes(dtick=1, rangemode="tozero")
    return layout(fig, title, height=max(300, 36 * len(data) + 100))


def aid_by_campaign_bar(frame: pd.DataFrame, title: str) -> go.Figure:
    """Money by campaign (cash + goods), stacked horizontal bars so the campaign names stay readable."""
    data = frame.assign(total=frame["cash"].astype(float) + frame["goods"].astype(float)).sort_values("total")
    fig = go.Figure(
        [
            go.Bar(
                name="慰问金",
                y=data["campaign"],
                x=data["cash"].astype(float) / 1e4,
                orientation="h",
                marker_color=NEUTRAL,
            ),
            go.Bar(
                name="物资折款",
                y=data["campaign"],
                x=data["goods"].astype(float) / 1e4,
                orientation="h",
                marker_color="#56B4E9",
            ),
        ]
    )
    fig.update_layout(barmode="stack")
    fig = layout(fig, title, height=max(300, 45 * len(data) + 120))
    fig.update_layout(showlegend=True, legend=dict(orientation="h", y=1.0, yanchor="bottom", x=1, xanchor="right"))
    return fig
