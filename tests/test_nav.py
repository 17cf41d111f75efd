"""The navigation: page files in app_pages/ under app.py's st.navigation, with no legacy `pages/` folder
(Streamlit would run a page file of such a folder on its own). Every page opens through app.py under its
URL, which is the file name."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ui import nav

ROOT = Path(__file__).resolve().parent.parent

# The URLs users have bookmarked; they must not change with the folder.
URLS = [
    "overview",
    "unionization",
    "wages",
    "harmonious",
    "plan",
    "aid",
    "disputes",
    "enterprise",
    "community",
    "meeting",
    "assessment",
    "submissions",
    "data",
    "console",
    "admin",
]

# What each page shows first, so a run of the wrong page (or none) fails.
HEADINGS = {
    "app_pages/overview.py": "总览 · 2026年度",
    "app_pages/unionization.py": "组建工会 · 2026年度",
    "app_pages/wages.py": "工资集体协商 · 2026年度",
    "app_pages/harmonious.py": "和谐企业 · 2026年度",
    "app_pages/plan.py": "工作计划 · 2026年",
    "app_pages/aid.py": "帮扶救助 · 2026年度",
    "app_pages/disputes.py": "劳动争议 · 2026年度",
    "app_pages/enterprise.py": "企业查询 · 一企一档",
    "app_pages/assessment.py": "考核评比 · 2026年",
    "app_pages/submissions.py": "报送情况 · 2026年",
    "app_pages/data.py": "数据管理",
    "app_pages/console.py": "数据查询",
    "app_pages/admin.py": "管理员",
}


def test_no_legacy_pages_folder_and_every_page_file_is_listed():
    assert not (ROOT / "pages").exists()  # its presence would switch Streamlit back to running pages alone
    files = sorted(f"app_pages/{p.name}" for p in (ROOT / "app_pages").glob("*.py"))
    assert files == sorted(p for p, _, _ in nav.PAGES)
    assert len(files) == 15


def test_urls_are_the_file_names():
    # st.Page infers the URL from the file name (tests/test_browser_nav.py opens each URL in chromium)
    assert [Path(p).stem for p, _, _ in nav.PAGES] == URLS


@pytest.mark.parametrize("path", [p for p, _, _ in nav.PAGES])
def test_every_page_opens_through_the_navigation(small_db, path):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["year"] = "2026"
    at.query_params["as_of"] = "2026-06-30"
    at.run()
    at.switch_page(path).run()
    assert not at.exception, (path, [e.value for e in at.exception])
    if path in HEADINGS:
        assert [t.value for t in at.title][:1] == [HEADINGS[path]]
    elif path == "app_pages/community.py":
        assert at.selectbox(key="community_pick").value == "东风社区"  # the first community, opened
    else:  # 会议模式: the first slide's heading and the page's exit link back to the overview
        assert at.get("page_link") or any("会议" in m.value for m in at.markdown)
