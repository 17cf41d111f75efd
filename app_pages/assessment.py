"""考核评比: communities ranked by a weighted score of their attainment of every target and every duty of
the work plan, each community's score explained line by line, the formula beside it, and the year-end
downloads (ranking with its lines, 年度大统计)."""

import streamlit as st

from dashboard import assessment, pack, scope, streets
from dashboard.ui.data import load, settings
from dashboard.ui.nav import PAGES
from dashboard.ui.page import setup
from dashboard.ui.street_ranking import street_ranking
from dashboard.ui.tables import audited, data_table, rows_height
from dashboard.ui.text import md

RANKED_CAPTION = (
    "按未取整得分排名；得分保留两位小数，未全部达标的社区不会显示为 100.00。点击某一行查看该社区的得分明细。"
)
ADMIN_PAGE = dict((path, title) for path, title, _ in PAGES)["app_pages/admin.py"]
PICK = "assess_lines_community"

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
lines = load(assessment.assessment_lines, filters)

table = assessment.ranking_table(ranking)
district = "street" in ranking.columns  # more than one street read: a row is a (street, community)
if street_ranking(filters, key="assess_streets", title="各街道排名（区级）"):
    st.caption(
        "“考核得分”与各社区同一公式、同样权重，按全街道自身的数值计算（口径见标题旁的 ⓘ）；"
        "下面是各社区的综合排名，同名社区按街道分开；选择左侧「街道」可只比较一个街道的社区。"
    )
    street_lines = load(streets.street_lines, filters)
    with st.expander("各街道得分明细"):
        names = sorted(set(street_lines["street"]))
        chosen = st.selectbox("街道", names, key="assess_street_lines") if names else None
        if chosen is not None:
            data_table(
                streets.lines_table(street_lines[street_lines["street"] == chosen]),
                key="assess_street_lines_table",
                file_name=f"{filters.year}年各街道考核得分明细_{chosen}",
            )
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
labels = [
    assessment.row_label(c, s)
    for c, s in zip(ranking["community"], ranking["street"] if district else [None] * len(ranking), strict=True)
]
left, right = st.columns([3, 1])
with left:
    data_table(
        table.assign(_pick=labels),
        key="assess",
        display=lambda rows: rows.drop(columns=["_pick"]),
        file_name=f"{filters.year}年考核评比" + ("" if own is None else f"_{own['community']}"),
        column_config={"得分": st.column_config.ProgressColumn("得分", min_value=0, max_value=100, format="%.2f")},
        pick_into=(PICK, "_pick"),
        more_sheets=lambda: assessment.lines_sheets(lines),
    )
    st.caption(RANKED_CAPTION + "下载的 Excel 第二张表为各社区的得分明细。")
with right:
    st.markdown("**计分公式**")
    st.info(formula)
    st.caption(f"管理员可在「{ADMIN_PAGE}」页调整权重。")
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

st.subheader("得分明细")
if st.session_state.get(PICK) not in labels:
    st.session_state[PICK] = labels[0]
picked = st.selectbox("社区", labels, key=PICK, help="也可以点击上方排名表中的一行。")
at = labels.index(picked)
row = ranking.iloc[at]
mine = lines[lines["community"] == row["community"]]
if district:
    mine = mine[mine["street"] == row["street"]]
score = assessment.shown(row["score"])
if mine.empty or score is None:
    st.info(f"{md(picked)}没有可以计分的项目（各项都没有统计基数，或权重都为 0）。")
else:
    st.caption(
        f"{md(picked)}：得分 {score:.2f} = 下表“得分贡献”之和。"
        "得分贡献 = 100 × 权重 × 完成度 ÷ 本社区计分项目的权重之和；没有统计基数的项目不列出。"
    )
    data_table(
        assessment.lines_table(mine, community=False),
        key="assess_lines",
        height=rows_height(len(mine)),  # every line in view, no scrolling inside the table
        file_name=f"{filters.year}年考核评比得分明细_{picked}",
        column_config={
            "完成度（%）": st.column_config.ProgressColumn("完成度（%）", min_value=0, max_value=100, format="%.2f"),
            "得分贡献": st.column_config.NumberColumn("得分贡献", format="%.4f"),
            "权重": st.column_config.NumberColumn("权重", format="%g"),
        },
    )
