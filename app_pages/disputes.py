"""劳动争议: early warnings, the monthly trend against last year, types, industries, communities, the
three-level mediation picture, open and overdue cases, wage arrears, repeat employers and the cases
behind each chart."""

import streamlit as st

from dashboard import compare, disputes, disputes_charts
from dashboard.disputes import LABELS, LEVELS, SPIKE, TYPES, for_display
from dashboard.disputes import drill as drill_rows
from dashboard.formatting import fmt_int, fmt_pct, fmt_yuan
from dashboard.scope import label as scope_label
from dashboard.spec import OPEN_ALL, OPEN_THIS_YEAR, OVERDUE
from dashboard.ui.compare import comparison
from dashboard.ui.data import fetch, load, settings
from dashboard.ui.kpi import explained
from dashboard.ui.page import setup
from dashboard.ui.tables import MAX_SHOWN_ROWS, clickable_chart, data_table, take_pick
from dashboard.ui.text import md

filters = setup()
rules = settings()
overdue_days = int(rules.rule("mediation_overdue_days"))
collective_workers = int(rules.rule("collective_dispute_workers"))

st.title(f"劳动争议 · {filters.year}年度")
scope = scope_label(filters.communities)
if filters.industries:
    scope += " · " + "、".join(filters.industries)
as_of = filters.as_of_date
st.caption(
    f"统计截止 {as_of.isoformat()} · {md(scope)} · 去年同期指 {filters.year - 1}年1月1日至{as_of.month}月{as_of.day}日"
)

kpis = load(disputes.dispute_kpis, filters).iloc[0]
if kpis["cases"] == 0 and kpis["cases_last"] == 0 and kpis["open_now"] == 0:
    st.info("所选年度和范围还没有劳动争议调解记录。请到「数据管理」页上传《劳动争议调解台账》。")
    st.stop()

# ---- early warning ---------------------------------------------------------------------------------
warnings = load(disputes.early_warnings, filters)
spikes = warnings[warnings["kind"] == SPIKE]
collective = warnings[warnings["kind"] != SPIKE]
for message in spikes["message"]:
    st.warning(f"**预警** {md(message)}", icon=":material/warning:")
if len(collective):
    st.warning(
        f"本期有集体争议 {len(collective)} 件（涉及 {collective_workers} 人及以上），请逐件关注。",
        icon=":material/groups:",
    )
    with st.expander("集体争议清单", expanded=len(collective) <= 3):
        # one list, not an element per case: a district has ~1,900 collective disputes a year
        st.markdown("\n".join(f"- {md(message)}" for message in collective["message"]))

# ---- headline --------------------------------------------------------------------------------------
cols = st.columns(4)
cards = [
    (
        "本年受理（件）",
        fmt_int(kpis["cases"]),
        f"去年同期 {fmt_int(kpis['cases_last'])} 件 · 集体争议 {fmt_int(kpis['collective'])} 件",
    ),
    (
        "调解成功率",
        fmt_pct(kpis["success_rate"]),
        f"成功 {fmt_int(kpis['success'])} / 已结 {fmt_int(kpis['closed'])} 件",
    ),
    (
        "结案天数中位数（天）",
        "—" if kpis["median_days"] != kpis["median_days"] else f"{kpis['median_days']:.0f}",
        f"法定调解期限 {overdue_days} 天",
    ),
    (
        f"{OPEN_ALL}（件）",
        fmt_int(kpis["open_now"]),
        f"其中{OVERDUE} {fmt_int(kpis['overdue_now'])} 件 · {OPEN_THIS_YEAR} {fmt_int(kpis['open_this_year'])} 件",
    ),
]
helps = {f"{OPEN_ALL}（件）": explained("D1.open_all", filters, also=("D1.overdue", "D1.open_this_year"))}
helps |= {"本年受理（件）": explained("D1", filters), "调解成功率": explained("D1.success", filters)}
for col, (label, value, sub) in zip(cols, cards, strict=True):
    with col, st.container(border=True):
        st.metric(label, value, help=helps.get(label))
        st.markdown(f"<div class='kpi-sub'>{sub}</div>", unsafe_allow_html=True)


def chart(fig, key: str, state_key: str | None = None) -> None:
    ev = clickable_chart(fig, key=key)
    if state_key:
        take_pick(ev, state_key)


# ---- trend -----------------------------------------------------------------------------------------
st.subheader("月度受理趋势（点击柱条查看当月案件）")
by_month = load(disputes.disputes_by_month, filters)
chart(
    disputes_charts.monthly_trend(by_month, filters.year, f"{filters.year}年各月受理件数、3个月移动平均与去年对比"),
    "dispute_month_chart",
    "dispute_drill_month",
)
comparison(load(compare.disputes_month_compare, filters), key="dispute_cmp", what="受理", unit="件")

# ---- structure -------------------------------------------------------------------------------------
st.subheader("争议类型、行业与社区（点击柱条查看案件）")
left, right = st.columns(2)
with left:
    chart(
        disputes_charts.type_bar(load(disputes.disputes_by_type, filters), "各类型案件数与调解成功率"),
        "dispute_type_chart",
        "dispute_drill_type",
    )
with right:
    chart(
        disputes_charts.industry_bar(load(disputes.disputes_by_industry, filters), "用人单位所属行业"),
        "dispute_industry_chart",
        "dispute_drill_industry",
    )
by_community = load(disputes.disputes_by_community, filters)
levels = load(disputes.mediation_levels, filters)
left, right = st.columns(2)
with left:
    chart(
        disputes_charts.community_bar(by_community, "各社区案件数"),
        "dispute_community_chart",
        "dispute_drill_community",
    )
with right:
    chart(
        disputes_charts.levels_bar(levels, "三级调解：企业、社区、街道"), "dispute_level_chart", "dispute_drill_level"
    )
    st.caption("成功率 = 该层级调解成功件数 ÷ 该层级已结案件数；未结案件不计入。")

# ---- open cases ------------------------------------------------------------------------------------
st.subheader(f"{OPEN_ALL}：受理超过 {overdue_days} 天为{OVERDUE}")
open_cases = load(disputes.open_cases, filters)
if open_cases.empty:
    st.success("统计截止日没有未结案件（含往年受理的）。")
else:
    left, right = st.columns([2, 3])
    with left:
        chart(
            disputes_charts.age_bar(load(disputes.open_cases_by_age, filters), "按受理时长（点击柱条筛选）"),
            "dispute_age_chart",
            "dispute_open_age",
        )
    with right:
        age_band = st.session_state.get("dispute_open_age")
        if age_band:
            st.caption(f"只显示受理时长「{md(age_band)}」的案件（来自左图的点击）。")
            if st.button("显示全部未结案件", key="dispute_clear_age"):
                st.session_state["dispute_open_age"] = None
                st.rerun()
        data_table(
            for_display(drill_rows(open_cases, age_band=age_band or None))[
                [LABELS[c] for c in ("case_no", "community", "name", "dispute_type", "workers", "level")]
                + [LABELS[c] for c in ("received_on", "age_days", "overdue")]
            ],
            key="dispute_open",
            file_name=f"全部未结案件_{as_of.isoformat()}",
            height=340,
        )

# ---- wage arrears and repeat employers -------------------------------------------------------------
left, right = st.columns(2)
with left:
    st.subheader("拖欠工资（劳动报酬）")
    st.caption(
        f"本年 {fmt_int(kpis['wage_cases'])} 件，涉及 {fmt_int(kpis['wage_workers'])} 人、"
        f"{fmt_yuan(kpis['wage_amount'])}。"
    )
    wages = load(disputes.wage_arrears_by_community, filters)
    if wages.empty:
        st.success("本年没有拖欠工资案件。")
    else:
        data_table(
            for_display(wages).rename(columns={"集体争议": "其中集体争议"}),
            key="dispute_wages",
            file_name=f"拖欠工资案件_各社区_{filters.year}",
            column_config={"涉及金额（元）": st.column_config.NumberColumn(format="localized")},
        )
with right:
    repeat_n = int(rules.rule("repeat_employer_cases"))
    st.subheader("多次发生争议的企业")
    st.caption(f"截至统计日的近12个月内受理 {repeat_n} 件及以上。")
    repeat = load(disputes.repeat_employers, filters)
    if repeat.empty:
        st.success("近12个月没有企业多次发生劳动争议。")
    else:
        data_table(
            for_display(
                repeat[["name", "community", "industry", "cases", "workers", "types", "last_received", "case_nos"]]
            ),
            key="dispute_repeat",
            file_name=f"多次发生争议的企业_{as_of.isoformat()}",
        )

# ---- rows behind the charts ------------------------------------------------------------------------
st.subheader("案件明细")
c1, c2, c3, c4, c5 = st.columns(5)
year = c1.selectbox(
    "受理年度",
    [filters.year, filters.year - 1],
    key="dispute_drill_year",
    bind="query-params",
    format_func=lambda y: f"{y}年",
)
month = c2.selectbox(
    "月份",
    [None, *range(1, 13)],
    key="dispute_drill_month",
    bind="query-params",
    format_func=lambda m: f"{m}月" if m else "全部月份",
)
dtype = c3.selectbox(
    "争议类型",
    [None, *TYPES, "未填类型"],
    key="dispute_drill_type",
    bind="query-params",
    format_func=lambda v: v or "全部类型",
)
community = c4.selectbox(
    "社区",
    [None, *by_community["community"]],
    key="dispute_drill_community",
    bind="query-params",
    format_func=lambda v: v or scope_label(None),
)
level = c5.selectbox(
    "调解层级",
    [None, *LEVELS, "未填层级"],
    key="dispute_drill_level",
    bind="query-params",
    format_func=lambda v: v or "全部层级",
)
industry = st.session_state.get("dispute_drill_industry")
if industry:
    st.caption(f"已按行业「{md(industry)}」筛选（来自行业图的点击）。")
    if st.button("取消行业筛选", key="dispute_clear_industry"):
        st.session_state["dispute_drill_industry"] = None
        st.rerun()
where = dict(year=year, month=month, dispute_type=dtype, community=community, level=level, industry=industry or None)
# the first MAX_SHOWN_ROWS cases of the selection and their count; every case only for a download
picked = load(disputes.dispute_rows_page, filters, where=where, limit=MAX_SHOWN_ROWS)
hidden = ["year", "month", "is_closed"]
data_table(
    picked.frame.drop(columns=hidden),
    total=picked.total,
    fetch_all=lambda: fetch(disputes.dispute_rows_page, filters, where=where).frame.drop(columns=hidden),
    display=for_display,  # on the rows shown, and on every row only for a download
    key="dispute_rows",
    file_name=f"劳动争议案件_{year}",
    empty_message="没有符合所选条件的案件。",
    height=360,
)
