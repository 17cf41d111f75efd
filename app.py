"""Entry script: page config and the navigation. Pages (app_pages/) are listed in dashboard/ui/nav.py; each
sets itself up (dashboard.ui.page.setup)."""

import streamlit as st

from dashboard.ui.nav import pages

st.set_page_config(page_title="工会工作数据看板", page_icon=":material/groups:", layout="wide")
st.navigation(pages(), expanded=True).run()
