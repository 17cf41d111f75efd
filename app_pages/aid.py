"""帮扶救助: 送温暖 by campaign against last year, the month calendar, communities, recipient categories,
funding, the rows behind each chart (names and ID numbers masked) and the checks a leader asks for."""

import streamlit as st

from dashboard import aid, aid_charts, compare
from dashboard.aid import CATEGORIES, FUNDINGS, drill_where, for_display
from dashboard.formatting import fmt_int, fmt_yuan
from dashboard.privacy import can_see_personal
from dashboard.scope import label as scope_label
from dashboard.ui.columns import number_columns
from dashboard.ui.compare import comparison
from dashboard.ui.data import fetch, load
from dashboard.ui.kpi import explained
from dashboard.ui.page import setup
from dashboard.ui.tables import MAX_SHOWN_ROWS, clickable_chart, data_table, take_pick
from dashboard.ui.text import md

filters = setup()
user = st.session_state.get("user")  # roles come later; can_see_personal() is the one switch point

st.title(f"帮扶救助 · {filters.year}年度")
scope = scope_label(filters.communities)  # a cadre's figures are her community's, not 全部社区
as_of = filters.as_of_date
st.caption(
    f"统计截止 {as_of.isoformat()} · {md(scope)} · 去年同期指 {filters.year - 1}年1月1日至{as_of.month}月{as_of.day}日"
)
if filters.industries:
    st.caption("提示：帮扶救助台账只记工作单位名称，行业筛选对本页不起作用。")

totals = load(aid.aid_totals, filters).iloc[0]
if totals["people"] == 0 and totals["people_last"] == 0:
    st.info("所选年度和社区还没有帮扶救助记录。请到「数据管理」页上传《帮扶救助台账》。")
    st.stop()

# the check lists: a screenful each and how many (a district has ~60,000 repeats); every row for a download
repeat = load(aid.list_page, filters, query="aid_repeat_in_campaign", limit=MAX_SHOWN_ROWS)
many = load(aid.list_page, filters, query="aid_many_campaigns", limit=MAX_SHOWN_ROWS)
repeat_people = load(aid.aid_repeat_people, filters)  # a repeat row is a person in one campaign
gaps = load(aid.aid_category_gaps, filters)

# ---- headline --------------------------------------------------------------------------------------
cols = st.columns(4)
cards = [
    ("帮扶人次", fmt_int(totals["people"]), fmt_int(totals["people_last"]) + " 人次"),
    ("帮扶人数", fmt_int(totals["distinct_people"]), fmt_int(totals["distinct_people_last"]) + " 人"),
    ("发放金额", fmt_yuan(totals["amount"]), fmt_yuan(totals["amount_last"])),
    ("人均金额", fmt_yuan(totals["per_person"]), fmt_yuan(totals["per_person_last"])),
]
for col, (label, value, last) in zip(cols, cards, strict=True):
    with col, st.container(border=True):
        st.metric(label, value, help=explained("A1", filters))
        st.markdown(f"<div class='kpi-sub'>去年同期 {last}</div>", unsafe_allow_html=True)

checks = [
    (repeat_people, "人在同一活动中重复领取"),
    (many.total, "人参加了多项活动"),
    (len(gaps), "处社区帮扶人数较多但缺少重点类别"),
]
found = [f"{n} {text}" for n, text in checks if n]
if found:
    st.warning("核查提示：" + "；".join(found) + "。详见页面下方「核查」。")


# ---- campaigns -------------------------------------------------------------------------------------
st.subheader("各项活动：本年与去年同期（点击柱条查看明细）")
campaigns = load(aid.aid_campaigns, filters)
st.caption(
    f"春送岗位本年提供岗位 {fmt_int(totals['jobs'])} 个（去年同期 {fmt_int(totals['jobs_last'])} 个）。"
    "节日慰问按元旦、春节、端午、中秋、国庆分列。"
)
left, right = st.columns([3, 2])
with left:
    ev = clickable_chart(aid_charts.campaigns_bar(campaigns, "帮扶人次"), key="aid_campaigns_chart")
    take_pick(ev, "aid_drill_campaign")
with right:
    table = campaigns[["label", "people", "distinct_people", "cash", "goods", "jobs", "people_last", "amount_last"]]
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=min(40 + 35 * len(table), 420),
        column_config={
            "label": "活动",
            "people": st.column_config.NumberColumn("人次", format="localized"),
            "distinct_people": st.column_config.NumberColumn("人数", format="localized"),
            "cash": st.column_config.NumberColumn("慰问金（元）", format="localized"),
            "goods": st.column_config.NumberColumn("物资折款（元）", format="localized"),
            "jobs": st.column_config.NumberColumn("岗位", format="localized"),
            "people_last": st.column_config.NumberColumn("去年同期人次", format="localized"),
            "amount_last": st.column_config.NumberColumn("去年同期金额（元）", format="localized"),
        },
        placeholder="",
    )

# ---- calendar --------------------------------------------------------------------------------------
st.subheader("月度发放日历（点击柱条查看当月明细）")
by_month = load(aid.aid_by_month, filters)
ev = clickable_chart(
    aid_charts.month_calendar(by_month, filters.year, f"{filters.year}年各月帮扶人次（按活动）与去年对比"),
    key="aid_month_chart",
)
take_pick(ev, "aid_drill_month")
comparison(load(compare.aid_month_compare, filters), key="aid_cmp", what="帮扶", unit="人次")

# ---- communities and categories --------------------------------------------------------------------
st.subheader("各社区与对象类别（农民工、外来务工人员单列）")
by_community = load(aid.aid_by_community, filters)
by_category = load(aid.aid_by_category, filters)
left, right = st.columns(2)
with left:
    ev = clickable_chart(aid_charts.community_bar(by_community, "各社区帮扶人数"), key="aid_community_chart")
    take_pick(ev, "aid_drill_community")
with right:
    ev = clickable_chart(aid_charts.category_bar(by_category, "各类对象帮扶人数与人均金额"), key="aid_category_chart")
    take_pick(ev, "aid_drill_category")
focus = by_category[by_category["focus_group"]]
st.caption(
    "工作计划特别要求关注外来务工人员、农民工："
    + "；".join(f"{md(r.category)} {fmt_int(r.distinct_people)} 人、{fmt_yuan(r.amount)}" for r in focus.itertuples())
    + "。人均金额 = 发放金额 ÷ 帮扶人数（同一人多次领取只算一人）。"
)

st.subheader("资金来源（点击柱条查看该来源的明细）")
funding = load(aid.aid_by_funding, filters)
if funding.empty:
    st.info("统计期内没有发放记录。")
else:
    ev = clickable_chart(aid_charts.funding_bar(funding, "各来源发放金额（万元）"), key="aid_funding_chart")
    take_pick(ev, "aid_drill_funding")

# ---- rows behind the charts ------------------------------------------------------------------------
st.subheader("发放明细")
c1, c2, c3, c4, c5 = st.columns(5)
campaign = c1.selectbox(
    "活动",
    [None, *campaigns["label"]],
    key="aid_drill_campaign",
    bind="query-params",
    format_func=lambda v: v or "全部活动",
)
month = c2.selectbox(
    "月份",
    [None, *range(1, 13)],
    key="aid_drill_month",
    bind="query-params",
    format_func=lambda m: f"{m}月" if m else "全部月份",
)
community = c3.selectbox(
    "社区",
    [None, *by_community["community"]],
    key="aid_drill_community",
    bind="query-params",
    format_func=lambda v: v or scope_label(None),
)
category = c4.selectbox(
    "对象类别",
    [None, *CATEGORIES, "未填类别"],
    key="aid_drill_category",
    bind="query-params",
    format_func=lambda v: v or "全部类别",
)
funding_source = c5.selectbox(
    "资金来源",
    [None, *dict.fromkeys([*FUNDINGS, *funding["funding"]])],
    key="aid_drill_funding",
    bind="query-params",
    format_func=lambda v: v or "全部来源",
)
where = drill_where(campaign=campaign, month=month, community=community, category=category, funding=funding_source)
# the first MAX_SHOWN_ROWS rows of the selection and their count, from the database; every row only when a
# download is asked for
picked = load(aid.list_page, filters, where=where, limit=MAX_SHOWN_ROWS)
# data_table: masking by role, audited downloads; for_display (masking, dates, headers) runs on the rows
# shown, and on every row only for a download
data_table(
    picked.frame.drop(columns=["month"]),
    total=picked.total,
    fetch_all=lambda: fetch(aid.list_page, filters, where=where).frame.drop(columns=["month"]),
    display=lambda frame: for_display(frame, user),
    key="aid_rows",
    file_name=f"帮扶发放明细_{filters.year}",
    empty_message="没有符合所选条件的发放记录。",
    show_personal=can_see_personal(user),
    height=360,
)

# ---- checks ----------------------------------------------------------------------------------------
st.subheader("核查")


def check_list(rows, query: str, title: str, none: str, key: str, file_name: str, expanded: bool = False) -> None:
    """A check list in an expander: a screenful (at most MAX_SHOWN_ROWS; a district has tens of thousands
    of repeats), masked; every row fetched only for a download. `title` ends with the count to show."""
    with st.expander(title, expanded=expanded):
        if not rows.total:
            st.success(none)
            return
        data_table(
            rows.frame,
            total=rows.total,
            fetch_all=lambda: fetch(aid.list_page, filters, query=query).frame,
            display=lambda frame: for_display(frame, user),
            key=key,
            file_name=f"{file_name}_{filters.year}",
            show_personal=can_see_personal(user),
        )


check_list(
    repeat,
    "aid_repeat_in_campaign",
    f"同一活动中重复帮扶（{repeat_people} 人，{repeat.total} 条）",
    "没有人在同一活动（节日慰问按节日分开）中领取两次以上。",
    "aid_repeat",
    "同一活动重复帮扶",
    expanded=bool(repeat.total),
)
check_list(
    many,
    "aid_many_campaigns",
    f"参加多项活动的对象（{many.total} 人）",
    "没有人在本年度参加过多项活动（达到设定的项数）。",
    "aid_many",
    "参加多项活动的对象",
)
with st.expander(f"帮扶人数较多但缺少重点类别的社区（{len(gaps)} 处）"):
    if gaps.empty:
        st.success("帮扶人数较多的社区都覆盖了困难职工、农民工和外来务工人员等重点类别。")
    else:
        shown_gaps = for_display(gaps, user)
        st.dataframe(
            shown_gaps,
            hide_index=True,
            width="stretch",
            column_config=number_columns(shown_gaps) or None,
            placeholder="",
        )
