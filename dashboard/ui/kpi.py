"""KPI cards: the rate, its target, its status in words and colour, and the gap in enterprises."""

from __future__ import annotations

import streamlit as st

from dashboard.formatting import fmt_gap, fmt_pct
from dashboard.rates import STATUS_LABELS, RateResult

BADGE_COLOURS = {"green": "green", "amber": "orange", "red": "red", "none": "gray"}


def rate_card(code: str, label: str, result: RateResult) -> None:
    with st.container(border=True):
        st.metric(f"{label}（{code}）", fmt_pct(result.rate), help=f"{result.numerator} / {result.denominator} 家")
        st.badge(STATUS_LABELS[result.status], color=BADGE_COLOURS[result.status])
        st.markdown(
            f"<div class='kpi-sub'>目标 {fmt_pct(result.target, 0)} · {fmt_gap(result.gap)}"
            f" · {result.numerator}/{result.denominator} 家</div>",
            unsafe_allow_html=True,
        )
