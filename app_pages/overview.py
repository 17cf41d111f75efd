"""总览: where the street stands against every target of the work plan, and who is behind."""

from datetime import date

import streamlit as st

from dashboard import aid, assessment, charts, disputes, metrics, overview_rows, streets, submissions
from dashboard.aid import drill_where
from dashboard.aid import for_display as aid_for_display
from dashboard.formatting import fmt_int, fmt_pct, fmt_yuan
from dashboard.metrics import COUNT_LABELS, RATE_LABELS, community_scorecard
from dashboard.overview_rows import DETAIL_LABELS, rows_for_task_bar
from dashboard.privacy import can_see_personal
from dashboard.scope import label as scope_label
from dashboard.spec import OPEN_THIS_YEAR
from dashboard.ui.data import fetch, load, settings
from dashboard.ui.kpi import explained, rate_card
from dashboard.ui.page import setup
from dashboard.ui.street_ranking import street_ranking
from dashboard.ui.tables import (
    MAX_SHOWN_ROWS,
    allowed_communities,
    clickable_chart,
    community_from_selection,
    data_table,
    pick_nonce,
    pick_note,
    point_value,
    url_pick,
)
from dashboard.ui.text import md

# 落后社区 lists this many of the worst by default (a district has hundreds; st.table draws every cell)
BEHIND_SHOWN = 15
SHORT_LABELS = {
    "U1": "U1 独立建会率",
    "U2": "U2 建会率",
    "W1": "W1 签约率",
    "H1": "H1 A级以上占比",
    "U3": "U3 新增建会",
    "W2": "W2 新增建制",
    "H2": "H2 新创和谐",
}

filters = setup()
ov = load(metrics.overview, filters)

st.title(f"总览 · {filters.year}年度")
scope = scope_label(filters.communities, streets=filters.streets)
latest = load(metrics.latest_import, filters)
updated = latest["last_imported_at"].iloc[0]
freshness = f" · 数据最近导入 {updated:%Y-%m-%d %H:%M}" if updated == updated and updated is not None else ""
st.caption(f"统计截止 {filters.as_of_date.isoformat()} · {md(scope)}{freshness}")


def submissions_block() -> None:
    """报送情况 in brief: how many communities have overdue ledgers, the most overdue few, a link to the page
    (submissions.overdue_counts: the counts alone, not every reminder's text)."""
    try:
        late = load(submissions.overdue_counts, filters, today=date.today().isoformat())
    except submissions.SettingsError as exc:
        st.warning(f"报送情况：{exc}", icon=":material/event_busy:")
        return
    if late.empty:
        st.success("报送情况：各社区各台账均已按期报送。", icon=":material/event_available:")
    else:
        first = late.head(3)
        top = "；".join(f"{md(c)} 逾期 {n} 期" for c, n in zip(first["community"], first["overdue"], strict=True))
        more = f" 等 {len(late)} 个社区" if len(late) > 3 else ""
        st.warning(f"报送情况：{len(late)} 个社区有逾期台账（{top}{more}）。", icon=":material/event_busy:")
    # a button, not st.page_link: a page run on its own (tests) has no navigation to check a link against
    if st.button("查看报送情况和催报提醒", key="ov_submissions", icon=":material/event_available:"):
        st.switch_page("app_pages/submissions.py")


if all(r.denominator == 0 for r in ov.rates.values()) and ov.aid.empty and ov.disputes["cases"] == 0:
    st.info("所选年度和社区还没有数据。请到「数据管理」页上传台账。")
    submissions_block()
    st.stop()

st.subheader("四项比率指标")
for col, (code, result) in zip(st.columns(4), ov.rates.items(), strict=True):
    with col:
        rate_card(code, RATE_LABELS[code], result, filters)

# more than one street read: the streets side by side, and 落后社区 by (street, community); the two tables
# come from one call, so each street's overview is computed once for both
by_street = load(assessment.district_level, filters)
wide, card = load(streets.district_tables, filters) if by_street else (None, None)
street_ranking(filters, key="ov_streets", wide=wide)

task_targets = {code: int(settings().target(code, filters.year)) for code in ov.counts}  # defaults.toml
same = set(task_targets.values())
each = f"每社区每年不少于 {same.pop()} 家" if len(same) == 1 else "每社区每年任务见各图"
st.subheader(f"各社区年度任务（{each}，点击柱条查看计入的企业）")
task_nonce = pick_nonce("ov_task")
task_events = {}
for col, (code, frame) in zip(st.columns(3), ov.counts.items(), strict=True):
    with col:
        short = frame[frame["short"] > 0]
        target = task_targets[code]
        st.metric(f"{code} {COUNT_LABELS[code]}·未完成社区", f"{len(short)} 个", help=explained(code, filters))
        task_events[code] = clickable_chart(
            charts.count_by_community_bar(frame, target, f"{COUNT_LABELS[code]}（家）"),
            key=f"count_{code}_{task_nonce}",
            theme=None,
        )
clicked = next((f"{c},{p}" for c, p in ((c, community_from_selection(e)) for c, e in task_events.items()) if p), None)
in_scope = allowed_communities(filters)
task_pick = url_pick(
    "ov_task", clicked, {f"{c},{p}" for c in ov.counts for p in in_scope}, what="社区"
)  # the link holds "U3,光明社区"
if task_pick:
    code, community = task_pick.split(",", 1)
    pick_note(
        f"下表是 **{md(community)}** 计入「{COUNT_LABELS[code]}（{code}）」的企业（在上方图表中点击了该社区）。",
        prefix="ov_task",
        clear="收起名单",
    )
    detail, when = DETAIL_LABELS[code]
    data_table(
        rows_for_task_bar(load(overview_rows.new_task_rows, filters), code, community),
        key="ov_task_rows",
        file_name=f"{community}_{COUNT_LABELS[code]}_{filters.year}",
        labels={"community": "社区", "name": "企业名称", "detail": detail, "happened_on": when},
        column_config={when: st.column_config.DateColumn(format="YYYY-MM-DD")},
        empty_message=f"{md(community)}本年还没有计入{COUNT_LABELS[code]}的企业。",
        profile_links=True,
    )

st.subheader("落后社区")
card = card if by_street else community_scorecard(ov)  # by_street: a row is a (street, community)
behind = card[card["targets_missed"] > 0]
if behind.empty:
    st.success("所有社区均已达到各项目标。")
else:
    shown = behind  # worst first (the scorecard's order): at district level the first BEHIND_SHOWN, or all
    capped = len(behind) > BEHIND_SHOWN
    if capped:
        st.caption(f"共 {len(behind)} 个社区未达标，按未达标项数从多到少先列出前 {BEHIND_SHOWN} 个。")
    where = st.container()  # the table, above its toggle
    if capped and not st.toggle(f"展开全部（{len(behind)} 个）", key="ov_behind_all"):
        shown = behind.head(BEHIND_SHOWN)
    table = shown[["street", "community", "targets_missed"] if by_street else ["community", "targets_missed"]].copy()
    for code in ov.rates:
        table[SHORT_LABELS[code]] = [
            f"{fmt_pct(r)}（差{g}家）" if g else fmt_pct(r)
            for r, g in zip(shown[f"{code}_rate"], shown[f"{code}_gap"], strict=True)
        ]
    for code in ov.counts:
        table[SHORT_LABELS[code]] = [fmt_int(n) for n in shown[code]]
    table = table.rename(columns={"street": "街道", "community": "社区", "targets_missed": "未达标项数"})
    for column in ("街道", "社区"):
        if column in table.columns:
            table[column] = [md(c) for c in table[column]]  # st.table renders Markdown: names as written
    # a static table wraps its cells to the page's width: at 1280 wide st.dataframe hid H2 behind a scroll
    where.table(table, hide_index=True)

left, right = st.columns(2)
with left:
    st.subheader("帮扶救助（A1）", help="点击图中柱条查看该活动的发放明细。")
    aid_rows = ov.aid
    c1, c2 = st.columns(2)
    c1.metric("帮扶人次", fmt_int(aid_rows["people"].sum()) if len(aid_rows) else "0", help=explained("A1", filters))
    c2.metric(
        "发放金额（慰问金+物资）",
        fmt_yuan((aid_rows["cash"].astype(float) + aid_rows["goods"].astype(float)).sum()) if len(aid_rows) else "0元",
        help=explained("A1", filters),
    )
    if len(aid_rows):
        aid_nonce = pick_nonce("ov_aid")
        aid_event = clickable_chart(
            charts.aid_by_campaign_bar(aid_rows, "各活动发放金额（万元）"),  # short: a phone shows it whole
            key=f"aid_chart_{aid_nonce}",
            theme=None,
        )
        campaign = url_pick("ov_aid", point_value(aid_event, "y"), set(aid_rows["campaign"]), what="活动")
        if campaign:
            pick_note(
                f"下表是「{md(campaign)}」的发放明细（在上方图表中点击了该活动）。", prefix="ov_aid", clear="收起"
            )
            user = st.session_state.get("user")
            where = drill_where(campaign=campaign)
            picked = load(aid.list_page, filters, where=where, limit=MAX_SHOWN_ROWS)
            data_table(
                picked.frame.drop(columns=["month"]),
                total=picked.total,
                fetch_all=lambda: fetch(aid.list_page, filters, where=where).frame.drop(columns=["month"]),
                display=lambda frame: aid_for_display(frame, user),
                key="ov_aid_rows",
                file_name=f"帮扶发放明细_{campaign}_{filters.year}",
                show_personal=can_see_personal(user),
                empty_message="该活动没有发放记录。",
                height=300,
            )
    else:
        st.info("本年度暂无帮扶救助记录。")
with right:
    st.subheader("劳动争议（D1）")
    d = ov.disputes
    c1, c2 = st.columns(2)
    c1.metric("本年受理", f"{fmt_int(d['cases'])} 件", help=explained("D1", filters))
    c2.metric("调解成功率", fmt_pct(d["success_rate"]), help=explained("D1.success", filters))
    c3, c4 = st.columns(2)
    c3.metric(
        OPEN_THIS_YEAR,
        f"{fmt_int(d['open_this_year'])} 件",
        help=explained("D1.open_this_year", filters),
    )
    c4.metric("集体争议", f"{fmt_int(d['collective'])} 件", help=explained("D1", filters))
    for message in load(disputes.spike_warnings, filters)["message"]:  # the spikes alone, not the collective list
        st.warning(md(message), icon=":material/warning:")
    if d["collective"]:
        st.warning(f"本年有集体争议 {d['collective']} 件，详见「劳动争议」页。", icon=":material/groups:")

st.subheader("报送情况")
submissions_block()
