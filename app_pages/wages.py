"""集体协商: W1–W3 against target, who is behind, and which enterprises must sign or renew."""

from dataclasses import replace

import streamlit as st

from dashboard import charts, compare, metrics, spec, wages, wages_charts
from dashboard.formatting import fmt_int, fmt_pct
from dashboard.scope import label as scope_label
from dashboard.ui.compare import comparison
from dashboard.ui.data import load, settings
from dashboard.ui.kpi import explained, rate_card
from dashboard.ui.page import setup
from dashboard.ui.tables import (
    allowed_communities,
    clickable_chart,
    clicked_point,
    communities_picked,
    data_table,
    pick_nonce,
    pick_note,
    point_value,
    url_pick,
)
from dashboard.ui.tabs import url_tabs
from dashboard.ui.text import md, md_join
from dashboard.wages import (
    ALL_COMMUNITIES,
    PROJECTION_DEFINITION,
    TIME_PROGRESS_DEFINITION,
    coverage_table,
    expiry_by_community,
    headline,
    rows_for_signing_pick,
)

filters = setup()
warning_days = int(settings().rule("expiry_warning_days"))

st.title(f"工资集体协商 · {filters.year}年度")
scope = scope_label(filters.communities)
st.caption(f"统计截止 {filters.as_of_date.isoformat()} · {md(scope)}")

w1 = load(wages.w1_summary, filters)
signings = load(wages.signings_by_month, filters)
coverage = load(wages.coverage_by_type, filters)
if signings.empty and coverage.empty:
    # no agreement signed in this year or the last, none in force: the ledger is missing, not the work
    st.info(
        "所选年度和社区还没有工资集体协商记录（本年和上年均无签订、截止日无有效协议）。"
        "请到「数据管理」页上传《工资集体协商台账》，或换一个年度、社区查看。"
    )
    st.stop()

w2 = load(wages.w2_progress, filters)
w3 = load(metrics.industry_agreements, filters)
projection = load(wages.w1_projection, filters)
total_projection = projection[projection["community"] == ALL_COMMUNITIES].iloc[0]

# ---- headline ------------------------------------------------------------------------------------
cols = st.columns(4)
with cols[0]:
    rate_card("W1", metrics.RATE_LABELS["W1"], w1, filters)
head = headline(w2, w3)
target_w2 = int(settings().target("W2", filters.year))  # 每社区每年新签不少于 N 家 (dashboard/defaults.toml)
with cols[1], st.container(border=True):
    st.metric("新增建制未完成社区（W2）", f"{head['short_communities']} 个", help=explained("W2", filters))
    st.markdown(
        f"<div class='kpi-sub'>本年新签 {fmt_int(head['new_signed'])} 家"
        f" · 共差 {fmt_int(head['short_total'])} 家</div>",
        unsafe_allow_html=True,
    )
with cols[2], st.container(border=True):
    st.metric("行业性、区域性协议（W3）", f"{fmt_int(head['w3_agreements'])} 份", help=explained("W3", filters))
    st.markdown(
        f"<div class='kpi-sub'>覆盖 {fmt_int(head['w3_enterprises'])} 家企业、"
        f"{fmt_int(head['w3_employees'])} 名职工</div>",
        unsafe_allow_html=True,
    )
with cols[3], st.container(border=True):
    st.metric("W1 年末预测", fmt_pct(total_projection["projected_rate"]), help=PROJECTION_DEFINITION)
    shortfall = int(total_projection["shortfall"])
    st.markdown(
        f"<div class='kpi-sub'>{'按目前进度年末可达标' if shortfall == 0 else f'按目前进度年末还差 {shortfall} 家'}"
        f" · 1月1日 {fmt_int(total_projection['start'])} 家 → 现在 {fmt_int(total_projection['numerator'])} 家</div>",
        unsafe_allow_html=True,
    )

# ---- by community: click a bar to narrow the lists below ------------------------------------------
st.subheader("各社区情况（点击柱条可筛选下方名单）")
w1_by_community = load(wages.w1_by_community, filters)
target_w1 = float(w1.target)
w_nonce = pick_nonce("w")
left, right = st.columns(2)
with left:
    ev1 = clickable_chart(
        charts.rate_by_community_bar(w1_by_community, target_w1, "建会企业签约率（W1）"), key=f"w1_bar_{w_nonce}"
    )
with right:
    ev2 = clickable_chart(
        charts.count_by_community_bar(w2, target_w2, "本年新增建制（W2，家）"), key=f"w2_bar_{w_nonce}"
    )

# the coverage chart further down narrows the same lists: its last click is read here, before it is drawn
clicks = communities_picked(ev1) | communities_picked(ev2)
clicks |= communities_picked(st.session_state.get(f"coverage_bar_{w_nonce}"))
in_scope = set(allowed_communities(filters))
url = url_pick(  # the link holds the communities picked, joined by ","
    "w", ",".join(sorted(clicks)) or None, lambda v: set(v.split(",")) <= in_scope, what="社区"
)
picked = set(url.split(",")) if url else set()
if picked:
    pick_note(f"下方表格和名单只显示：{md_join(sorted(picked))}。", prefix="w", clear="显示全部社区")
# the tables below read the clicked communities through the filters (the SQL narrows them)
focus = replace(filters, communities=tuple(sorted(picked))) if picked else filters


def fit_height(frame) -> int:
    """Tall enough for every row of a per-community table (a street has 8-15 communities)."""
    return 35 * (len(frame) + 1) + 3


# ---- time progress vs task progress ----------------------------------------------------------------
st.subheader("时间进度与任务进度")
with st.container():  # stacked: each table needs the full width at 1280 px
    st.markdown("**新增建制（W2）**")
    w2_shown = load(wages.w2_progress, focus) if picked else w2
    table = w2_shown[["community", "count", "target", "task_share", "time_share", "behind"]].copy()
    table["behind"] = ["滞后" if b else "正常" for b in table["behind"]]
    table[["task_share", "time_share"]] = table[["task_share", "time_share"]] * 100  # shown as percent
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=fit_height(table),
        column_config={
            "community": "社区",
            "count": st.column_config.NumberColumn("本年新签", format="%d 家"),
            "target": st.column_config.NumberColumn("任务", format="%d 家"),
            "task_share": st.column_config.ProgressColumn("任务进度", min_value=0, max_value=100, format="%.1f%%"),
            "time_share": st.column_config.ProgressColumn("时间进度", min_value=0, max_value=100, format="%.1f%%"),
            "behind": "判断",
        },
        placeholder="",
    )
    st.caption(TIME_PROGRESS_DEFINITION)
with st.container():
    st.markdown("**签约率年末预测（W1）**")
    proj = load(wages.w1_projection, focus) if picked else projection
    if picked:  # per clicked community only: a total over the clicked ones would read as the street's
        proj = proj[proj["community"] != ALL_COMMUNITIES]
    proj = proj[["community", "start", "numerator", "denominator", "rate", "projected_rate", "shortfall"]].copy()
    proj[["rate", "projected_rate"]] = proj[["rate", "projected_rate"]] * 100  # shown as percent, kept numeric
    proj["shortfall"] = ["可达标" if s == 0 else f"差 {s} 家" for s in proj["shortfall"]]
    st.dataframe(
        proj,
        hide_index=True,
        width="stretch",
        height=fit_height(proj),
        column_config={
            "community": "社区",
            "start": st.column_config.NumberColumn("1月1日签约", format="%d 家"),
            "numerator": st.column_config.NumberColumn("现签约", format="%d 家"),
            "denominator": st.column_config.NumberColumn("建会企业", format="%d 家"),
            "rate": st.column_config.NumberColumn("签约率", format="%.1f%%"),
            "projected_rate": st.column_config.NumberColumn("年末预测", format="%.1f%%"),
            "shortfall": f"对照目标{fmt_pct(target_w1, 0)}",
        },
        placeholder="",
    )
    st.caption(PROJECTION_DEFINITION)

# ---- W3 and coverage -----------------------------------------------------------------------------
st.subheader("行业性、区域性工资集体协议（W3）")
if w3.empty:
    st.info("统计截止日没有在有效期内的行业性或区域性协议。")
else:
    st.dataframe(
        w3,
        hide_index=True,
        width="stretch",
        column_config={
            "agreement_name": "协议名称",
            "agreement_type": "协议类型",
            "enterprises": st.column_config.NumberColumn("覆盖企业", format="%d 家"),
            "employees": st.column_config.NumberColumn("覆盖职工", format="%d 人"),
            "signed_on": st.column_config.DateColumn("签订日期", format="YYYY-MM-DD"),
            "expires_on": st.column_config.DateColumn("到期日期", format="YYYY-MM-DD"),
        },
        placeholder="",
    )

st.subheader("协议覆盖情况（按社区、协议类型）")
if coverage.empty:
    st.info("统计截止日没有在有效期内的工资集体协议。")
else:
    clickable_chart(
        wages_charts.coverage_by_type_bar(coverage, "各社区签约企业（按协议类型，点击柱条可筛选下方名单）"),
        key=f"coverage_bar_{w_nonce}",
    )
    table = coverage_table(load(wages.coverage_by_type, focus) if picked else coverage)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=fit_height(table),
        column_config={
            "community": "社区",
            **{
                f"{kind}_{what}": st.column_config.NumberColumn(
                    f"{kind}{'企业' if what == 'enterprises' else '职工'}",
                    format="localized",
                )
                for kind in ("单独签订", "行业性", "区域性", "合计")
                for what in ("enterprises", "employees")
            },
        },
        placeholder="",
    )
    st.caption(
        "一家企业可同时被单独协议和行业性/区域性协议覆盖，「合计」中只算一次。职工数取协议填报的覆盖人数，未填时取名录职工人数。"
    )


# ---- lists: the shared table (masking by role, profile links, Excel and CSV built on click) ---------
def dates(frame):
    """The lists' dates as dates, not times (shown and downloaded alike)."""
    out = frame.copy()
    for col in ("signed_on", "expires_on", "last_expires_on", "union_founded"):
        if col in out:
            out[col] = out[col].dt.date
    return out


st.subheader(f"到期提醒（{warning_days} 天内到期 · 到期未续签）")
expiring = load(wages.expiring_agreements, focus)
expired = load(wages.expired_without_renewal, focus)
per_community = expiry_by_community(expiring, expired)
c1, c2 = st.columns(2)
c1.metric(f"{warning_days} 天内到期", f"{len(expiring)} 家")
c2.metric("到期未续签", f"{len(expired)} 家")
EXPIRING_COLS = [
    "community",
    "name",
    "days_left",
    "expires_on",
    "agreement_type",
    "agreement_name",
    "covered_employees",
    "union_chair",
    "phone",
]
EXPIRED_COLS = [
    "community",
    "name",
    "days_overdue",
    "expires_on",
    "agreement_type",
    "agreement_name",
    "employees",
    "union_status",
    "union_chair",
    "phone",
]
tabs = url_tabs(
    "wages_tab",
    {"expiring": f"即将到期（{len(expiring)}）", "expired": f"到期未续签（{len(expired)}）", "summary": "按社区汇总"},
)
as_of = filters.as_of_date.isoformat()
with tabs[0]:
    data_table(
        dates(expiring),
        key="expiring",
        file_name=f"即将到期_{as_of}",
        labels=spec.column_labels(*EXPIRING_COLS),
        empty_message=f"未来 {warning_days} 天内没有到期的协议。",
        profile_links=True,
    )
with tabs[1]:
    data_table(
        dates(expired),
        key="expired",
        file_name=f"到期未续签_{as_of}",
        labels=spec.column_labels(*EXPIRED_COLS),
        empty_message="没有到期未续签的企业。",
        profile_links=True,
    )
with tabs[2]:
    data_table(
        per_community,
        key="expiry_by_community",
        file_name=f"到期提醒按社区汇总_{as_of}",
        labels={"community": "社区", "expiring": f"{warning_days}天内到期", "expired": "到期未续签"},
        empty_message="没有需要提醒的社区。",
    )

st.subheader("未签约名单（建会且正常经营、统计截止日无有效协议）")
unsigned = load(wages.unsigned_enterprises, focus)
UNSIGNED_COLS = [
    "community",
    "name",
    "employees",
    "union_status",
    "situation",
    "last_expires_on",
    "industry",
    "union_chair",
    "phone",
]
st.caption(f"共 {len(unsigned)} 家，按社区、职工人数从多到少排列。这就是签约率（W1）离目标的差额所在。")
data_table(
    dates(unsigned),
    key="unsigned",
    file_name=f"未签约名单_{as_of}",
    labels=spec.column_labels(*UNSIGNED_COLS),
    empty_message="所选范围内建会企业都已签订有效协议。",
    profile_links=True,
)

# ---- calendar and wage increase: a click narrows the signing rows below ----------------------------
st.subheader("签约日历与工资增幅（点击柱条查看签约明细）")
sign_nonce = pick_nonce("w_sign")
calendar_pick = increase_pick = None
left, right = st.columns(2)
with left:
    if signings.empty:
        st.info("本年度和上年度没有签订记录。")
    else:
        ev_calendar = clickable_chart(
            wages_charts.signing_calendar(signings, filters.year, "每月签约企业（家次）"), key=f"calendar_{sign_nonce}"
        )
        point = clicked_point(ev_calendar)
        if point and point.get("customdata"):
            calendar_pick = tuple(int(v) for v in point["customdata"][:2])  # (year, month)
        comparison(load(compare.signings_compare, filters), key="w_cmp", what="签约", unit="家次")
with right:
    dist = load(wages.wage_increase_distribution, filters)
    if dist.empty:
        st.info("本年度签订的协议没有填报工资增长幅度。")
    else:
        summary = load(wages.wage_increase_summary, filters)
        total = summary[summary["agreement_type"] == "合计"].iloc[0]
        ev_increase = clickable_chart(
            wages_charts.wage_increase_histogram(
                dist, f"工资增长幅度分布（中位数 {total['median_pct']:.1f}%，{int(total['agreements'])} 家次）"
            ),
            key=f"increase_{sign_nonce}",
        )
        band = point_value(ev_increase, "customdata")
        increase_pick = int(band) if band is not None else None
        st.dataframe(
            summary,
            hide_index=True,
            width="stretch",
            column_config={
                "agreement_type": "协议类型",
                "agreements": st.column_config.NumberColumn("填报家次", format="localized"),
                "mean_pct": st.column_config.NumberColumn("平均增幅", format="%.1f%%"),
                "median_pct": st.column_config.NumberColumn("中位数", format="%.1f%%"),
                "min_pct": st.column_config.NumberColumn("最低", format="%.1f%%"),
                "max_pct": st.column_config.NumberColumn("最高", format="%.1f%%"),
            },
            placeholder="",
        )

# the link holds "2026-3," (a month), ",5" (the 5 %–6 % band) or both
clicked_month = "-".join(map(str, calendar_pick)) if calendar_pick else ""
clicked = f"{clicked_month},{'' if increase_pick is None else increase_pick}"
months = {f"{y}-{m}" for y in (filters.year - 1, filters.year) for m in range(1, 13)}


def _sign_pick_ok(value: str) -> bool:
    month, _, band = value.partition(",")
    return (not month or month in months) and (not band or band.lstrip("-").isdigit()) and value != ","


sign_url = url_pick("w_sign", None if clicked == "," else clicked, _sign_pick_ok, what="月份或增幅段")
calendar_pick = increase_pick = None
if sign_url:
    month, _, band = sign_url.partition(",")
    calendar_pick = tuple(int(v) for v in month.split("-")) if month else None
    increase_pick = int(band) if band else None

if not signings.empty:
    sign_year, sign_month = calendar_pick or (filters.year, None)
    parts = [f"{sign_year}年{sign_month}月签订" if sign_month else f"{sign_year}年签订"]
    if increase_pick is not None:
        parts.append(f"工资增幅 {increase_pick}%–{increase_pick + 1}%")
    st.markdown("**签约明细**")
    picked_any = calendar_pick is not None or increase_pick is not None
    sign_empty = "所选月份或增幅段没有签约记录。" if picked_any else "本年度还没有签约记录。"
    if picked_any:
        pick_note(
            f"下表只显示{'、'.join(parts)}的协议（在上方图表中点击了柱条）。", prefix="w_sign", clear="取消图表筛选"
        )
    else:
        st.caption(f"{filters.year}年签订的全部协议（按签订日期）。点击上方柱条可只看某月或某一增幅段。")
    sign_rows = rows_for_signing_pick(
        load(wages.signed_agreement_rows, focus), sign_year, month=sign_month, increase_band=increase_pick
    )
    data_table(
        sign_rows,
        key="w_sign_rows",
        file_name=f"签约明细_{'_'.join(parts)}",
        labels=spec.column_labels(
            "community",
            "name",
            "agreement_type",
            "agreement_name",
            "sign_kind",
            "signed_on",
            "expires_on",
            "covered_employees",
            "wage_increase_pct",
        ),
        column_config={
            "签订日期": st.column_config.DateColumn(format="YYYY-MM-DD"),
            "到期日期": st.column_config.DateColumn(format="YYYY-MM-DD"),
            "工资增幅（%）": st.column_config.NumberColumn(format="%.1f"),
        },
        empty_message=sign_empty,
        profile_links=True,
    )
