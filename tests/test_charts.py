import pandas as pd

from dashboard import charts
from dashboard.rates import rate_by_community


def test_rate_bar_orders_worst_last_and_draws_target():
    frame = pd.DataFrame({"community": ["甲社区", "乙社区"], "numerator": [9, 19], "denominator": [10, 20]})
    frame = rate_by_community(frame, 0.95, 5.0)
    fig = charts.rate_by_community_bar(frame, 0.95, "U1")
    bar = fig.data[0]
    # ascending by rate, so the best community is drawn at the top of a horizontal chart
    assert list(bar.y) == ["甲社区", "乙社区"]
    assert list(bar.x) == [90.0, 95.0]
    assert bar.marker.color == (charts.STATUS_COLOURS["amber"], charts.STATUS_COLOURS["green"])
    assert fig.layout.shapes[0].x0 == 95.0


def test_count_bar_marks_short_communities_red():
    frame = pd.DataFrame({"community": ["甲社区", "乙社区"], "count": [1, 3]})
    fig = charts.count_by_community_bar(frame, 2, "U3")
    assert fig.data[0].marker.color == (charts.STATUS_COLOURS["red"], charts.STATUS_COLOURS["green"])


def _both(build):
    """The same calls on a plotly figure and on a Draft: their figures as plotly JSON."""
    import plotly.graph_objects as go

    real = build(go.Figure(go.Bar(x=[1, 2], y=["甲", "乙"], orientation="h")))
    draft = build(charts.Draft(go.Bar(x=[1, 2], y=["甲", "乙"], orientation="h"))).figure()
    return real.to_plotly_json(), draft.to_plotly_json()


def test_draft_builds_what_plotly_builds():
    """Draft stands in for go.Figure in the chart modules: every call they make gives the same figure."""
    import plotly.graph_objects as go

    def build(fig):
        fig.add_trace(go.Scatter(x=[1, 2], y=["甲", "乙"], mode="text", text=["a", "b"]))
        fig.update_layout(barmode="stack", legend=dict(orientation="h", y=1.02), margin=dict(l=10, r=40, t=70, b=10))
        fig.add_annotation(x=2, y="乙", text="注", showarrow=False, yshift=18, font=dict(color="#777777", size=16))
        fig.add_vline(
            x=1.5, line=dict(color="#111111", width=3, dash="dash"), annotation_text="目标", annotation_position="top"
        )
        fig.add_hline(y=0.5, line=dict(color="#111111", width=2), annotation_text="线", annotation_position="top left")
        fig.update_xaxes(title_text="件", range=[0, 3], tickfont=dict(size=12))
        fig.update_xaxes(range=[0, 4], dtick=None)  # a later update replaces, a None leaves it unset
        fig.update_yaxes(automargin=True, categoryorder="array", categoryarray=["乙", "甲"])
        fig = charts.layout(fig, "标题", height=400)
        fig.update_layout(margin=dict(t=100), legend_traceorder="normal", uniformtext=dict(minsize=12, mode="show"))
        return fig

    real, draft = _both(build)
    assert draft == real
    assert draft["layout"]["margin"] == {"l": 10, "r": 40, "t": 100, "b": 10}  # merged, as plotly merges
    assert draft["data"][0]["cliponaxis"] is False and "cliponaxis" not in draft["data"][1]


def test_draft_refuses_what_it_cannot_copy():
    import pytest

    fig = charts.Draft()
    with pytest.raises(ValueError):
        fig.update_layout(xaxis_title="件")  # a name_part it does not know
    with pytest.raises(ValueError):
        fig.add_vline(x=1, line={}, annotation_text="x", annotation_position="bottom right")


def test_long_category_labels_wrap_and_stay_what_a_click_returns():
    """A phone leaves a bar chart ~130 px for its labels: 行业 names over 8 characters go on two lines (tick
    text), the category itself (what a click returns, customdata) as written."""
    from dashboard import disputes_charts

    long = "信息传输、软件和信息技术服务业"
    frame = pd.DataFrame({"industry": [long, "制造业"], "cases": [3, 5], "workers": [10, 20]})
    fig = disputes_charts.industry_bar(frame, "用人单位所属行业")
    assert list(fig.data[0].y) == [long, "制造业"] and fig.data[0].customdata[0][0] == long  # fewest first
    assert list(fig.layout.yaxis.tickvals) == [long, "制造业"]
    assert list(fig.layout.yaxis.ticktext) == ["信息传输、软件和<br>信息技术服务业", "制造业"]
    short = disputes_charts.industry_bar(frame.iloc[[1]], "t")
    assert short.layout.yaxis.ticktext is None  # nothing to wrap: plotly's own ticks


def test_legends_sit_under_the_plot_with_room_for_a_phones_lines():
    from dashboard import disputes_charts, unionization_charts

    months = pd.DataFrame({"year": [2026], "month": [1], "cases": [2], "ma3": [2.0], "collective": [1]})
    grades = pd.DataFrame({"community": ["东风社区"], "AAA": [1], "AA": [0], "A": [1], "未达标": [1], "total": [3]})
    for fig, items in (
        (disputes_charts.monthly_trend(months, 2026, "趋势"), 4),
        (unionization_charts.grade_stack_bar(grades, ["AAA", "AA", "A", "未达标"], "等级"), 4),
    ):
        legend = fig.layout.legend
        assert (legend.yref, legend.y, legend.yanchor) == ("container", 0, "bottom")
        assert fig.layout.margin.b >= 44 + 22 * (items // 2)  # two lines of two entries and the ticks
