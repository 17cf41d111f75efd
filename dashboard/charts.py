"""DataFrame -> plotly Figure. No Streamlit here. Colours carry meaning only: status, and the target.

Status colours are the Okabe-Ito blue/orange/vermillion family, readable on a washed-out projector
and distinguishable by colour-blind viewers; every bar also carries its value as text.
"""

from __future__ import annotations

import html
import re

import pandas as pd
import plotly.graph_objects as go

from dashboard.formatting import fmt_pct

STATUS_COLOURS = {"green": "#009E73", "amber": "#E69F00", "red": "#D55E00", "none": "#999999"}
TARGET_COLOUR = "#111111"
NEUTRAL = "#0072B2"
FONT = dict(family="WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, sans-serif", size=16, color="#111111")


# Layout properties given as name_part (plotly's "magic underscore") that the charts use; any other name
# with an underscore is a property of its own (plot_bgcolor). Draft refuses names it does not know.
_NESTED = {"title", "legend"}
_FLAT = {"plot_bgcolor", "paper_bgcolor"}


def _merge(target: dict, props: dict) -> dict:
    """What plotly's update() does with props: nested properties merge, anything else is replaced."""
    for name, value in props.items():
        if "_" in name and name not in _FLAT:
            head, rest = name.split("_", 1)
            if head not in _NESTED:
                raise ValueError(f"Draft does not know the property {name!r}")
            name, value = head, {rest: value}
        if isinstance(value, dict):
            current = target.get(name)
            target[name] = _merge(current if isinstance(current, dict) else {}, value)
        else:
            target[name] = value
    return target


class Draft:
    """The go.Figure calls the chart modules make (add_trace, update_layout, update_xaxes, update_yaxes,
    update_traces, add_annotation, add_vline, add_hline), kept as plain data until figure() builds the
    go.Figure in one go. Every update of a built go.Figure runs plotly's relayout machinery, so a chart
    drawn update by update is several times slower than the same figure built at once. The charts have
    one x and one y axis. tests/test_charts.py checks the result is property for property what plotly's
    own calls give."""

    def __init__(self, data=None):
        self.data = list(data) if isinstance(data, (list, tuple)) else [] if data is None else [data]
        self.layout: dict = {}

    def add_trace(self, trace) -> Draft:
        self.data.append(trace)
        return self

    def update_layout(self, **props) -> Draft:
        _merge(self.layout, props)
        return self

    def update_xaxes(self, **props) -> Draft:
        _merge(self.layout.setdefault("xaxis", {}), props)
        return self

    def update_yaxes(self, **props) -> Draft:
        _merge(self.layout.setdefault("yaxis", {}), props)
        return self

    def update_traces(self, selector: dict, **props) -> Draft:
        for trace in self.data:
            if all(trace[k] == v for k, v in selector.items()):
                trace.update(**props)
        return self

    def add_annotation(self, **props) -> Draft:
        self.layout.setdefault("annotations", []).append(_merge({}, props))
        return self

    def add_vline(self, x, *, line: dict, annotation_text: str, annotation_position: str) -> Draft:
        """A vertical line across the plot, labelled above it (plotly's add_vline)."""
        if annotation_position != "top":
            raise ValueError(f"Draft labels a vline at the top only, not {annotation_position!r}")
        self.layout.setdefault("shapes", []).append(
            dict(type="line", x0=x, x1=x, xref="x", y0=0, y1=1, yref="y domain", line=_merge({}, line))
        )
        return self.add_annotation(
            showarrow=False,
            text=annotation_text,
            x=x,
            xanchor="center",
            xref="x",
            y=1,
            yanchor="bottom",
            yref="y domain",
        )

    def add_hline(self, y, *, line: dict, annotation_text: str, annotation_position: str) -> Draft:
        """A horizontal line across the plot, labelled above its left end (plotly's add_hline)."""
        if annotation_position != "top left":
            raise ValueError(f"Draft labels an hline at the top left only, not {annotation_position!r}")
        self.layout.setdefault("shapes", []).append(
            dict(type="line", x0=0, x1=1, xref="x domain", y0=y, y1=y, yref="y", line=_merge({}, line))
        )
        return self.add_annotation(
            showarrow=False, text=annotation_text, x=0, xanchor="left", xref="x domain", y=y, yanchor="bottom", yref="y"
        )

    def figure(self) -> go.Figure:
        for trace in self.data:  # category names come from ledgers: shown as text, never as tags
            for axis in ("x", "y"):
                values = trace[axis]
                if values is not None and any(isinstance(v, str) and _PLOT_SPECIALS.search(v) for v in values):
                    trace[axis] = [plot_text(v) if isinstance(v, str) else v for v in values]
        return go.Figure(data=self.data, layout=self.layout)


# Plotly renders a subset of HTML in titles, tick labels, hover labels and bar texts (<b>, <br>,
# <a href=...>, entities), so a community named "<a href='http://…'>点此</a>" would be a link on the
# axis. plot_text makes such a name plain text; plot_value turns a clicked point's x or y back into it.
_PLOT_SPECIALS = re.compile(r"[&<>]")


def plot_text(value: object) -> str:
    """`value` as text plotly shows as written: &, < and > as entities (which plotly decodes for display)."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plot_value(value: object) -> object:
    """The original of a category plot_text escaped (as a click on a bar returns it); other values as they are."""
    return html.unescape(value) if isinstance(value, str) and "&" in value else value


def legend_below(fig: Draft, items: int) -> Draft:
    """The legend at the foot of the figure, under the axis: above the plot it runs into the title on a
    phone (390 px), where a horizontal legend wraps onto two or three lines. The bottom margin holds the
    lines a phone needs (two entries a line) and the axis' ticks above them."""
    rows = max(1, -(-int(items) // 2))
    fig.update_layout(
        showlegend=True,
        legend=dict(orientation="h", x=0, xanchor="left", yref="container", y=0, yanchor="bottom", traceorder="normal"),
        margin=dict(b=44 + 22 * rows),
    )
    return fig


LABEL_LINE = 8  # characters of a category label on one line: a phone leaves ~130 px for a bar chart's labels


def wrap_categories(fig: Draft, labels, axis: str = "y", width: int = LABEL_LINE) -> Draft:
    """Category labels longer than `width` characters (行业: 信息传输、软件和信息技术服务业) on two or more
    lines, as the axis' tick text: plotly's automargin gives labels only part of a narrow chart and cuts the
    rest. The categories themselves (what a click returns) stay as written."""
    labels = [str(v) for v in labels]
    if all(len(v) <= width for v in labels):
        return fig
    lines = ["<br>".join(plot_text(v[i : i + width]) for i in range(0, len(v), width)) for v in labels]
    updater = fig.update_yaxes if axis == "y" else fig.update_xaxes
    return updater(tickmode="array", tickvals=[plot_text(v) for v in labels], ticktext=lines)


def layout(fig: Draft, title: str, height: int) -> Draft:
    """The house layout: title, font, size, margins, white background, no legend, value labels never clipped."""
    fig.update_layout(
        title=dict(text=plot_text(title), font=dict(size=20)),
        font=FONT,
        height=height,
        margin=dict(l=10, r=40, t=70, b=10),
        plot_bgcolor="white",
        paper_bgcolor="white",
        showlegend=False,
    )
    fig.update_xaxes(gridcolor="#DDDDDD", zerolinecolor="#999999", automargin=True)  # tick numbers never cut
    fig.update_yaxes(automargin=True, tickfont=dict(size=15))
    fig.update_traces(cliponaxis=False, selector=dict(type="bar"))
    return fig


def rate_by_community_bar(frame: pd.DataFrame, target: float, title: str) -> go.Figure:
    """Ranked horizontal bars of each community's rate, the target drawn as a line."""
    data = frame.dropna(subset=["rate"]).sort_values("rate", ascending=True)
    fig = Draft(
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
    return layout(fig, title, height=max(300, 40 * len(data) + 100)).figure()


def count_by_community_bar(frame: pd.DataFrame, target: int, title: str) -> go.Figure:
    """Per-community counts against the per-community target (2 a year in the plan)."""
    data = frame.sort_values(["count", "community"], ascending=[True, True])
    colours = [STATUS_COLOURS["green"] if c >= target else STATUS_COLOURS["red"] for c in data["count"]]
    fig = Draft(
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
    return layout(fig, title, height=max(300, 36 * len(data) + 100)).figure()


def aid_by_campaign_bar(frame: pd.DataFrame, title: str) -> go.Figure:
    """Money by campaign (cash + goods), stacked horizontal bars so the campaign names stay readable."""
    data = frame.assign(total=frame["cash"].astype(float) + frame["goods"].astype(float)).sort_values("total")
    fig = Draft(
        [
            go.Bar(
                name="慰问金",
                y=data["campaign"],
                x=data["cash"].astype(float) / 1e4,
                orientation="h",
                hovertemplate="%{y} · 慰问金：%{x:,.2f} 万元<extra></extra>",
                marker_color=NEUTRAL,
            ),
            go.Bar(
                name="物资折款",
                y=data["campaign"],
                x=data["goods"].astype(float) / 1e4,
                orientation="h",
                hovertemplate="%{y} · 物资折款：%{x:,.2f} 万元<extra></extra>",
                marker_color="#56B4E9",
            ),
        ]
    )
    fig.update_layout(barmode="stack")
    fig = layout(fig, title, height=max(300, 45 * len(data) + 120))
    fig.update_layout(showlegend=True, legend=dict(orientation="h", y=1.0, yanchor="bottom", x=1, xanchor="right"))
    return fig.figure()
