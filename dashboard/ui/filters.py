"""The shared filter bar (year, as-of date, streets when more than one is loaded, communities, industries,
size band, enterprise status), kept
across pages and written to the URL.

Every page renders the bar itself (see dashboard.ui.page). Streamlit forgets a widget's state when a
page without it runs, so each value is also kept under a plain session key and seeds the widget on the
next page; a fresh session is seeded from the URL, so a shared link reproduces the view.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from dashboard import spec
from dashboard.filters import Filters, default_as_of, size_bands
from dashboard.scope import label as scope_label
from dashboard.ui.data import lookup, settings
from dashboard.ui.text import md
from dashboard.unionization import size_band_label

# the query parameters this bar owns; others are left alone
URL_KEYS = ("year", "as_of", "street", "c", "ind", "band", "st")
STATUSES = list(spec.VOCABULARIES["status"])

FILTER_NOTE = (
    "社区、行业、职工规模、经营状态都按企业名录筛选，各页的比率、名单和劳动争议（按用人单位）随之缩小；"
    "帮扶救助台账只记工作单位名称，不受行业、规模、状态筛选影响。"
    "职工规模按名录中的职工人数分档，未填人数的企业在选了规模时不计入。"
    "建会率、签约率、和谐企业占比的分母本来只计正常经营企业：选了其他经营状态时这些比率为空，"
    "名单和新增数按所选状态统计。"
)


def _years() -> list[int]:
    years = [int(y) for y in lookup("available_years")["year"]]
    this_year = date.today().year
    if this_year not in years:
        years.insert(0, this_year)
    return sorted(set(years), reverse=True)


def _seed(key: str, from_url: Callable[[], object], valid: Callable[[object], bool]) -> None:
    """Give widget `key` its kept value (else the URL's) before it is drawn.

    The value is assigned on every run: a widget drawn by another page's script has another identity,
    and Streamlit would otherwise draw it with its default.
    """
    kept = st.session_state.get(f"_keep_{key}")
    if kept is not None and valid(kept):
        st.session_state[key] = kept
    elif key not in st.session_state or not valid(st.session_state[key]):
        st.session_state[key] = from_url()


def _keep(key: str, value) -> None:
    st.session_state[f"_keep_{key}"] = value


def _changed(key: str) -> None:
    """on_change: a user's choice becomes the kept value (callbacks run before the script)."""
    _keep(key, st.session_state[key])


def _url_list(name: str, allowed: list[str]) -> list[str]:
    return [v for v in st.query_params.get(name, "").split(",") if v in allowed]


def _url_ints(name: str, allowed: list[int]) -> list[int]:
    return [int(v) for v in st.query_params.get(name, "").split(",") if v.isdigit() and int(v) in allowed]


def _url_date(default: date, year: int) -> date:
    try:
        wanted = date.fromisoformat(st.query_params.get("as_of", ""))
    except ValueError:
        return default
    return wanted if wanted.year == year else default


def _write_url(params: dict[str, str]) -> None:
    for key in URL_KEYS:
        if key in params:
            if st.query_params.get(key) != params[key]:
                st.query_params[key] = params[key]
        elif key in st.query_params:
            del st.query_params[key]


def filter_bar() -> Filters:
    """Render the filters in the sidebar and return them."""
    years = _years()
    places = lookup("communities")  # (street, community) in the reader's scope
    all_streets = sorted(set(places["street"].dropna()))
    many_streets = len(all_streets) > 1  # one street loaded: no 街道 filter, the bar as before
    all_industries = list(lookup("industries")["industry"])
    bounds = size_bands(settings())
    all_bands = [0, *bounds]  # each band by its lower bound: 0, 25, 100, 500

    def band_label(lower: int) -> str:
        return size_band_label(all_bands.index(lower), bounds)

    def url_year() -> int:
        wanted = st.query_params.get("year", "")
        wanted = int(wanted) if wanted.isdigit() else date.today().year
        return wanted if wanted in years else years[0]

    _seed("f_year", url_year, lambda v: v in years)
    if many_streets:
        _seed("f_streets", lambda: _url_list("street", all_streets), lambda v: set(v) <= set(all_streets))
    _seed("f_industries", lambda: _url_list("ind", all_industries), lambda v: set(v) <= set(all_industries))
    _seed("f_size_bands", lambda: _url_ints("band", all_bands), lambda v: set(v) <= set(all_bands))
    _seed("f_statuses", lambda: _url_list("st", STATUSES), lambda v: set(v) <= set(STATUSES))

    with st.sidebar:
        st.markdown("### 筛选")
        year = st.selectbox(
            "计划年度", years, key="f_year", format_func=lambda y: f"{y}年", on_change=_changed, args=("f_year",)
        )
        default = default_as_of(year)
        as_of_key = f"f_as_of_{year}"
        _seed(as_of_key, lambda: _url_date(default, year), lambda v: isinstance(v, date) and v.year == year)
        as_of = st.date_input(
            "统计截止日期",
            key=as_of_key,
            min_value=date(year, 1, 1),
            max_value=date(year, 12, 31),
            format="YYYY-MM-DD",
            on_change=_changed,
            args=(as_of_key,),
        )
        chosen_streets: list[str] = []
        if many_streets:
            chosen_streets = st.multiselect(
                "街道",
                all_streets,
                key="f_streets",
                placeholder="全部街道",
                on_change=_changed,
                args=("f_streets",),
            )
        # the 社区 options: those of the chosen streets (a name in two streets is listed once)
        shown = places[places["street"].isin(chosen_streets)] if chosen_streets else places
        all_communities = list(dict.fromkeys(shown["community"].dropna()))
        repeated = shown.dropna().groupby("community")["street"].nunique()
        repeated = sorted(repeated[repeated > 1].index)
        if repeated:  # per-community tables and charts are by name: say so, and how to tell them apart
            st.caption(
                f"{md('、'.join(repeated))}在多个街道都有：考核评比和总览的落后社区按街道分开列出，"
                "其他分社区的图表和名单按社区名合在一起，请先选择街道再比较。"
            )
        _seed("f_communities", lambda: _url_list("c", all_communities), lambda v: set(v) <= set(all_communities))
        communities = st.multiselect(
            "社区",
            all_communities,
            key="f_communities",
            placeholder=scope_label(None),
            on_change=_changed,
            args=("f_communities",),
        )
        industries = st.multiselect(
            "行业",
            all_industries,
            key="f_industries",
            placeholder="全部行业",
            on_change=_changed,
            args=("f_industries",),
        )
        bands = st.multiselect(
            "职工规模",
            all_bands,
            key="f_size_bands",
            format_func=band_label,
            placeholder="全部规模",
            on_change=_changed,
            args=("f_size_bands",),
        )
        statuses = st.multiselect(
            "经营状态",
            STATUSES,
            key="f_statuses",
            placeholder="全部状态",
            on_change=_changed,
            args=("f_statuses",),
        )
        st.caption(FILTER_NOTE)

    if many_streets:
        _keep("f_streets", chosen_streets)
    for key, value in (
        ("f_year", year),
        (as_of_key, as_of),
        ("f_communities", communities),
        ("f_industries", industries),
        ("f_size_bands", bands),
        ("f_statuses", statuses),
    ):
        _keep(key, value)
    params = {"year": str(year), "as_of": as_of.isoformat()}
    if chosen_streets:
        params["street"] = ",".join(chosen_streets)
    if communities:
        params["c"] = ",".join(communities)
    if industries:
        params["ind"] = ",".join(industries)
    if bands:
        params["band"] = ",".join(str(b) for b in sorted(bands))
    if statuses:
        params["st"] = ",".join(statuses)
    _write_url(params)
    return Filters(
        year=year,
        as_of=as_of,
        streets=tuple(chosen_streets) or None,
        communities=tuple(communities) or None,
        industries=tuple(industries) or None,
        size_bands=tuple(sorted(bands)) or None,
        statuses=tuple(statuses) or None,
    )
