"""KPI cards: the rate, its target, its status in words and colour, and the gap in enterprises; each
with its 口径 (dashboard/explain.py) on hover or tap."""

from __future__ import annotations

import streamlit as st

from dashboard import explain
from dashboard.filters import Filters
from dashboard.formatting import fmt_gap, fmt_int, fmt_pct
from dashboard.rates import STATUS_LABELS, RateResult
from dashboard.ui.data import load, settings

BADGE_COLOURS = {"green": "green", "amber": "orange", "red": "red", "none": "gray"}


def explained(code: str, filters: Filters, also: tuple[str, ...] = ()) -> str:
    """The hover text of indicator `code` (and of those in `also` its card names too): its definition
    (spec.INDICATORS) and when its ledgers were last imported, for the communities the filters show."""
    imports = explain.last_imports(load(explain.latest_import_by_ledger, filters))
    has_target = code in (*explain.RATE_TARGETS, *explain.COUNT_TARGETS)
    target = float(settings().target(code, filters.year)) if has_target else None
    return explain.help_text(code, imports, target, also)


def rate_card(code: str, label: str, result: RateResult, filters: Filters) -> None:
    with st.container(border=True):
        st.metric(f"{label}（{code}）", fmt_pct(result.rate), help=explained(code, filters))
        st.badge(STATUS_LABELS[result.status], color=BADGE_COLOURS[result.status])
        st.markdown(
            f"<div class='kpi-sub'>目标 {fmt_pct(result.target, 0)} · {fmt_gap(result.gap)}"
            f" · {fmt_int(result.numerator)}/{fmt_int(result.denominator)} 家</div>",
            unsafe_allow_html=True,
        )
