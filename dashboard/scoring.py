"""The 考核评比 weights: which targets count in a community's score and how much, from the [assessment]
table of the settings. Read by the ranking (dashboard/assessment.py) and by a cadre's standing among all
communities (dashboard/benchmarks.py), which the ranking uses in turn.
"""

from __future__ import annotations

from dashboard.config import Settings
from dashboard.metrics import COUNT_LABELS, RATE_LABELS

CODES = ("U1", "U2", "W1", "H1", "U3", "W2", "H2")
LABELS = {**RATE_LABELS, **COUNT_LABELS}


def weights(settings: Settings) -> dict[str, float]:
    """The configured weights (missing ones count 0; negative ones are refused)."""
    raw = settings.raw.get("assessment", {})
    out = {code: float(raw.get(code, 0)) for code in CODES}
    bad = [LABELS[c] for c, w in out.items() if w < 0]
    if bad:
        raise ValueError(f"考核权重不能为负数：{'、'.join(bad)}。请在设置文件的 [assessment] 中改正。")
    if sum(out.values()) <= 0:
        raise ValueError("考核权重全部为 0，无法计算得分。请在设置文件的 [assessment] 中至少给一项设置正的权重。")
    return out
