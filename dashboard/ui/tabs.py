"""Tabs whose choice lives in the URL under a stable key (?wages_tab=expired), not under the label.

Streamlit's own `st.tabs(bind="query-params")` writes the label verbatim into the URL, so a label that
carries a count ("到期未续签（3）") or a year makes a copied link stop working as soon as the figures move:
the link names a label that no longer exists and the first tab opens. Here each tab has an id; the URL
holds the id, the label may say anything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st


def chosen_tab(param: str, ids: Sequence[str]) -> str:
    """The tab id the URL names under `param`, else the first (an unknown id is dropped from the URL)."""
    wanted = st.query_params.get(param)
    if wanted in ids:
        return str(wanted)
    if param in st.query_params:
        del st.query_params[param]
    return ids[0]


def url_tabs(param: str, tabs: Mapping[str, str]):
    """st.tabs of `tabs` (id -> label, in order) whose open tab is ?<param>=<id>; the first tab leaves the
    URL clean. Switching tabs reruns the page, so `.open` of each container says which one is shown."""
    ids, labels = list(tabs), list(tabs.values())
    current = chosen_tab(param, ids)

    def switched() -> None:
        label = st.session_state.get(f"{param}__label")
        picked = ids[labels.index(label)] if label in labels else ids[0]
        if picked == ids[0]:
            if param in st.query_params:
                del st.query_params[param]
        else:
            st.query_params[param] = picked

    return st.tabs(labels, key=f"{param}__label", default=tabs[current], on_change=switched)
