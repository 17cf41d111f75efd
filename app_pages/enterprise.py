"""企业查询: find an enterprise by name, credit code or phone and open its profile (一企一档).

Other pages link here with ?ent=<enterprise_key> (dashboard.ui.profile.profile_link).
"""

import streamlit as st

from dashboard import spec
from dashboard.export import mask_personal
from dashboard.ui.page import setup
from dashboard.ui.profile import QUERY_KEY, load_profile, render_profile, search
from dashboard.ui.text import md

# read before setup(): the filter bar rewrites the URL with its own parameters
linked = st.query_params.get(QUERY_KEY)
if linked:
    st.session_state["ent_open"] = linked

filters = setup()

st.title("企业查询 · 一企一档")
st.caption("输入企业名称中的几个字、统一社会信用代码或联系电话，在结果中点选一家企业查看它的全部台账记录。")

text = st.text_input("搜索企业", key="ent_search", placeholder="例如：佳和、91120105…、1381234")

RESULT_LABELS = spec.column_labels(
    "community", "name", "uscc", "industry", "status", "employees", "union_status", "phone", "in_current"
)

if text.strip():
    results = search(text)
    if results.empty:
        st.info(f"没有找到与「{md(text.strip())}」相符的企业。请换个关键词，或到「数据管理」页确认企业名录已上传。")
    else:
        st.caption(
            f"找到 {len(results)} 家企业{'（只显示前 200 家，请输入更多字缩小范围）' if len(results) >= 200 else ''}，"
            "勾选一行即可查看它的档案。"
        )
        shown = mask_personal(results)[list(RESULT_LABELS)].rename(columns=RESULT_LABELS)
        event = st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            on_select="rerun",
            selection_mode="single-row",
            key=f"ent_results_{text}",
            height=min(38 * len(shown) + 40, 320),
            placeholder="",
        )
        rows = event.selection.rows if event else []
        if rows:
            st.session_state["ent_open"] = str(results["enterprise_key"].iloc[rows[0]])
        elif len(results) == 1:
            st.session_state["ent_open"] = str(results["enterprise_key"].iloc[0])

key = st.session_state.get("ent_open")
if key:
    st.query_params[QUERY_KEY] = key  # the link to this view reproduces the profile
    st.divider()
    render_profile(load_profile(key, filters.as_of_date), filters.as_of_date)
elif not text.strip():
    st.info("请在上方输入关键词查找企业。")
