"""Figures of the 帮扶救助 page: campaigns against last year, the month calendar, communities, categories
and funding. DataFrame -> plotly Figure, no Streamlit; house colours and fonts from dashboard.charts.
Every bar carries customdata naming what a click on it selects (campaign label, month, community…)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts
from dashboard.aid import CAMPAIGNS
from dashboard.formatting import fmt_int, fmt_pct, fmt_yuan

LAST_YEAR = "#999999"
FOCUS = "#E69F00"  # 农民工 and 外来务工人员: the plan's focus groups
CAMPAIGN_COLOURS = dict(zip(CAMPAIGNS, ["#009E73", "#56B4E9", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"], strict=True))


def _legend(fig: charts.Draft) -> charts.Draft:
    """The legend under the plot (charts.legend_below): beside the title it ran into it on a phone."""
    fig.update_layout(height=fig.layout["height"] + 22 * ((len(fig.data) + 1) // 2))
    return charts.legend_below(fig, len(fig.data))


def campaigns_bar(frame: pd.DataFrame, title: str) -> go.Figure:
    """People reached (人次) per campaign and festival, this year beside the same period last year."""
    data = frame.iloc[::-1]  # plotly draws horizontal bars bottom-up: keep the plan's order top-down
    labels = list(data["label"])
    fig = charts.Draft(
        [
            go.Bar(
                name="去年同期",
                x=data["people_last"],
                y=labels,
                orientation="h",
                marker_color=LAST_YEAR,
                customdata=[[x] for x in labels],
                hovertemplate="%{y} · 去年同期：%{x} 人次<extra></extra>",
            ),
            go.Bar(
                name="本年",
                x=data["people"],
                y=labels,
                orientation="h",
                marker_color=charts.NEUTRAL,
                text=[f"{fmt_int(p)}人次 · {fmt_yuan(a)}" for p, a in zip(data["people"], data["amount"], strict=True)],
                textposition="outside",
                cliponaxis=False,
                customdata=[[x] for x in labels],
                hovertemplate="%{y} · 本年：%{x} 人次<extra></extra>",
            ),
        ]
    )
    fig.update_layout(barmode="group", bargap=0.25)
    top = float(max(data["people"].max(), data["people_last"].max(), 1)) if len(data) else 1.0
    fig.update_xaxes(title_text="人次", range=[0, top * 1.5])
    return _legend(charts.layout(fig, title, height=max(380, 42 * len(labels) + 120))).figure()


def month_calendar(frame: pd.DataFrame, year: int, title: str) -> go.Figure:
    """People reached per month of the plan year stacked by campaign, last year's monthly total as a
    dotted line: the 春节 / 夏送凉爽 / 金秋助学 / 冬送温暖 rhythm shows at a glance."""
    this = frame[frame["year"] == year]
    last = frame[frame["year"] == year - 1].groupby("month", as_index=False)["people"].sum()
    months = [f"{m}月" for m in range(1, 13)]
    fig = charts.Draft()
    for campaign in CAMPAIGNS:
        part = this[this["campaign"] == campaign].set_index("month").reindex(range(1, 13))
        people = [None if after else p for p, after in zip(part["people"], part["after_as_of"], strict=True)]
        fig.add_trace(
            go.Bar(
                name=campaign,
                x=months,
                y=people,
                marker_color=CAMPAIGN_COLOURS[campaign],
                customdata=[[m, campaign] for m in range(1, 13)],
                hovertemplate="%{x} · " + campaign + "：%{y} 人次<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            name=f"{year - 1}年合计",
            x=months,
            y=last.set_index("month").reindex(range(1, 13))["people"].fillna(0),
            mode="lines+markers",
            line=dict(color="#555555", width=2, dash="dot"),
            hovertemplate="%{x} · 去年：%{y} 人次<extra></extra>",
        )
    )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title_text="人次", gridcolor="#DDDDDD", rangemode="tozero")
    return _legend(charts.layout(fig, title, height=440)).figure()


def community_bar(frame: pd.DataFrame, title: str) -> go.Figure:
    """Distinct people aided per community, 农民工 and 外来务工人员 drawn as their own segments."""
    data = frame.sort_values(["distinct_people", "community"], ascending=[True, False])
    others = data["distinct_people"] - data["migrant_people"] - data["outside_people"]
    communities = list(data["community"])
    fig = charts.Draft()
    for name, values, colour in (
        ("农民工", data["migrant_people"], FOCUS),
        ("外来务工人员", data["outside_people"], "#F5C26B"),
        ("其他对象", others, charts.NEUTRAL),
    ):
        fig.add_trace(
            go.Bar(
                name=name,
                x=values,
                y=communities,
                orientation="h",
                marker_color=colour,
                customdata=[[c] for c in communities],
                hovertemplate="%{y} · " + name + "：%{x} 人<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=data["distinct_people"],
            y=communities,
            mode="text",
            text=[  # on two lines: one line ran past a phone's edge (人均953元 cut off at 390 px)
                f" {fmt_int(n)}人<br> 人均{fmt_yuan(p)}"
                for n, p in zip(data["distinct_people"], data["per_person"], strict=True)
            ],
            textposition="middle right",
            textfont=dict(size=14),
            showlegend=False,
            hoverinfo="skip",
        )
    )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="帮扶人数", rangemode="tozero")
    top = float(data["distinct_people"].max()) if len(data) else 1
    fig.update_xaxes(range=[0, max(top, 1) * 2.0])
    fig = charts.layout(fig, title, height=max(400, 48 * len(data) + 150))  # rows for two-line labels
    # the legend goes under the plot: beside the title it collides with it in a half-width column
    fig.update_layout(
        showlegend=True,
        # at the foot of the figure (not of the plot): the axis title and ticks stay above it, never under it
        legend=dict(orientation="h", x=0, yref="container", y=0, yanchor="bottom", traceorder="normal"),
        margin=dict(b=100),
    )
    return fig.figure()


def category_bar(frame: pd.DataFrame, title: str) -> go.Figure:
    """Distinct people per recipient category, focus groups in their own colour, per-capita in the label."""
    data = frame.iloc[::-1]
    fig = charts.Draft(
        go.Bar(
            x=data["distinct_people"],
            y=data["category"],
            orientation="h",
            marker_color=[FOCUS if f else charts.NEUTRAL for f in data["focus_group"]],
            text=[
                f"{fmt_int(n)}人 · 人均{fmt_yuan(p)}" if n else "0人"
                for n, p in zip(data["distinct_people"], data["per_person"], strict=True)
            ],
            textposition="auto",
            customdata=[[c] for c in data["category"]],
            hovertemplate="%{y}：%{x} 人<extra></extra>",
        )
    )
    fig.update_xaxes(title_text="帮扶人数", rangemode="tozero")
    return charts.layout(fig, title, height=max(340, 40 * len(data) + 110)).figure()


def funding_bar(frame: pd.DataFrame, title: str) -> go.Figure:
    """Amount (cash + goods) per funding source, with its share of the total."""
    data = frame.iloc[::-1]
    fig = charts.Draft(
        go.Bar(
            x=data["amount"] / 1e4,
            y=data["funding"],
            orientation="h",
            marker_color=charts.NEUTRAL,
            text=[f"{fmt_yuan(a)}（{fmt_pct(s)}）" for a, s in zip(data["amount"], data["share"], strict=True)],
            textposition="auto",
            customdata=[[f] for f in data["funding"]],
            hovertemplate="%{y}：%{x:,.2f} 万元<extra></extra>",
        )
    )
    fig.update_xaxes(title_text="万元", rangemode="tozero")
    return charts.layout(fig, title, height=max(300, 44 * len(data) + 110)).figure()
