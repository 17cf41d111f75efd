"""会议模式: the month's eight slides full screen for the projector, driven by keyboard or a clicker.

Slides come from dashboard.meeting (the same deck as the PowerPoint and the Excel pack) and are drawn by
dashboard.ui.slides. ←/→ and PageUp/PageDown (what presenter clickers send) turn the page through
st.button shortcuts; the sidebar and Streamlit's chrome are hidden on this page only.
"""

import time
from datetime import date

import streamlit as st

from dashboard import meeting, meeting_facts, pack, report
from dashboard.ui.data import load, lookup
from dashboard.ui.page import setup
from dashboard.ui.slides import CSS, about_markdown, slide_about, slide_html
from dashboard.ui.tables import XLSX_MIME, audited

setup(filters=False)
st.html(CSS)

today = date.today()
qp = st.query_params
years = sorted({int(y) for y in lookup("available_years")["year"]} | {today.year}, reverse=True)
if "m_year" not in st.session_state:
    wanted = int(qp["year"]) if qp.get("year", "").isdigit() else today.year
    st.session_state.m_year = wanted if wanted in years else years[0]
if "m_month" not in st.session_state:
    wanted = int(qp["month"]) if qp.get("month", "").isdigit() else 0
    default = today.month if st.session_state.m_year == today.year else 12
    st.session_state.m_month = wanted if 1 <= wanted <= 12 else default
if "m_slide" not in st.session_state:
    wanted = int(qp["slide"]) if qp.get("slide", "").isdigit() else 1
    st.session_state.m_slide = wanted - 1

year, month = int(st.session_state.m_year), int(st.session_state.m_month)
deck = load(meeting.meeting_deck, meeting_facts.month_filters(year, month))
count = len(deck.slides)
st.session_state.m_slide = min(max(int(st.session_state.m_slide), 0), count - 1)


def turn(delta: int | None = None, to: int | None = None) -> None:
    """Next/previous (delta) or first/last (to); a manual turn restarts the auto-advance clock."""
    target = to if to is not None else st.session_state.m_slide + (delta or 0)
    st.session_state.m_slide = min(max(target, 0), count - 1)
    st.session_state.m_last = time.monotonic()


st.html(slide_html(deck, st.session_state.m_slide))

prev_col, page_col, next_col, hint_col, about_col, menu_col, exit_col = st.container(key="m_nav").columns(
    [1.3, 0.8, 1.3, 3.0, 1.4, 1.6, 1.6], vertical_alignment="center"
)
prev_col.button(
    "上一页", key="m_prev", icon=":material/chevron_left:", shortcut="Left", on_click=turn, args=(-1,), width="stretch"
)
page_col.markdown(f"**{st.session_state.m_slide + 1} / {count}**")
next_col.button(
    "下一页", key="m_next", icon=":material/chevron_right:", shortcut="Right", on_click=turn, args=(1,), width="stretch"
)
# presenter clickers send PageDown/PageUp: one hidden button per key (a button takes one shortcut)
hint_col.button("下一页", key="m_pgdn", shortcut="PageDown", on_click=turn, args=(1,))
hint_col.button("上一页", key="m_pgup", shortcut="PageUp", on_click=turn, args=(-1,))
hint_col.button("第一页", key="m_home", shortcut="Home", on_click=turn, kwargs={"to": 0})
hint_col.button("最后一页", key="m_end", shortcut="End", on_click=turn, kwargs={"to": count - 1})
hint_col.caption("翻页：← → 键、PageUp/PageDown 或翻页笔；Home/End 回到首页/末页")
# the 口径 of the slide's figures: on hovering its title, and here on a click or a tap (a phone has no hover)
about = slide_about(deck, st.session_state.m_slide)
if about:
    with about_col.popover("口径说明", icon=":material/info:", width="stretch"):
        st.markdown(about_markdown(about))


def keep(name: str, widget_key: str) -> None:
    """Copy a widget's value to the page's own state: widgets inside a closed popover are not sent back
    by the browser, so their own keys would fall back to the defaults on the next rerun."""
    st.session_state[name] = st.session_state[widget_key]
    if name in ("m_year", "m_month"):
        st.session_state.m_slide = 0


INTERVALS = [10, 15, 20, 30, 45, 60]
auto = bool(st.session_state.setdefault("m_auto", False))
every = int(st.session_state.setdefault("m_every", 20))
with menu_col.popover("设置与下载", icon=":material/tune:", width="stretch"):
    st.selectbox(
        "计划年度",
        years,
        index=years.index(year) if year in years else 0,
        key="m_year_pick",
        format_func=lambda y: f"{y}年",
        on_change=keep,
        args=("m_year", "m_year_pick"),
    )
    st.selectbox(
        "月份",
        list(range(1, 13)),
        index=month - 1,
        key="m_month_pick",
        format_func=lambda m: f"{m}月",
        on_change=keep,
        args=("m_month", "m_month_pick"),
    )
    st.toggle("自动翻页", value=auto, key="m_auto_pick", on_change=keep, args=("m_auto", "m_auto_pick"))
    st.select_slider(
        "翻页间隔（秒）",
        options=INTERVALS,
        value=every,
        key="m_every_pick",
        on_change=keep,
        args=("m_every", "m_every_pick"),
    )
    st.download_button(
        "下载幻灯片（PPTX）",
        data=audited(lambda: report.pptx_bytes(deck), report.file_name(deck)),
        file_name=report.file_name(deck),
        mime=report.PPTX_MIME,
        key="m_pptx",
        icon=":material/slideshow:",
        on_click="ignore",
        width="stretch",
    )
    st.download_button(
        "下载例会数据（Excel）",
        data=audited(
            lambda: pack.meeting_pack_bytes(
                deck,
                load(pack.submissions_sheets, meeting_facts.month_filters(year, month), today=deck.as_of.isoformat()),
            ),
            pack.meeting_pack_name(deck),
        ),
        file_name=pack.meeting_pack_name(deck),
        mime=XLSX_MIME,
        key="m_xlsx",
        icon=":material/table_view:",
        on_click="ignore",
        width="stretch",
    )
    st.download_button(
        "下载分社区督办清单（zip）",
        data=audited(
            lambda: load(pack.follow_up_zip, meeting_facts.month_filters(year, month)),
            f"{deck.year}年{deck.month}月分社区督办清单.zip",
        ),
        file_name=f"{deck.year}年{deck.month}月分社区督办清单.zip",
        mime="application/zip",
        key="m_followup",
        icon=":material/folder_zip:",
        on_click="ignore",
        width="stretch",
    )
    st.caption("会议模式不显示任何个人信息；下载的表格中个人信息一律脱敏。")
exit_col.page_link("app_pages/overview.py", label="退出会议模式", icon=":material/close:")

wanted_params = {"year": str(year), "month": str(month), "slide": str(st.session_state.m_slide + 1)}
if dict(st.query_params) != wanted_params:
    st.query_params.from_dict(wanted_params)


@st.fragment(run_every=every if auto else None)
def auto_advance() -> None:
    """Turns to the next slide (the last wraps to the first) once the interval has passed since the last turn."""
    if not st.session_state.get("m_auto"):
        st.session_state.pop("m_last", None)
        return
    now = time.monotonic()
    last = st.session_state.setdefault("m_last", now)
    if now - last >= st.session_state.m_every - 0.5:
        st.session_state.m_last = now
        st.session_state.m_slide = (st.session_state.m_slide + 1) % count
        st.rerun()


auto_advance()
