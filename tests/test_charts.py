import pandas as pd

from dashboard import charts, metrics


def test_rate_bar_orders_worst_last_and_draws_target():
    frame = pd.DataFrame({"community": ["甲社区", "乙社区"], "numerator": [9, 19], "denominator": [10, 20]})
    frame = metrics.rate_by_community(frame, 0.95, 5.0)
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
