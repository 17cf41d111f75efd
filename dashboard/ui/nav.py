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
    ("pages/plan.py", "工作计划", ":material/checklist:"),
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


# Sidebar sections: every page in view at once (a flat list of 13 would fold after 10).
SECTIONS: dict[str, tuple[str, ...]] = {
    "目标任务": (
        "pages/overview.py",
        "pages/unionization.py",
        "pages/wages.py",
        "pages/harmonious.py",
        "pages/plan.py",
    ),
    "服务维稳": ("pages/aid.py", "pages/disputes.py"),
    "查询分析": ("pages/enterprise.py", "pages/community.py", "pages/console.py"),
    "会议考核": ("pages/meeting.py", "pages/assessment.py"),
    "数据与管理": ("pages/data.py", "pages/admin.py"),
}


def pages() -> dict[str, list[st.Page]]:
    """The navigation for the current role, by section; the first page is the default."""
    role = st.session_state.get("auth_role")  # set by dashboard.ui.login; None before login
    by_path = {path: (title, icon) for path, title, icon in PAGES}
    out: dict[str, list[st.Page]] = {}
    for section, paths in SECTIONS.items():
        shown = [p for p in paths if role is None or role in PAGE_ROLES.get(p, (role,))]
        if shown:
            out[section] = [
                st.Page(p, title=by_path[p][0], icon=by_path[p][1], default=(p == PAGES[0][0])) for p in shown
            ]
    return out


def ensure_navigation() -> None:
    """In a v1-mode run of a real server (see module docstring) register the real navigation.

    AppTest resets Streamlit to v1 mode before every run and runs pages alone by design; registering a
    navigation in the middle of such a run makes it lose widget state, so it is left alone there.
    """
    if PagesManager.uses_pages_directory and not st_config.get_option("global.appTest"):
        st.navigation(pages(), expanded=True)
        # Start over under the real navigation before any widget is drawn, so widgets keep one
        # identity from the first run on (an upload made on this first page would be lost otherwise).
        st.rerun()
