"""Entry script: page config, theme, first-start import of the sample street, shared filters, navigation."""

from __future__ import annotations

import os
import threading

import streamlit as st

from dashboard import db, sample
from dashboard.ui.filters import filter_bar
from dashboard.ui.theme import apply_theme

st.set_page_config(page_title="工会工作数据看板", page_icon=":material/groups:", layout="wide")
apply_theme()


@st.cache_resource
def _bootstrap_lock() -> threading.Lock:
    return threading.Lock()


def _first_start() -> None:
    """Import the embedded sample street into an empty database, showing progress."""
    if os.environ.get("UNION_DASHBOARD_NO_SAMPLE") == "1":
        return
    try:
        with db.connect() as con:
            if not db.is_empty(con):
                return
    except db.DatabaseBusy as exc:
        st.warning(str(exc))
        st.stop()
    with _bootstrap_lock():
        bar = st.progress(0.0, text="首次启动：正在导入示例街道台账……")
        sample.ensure_sample_loaded(progress=lambda f, text: bar.progress(min(max(f, 0.0), 1.0), text=text))
        bar.empty()


_first_start()

pages = [
    st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", default=True),
    st.Page("pages/data.py", title="数据管理", icon=":material/upload_file:"),
]
nav = st.navigation(pages)
st.session_state["filters"] = filter_bar()
nav.run()
