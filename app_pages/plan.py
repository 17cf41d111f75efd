"""工作计划: the plan's sections 三, 四, 五 and 七.四 as a checklist; each duty with its measure, target,
actual, time and task progress, status and who is behind, drilling down to the rows (dashboard/plan.py)."""

import streamlit as st

from dashboard import plan, privacy, scope
from dashboard.ui.data import load
from dashboard.ui.kpi import BADGE_COLOURS, explained
from dashboard.ui.page import setup
from dashboard.ui.tables import data_table
from dashboard.ui.text import md

GAPS_SHOWN = 8  # rows of a duty's 落后 list in view before "展开全部"

filters = setup()
st.title(f"工作计划 · {filters.year}年")
st.caption(
    f"{md(scope.label(filters.communities))} · 统计截止 {filters.as_of_date.isoformat()}。"
    "每社区计数的工作：任务进度 = 各社区已完成数（以目标为上限）之和 ÷ 目标之和，低于时间进度即为滞后；"
    "比率类工作与目标比较；目标由管理员在设置中调整。"
)

measures = load(plan.all_measures, filters, show_personal=privacy.can_see_personal(scope.current_viewer()))
if not any(m.actual or not m.rows.empty for m in measures):
    st.info(
        "还没有工作计划台账数据。请到“数据管理”页面下载空白模板（学习测试、培训、调研报告、信息报送、走访、经费、阵地、活动），填好后上传。"
    )

counts = {s: sum(1 for m in measures if m.status == s) for s in ("green", "amber", "red")}
c1, c2, c3 = st.columns(3)
c1.metric("达标", f"{counts['green']} 项")
c2.metric("接近", f"{counts['amber']} 项")
c3.metric("落后", f"{counts['red']} 项")

for section, heading in plan.SECTIONS.items():
    duties = [m for m in measures if plan.section_of(m) == section]
    if not duties:
        continue
    st.subheader(f"{section}、{heading}")
    for m in duties:
        with st.expander(f"{m.section} {m.title} —— {m.status_label}", expanded=m.status == "red"):
            st.badge(m.status_label, color=BADGE_COLOURS[m.status])
            cols = st.columns(5)
            cols[0].metric(m.measure, plan.fmt(m, m.actual), help=explained(m.id, filters))
            cols[1].metric("目标", plan.fmt(m, m.target), help=m.target_note)
            cols[2].metric("时间进度", plan.share_text(m.time_share))
            cols[3].metric("任务进度", plan.share_text(m.task_share))
            cols[4].metric("落后", f"{len(m.behind)} 项")
            if m.extra:
                st.caption(" · ".join(f"{plan.EXTRA_LABELS.get(k, k)} {v:,}" for k, v in m.extra.items()))
            if m.gaps:
                st.markdown(f"**落后：{len(m.gaps)} 项**（点击表头排序）")
                data_table(
                    plan.gaps_table([m]),
                    key=f"plan_gaps_{m.id}",
                    file_name=f"{filters.year}年工作计划落后_{m.section}_{m.title[:12]}",
                    labels={k: v for k, v in plan.GAP_LABELS.items() if k in ("community", "item", "missing")},
                    cap=GAPS_SHOWN,
                )
            if not m.rows.empty:
                data_table(
                    m.rows,
                    key=f"plan_{m.id}",
                    file_name=f"{filters.year}年工作计划_{m.section}_{m.title[:12]}",
                    labels=plan.ROW_LABELS,
                )
