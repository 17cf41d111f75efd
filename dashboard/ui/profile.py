"""一企一档 on screen: links other pages put in their tables, cached search and profile loading, and the
profile view itself with personal data masked."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import pandas as pd
import streamlit as st

from dashboard import db, profile, spec
from dashboard.export import mask_personal
from dashboard.formatting import fmt_int, fmt_pct, fmt_yuan
from dashboard.ui.columns import number_columns
from dashboard.ui.data import scoped_cache, settings
from dashboard.ui.text import html, md

PAGE_PATH = "enterprise"  # the url path of app_pages/enterprise.py
QUERY_KEY = "ent"
LINK_LABEL = "档案"


def profile_link(enterprise_key: str) -> str:
    """A relative link that opens the enterprise's profile on the 企业查询 page."""
    return f"{PAGE_PATH}?{QUERY_KEY}={quote(str(enterprise_key), safe='')}"


def profile_links(keys) -> list[str]:
    """profile_link of each key; a key of ASCII letters and digits only (a credit code: most of them) is
    its own quoted form, so it skips quote() (~40,000 links on a district's lists)."""
    prefix = f"{PAGE_PATH}?{QUERY_KEY}="
    keys = keys.tolist() if isinstance(keys, pd.Series) else keys  # one by one, a text column is slow to walk
    return [prefix + k if isinstance(k, str) and k.isascii() and k.isalnum() else profile_link(k) for k in keys]


def link_column(label: str = LINK_LABEL):
    """Column config for a column of profile_link values: shows 查看 and opens the profile."""
    return st.column_config.LinkColumn(label, display_text="查看", help="打开该企业的一企一档")


def with_links(frame: pd.DataFrame, key_column: str = "enterprise_key") -> pd.DataFrame:
    """A copy of `frame` with a profile-link column (named LINK_LABEL) in place of the key column."""
    out = frame.copy()
    out[LINK_LABEL] = profile_links(out[key_column])
    return out.drop(columns=[key_column])


@scoped_cache
def search(text: str) -> pd.DataFrame:
    with db.connect() as con:
        return profile.search_enterprises(con.cursor(), text, settings())


@scoped_cache
def load_profile(key: str, as_of: date) -> dict[str, pd.DataFrame]:
    with db.connect() as con:
        return profile.enterprise_profile(con.cursor(), key, settings(), as_of=as_of)


# ---- the profile view -----------------------------------------------------------------------------

HISTORY_LABELS = spec.column_labels(
    "imported_at",
    "file_name",
    "community",
    "name",
    "status",
    "employees",
    "migrant_workers",
    "union_status",
    "union_founded",
    "union_members",
    union_members="会员人数",
)
AGREEMENT_LABELS = spec.column_labels(
    "state",
    "signed_on",
    "expires_on",
    "agreement_type",
    "agreement_name",
    "sign_kind",
    "covered_employees",
    "wage_increase_pct",
    "filed",
)
GRADE_LABELS = {"year": "年度", "grade": "评定等级", "score": "得分", "assessed_on": "评定日期"}
DISPUTE_LABELS = {
    "case_no": "案件编号",
    "received_on": "受理日期",
    "dispute_type": "争议类型",
    "workers": "涉及人数",
    "amount": "涉及金额（元）",
    "level": "调解层级",
    "outcome": "结果",
    "closed_on": "结案日期",
    "days_to_close": "办结天数",
}
AID_LABELS = {
    "given_on": "发放日期",
    "recipient": "姓名",
    "id_number": "身份证号",
    "category": "对象类别",
    "campaign": "活动",
    "festival": "节日",
    "cash": "慰问金（元）",
    "goods_value": "物资折款（元）",
    "goods": "物资内容",
    "employer": "工作单位（台账原文）",
}


def _table(frame: pd.DataFrame, labels: dict[str, str], empty: str) -> None:
    if frame.empty:
        st.info(empty)
        return
    shown = mask_personal(frame)[[c for c in labels if c in frame.columns]]
    for col in shown.columns:  # empty cells, not 'None', in text columns
        if shown[col].dtype == object or pd.api.types.is_string_dtype(shown[col]):
            shown[col] = shown[col].astype(object).where(shown[col].notna(), "")
    shown = shown.rename(columns=labels)
    st.dataframe(shown, hide_index=True, width="stretch", column_config=number_columns(shown) or None, placeholder="")


def _text(value, suffix: str = "") -> str:
    return "—" if value is None or (not isinstance(value, str) and pd.isna(value)) else f"{value}{suffix}"


FACT_CSS = """
<style>
.profile-fact { border: 1px solid #DDD; border-radius: 0.5rem; padding: 0.4rem 0.6rem;
                min-height: 4.2rem; margin-bottom: 0.2rem; }
.profile-label { font-size: 0.95rem; color: #444; }
.profile-value { font-size: 1.35rem; font-weight: 700; color: #111; line-height: 1.3; }
</style>
"""


def render_profile(p: dict[str, pd.DataFrame], as_of: date) -> None:
    """Draw one enterprise's profile; personal data masked."""
    st.markdown(FACT_CSS, unsafe_allow_html=True)
    title = profile.profile_title(p)
    if not profile.is_known(p) or title is None:
        st.warning("没有找到这家企业的记录。链接可能已过期，或该企业的台账已被撤销，请用上方搜索框重新查找。")
        return
    s = profile.profile_summary(p)
    head = p["registry"] if len(p["registry"]) else p["history"].tail(1)
    row = mask_personal(head).iloc[0]
    st.subheader(f"一企一档：{md(title)}")
    facts = [
        _text(row.get("community")),
        _text(row.get("industry")) if "industry" in row else None,
        _text(row.get("status")),
        f"统一社会信用代码 {_text(row.get('uscc'))}" if "uscc" in row else None,
    ]
    st.caption(" · ".join(md(f) for f in facts if f))
    if p["registry"].empty:
        st.warning("该企业已不在所属社区最新上传的企业名录中，以下为历史台账记录。")

    members = s["union_members"]
    until = s["agreement_until"]
    facts = [
        ("职工人数", f"{fmt_int(s['employees'])} 人" if s["employees"] is not None else "—"),
        ("建会情况", _text(s["union_status"])),
        ("会员 · 入会率", f"{fmt_int(members)} 人 · {fmt_pct(s['membership_rate'])}" if members is not None else "—"),
        ("工资集体协议", f"有效至 {pd.Timestamp(until):%Y-%m-%d}" if until is not None else "无生效协议"),
        ("和谐企业", _text(s["latest_grade"])),
        ("劳动争议", f"{s['disputes']} 件（未结 {s['open_disputes']} 件）"),
    ]
    cols = [c for _ in range(2) for c in st.columns(3)]  # two rows of three: legible at 1280 wide
    for col, (label, value) in zip(cols, facts, strict=True):
        with col:
            st.markdown(
                f"<div class='profile-fact'><div class='profile-label'>{label}</div>"
                f"<div class='profile-value'>{html(value)}</div></div>",
                unsafe_allow_html=True,
            )
    st.caption(f"协议状态按统计截止日 {as_of.isoformat()} 判断；历次协议共 {s['agreements']} 份。")
    founded = str(row.get("union_founded"))[:10] if pd.notna(row.get("union_founded")) else None
    st.markdown(
        f"<div class='kpi-sub'>工会主席 {html(_text(row.get('union_chair')))}"
        f" · 联系电话 {html(_text(row.get('phone')))} · 建会时间 {html(_text(founded))}"
        f" · 帮扶本企业职工 {s['aid_times']} 人次、{fmt_yuan(s['aid_money'])}</div>",
        unsafe_allow_html=True,
    )

    tabs = st.tabs(
        ["名录变化", "工资集体协商", "和谐企业创建", "劳动争议", "帮扶救助"], key="ent_tab", bind="query-params"
    )
    with tabs[0]:
        st.caption("每次上传企业名录时该企业的登记情况（从早到晚）。")
        _table(p["history"], HISTORY_LABELS, "历次名录中没有这家企业。")
    with tabs[1]:
        _table(p["agreements"], AGREEMENT_LABELS, "没有该企业的工资集体协议记录。")
    with tabs[2]:
        _table(p["grades"], GRADE_LABELS, "没有该企业的和谐企业创建记录。")
    with tabs[3]:
        _table(p["disputes"], DISPUTE_LABELS, "没有涉及该企业的劳动争议。")
    with tabs[4]:
        st.caption("按帮扶台账「工作单位」与企业名称（含曾用名）匹配；姓名、身份证号已脱敏。")
        _table(p["aid"], AID_LABELS, "没有发给该企业职工的帮扶救助记录。")
