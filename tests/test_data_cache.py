"""Indicator results are computed once per data version and every load gets a copy of its own
(dashboard.ui.data.load): changing one in a page never changes what the next load, or another session,
gets."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script():
    import streamlit as st

    from dashboard import metrics
    from dashboard.filters import Filters
    from dashboard.ui import data

    calls = st.session_state.setdefault("calls", [])
    real = data._call

    def counted(fn_name, *args, **options):
        calls.append(fn_name)
        return real(fn_name, *args, **options)

    data._call = counted
    try:
        filters = Filters(year=2026)
        first = data.load(metrics.union_coverage_25plus, filters)
        before = first.copy()
        first.loc[first.index[0], first.columns[-1]] = None  # a page changing its copy in place
        first["added"] = 1
        second = data.load(metrics.union_coverage_25plus, filters)
        st.session_state["same_as_before"] = second.equals(before)
        st.session_state["distinct"] = second is not first
        overview = data.load(metrics.overview, filters)
        overview.rates.clear()  # not only frames: any result is the caller's own
        st.session_state["overview_rates"] = len(data.load(metrics.overview, filters).rates)
    finally:
        data._call = real


COMPUTED = ["dashboard.metrics.union_coverage_25plus", "dashboard.metrics.overview"]  # by qualified name


def test_each_load_gets_its_own_copy_of_one_computation(small_db):
    at = AppTest.from_function(_script, default_timeout=60).run()
    assert not at.exception
    assert at.session_state["same_as_before"] and at.session_state["distinct"]
    assert at.session_state["overview_rates"] > 0
    assert at.session_state["calls"] == COMPUTED  # computed once each
    at.run()  # a rerun reads the kept results: nothing computed again
    assert at.session_state["calls"] == COMPUTED
    assert at.session_state["same_as_before"]
