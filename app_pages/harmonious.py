"""和谐企业: H1 against target with its year-end projection, H2 per community against time progress, the
grade distribution per community and year, movements since last year, and 待创建名单."""

import streamlit as st

from dashboard import harmonious, spec, unionization_charts
from dashboard.formatting import fmt_gap, fmt_int, fmt_pct
from dashboard.harmonious import MOVEMENT_LABELS, grade_scale, grade_table, movement_summary
from dashboard.metrics import RATE_LABELS
from dashboard.progress import PROGRESS_NOTE, PROJECTION_NOTE
from dashboard.scope import label as scope_label
from dashboard.ui.data import load, settings
from dashboard.ui.kpi import explained, rate_card
from dashboard.ui.page import setup
from dashboard.ui.tables import clickable_chart, community_focus, data_table, pick_nonce
from dashboard.ui.tabs import url_tabs
from dashboard.ui.text import md

filters = setup()
cfg = settings()
year = filters.year
scale = grade_scale(cfg)

st.title(f"和谐企业 · {year}年度")
scope = scope_label(filters.communities)
industries = "、".join(filters.industries) if filters.industries else "全部行业"
st.caption(f"统计截止 {filters.as_of_date.isoformat()} · {md(scope)} · {md(industries)}")

h1 = load(harmonious.harmonious_rate, filters)
distribution = load(harmonious.harmonious_grade_distribution, filters)
if h1.denominator == 0 and distribution.empty:
    st.info(
        "所选范围内还没有独立建会的正常经营企业，也没有和谐企业评定记录。"
        "请到「数据管理」页上传《企业名录及建会台账》和《和谐企业创建台账》。"
    )
    st.stop()

h2 = load(harmonious.new_harmonious_progress, filters)
projection = load(harmonious.harmonious_projection, filters).iloc[0]
h2_target = int(cfg.target("H2", year))

# ---- where we are against the targets ------------------------------------------------------------
c1, c2, c3 = st.columns(3)
with c1:
    rate_card("H1", RATE_LABELS["H1"], h1, filters)
with c2, st.container(border=True):
    short = h2[h2["short"] > 0]
    st.metric("新创建和谐企业（H2）", f"{fmt_int(h2['count'].sum())} 家", help=explained("H2", filters))
    st.badge(f"{len(short)} 个社区未完成" if len(short) else "各社区均已完成", color="red" if len(short) else "green")
    st.markdown(f"<div class='kpi-sub'>目标 每社区 {h2_target} 家 · 共 {len(h2)} 个社区</div>", unsafe_allow_html=True)
with c3, st.container(border=True):
    behind = h2[h2["behind"]]
    time_share = float(h2["time_share"].iloc[0]) if len(h2) else 0.0
    st.metric("时间进度", fmt_pct(time_share), help=PROGRESS_NOTE)
    st.badge(
        f"{len(behind)} 个社区创建进度滞后" if len(behind) else "时间过半、任务过半",
        color="red" if len(behind) else "green",
    )
    st.markdown("<div class='kpi-sub'>任务进度低于时间进度即为滞后</div>", unsafe_allow_html=True)

if projection["denominator"]:
    verdict = (
        "可以达标"
        if projection["shortfall"] == 0
        else f"距目标 {fmt_pct(projection['target'], 0)} {fmt_gap(int(projection['shortfall']))}"
    )
    counts = f"{int(projection['projected'])}/{int(projection['denominator'])} 家"
    st.markdown(
        f"**年末预测**：A级以上和谐企业占比现为 {fmt_pct(projection['now_rate'])}，按本年进度推算，12月31日预计 "
        f"**{fmt_pct(projection['projected_rate'])}**（{counts}），**{verdict}**。"
    )
    st.caption(PROJECTION_NOTE + "H1 的上年末数按评定年度不晚于上一年的最新等级计算。")

# ---- communities: click a bar to narrow everything below ----------------------------------------
st.subheader("各社区情况")
nonce = pick_nonce("h")
this_year = distribution[distribution["year"] == year]
left, right = st.columns(2)
with left:
    if this_year.empty:
        st.info(f"{year}年还没有和谐企业评定记录。请到「数据管理」页上传《和谐企业创建台账》。")
        event = None
    else:
        event = clickable_chart(
            unionization_charts.grade_stack_bar(
                grade_table(this_year, scale, "community"), scale, f"{year}年评定等级分布"
            ),
            key=f"h_grade_bar_{nonce}",
        )
with right:
    event_h2 = clickable_chart(
        unionization_charts.progress_bar(h2, f"新创建和谐企业任务进度（H2，每社区 {h2_target} 家）"),
        key=f"h2_bar_{nonce}",
    )
st.caption(PROGRESS_NOTE)

focus = community_focus(filters, (event, event_h2), prefix="h")
picked = focus.communities[0] if focus is not filters else None

by_comm = load(harmonious.harmonious_by_community, focus)
by_comm = by_comm.assign(
    rate_text=[fmt_pct(r) for r in by_comm["h1_rate"]],
    gap_text=[fmt_gap(int(g)) for g in by_comm["h1_gap"]],
)
data_table(
    by_comm,
    key="h_comm",
    file_name="和谐企业_各社区",
    labels={
        "community": "社区",
        "denominator": "独立建会正常经营企业",
        "numerator": "A级以上",
        "rate_text": "A级以上占比（H1）",
        "gap_text": "H1差距",
        "count": f"{year}年新创建（H2）",
        "short": "H2尚差",
    },
    empty_message="所选范围内没有社区数据。",
)

tab_todo, tab_years, tab_moves = url_tabs(
    "harmonious_tab", {"todo": "待创建名单", "years": "历年等级分布", "moves": f"{year - 1}→{year}年等级变动"}
)
with tab_todo:
    todo = load(harmonious.harmonious_todo, focus)
    st.markdown(
        "独立建会、正常经营、最新评定等级**尚未达到A级**（含未参评、未达标、申报中）的企业，"
        "按最近一次得分从高到低排列：分数越高，越接近A级。"
    )
    data_table(
        todo,
        key="h_todo",
        file_name="和谐企业待创建名单",
        labels=spec.column_labels(
            "community",
            "name",
            "industry",
            "employees",
            "latest_grade",
            "grade_year",
            "score",
            "union_chair",
            "phone",
            latest_grade="最新等级",
        ),
        empty_message="所选范围内所有独立建会企业都已达到A级以上。",
        profile_links=True,
    )
with tab_years:
    dist = distribution if not picked else distribution[distribution["community"] == picked]
    years = grade_table(dist, scale, "year")
    data_table(
        years,
        key="h_years",
        file_name="和谐企业_历年等级分布",
        labels={"year": "评定年度", **{g: g for g in scale}, "total": "合计"},
        empty_message="所选范围内还没有和谐企业评定记录。",
    )
    if not this_year.empty:
        st.markdown(f"**{year}年各社区等级分布**")
        comm = grade_table(this_year if not picked else this_year[this_year["community"] == picked], scale, "community")
        data_table(
            comm,
            key="h_year_comm",
            file_name=f"和谐企业_{year}年各社区等级",
            labels={"community": "社区", **{g: g for g in scale}, "total": "合计"},
        )
with tab_moves:
    moves = load(harmonious.harmonious_movements, focus)
    summary = movement_summary(moves)
    if moves.empty:
        st.info(f"{year - 1}年和{year}年都没有评定记录。")
    else:
        totals = summary[list(MOVEMENT_LABELS)].sum()
        for col, m in zip(st.columns(4), ("upgraded", "downgraded", "lapsed", "new"), strict=True):
            col.metric(MOVEMENT_LABELS[m], f"{int(totals[m])} 家")
        data_table(
            summary,
            key="h_moves_summary",
            file_name="和谐企业_等级变动汇总",
            labels={"community": "社区", **MOVEMENT_LABELS},
        )
        detail = moves[moves["movement"] != "unchanged"].assign(
            movement_text=lambda f: f["movement"].map(MOVEMENT_LABELS)
        )
        st.markdown("**变动企业明细**（不含等级不变的企业）")
        data_table(
            detail,
            key="h_moves",
            file_name="和谐企业_等级变动明细",
            labels={
                "community": "社区",
                "name": "企业名称",
                "previous_grade": f"{year - 1}年等级",
                "grade": f"{year}年等级",
                "score": f"{year}年得分",
                "movement_text": "变动",
            },
            profile_links=True,
        )
        st.caption(
            "升级/降级：两年都有评定结果且等级升高/降低（未达标低于A级）；新进入A级以上：上年无评定结果、今年达到A级以上；"
            "未续评（失效）：上年A级以上、今年没有评定结果（未参评或仍在申报中）；其他：如上年未达标、今年未参评。"
        )
