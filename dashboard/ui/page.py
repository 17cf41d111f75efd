"""What every page does first: theme, first-start import of the sample street, login, role, filters.

app.py sets the page config and runs the navigation; each page then calls `setup()` with its own
options (the filter bar or not, the roles it is open to). A page file also runs on its own under AppTest
(`AppTest.from_file("app_pages/x.py")`), so setup keeps everything a page's data needs.
"""

from __future__ import annotations

import os
import threading

import streamlit as st

from dashboard import config, db, pg, sample, scope
from dashboard.filters import Filters
from dashboard.ui.data import hold_database, refresh_version
from dashboard.ui.filters import filter_bar
from dashboard.ui.login import require_login, require_role
from dashboard.ui.theme import apply_theme


@st.cache_resource
def _bootstrap_lock() -> threading.Lock:
    return threading.Lock()


def ensure_sample() -> None:
    """Import the embedded sample street into an empty database, showing progress."""
    if os.environ.get("UNION_DASHBOARD_NO_SAMPLE") == "1":
        return
    if pg.is_url(config.db_path()):
        # a district's shared database: filled by imports or pg-copy (which wants it empty), never the sample
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


def setup(*, filters: bool = True, roles: tuple[str, ...] | None = None) -> Filters | None:
    """Theme, first-start import, then the login gate (which sets the reader's community
    scope for every query of this run), the role check of pages limited to `roles`, and the filters."""
    hold_database()  # one open of the file for the whole run instead of one per load
    apply_theme()
    with scope.using(scope.ALL):  # the first-start import writes the whole street
        ensure_sample()
    viewer = require_login()
    refresh_version()  # once per run, after the scope is known
    if roles:
        require_role(viewer, roles)
    return filter_bar() if filters else None
