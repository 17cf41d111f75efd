"""考核评比: communities ranked by a weighted score of their attainment of every target, the formula beside
it, and the year-end downloads (ranking, 年度大统计)."""

import streamlit as st

from dashboard import assessment, pack, scope
from dashboard.ui.data import load, settings
from dashboard.ui.page import setup
from dashboard.ui.tables import audited, data_table
from dashboard.ui.text import md

RANKED_CAPTION = "按未取整得分排名；得分保留两位小数，未全部达标的社区不会显示为 100.00。"

filters = setup()
st.title(f"考核评比 · {filters.year}年")

try:
    formula = assessment.formula_text(settings(), filters.year)
except ValueError as exc:
    st.error(str(exc))
    st.stop()

ranking = load(assessment.assessment_ranking, filters)
if ranking.empty:
    st.info("还没有可以评比的数据。请先到“数据管理”页面上传企业名录及建会台账。")
    st.stop()

table = assessment.ranking_table(ranking)
own = None if scope.resolve().is_all else load(assessment.own_place, filters)
if own is not None:  # a cadre: her own row, ranked among every community; no other community's score
    st.caption(
        f"{md(scope.label(None))} · 统计截止 {filters.as_of_date.isoformat()}。"
        "下表只有本社区；名次在全街道各社区之间比较，其他社区的得分不向社区账号显示。"
    )
    score = "—" if own["score"] is None else f"{assessment.shown(own['score']):.2f}"
    cols = st.columns(4)
    cols[0].metric("本社区得分", score)
    cols[1].metric("全街道名次", assessment.place_text(own))
left, right = st.columns([3, 1])
with left:
    data_table(
        table,
        key="assess",
        file_name=f"{filters.year}年考核评比" + ("" if own is None else f"_{own['community']}"),
        column_config={"得分": st.column_config.ProgressColumn("得分", min_value=0, max_value=100, format="%.2f")},
    )
    st.caption(RANKED_CAPTION)
with right:
    st.markdown("**计分公式**")
    st.info(formula)
    st.caption("权重由管理员在设置文件的 [assessment] 中调整。")
    st.download_button(
        "下载年度大统计（zip）",
        data=audited(lambda: load(pack.annual_pack, filters), f"{filters.year}年度大统计.zip"),
        file_name=f"{filters.year}年度大统计.zip",
        mime="application/zip",
        key="assess_annual",
        icon=":material/folder_zip:",
        on_click="ignore",
        width="stretch",
    )
