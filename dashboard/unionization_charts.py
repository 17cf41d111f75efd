"""Figures of the 组建工会 and 和谐企业 pages: the monthly trend, size bands, 入会率, 时间进度与任务进度
and grade distribution. DataFrame -> plotly Figure, no Streamlit; house colours and fonts from
dashboard.charts. Every bar that stands for a community carries it as customdata (click-to-filter).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts
from dashboard.formatting import fmt_pct

LAST_YEAR = "#777777"
GRADE_COLOURS = {"AAA": "#00603F", "AA": "#009E73", "A": "#7FD1B9", "未达标": "#D55E00", "申报中": "#BBBBBB"}
EXTRA_GRADE = "#CC79A7"


def _legend(fig: charts.Draft) -> charts.Draft:
    """The legend on its own line between the title and the plot, so it never runs into a long title."""
    fig.update_layout(
        showlegend=True,
        legend=dict(orientation="h", y=1.0, x=0, xanchor="left", yanchor="bottom"),
        margin=dict(t=100),
    )
    return fig


def trend_chart(trend: pd.DataFrame, year: int, key: str, target: float, title: str) -> go.Figure:
    """A rate (key 'u1' or 'u2') at each month end, the plan year against the year before, target dashed."""
    fig = charts.Draft()
    for y, colour, dash in ((year - 1, LAST_YEAR, "dot"), (year, charts.NEUTRAL, "solid")):
        part = trend[trend["year"] == y]
        rates = part[f"{key}_rate"].astype(float) * 100
        fig.add_trace(
            go.Scatter(
                x=[f"{int(m)}月" for m in part["month"]],
                y=rates,
                name=f"{y}年",
                customdata=[[y, int(m)] for m in part["month"]],  # a click says which year and month
                mode="lines+markers",
                line=dict(color=colour, width=4 if y == year else 3, dash=dash),
                marker=dict(size=8),
                hovertemplate=f"{y}年" + "%{x}：%{y:.1f}%<extra></extra>",
            )
        )
        if len(part):
            fig.add_annotation(
                x=f"{int(part['month'].iloc[-1])}月",
                y=float(rates.iloc[-1]),
                text=fmt_pct(float(part[f"{key}_rate"].iloc[-1])),
                showarrow=False,
                yshift=18,
                font=dict(color=colour, size=16),
            )
    fig.add_hline(
        y=target * 100,
        line=dict(color=charts.TARGET_COLOUR, width=2, dash="dash"),
        annotation_text=f"目标 {target * 100:.0f}%",
        annotation_position="top left",
    )
    low = float(trend[f"{key}_rate"].astype(float).min() * 100) if trend[f"{key}_rate"].notna().any() else 0
    fig.update_yaxes(range=[max(0, min(low, target * 100) - 5), 100.5], ticksuffix="%", gridcolor="#DDDDDD")
    fig.update_xaxes(categoryorder="array", categoryarray=[f"{m}月" for m in range(1, 13)])
    return _legend(charts.layout(fig, title, height=380)).figure()


def size_band_bar(frame: pd.DataFrame, title: str) -> go.Figure:
    """Per size band: share of operating enterprises with any union and with their own union."""
    data = frame[frame["operating"] > 0]
    fig = charts.Draft()
    series = (("u2_rate", "建会率（含联合建会）", "#56B4E9"), ("own_rate", "独立建会率", charts.NEUTRAL))
    for col, name, colour in series:
        rates = data[col].astype(float)
        fig.add_trace(
            go.Bar(
                name=name,
                x=data["size_band"],
                y=rates * 100,
                marker_color=colour,
                text=[fmt_pct(r) for r in rates],
                textposition="outside",
                hovertemplate="%{x} · " + name + "：%{y:.1f}%<extra></extra>",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(range=[0, 115], ticksuffix="%", gridcolor="#DDDDDD")
    return _legend(charts.layout(fig, title, height=380)).figure()


def share_by_community_bar(frame: pd.DataFrame, value: str, title: str, colour: str = charts.NEUTRAL) -> go.Figure:
    """A plain share per community (e.g. 入会率), highest at the top."""
    data = frame.dropna(subset=[value]).sort_values(value, ascending=True)
    rates = data[value].astype(float)
    fig = charts.Draft(
        go.Bar(
            x=rates * 100,
            y=data["community"],
            orientation="h",
            marker_color=colour,
            text=[fmt_pct(r) for r in rates],
            textposition="auto",
            customdata=data[["community"]].to_numpy(),
            hovertemplate="%{y}：%{x:.1f}%<extra></extra>",
        )
    )
    fig.update_xaxes(range=[0, 100], ticksuffix="%")
    return charts.layout(fig, title, height=max(300, 36 * len(data) + 100)).figure()


def progress_bar(frame: pd.DataFrame, title: str) -> go.Figure:
    """任务进度 per community (done / target, capped at 100 %) against 时间进度 drawn as a line:
    a community left of the line is behind ("时间过半、任务过半")."""
    data = frame.sort_values(["task_share", "community"], ascending=[False, False])
    time_share = float(data["time_share"].iloc[0]) if len(data) else 0.0
    colours = [charts.STATUS_COLOURS["red"] if b else charts.STATUS_COLOURS["green"] for b in data["behind"]]
    fig = charts.Draft(
        go.Bar(
            x=data["task_share"].astype(float) * 100,
            y=data["community"],
            orientation="h",
            marker_color=colours,
            text=[f"{int(c)}/{int(t)} 家" for c, t in zip(data["count"], data["target"], strict=True)],
            # a short bar cannot hold its label: write it beside the bar (a zero bar is otherwise unlabelled)
            textposition=["outside" if s < 0.3 else "inside" for s in data["task_share"]],
            cliponaxis=False,
            customdata=data[["community"]].to_numpy(),
            hovertemplate="%{y}：任务进度 %{x:.0f}%<extra></extra>",
        )
    )
    fig.add_vline(
        x=time_share * 100,
        line=dict(color=charts.TARGET_COLOUR, width=3, dash="dash"),
        annotation_text=f"时间进度 {fmt_pct(time_share)}",
        annotation_position="top",
    )
    fig.update_xaxes(range=[0, 105], ticksuffix="%")
    return charts.layout(fig, title, height=max(300, 36 * len(data) + 100)).figure()


def grade_stack_bar(table: pd.DataFrame, grades: list[str], title: str) -> go.Figure:
    """Enterprises per community stacked by grade (the scale's order, best first), most graded at the top."""
    data = table.sort_values(["total", "community"], ascending=[True, False])
    fig = charts.Draft()
    for g in grades:
        if g not in data.columns:
            continue
        fig.add_trace(
            go.Bar(
                name=g,
                x=data[g],
                y=data["community"],
                orientation="h",
                marker_color=GRADE_COLOURS.get(g, EXTRA_GRADE),
                text=[str(int(v)) if v else "" for v in data[g]],
                textposition="inside",
                customdata=data[["community"]].to_numpy(),
                hovertemplate="%{y} · " + g + "：%{x} 家<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    # the legend under the plot (best grade first, as in the scale): with five or six grades it wraps on a
    # phone, and above the plot it ran into the title
    fig = charts.layout(fig, title, height=max(320, 36 * len(data) + 120) + 22 * ((len(fig.data) + 1) // 2))
    return charts.legend_below(fig, len(fig.data)).figure()
