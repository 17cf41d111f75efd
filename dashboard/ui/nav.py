"""The page list (Chinese titles, Material icons, order) and the navigation built from it.

The page files live in `app_pages/`, not `pages/`: Streamlit only treats a folder named `pages/` beside
the entry script as its legacy multipage app, so every run goes through app.py's st.navigation. A page's
URL is its file name (/meeting, /assessment, ...).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

# The browser tab's icon, served by the app itself (st.set_page_config in app.py): a Material icon's
# favicon would be fetched from fonts.gstatic.com, which an intranet without internet never answers.
FAVICON = Path(__file__).resolve().parent / "assets" / "favicon.png"

# (file, title, icon); the first is the default page. Add a page here, nowhere else.
PAGES: list[tuple[str, str, str]] = [
    ("app_pages/overview.py", "总览", ":material/dashboard:"),
    ("app_pages/unionization.py", "组建工会", ":material/groups:"),
    ("app_pages/wages.py", "集体协商", ":material/handshake:"),
    ("app_pages/harmonious.py", "和谐企业", ":material/verified:"),
    ("app_pages/plan.py", "工作计划", ":material/checklist:"),
    ("app_pages/aid.py", "帮扶救助", ":material/volunteer_activism:"),
    ("app_pages/disputes.py", "劳动争议", ":material/gavel:"),
    ("app_pages/enterprise.py", "企业查询", ":material/search:"),
    ("app_pages/community.py", "社区画像", ":material/location_city:"),
    ("app_pages/meeting.py", "会议模式", ":material/co_present:"),
    ("app_pages/assessment.py", "考核评比", ":material/leaderboard:"),
    ("app_pages/submissions.py", "报送情况", ":material/event_available:"),
    ("app_pages/data.py", "数据管理", ":material/upload_file:"),
    ("app_pages/console.py", "数据查询", ":material/terminal:"),
    ("app_pages/admin.py", "管理员", ":material/admin_panel_settings:"),
]


# Pages only some roles may open (every other page is open to every logged-in role). The pages check
# this themselves too (setup(roles=...)); here it only keeps them out of other roles' sidebars.
PAGE_ROLES: dict[str, tuple[str, ...]] = {
    "app_pages/data.py": ("社区", "管理员"),
    "app_pages/console.py": ("分析员", "管理员"),
    "app_pages/admin.py": ("管理员",),
}


# Sidebar sections: every page in view at once (a flat list of 13 would fold after 10).
SECTIONS: dict[str, tuple[str, ...]] = {
    "目标任务": (
        "app_pages/overview.py",
        "app_pages/unionization.py",
        "app_pages/wages.py",
        "app_pages/harmonious.py",
        "app_pages/plan.py",
    ),
    "服务维稳": ("app_pages/aid.py", "app_pages/disputes.py"),
    "查询分析": ("app_pages/enterprise.py", "app_pages/community.py", "app_pages/console.py"),
    "会议考核": ("app_pages/meeting.py", "app_pages/assessment.py", "app_pages/submissions.py"),
    "数据与管理": ("app_pages/data.py", "app_pages/admin.py"),
}


def pages() -> dict[str, list[st.Page]]:
    """The navigation for the current role, by section; the first page is the default.

    A page the role may not use is still registered at its URL, hidden from the sidebar: opened by its
    address (a bookmark, a link from a colleague) it runs its own role check and says 无权限 and why
    (dashboard.ui.login.require_role), where Streamlit would otherwise fall back to 总览 without a word.
    """
    role = st.session_state.get("auth_role")  # set by dashboard.ui.login; None before login
    by_path = {path: (title, icon) for path, title, icon in PAGES}
    out: dict[str, list[st.Page]] = {}
    for section, paths in SECTIONS.items():
        entries = [
            st.Page(
                p,
                title=by_path[p][0],
                icon=by_path[p][1],
                default=(p == PAGES[0][0]),
                visibility="visible" if role is None or role in PAGE_ROLES.get(p, (role,)) else "hidden",
            )
            for p in paths
        ]
        if any(e.visibility == "visible" for e in entries):
            out[section] = entries
        elif entries:  # a section with nothing to show: its pages still answer their URL
            out.setdefault("", []).extend(entries)
    return out
