"""报送情况: which community sent which ledger when (dashboard/submissions.py): the latest batch per community
and ledger, the community × ledger × month grid with overdue cells, and the reminders to read out."""

from datetime import date

import streamlit as st

from dashboard import scope, submissions
from dashboard.export import to_excel_bytes
from dashboard.ui.data import load, settings
from dashboard.ui.kpi import explained
from dashboard.ui.page import setup
from dashboard.ui.tables import XLSX_MIME, audited, data_table
from dashboard.ui.text import md

# High-contrast cell colours, always beside the cell's own symbol and word (never colour alone).
CELL_STYLES = {
    submissions.CELL_SENT: "background-color: #1b5e20; color: #ffffff; font-weight: 600",
    submissions.CELL_COVERED: "background-color: #dcedc8; color: #1b1b1b",
    submissions.CELL_OVERDUE: "background-color: #b71c1c; color: #ffffff; font-weight: 600",
    submissions.CELL_DUE: "background-color: #ffe082; color: #1b1b1b",
}


def cell_style(value) -> str:
    return CELL_STYLES.get(value, "")


filters = setup()
today = date.today().isoformat()  # part of the cache key: the statuses move with the day
st.title(f"报送情况 · {filters.year}年")
try:
    grace = submissions.grace_days(settings())
    periods = load(submissions.periods_frame, filters, today=today)
    grid = load(submissions.grid, filters, today=today)
    reminders = load(submissions.reminders, filters, today=today)
    latest = load(submissions.latest, filters)
except submissions.SettingsError as exc:
    st.error(f"{exc}请管理员修改设置后刷新页面。")
    st.stop()
st.caption(
    f"{md(scope.label(filters.communities))} · 截至 {today} · 各台账的报送周期和宽限期（{grace} 天）由管理员在设置"
    "中调整。某期结束后再过宽限期仍未导入该台账即为逾期；本期进行中或在宽限期内为待报送。"
)

if grid.empty:
    st.info("还没有社区，也没有导入记录。社区导入台账后，这里显示各社区的报送情况。")
    st.stop()

counts = submissions.status_counts(periods)
c1, c2, c3, c4 = st.columns(4)
c1.metric("有逾期台账的社区", f"{len(reminders)} 个", help=explained("S1", filters))
c2.metric("逾期", f"{counts[submissions.OVERDUE]} 期")
c3.metric("待报送", f"{counts[submissions.DUE]} 期")
c4.metric("已报送", f"{counts[submissions.SENT]} 期")

st.subheader("催报提醒")
if reminders.empty:
    st.success("各社区各台账均已按期报送。")
else:
    for line in reminders["text"]:
        st.markdown(f"- {md(line)}")
    text = "\n".join(reminders["text"])
    bar = st.container(horizontal=True, vertical_alignment="center")
    name = f"{filters.year}年报送提醒"
    bar.download_button(
        "下载提醒（Excel）",
        data=audited(lambda: to_excel_bytes({"报送提醒": submissions.reminders_table(reminders)}), f"{name}.xlsx"),
        file_name=f"{name}.xlsx",
        mime=XLSX_MIME,
        key="sub_reminders_xlsx",
        icon=":material/download:",
        on_click="ignore",
    )
    with st.expander("复制提醒文字（会上宣读或发到工作群）"):
        st.code(text, language=None, wrap_lines=True)

st.subheader("报送表（社区 × 台账 × 月份）")
st.caption(
    "✓ 已报送：当月有导入；· 本期已报：当月所在的报送期已在别的月份导入；✗ 逾期；○ 待报送；空白：未到期或不在报送期内。"
)
labels = dict(zip(grid["ledger"], grid["ledger_label"], strict=True))
picked = st.multiselect("只看这些台账", list(labels), format_func=labels.get, key="sub_ledgers", placeholder="全部台账")
shown = grid[grid["ledger"].isin(picked)] if picked else grid
table = submissions.grid_table(shown)
st.dataframe(
    table.style.map(cell_style, subset=list(submissions.MONTHS)),
    hide_index=True,
    width="stretch",
    height=min(36 * (len(table) + 1) + 3, 36 * 27 + 3),  # every row of two communities in view, then scrolls
    key="sub_grid_df",
    placeholder="",
)
grid_name = f"{filters.year}年报送情况"
st.download_button(
    "下载报送表（Excel）",
    data=audited(
        lambda: to_excel_bytes({"报送情况": table, "报送提醒": submissions.reminders_table(reminders)}),
        f"{grid_name}.xlsx",
        len(table),
    ),
    file_name=f"{grid_name}.xlsx",
    mime=XLSX_MIME,
    key="sub_grid_xlsx",
    icon=":material/download:",
    on_click="ignore",
)

st.subheader("各社区最近一次报送")
st.caption("每个社区每类台账最近一次有效导入：导入时间、导入人、文件名，以及这一批为该社区新增、修改、移除的行数。")
data_table(
    latest,
    key="sub_latest",
    file_name=f"{filters.year}年各社区最近一次报送",
    labels=submissions.LATEST_LABELS,
    column_config={"最近导入时间": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")},
)
