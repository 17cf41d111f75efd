"""组建工会: U1/U2 against target, U3 per community against time progress, where the street stands by
community, industry and size, the monthly trend, 应建未建名单 and 入会率."""

import streamlit as st

from dashboard import charts, compare, spec, unionization, unionization_charts
from dashboard.formatting import fmt_gap, fmt_int, fmt_pct
from dashboard.metrics import RATE_LABELS
from dashboard.progress import PROGRESS_NOTE, PROJECTION_NOTE
from dashboard.scope import label as scope_label
from dashboard.ui.compare import comparison
from dashboard.ui.data import load, settings
from dashboard.ui.kpi import explained, rate_card
from dashboard.ui.page import setup
from dashboard.ui.tables import (
    clickable_chart,
    clicked_point,
    community_focus,
    community_from_selection,
    data_table,
    pick_nonce,
    pick_note,
    point_value,
)
from dashboard.ui.text import md
from dashboard.unionization import rows_for_band, rows_for_members, rows_for_trend_point

filters = setup()
cfg = settings()
year = filters.year
threshold = int(cfg.rule("size_threshold"))

st.title(f"组建工会 · {year}年度")
scope = scope_label(filters.communities)
industries = "、".join(filters.industries) if filters.industries else "全部行业"
st.caption(f"统计截止 {filters.as_of_date.isoformat()} · {md(scope)} · {md(industries)}")

by_comm = load(unionization.union_coverage_by_community, filters)
if by_comm.empty:
    st.info("所选社区和行业还没有企业名录数据。请到「数据管理」页上传各社区的《企业名录及建会台账》。")
    st.stop()

rates = load(unionization.union_rates, filters)
u3 = load(unionization.new_unions_progress, filters)
projections = load(unionization.union_rate_projections, filters).set_index("indicator")
u3_target = int(cfg.target("U3", year))

# ---- where we are against the targets ------------------------------------------------------------
c1, c2, c3, c4 = st.columns(4)
with c1:
    rate_card("U1", RATE_LABELS["U1"], rates["U1"], filters)
with c2:
    rate_card("U2", RATE_LABELS["U2"], rates["U2"], filters)
with c3, st.container(border=True):
    short = u3[u3["short"] > 0]
    st.metric("新增建会（U3）", f"{fmt_int(u3['count'].sum())} 家", help=explained("U3", filters))
    st.badge(f"{len(short)} 个社区未完成" if len(short) else "各社区均已完成", color="red" if len(short) else "green")
    st.markdown(f"<div class='kpi-sub'>目标 每社区 {u3_target} 家 · 共 {len(u3)} 个社区</div>", unsafe_allow_html=True)
with c4, st.container(border=True):
    behind = u3[u3["behind"]]
    time_share = float(u3["time_share"].iloc[0]) if len(u3) else 0.0
    st.metric("时间进度", fmt_pct(time_share), help=PROGRESS_NOTE)
    st.badge(
        f"{len(behind)} 个社区新增建会进度滞后" if len(behind) else "时间过半、任务过半",
        color="red" if len(behind) else "green",
    )
    st.markdown("<div class='kpi-sub'>任务进度低于时间进度即为滞后</div>", unsafe_allow_html=True)

st.subheader("年末预测")
for code in ("U1", "U2"):
    p = projections.loc[code]
    if not p["denominator"]:
        continue
    verdict = "可以达标" if p["shortfall"] == 0 else f"距目标 {fmt_pct(p['target'], 0)} {fmt_gap(int(p['shortfall']))}"
    st.markdown(
        f"- **{RATE_LABELS[code]}（{code}）**：现为 {fmt_pct(p['now_rate'])}，按本年进度推算，"
        f"12月31日预计 **{fmt_pct(p['projected_rate'])}**（{int(p['projected'])}/{int(p['denominator'])} 家），"
        f"**{verdict}**。"
    )
st.caption(PROJECTION_NOTE)

# ---- communities: click a bar to narrow everything below ----------------------------------------
st.subheader("各社区情况")
nonce = pick_nonce("u")
left, right = st.columns(2)
with left:
    u1_frame = by_comm.rename(
        columns={"independent": "numerator", "eligible": "denominator", "u1_rate": "rate", "u1_status": "status"}
    )
    event = clickable_chart(
        charts.rate_by_community_bar(u1_frame, rates["U1"].target, f"{threshold}人以上企业独立建会率（U1）"),
        key=f"u1_bar_{nonce}",
    )
with right:
    event_u3 = clickable_chart(
        unionization_charts.progress_bar(u3, f"新增建会任务进度（U3，每社区 {u3_target} 家）"), key=f"u3_bar_{nonce}"
    )
st.caption(PROGRESS_NOTE)

focus = community_focus(filters, (event, event_u3), prefix="u")
picked = focus.communities[0] if focus is not filters else None

table = by_comm if not picked else by_comm[by_comm["community"] == picked]
table = table.assign(
    u1_text=[fmt_pct(r) for r in table["u1_rate"]],
    u1_gap_text=[fmt_gap(int(g)) for g in table["u1_gap"]],
    u2_text=[fmt_pct(r) for r in table["u2_rate"]],
    u2_gap_text=[fmt_gap(int(g)) for g in table["u2_gap"]],
)
data_table(
    table,
    key="u_comm",
    file_name="组建工会_各社区",
    labels={
        "community": "社区",
        "operating": "正常经营",
        "unionised": "已建会",
        "u2_text": "U2建会率",
        "u2_gap_text": "U2差距",
        "eligible": f"{threshold}人以上",
        "independent": "独立建会",
        "u1_text": "U1独立建会率",
        "u1_gap_text": "U1差距",
        "new_unions": "本年新增",
    },
)

# ---- the enterprises to move, and the breakdowns ----------------------------------------------
# the enterprises behind the size-band, trend and 入会率 lists: loaded once for the three tabs (each load of
# a cached result unpickles it anew, ~85,000 rows in a district)
enterprise_rows = load(unionization.union_enterprise_rows, focus)
tab_todo, tab_ind, tab_size, tab_trend, tab_members = st.tabs(
    ["应建未建名单", "按行业", "按规模", "月度趋势", "入会率"], key="unionization_tab", on_change="rerun"
)
with tab_todo:
    todo = load(unionization.unionisation_todo, focus)
    st.markdown(
        f"正常经营、职工 **{threshold} 人及以上**、在统计截止日**没有独立工会**的企业（含联合建会企业），"
        "按职工人数从多到少排列。每建成一家独立工会，U1 就向目标前进一家。"
    )
    data_table(
        todo,
        key="u_todo",
        file_name="应建未建名单",
        labels=spec.column_labels(
            "community", "name", "industry", "employees", "migrant_workers", "union_status", "phone"
        ),
        empty_message="所选范围内没有应建未建的企业。",
        profile_links=True,
    )

rate_labels = {
    "u2_text": "建会率",
    "u1_text": f"{threshold}人以上独立建会率",
    "u1_gap_text": "U1差距",
}
with tab_ind:
    ind = load(unionization.union_coverage_by_industry, focus)
    ind = ind.assign(
        u1_text=[fmt_pct(r) for r in ind["u1_rate"]],
        u1_gap_text=[fmt_gap(int(g)) for g in ind["u1_gap"]],
        u2_text=[fmt_pct(r) for r in ind["u2_rate"]],
    )
    data_table(
        ind,
        key="u_ind",
        file_name="组建工会_按行业",
        labels={
            "industry": "行业",
            "operating": "正常经营企业",
            "unionised": "已建会",
            "eligible": f"{threshold}人以上企业",
            "independent": "独立建会",
            **rate_labels,
        },
    )
with tab_size:
    size = load(unionization.union_coverage_by_size_band, focus)
    event_size = clickable_chart(
        unionization_charts.size_band_bar(size, "各规模企业建会率（点击柱条查看该规模的企业）"),
        key=f"u_size_chart_{pick_nonce('u_size')}",
    )
    size = size.assign(
        u1_text=[fmt_pct(r) for r in size["u1_rate"]],
        u1_gap_text=[fmt_gap(int(g)) if d else "—" for g, d in zip(size["u1_gap"], size["eligible"], strict=True)],
        u2_text=[fmt_pct(r) for r in size["u2_rate"]],
        own_text=[fmt_pct(r) for r in size["own_rate"]],
    )
    data_table(
        size,
        key="u_size",
        file_name="组建工会_按规模",
        labels={
            "size_band": "职工规模",
            "operating": "正常经营企业",
            "unionised": "已建会",
            "independent": "独立建会",
            "u2_text": "建会率",
            "own_text": "独立建会率",
            "u1_gap_text": "U1差距",
        },
    )
    band = point_value(event_size, "x")
    st.markdown("**各规模的正常经营企业**")
    if band:
        pick_note(f"下表只显示 **{band}** 的企业（在上方图表中点击了该规模）。", prefix="u_size", clear="显示全部规模")
    else:
        st.caption("点击上方图表中的柱条，只看该规模的企业。")
    data_table(
        rows_for_band(enterprise_rows, band),
        key="u_size_rows",
        file_name=f"组建工会_{band or '各规模'}企业",
        labels=spec.column_labels(
            "community", "name", "industry", "employees", "size_band", "union_status", "union_founded", "phone"
        ),
        column_config={"建会时间": st.column_config.DateColumn(format="YYYY-MM-DD")},
        empty_message="该规模没有正常经营的企业。",
        profile_links=True,
    )
with tab_trend:
    trend = load(unionization.union_trend_monthly, focus)
    if trend.empty or not trend["u2_denominator"].any():
        st.info("所选范围内没有正常经营企业，无法绘制趋势。")
    else:
        t1, t2 = st.columns(2)
        trend_nonce = pick_nonce("u_trend")
        trend_events = {
            "u1": clickable_chart(
                unionization_charts.trend_chart(trend, year, "u1", rates["U1"].target, "U1 逐月变化：今年与去年"),
                key=f"u_trend_u1_{trend_nonce}",
                into=t1,
            ),
            "u2": clickable_chart(
                unionization_charts.trend_chart(trend, year, "u2", rates["U2"].target, "U2 逐月变化：今年与去年"),
                key=f"u_trend_u2_{trend_nonce}",
                into=t2,
            ),
        }
        changes = load(compare.union_trend_compare, focus)
        with t1:
            comparison(changes[changes["indicator"] == "U1"], key="u_cmp_u1", what="U1", unit="", rate=True)
        with t2:
            comparison(changes[changes["indicator"] == "U2"], key="u_cmp_u2", what="U2", unit="", rate=True)
        st.caption(
            "趋势按当前企业名录中各企业的建会时间逐月回推：每月末已建会的企业 ÷ 当前名录中的企业数。"
            "已注销、迁出的企业不在当前名录中，因此这不是当时台账上的数字；未填建会时间的已建会企业计入每个月。"
        )
        # a point clicked on either chart: that month's new unions counted by that indicator
        trend_pick = next(
            (
                (key, *(int(v) for v in p["customdata"][:2]))
                for key, p in ((k, clicked_point(e)) for k, e in trend_events.items())
                if p and p.get("customdata")
            ),
            None,
        )
        indicator, pick_year, pick_month = trend_pick or ("u2", year, None)
        st.markdown("**建会企业**")
        if trend_pick:
            rule = "独立建会、计入 U1" if indicator == "u1" else "建会（含联合建会）、计入 U2"
            pick_note(
                f"下表只显示 **{pick_year}年{pick_month}月** {rule}的企业（在上方图表中点击了该月）。",
                prefix="u_trend",
                clear="显示本年全部",
            )
        else:
            st.caption(f"{year}年截至统计截止日新建会的企业。点击上方折线上的点，只看该月建会的企业。")
        data_table(
            rows_for_trend_point(enterprise_rows, indicator, pick_year, pick_month),
            key="u_trend_rows",
            file_name=f"组建工会_{pick_year}年{f'{pick_month}月' if pick_month else ''}建会企业",
            labels=spec.column_labels(
                "community", "name", "industry", "employees", "union_status", "union_founded", "phone"
            ),
            column_config={"建会时间": st.column_config.DateColumn(format="YYYY-MM-DD")},
            empty_message="该月没有新建会的企业。" if trend_pick else "本年截至统计截止日还没有新建会的企业。",
            profile_links=True,
        )
with tab_members:
    members = load(unionization.union_membership_by_community, focus)
    if members.empty:
        st.info("所选范围内没有已建会的正常经营企业。")
    else:
        event_members = clickable_chart(
            unionization_charts.share_by_community_bar(
                members, "rate", "入会率（会员人数 ÷ 职工人数，点击柱条查看该社区的企业）"
            ),
            key=f"u_members_chart_{pick_nonce('u_members')}",
        )
        members = members.assign(rate_text=[fmt_pct(r) for r in members["rate"]])
        data_table(
            members,
            key="u_members",
            file_name="入会率_各社区",
            labels=spec.column_labels(
                "community",
                "unionised",
                "reported",
                "employees",
                "members",
                "rate_text",
                "members_missing",
                rate_text="入会率",
            ),
        )
        st.caption(
            "入会率只计正常经营、已建会（独立或联合）并填报了会员人数的企业；会员人数超过职工人数的按职工人数计。"
        )
        member_pick = community_from_selection(event_members)
        st.markdown("**已建会企业的会员人数**")
        if member_pick:
            pick_note(
                f"下表只显示 **{md(member_pick)}** 的已建会企业（在上方图表中点击了该社区）。",
                prefix="u_members",
                clear="显示全部社区",
            )
        else:
            st.caption("点击上方图表中的柱条，只看该社区的企业。")
        member_rows = rows_for_members(enterprise_rows, member_pick)
        data_table(
            member_rows,
            display=lambda rows: rows.assign(member_rate_text=[fmt_pct(r) for r in rows["member_rate"]]),
            key="u_members_rows",
            file_name=f"入会率_{member_pick or '各社区'}企业",
            labels=spec.column_labels(
                "community",
                "name",
                "industry",
                "union_status",
                "employees",
                "union_members",
                "member_rate_text",
                "phone",
                union_members="会员人数",
            ),
            empty_message="该社区没有已建会的正常经营企业。",
            profile_links=True,
        )
