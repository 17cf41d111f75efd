"""Entry script: the navigation. Each page sets itself up (dashboard.ui.page.setup)."""

import streamlit as st

st.set_page_config(page_title="工会工作数据看板", page_icon=":material/groups:", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", default=True),
    st.Page("pages/unionization.py", title="组建工会", icon=":material/groups:"),
    st.Page("pages/wages.py", title="集体协商", icon=":material/handshake:"),
    st.Page("pages/harmonious.py", title="和谐企业", icon=":material/verified:"),
    st.Page("pages/aid.py", title="帮扶救助", icon=":material/volunteer_activism:"),
    st.Page("pages/disputes.py", title="劳动争议", icon=":material/gavel:"),
    st.Page("pages/enterprise.py", title="企业查询", icon=":material/search:"),
    st.Page("pages/data.py", title="数据管理", icon=":material/upload_file:"),
]
st.navigation(PAGES).run()
