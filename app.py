"""Entry script: page config and the navigation. Pages (app_pages/) are listed in dashboard/ui/nav.py; each
sets itself up (dashboard.ui.page.setup)."""

import streamlit as st

from dashboard.ui.login import PAGE_TITLE_KEY
from dashboard.ui.nav import FAVICON, pages

# a favicon file of the repo, served by the app itself: a Material icon's favicon is fetched from
# fonts.gstatic.com, which an intranet without internet never answers
st.set_page_config(page_title="工会工作数据看板", page_icon=FAVICON, layout="wide")
page = st.navigation(pages(), expanded=True)
st.session_state[PAGE_TITLE_KEY] = page.title  # for the 无权限 notice of a page the role may not use
page.run()
