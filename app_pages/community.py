"""社区画像: one community (picked here, reproducible as ?community=) with every indicator against its
target, its rank among the street's communities, aid and disputes, and its to-do lists."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard import (
    aid,
    charts,
    community,
    disputes,
    harmonious,
    metrics,
    plan,
    privacy,
    scope,
    spec,
    unionization,
    wages,
)
from dashboard.community import COUNT_CODES, RATE_CODES, rank_text, rate_results, street_filters
from dashboard.formatting import fmt_gap, fmt_int, fmt_pct, fmt_yuan
from dashboard.metrics import COUNT_LABELS, RATE_LABELS
from dashboard.rates import STATUS_LABELS
from dashboard.spec import OPEN_ALL, OVERDUE
from dashboard.ui.data import load, lookup, settings
from dashboard.ui.kpi import BADGE_COLOURS, explained, rate_card
from dashboard.ui.page import setup
from dashboard.ui.tables import clickable_chart, community_from_selection, data_table
from dashboard.ui.tabs import url_tabs
from dashboard.ui.text import md

URL_KEY = "community"  # the filter bar leaves it alone
PICK, KEPT = "community_pick", "_keep_community_pick"

filters = setup()
communities = list(lookup("communities")["community"])
title = st.empty()
title.title("社区画像")
if not communities:
    st.info("还没有任何社区的台账。请到「数据管理」页上传各社区的台账。")
    st.stop()

# ---- which community: a click on the ranking chart, the kept choice, the link, the filter bar ----------
nonce = st.session_state.setdefault("cp_rank_nonce", 0)
clicked = community_from_selection(st.session_state.get(f"cp_rank_{nonce}"))
if clicked in communities and clicked != st.session_state.get(KEPT):
    st.session_state[KEPT] = clicked
    st.session_state["cp_rank_nonce"] = nonce = nonce + 1  # a fresh chart: the click is used once
kept = st.session_state.get(KEPT)
if kept not in communities:
    from_url = st.query_params.get(URL_KEY)
    if from_url in communities:
        kept = from_url
    elif filters.communities and filters.communities[0] in communities:
        kept = filters.communities[0]
    else:
        kept = communities[0]
st.session_state[PICK] = kept  # seeds the widget on every run (see dashboard.ui.filters._seed)


def _picked() -> None:
    st.session_state[KEPT] = st.session_state[PICK]


chosen = st.columns([1, 2])[0].selectbox("社区", communities, key=PICK, on_change=_picked)
title.title(f"社区画像 · {md(chosen)}")
st.session_state[KEPT] = chosen
if st.query_params.get(URL_KEY) != chosen:
    st.query_params[URL_KEY] = chosen  # the link to this view reproduces it
focus = replace(filters, communities=(chosen,))

st.caption(
    f"{md(chosen)} · {filters.year}年度 · 统计截止 {filters.as_of_date.isoformat()}。"
    "本页只看上方所选社区（侧栏的「社区」筛选在本页不起作用），行业、职工规模、经营状态筛选照常生效；"
    "排名在同样筛选下的各社区之间比较。"
)

indicators = load(community.community_indicators, focus).set_index("code")
cards = rate_results(indicators.reset_index())
if all(r.denominator == 0 for r in cards.values()):
    st.info(
        f"{md(chosen)}在所选范围内没有正常经营企业的名录数据。请到「数据管理」页上传该社区的《企业名录及建会台账》。"
    )

# ---- the four rates ------------------------------------------------------------------------------
st.subheader("四项比率指标")
for col, code in zip(st.columns(4), RATE_CODES, strict=True):
    row = indicators.loc[code]
    with col:
        rate_card(code, RATE_LABELS[code], cards[code], focus)
        st.caption(f"{rank_text(row['rank'], row['ranked'])} · 全街道 {fmt_pct(row['street_value'])}")

# ---- the yearly tasks ----------------------------------------------------------------------------
st.subheader("年度任务（每社区每年）")
for col, code in zip(st.columns(3), COUNT_CODES, strict=True):
    row = indicators.loc[code]
    with col, st.container(border=True):
        st.metric(f"{COUNT_LABELS[code]}（{code}）", f"{fmt_int(row['value'])} 家", help=explained(code, focus))
        st.badge(STATUS_LABELS[row["status"]], color=BADGE_COLOURS[row["status"]])
        st.markdown(
            f"<div class='kpi-sub'>目标 {int(row['target'])} 家 · {fmt_gap(int(row['gap']))}"
            f" · {rank_text(row['rank'], row['ranked'])}</div>",
            unsafe_allow_html=True,
        )
st.caption("未完成但任务进度不低于时间进度为「接近」，低于时间进度为「落后」。")

# ---- aid and disputes ----------------------------------------------------------------------------
st.subheader("帮扶救助与劳动争议")
aid_kpis = load(aid.aid_totals, focus).iloc[0]
kpis = load(disputes.dispute_kpis, focus).iloc[0]
facts = [
    ("帮扶人次", f"{fmt_int(aid_kpis['people'])} 人次", f"去年同期 {fmt_int(aid_kpis['people_last'])} 人次", "A1"),
    ("发放金额", fmt_yuan(aid_kpis["amount"]), f"去年同期 {fmt_yuan(aid_kpis['amount_last'])}", "A1"),
    ("本年受理", f"{fmt_int(kpis['cases'])} 件", f"去年同期 {fmt_int(kpis['cases_last'])} 件", "D1"),
    (OPEN_ALL, f"{fmt_int(kpis['open_now'])} 件", f"其中{OVERDUE} {fmt_int(kpis['overdue_now'])} 件", "D1.open_all"),
]
for col, (label, value, sub, code) in zip(st.columns(4), facts, strict=True):
    with col, st.container(border=True):
        also = ("D1.overdue",) if code == "D1.open_all" else ()
        st.metric(label, value, help=explained(code, focus, also))
        st.markdown(f"<div class='kpi-sub'>{sub}</div>", unsafe_allow_html=True)

# ---- the work plan's other duties (工作计划), this community's line of each ------------------------
st.subheader("工作计划完成情况")
plan_lines = plan.community_measures(
    load(plan.all_measures, focus, show_personal=privacy.can_see_personal(scope.current_viewer())), chosen
)
if plan_lines:
    st.dataframe(pd.DataFrame(plan_lines), hide_index=True, width="stretch", key="community_plan", placeholder="")
    st.caption("各项工作的全街道情况、落后名单和明细见「工作计划」页。")
else:
    st.info(f"{md(chosen)}还没有工作计划台账数据（学习测试、培训、调研报告、信息报送、走访、经费、阵地、活动）。")

# ---- rank among communities: click a bar to open that community ----------------------------------
if not scope.resolve().is_all:  # a cadre: her connection holds her rows only, a chart of 各社区 one bar
    st.subheader("在各社区中的位置")
    st.caption("各项指标上方的排名和全街道数值在全街道各社区之间比较；其他社区的数值和名单不向社区账号显示。")
else:
    st.subheader("在各社区中的位置（点击柱条切换到该社区）")
    street = load(metrics.overview, street_filters(focus))
    code = st.segmented_control(
        "指标",
        [*RATE_CODES, *COUNT_CODES],
        default="U1",
        key="cp_rank_code",
        bind="query-params",
        format_func=lambda c: f"{c} {RATE_LABELS.get(c) or COUNT_LABELS[c]}",
    )
    code = code or "U1"
    if code in RATE_CODES:
        fig = charts.rate_by_community_bar(
            street.rates_by_community[code], street.rates[code].target, f"各社区{RATE_LABELS[code]}"
        )
    else:
        target = int(indicators.loc[code, "target"])
        fig = charts.count_by_community_bar(street.counts[code], target, f"各社区{COUNT_LABELS[code]}（家）")
    clickable_chart(fig, key=f"cp_rank_{nonce}")

# ---- to-do lists ---------------------------------------------------------------------------------
st.subheader("待办名单")
threshold = int(settings().rule("size_threshold"))
todo = load(unionization.unionisation_todo, focus)
expired = load(wages.expired_without_renewal, focus)
unsigned = load(wages.unsigned_enterprises, focus)
harmony_todo = load(harmonious.harmonious_todo, focus)
overdue = load(community.overdue_disputes, focus)
DATE = st.column_config.DateColumn(format="YYYY-MM-DD")
tabs = url_tabs(
    "community_tab",
    {
        "union_todo": f"应建未建（{len(todo)}）",
        "expired": f"到期未续签（{len(expired)}）",
        "unsigned": f"未签约（{len(unsigned)}）",
        "harmony_todo": f"和谐企业待创建（{len(harmony_todo)}）",
        "overdue": f"超期未结争议（{len(overdue)}）",
    },
)
with tabs[0]:
    st.caption(f"正常经营、职工 {threshold} 人及以上、统计截止日没有独立工会的企业；建成一家，U1 前进一家。")
    data_table(
        todo,
        key="cp_todo",
        file_name=f"{chosen}_应建未建名单",
        labels=spec.column_labels("name", "industry", "employees", "migrant_workers", "union_status", "phone"),
        empty_message=f"{md(chosen)}没有应建未建的企业。",
        profile_links=True,
    )
with tabs[1]:
    st.caption("正常经营企业中，最近一份协议已在统计截止日前到期、至今没有新协议的。")
    data_table(
        expired,
        key="cp_expired",
        file_name=f"{chosen}_到期未续签名单",
        labels=spec.column_labels(
            "name",
            "days_overdue",
            "expires_on",
            "agreement_type",
            "agreement_name",
            "employees",
            "union_chair",
            "phone",
        ),
        column_config={"到期日期": DATE},
        empty_message=f"{md(chosen)}没有到期未续签的企业。",
        profile_links=True,
    )
with tabs[2]:
    st.caption("建会且正常经营、统计截止日没有有效工资集体协议的企业：签约率（W1）的差额所在。")
    data_table(
        unsigned,
        key="cp_unsigned",
        file_name=f"{chosen}_未签约名单",
        labels=spec.column_labels(
            "name", "employees", "union_status", "situation", "last_expires_on", "industry", "union_chair", "phone"
        ),
        column_config={"上次协议到期": DATE},
        empty_message=f"{md(chosen)}建会企业都已签订有效协议。",
        profile_links=True,
    )
with tabs[3]:
    st.caption("独立建会、正常经营、最新评定尚未达到A级的企业，得分高的离A级最近。")
    data_table(
        harmony_todo,
        key="cp_harmony",
        file_name=f"{chosen}_和谐企业待创建名单",
        labels=spec.column_labels(
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
        empty_message=f"{md(chosen)}所有独立建会企业都已达到A级以上。",
        profile_links=True,
    )
with tabs[4]:
    overdue_days = int(settings().rule("mediation_overdue_days"))
    st.caption(f"统计截止日仍未结案、受理已超过 {overdue_days} 天的劳动争议，受理最早的在前。")
    data_table(
        overdue,
        key="cp_overdue",
        file_name=f"{chosen}_超期未结争议",
        labels={
            "case_no": "案件编号",
            "name": "用人单位",
            "dispute_type": "争议类型",
            "workers": "涉及人数",
            "level": "调解层级",
            "received_on": "受理日期",
            "age_days": "已受理天数",
        },
        column_config={"受理日期": DATE},
        empty_message=f"{md(chosen)}没有超期未结的劳动争议。",
    )
