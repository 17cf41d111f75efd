"""The shared filter bar (year, as-of date, communities, industries), kept across pages and written to the URL."""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard import metrics
from dashboard.ui.data import lookup


def _years() -> list[int]:
    years = [int(y) for y in lookup("available_years")["year"]]
    this_year = date.today().year
    if this_year not in years:
        years.insert(0, this_year)
    return sorted(set(years), reverse=True)


def filter_bar() -> metrics.Filters:
    """Render the filters in the sidebar and return them; URL query params seed them on first load."""
    qp = st.query_params
    years = _years()
    if "f_year" not in st.session_state:
        wanted = int(qp["year"]) if qp.get("year", "").isdigit() else date.today().year
        st.session_state.f_year = wanted if wanted in years else years[0]
    all_communities = list(lookup("communities")["community"])
    if "f_communities" not in st.session_state:
        wanted = [c for c in qp.get("c", "").split(",") if c in all_communities]
        st.session_state.f_communities = wanted

    all_industries = list(lookup("industries")["industry"])
    if "f_industries" not in st.session_state:
        wanted = [i for i in qp.get("ind", "").split(",") if i in all_industries]
        st.session_state.f_industries = wanted

    with st.sidebar:
        st.markdown("### 筛选")
        year = st.selectbox("计划年度", years, key="f_year", format_func=lambda y: f"{y}年")
        default = metrics.default_as_of(year)
        as_of_key = f"f_as_of_{year}"
        if as_of_key not in st.session_state:
            try:
                wanted = date.fromisoformat(qp.get("as_of", ""))
            except ValueError:
                wanted = default
            st.session_state[as_of_key] = wanted if wanted.year == year else default
        as_of = st.date_input(
            "统计截止日期",
            key=as_of_key,
            min_value=date(year, 1, 1),
            max_value=date(year, 12, 31),
            format="YYYY-MM-DD",
        )
        communities = st.multiselect("社区", all_communities, key="f_communities", placeholder="全部社区")
        industries = st.multiselect("行业", all_industries, key="f_industries", placeholder="全部行业")

    params = {"year": str(year), "as_of": as_of.isoformat()}
    if communities:
        params["c"] = ",".join(communities)
    if industries:
        params["ind"] = ",".join(industries)
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)
    return metrics.Filters(
        year=year, as_of=as_of, communities=tuple(communities) or None, industries=tuple(industries) or None
    )
