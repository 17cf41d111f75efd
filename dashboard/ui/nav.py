"""The page list (Chinese titles, Material icons, order) and the navigation built from it.

Streamlit treats an app with a `pages/` folder beside its entry script as a v1 multipage app until
st.navigation is first called in the process: such a run shows a page alone, with file names in the
sidebar. `ensure_navigation()` (called by every page's setup) registers this list in that case and
starts the run over, so the sidebar always shows the Chinese titles and every run uses this navigation.
"""

from __future__ import annotations

import streamlit as st
from streamlit import config as st_config
from streamlit.runtime.pages_manager import PagesManager

# (file, title, icon); the first is the default page. Add a page here, nowhere else.
PAGES: list[tuple[str, str, str]] = [
    ("pages/overview.py", "总览", ":material/dashboard:"),
    ("pages/unionization.py", "组建工会", ":material/groups:"),
    ("pages/wages.py", "集体协商", ":material/handshake:"),
    ("pages/harmonious.py", "和谐企业", ":material/verified:"),
    ("pages/aid.py", "帮扶救助", ":material/volunteer_activism:"),
    ("pages/disputes.py", "劳动争议", ":material/gavel:"),
    ("pages/enterprise.py", "企业查询", ":material/search:"),
    ("pages/community.py", "社区画像", ":material/location_city:"),
    ("pages/meeting.py", "会议模式", ":material/co_present:"),
    ("pages/assessment.py", "考核评比", ":material/leaderboard:"),
    ("pages/data.py", "数据管理", ":material/upload_file:"),
    ("pages/console.py", "数据查询", ":material/terminal:"),
    ("pages/admin.py", "管理员", ":material/admin_panel_settings:"),
]


# Pages only some roles may open (every other page is open to every logged-in role). The pages check
# this themselves too (setup(roles=...)); here it only keeps them out of other roles' sidebars.
PAGE_ROLES: dict[str, tuple[str, ...]] = {
    "pages/data.py": ("社区", "管理员"),
    "pages/console.py": ("分析员", "管理员"),
    "pages/admin.py": ("管理员",),
}


def pages() -> list[st.Page]:
    role = st.session_state.get("auth_role")  # set by dashboard.ui.login; None before login
    shown = [p for p in PAGES if role is None or role in PAGE_ROLES.get(p[0], (role,))]
    return [st.Page(path, title=title, icon=icon, default=(i == 0)) for i, (path, title, icon) in enumerate(shown)]


def ensure_navigation() -> None:
    """In a v1-mode run of a real server (see module docstring) register the real navigation.

    AppTest resets Streamlit to v1 mode before every run and runs pages alone by design; registering a
    navigation in the middle of such a run makes it lose widget state, so it is left alone there.
    """
    if PagesManager.uses_pages_directory and not st_config.get_option("global.appTest"):
        st.navigation(pages())
        # Start over under the real navigation before any widget is drawn, so widgets keep one
        # identity from the first run on (an upload made on this first page would be lost otherwise).
        st.rerun()
