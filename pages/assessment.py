"""考核评比: communities ranked by a weighted score of their attainment of every target, the formula beside
it, and the year-end downloads (ranking, 年度大统计)."""

import streamlit as st

from dashboard import assessment
from dashboard.ui.data import load, settings
from dashboard.ui.page import setup
from dashboard.ui.tables import audited, data_table

RANKED_CAPTION = "按未取整得分排名；得分保留两位小数，未全部达标的社区不会显示为 100.00。"

filters = setup()
st.title(f"考核评比 · {filters.year}年")

try:
    formula = assessment.formula_text(settings(), filters.year)
except ValueError as exc:
    st.error(str(exc))
    st.stop()

ranking = load("assessment:assessment_ranking", filters)
if ranking.empty:
    st.info("还没有可以评比的数据。请先到“数据管理”页面上传企业名录及建会台账。")
    st.stop()

table = assessment.ranking_table(ranking)
left, right = st.columns([3, 1])
with left:
    data_table(
        table,
        key="assess",
        file_name=f"{filters.year}年考核评比",
        column_config={"得分": st.column_config.ProgressColumn("得分", min_value=0, max_value=100, format="%.2f")},
    )
    st.caption(RANKED_CAPTION)
with right:
    st.markdown("**计分公式**")
    st.info(formula)
    st.caption("权重由管理员在设置文件的 [assessment] 中调整。")
    st.download_button(
        "下载年度大统计（zip）",
        data=audited(lambda: load("pack:annual_pack", filters), f"{filters.year}年度大统计.zip"),
        file_name=f"{filters.year}年度大统计.zip",
        mime="application/zip",
        key="assess_annual",
        icon=":material/folder_zip:",
        on_click="ignore",
        width="stretch",
    )
