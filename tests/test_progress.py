"""时间进度, 任务进度 and the year-end projection, with values worked out by hand."""

from datetime import date

import pandas as pd
import pytest

from dashboard import progress


@pytest.mark.parametrize(
    ("year", "as_of", "gone"),
    [
        (2026, date(2026, 1, 1), 1),
        (2026, date(2026, 6, 30), 181),
        (2026, date(2026, 12, 31), 365),
        (2024, date(2024, 12, 31), 366),
        (2026, date(2025, 12, 31), 0),
        (2026, date(2027, 1, 5), 365),
    ],
)
def test_days_gone(year, as_of, gone):
    assert progress.days_gone(year, as_of) == gone


def test_time_half_task_half():
    frame = pd.DataFrame({"community": ["甲", "乙", "丙"], "count": [0, 1, 3]})
    # 2 July 2026 is day 183 of 365 = 50.1 %: 1 of 2 (50 %) is now behind, 3 of 2 is capped at 100 %
    out = progress.count_progress(frame, 2, 2026, date(2026, 7, 2))
    assert out[["community", "task_share", "behind", "short"]].values.tolist() == [
        ["甲", 0.0, True, 2],
        ["乙", 0.5, True, 1],
        ["丙", 1.0, False, 0],
    ]
    assert progress.task_share_total(frame, 2) == pytest.approx(3 / 6)  # 0 + 1 + min(3, 2)


def test_projection_rounds_down_and_caps():
    # 40 -> 50 by 14 March 2026, day 73 (31 + 28 + 14) of 365: 10 * 365 / 73 = 50 by year end -> 90
    p = progress.project_rate(40, 50, 100, 2026, date(2026, 3, 14), 0.95)
    assert (p.projected, p.shortfall) == (90, 5)
    # a pace that would pass the denominator stops at it
    assert progress.project_rate(40, 90, 100, 2026, date(2026, 3, 14), 0.95).projected == 100
    # at year end the projection is what was reached
    assert progress.project_rate(40, 50, 100, 2026, date(2026, 12, 31), 0.95).projected == 50
    # no denominator: no rate, nothing short
    none = progress.project_rate(0, 0, 0, 2026, date(2026, 6, 30), 0.95)
    assert none.projected_rate is None and none.shortfall == 0
