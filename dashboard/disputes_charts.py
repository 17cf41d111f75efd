"""Figures of the 劳动争议 page: the monthly trend with its moving average and collective disputes,
types, industries, communities, the three mediation levels and open cases by age. DataFrame -> plotly
Figure, no Streamlit; house colours and fonts from dashboard.charts. Bars carry customdata naming what a
click on them selects."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts
from dashboard.formatting import fmt_int, fmt_pct
from dashboard.spec import OVERDUE

LAST_YEAR = "#999999"
ALERT = charts.STATUS_COLOURS["red"]
OUTCOME_COLOURS = {"success": "#009E73", "failed": "#D55E00", "withdrawn": "#999999", "open": "#E69F00"}


def _legend_below(fig: charts.Draft) -> charts.Draft:
    """Legend under the plot: in a half-width column a legend beside the title collides with it."""
    fig.update_layout(
        showlegend=True,
        # at the foot of the figure (not of the plot): the axis title and ticks stay above it, never under it
        legend=dict(orientation="h", x=0, yref="container", y=0, yanchor="bottom", traceorder="normal"),
        margin=dict(b=100),
    )
    return fig


def monthly_trend(frame: pd.DataFrame, year: int, title: str) -> go.Figure:
    """Cases received per month of the plan year (bars), its 3-month moving average, last year's months
    (dotted), and a red marker with the count above each month that had a collective dispute."""
    this = frame[frame["year"] == year].set_index("month").reindex(range(1, 13))
    last = frame[frame["year"] == year - 1].set_index("month").reindex(range(1, 13))
    months = [f"{m}月" for m in range(1, 13)]
    fig = charts.Draft(
        [
            go.Bar(
                name=f"{year}年受理",
                x=months,
                y=this["cases"],
                marker_color=charts.NEUTRAL,
                customdata=[[m] for m in range(1, 13)],
                hovertemplate="%{x}：%{y} 件<extra></extra>",
            ),
            go.Scatter(
                name="3个月移动平均",
                x=months,
                y=this["ma3"],
                mode="lines",
                line=dict(color="#111111", width=3),
                hovertemplate="%{x} 移动平均：%{y:.1f} 件<extra></extra>",
            ),
            go.Scatter(
                name=f"{year - 1}年受理",
                x=months,
                y=last["cases"],
                mode="lines+markers",
                line=dict(color=LAST_YEAR, width=2, dash="dot"),
                hovertemplate="%{x} 去年：%{y} 件<extra></extra>",
            ),
        ]
    )
    collective = this[this["collective"].fillna(0) > 0]
    if len(collective):
        fig.add_trace(
            go.Scatter(
                # the count alone above the diamond: "集体3" over each of 12 months overlaps on a phone
                name="含集体争议（数字为件数）",
                x=[f"{m}月" for m in collective.index],
                y=collective["cases"],
                mode="markers+text",
                marker=dict(symbol="diamond", size=14, color=ALERT),
                text=[fmt_int(n) for n in collective["collective"]],
                textposition="top center",
                textfont=dict(color=ALERT, size=14),
                hovertemplate="%{x}：集体争议 %{text} 件<extra></extra>",
            )
        )
    fig.update_yaxes(title_text="件", gridcolor="#DDDDDD", rangemode="tozero")
    top = pd.concat([this["cases"], last["cases"]]).max()
    top = float(top) if top == top and top is not None else 1.0
    fig.update_yaxes(range=[0, max(top, 1) * 1.2])
    return charts.legend_below(charts.layout(fig, title, height=460), len(fig.data)).figure()


def _ranked_bar(labels, values, texts, title: str, axis: str, colours=None) -> go.Figure:
    fig = charts.Draft(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker_color=colours or charts.NEUTRAL,
            text=texts,
            textposition="auto",
            customdata=[[x] for x in labels],
            hovertemplate="%{y}：%{x}<extra></extra>",
        )
    )
    fig.update_xaxes(title_text=axis, rangemode="tozero")
    charts.wrap_categories(fig, labels)  # 行业 names run long: on two lines rather than cut on a phone
    return charts.layout(fig, title, height=max(320, 38 * len(labels) + 110)).figure()


def type_bar(frame: pd.DataFrame, title: str) -> go.Figure:
    """Cases per dispute type in the plan's order, with the success rate in the label."""
    data = frame.iloc[::-1]
    texts = [
        f"{fmt_int(n)}件 · 成功率{fmt_pct(r)}" if n else "0件"
        for n, r in zip(data["cases"], data["success_rate"], strict=True)
    ]
    colours = [ALERT if t == "劳动报酬" else charts.NEUTRAL for t in data["dispute_type"]]
    return _ranked_bar(list(data["dispute_type"]), data["cases"], texts, title, "件", colours)


def industry_bar(frame: pd.DataFrame, title: str) -> go.Figure:
    data = frame.sort_values(["cases", "industry"], ascending=[True, False])
    texts = [f"{fmt_int(n)}件 · {fmt_int(w)}人" for n, w in zip(data["cases"], data["workers"], strict=True)]
    return _ranked_bar(list(data["industry"]), data["cases"], texts, title, "件")


def community_bar(frame: pd.DataFrame, title: str) -> go.Figure:
    data = frame.sort_values(["cases", "community"], ascending=[True, False])
    texts = [
        f"{fmt_int(n)}件" + (f" · {OVERDUE}{fmt_int(o)}" if o else "")
        for n, o in zip(data["cases"], data["overdue_now"], strict=True)
    ]
    colours = [ALERT if o else charts.NEUTRAL for o in data["overdue_now"]]
    return _ranked_bar(list(data["community"]), data["cases"], texts, title, "件", colours)


def levels_bar(frame: pd.DataFrame, title: str) -> go.Figure:
    """Cases at each mediation level split by outcome; the level's success rate above its bar."""
    levels = list(frame["level"])
    fig = charts.Draft()
    for column, name in (("success", "调解成功"), ("failed", "调解不成"), ("withdrawn", "撤回"), ("open", "未结")):
        fig.add_trace(
            go.Bar(
                name=name,
                x=levels,
                y=frame[column],
                marker_color=OUTCOME_COLOURS[column],
                customdata=[[lv] for lv in levels],
                hovertemplate="%{x} · " + name + "：%{y} 件<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=levels,
            y=frame["cases"],
            mode="text",
            text=[f"成功率<br>{fmt_pct(r)}" for r in frame["success_rate"]],  # two lines: narrow columns never touch
            textposition="top center",
            showlegend=False,
            hoverinfo="skip",
        )
    )
    fig.update_layout(barmode="stack")
    top = float(frame["cases"].max()) if len(frame) else 1
    fig.update_yaxes(title_text="件", gridcolor="#DDDDDD", range=[0, max(top, 1) * 1.2])
    return _legend_below(charts.layout(fig, title, height=420)).figure()


def age_bar(frame: pd.DataFrame, title: str) -> go.Figure:
    """Open cases by how long they have been open; overdue ones in red."""
    bands = list(frame["age_band"])
    fig = charts.Draft(
        [
            go.Bar(
                name="未超期",
                x=bands,
                y=frame["cases"] - frame["overdue"],
                marker_color=charts.NEUTRAL,
                customdata=[[b] for b in bands],
                hovertemplate="%{x}：%{y} 件未超期<extra></extra>",
            ),
            go.Bar(
                name="超期",
                x=bands,
                y=frame["overdue"],
                marker_color=ALERT,
                text=[f"超期{fmt_int(o)}" if o else "" for o in frame["overdue"]],
                textposition="inside",
                textangle=0,
                customdata=[[b] for b in bands],
                hovertemplate="%{x}：%{y} 件超期<extra></extra>",
            ),
        ]
    )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(
        title_text="件", gridcolor="#DDDDDD", rangemode="tozero", dtick=1 if frame["cases"].max() < 8 else None
    )
    return _legend_below(charts.layout(fig, title, height=380)).figure()
