"""数据查询: the analysts' read-only SQL console over their scoped views (dashboard/console.py)."""

import streamlit as st

from dashboard import audit, console, db, privacy, scope
from dashboard.ui.data import scoped_cache
from dashboard.ui.page import setup
from dashboard.ui.tables import data_table
from dashboard.ui.text import md

setup(filters=False, roles=("分析员", "管理员"))
viewer = scope.current_viewer()


@scoped_cache
def _tables(show_personal: bool):
    """The caller's views as Arrow tables, personal fields masked unless the role may see them."""
    with db.connect() as con:
        return console.snapshot(con, show_personal=show_personal)


show_personal = privacy.can_see_personal(viewer)
tables = _tables(show_personal)
st.title("数据查询")
limits = console.Limits.from_settings()
st.caption(
    f"只读查询：每次只能运行一条 SELECT 语句，最多返回 {console.MAX_ROWS} 行，"
    f"超过 {console.TIMEOUT_SECONDS:g} 秒或所需内存超过 {limits.memory_text} 自动停止；"
    "不能修改数据、读取文件或更改设置。"
)

editor, side = st.columns([3, 2])
with side:
    st.markdown("**可查询的表与列的含义**")
    for name, frame in console.schema(tables).items():
        with st.expander(f"{name} · {console.VIEW_LABELS[name]}（{tables[name].num_rows} 行）"):
            st.dataframe(frame, hide_index=True, width="stretch", key=f"console_schema_{name}", placeholder="")

with editor:
    with db.connect() as con:
        saved = console.saved_queries(con, viewer.name)
    if not saved.empty:
        names = ["（新查询）", *saved["name"].tolist()]
        pick = st.selectbox("已保存的查询", names, key="console_pick")
        if pick != "（新查询）" and st.session_state.get("console_loaded") != pick:
            st.session_state["console_sql"] = saved.set_index("name").loc[pick, "sql"]
            st.session_state["console_loaded"] = pick
    sql = st.text_area(
        "SQL 查询",
        key="console_sql",
        height=180,
        placeholder="例如：select community, count(*) as 企业数 from v_enterprises group by community",
    )
    run_col, name_col, save_col = st.columns([1, 2, 1], vertical_alignment="bottom")
    run = run_col.button("运行查询", key="console_run", type="primary", icon=":material/play_arrow:")
    query_name = name_col.text_input("查询名称", key="console_name", placeholder="保存时填写")
    if save_col.button("保存查询", key="console_save"):
        try:
            with db.connect() as con:
                console.save_query(con, viewer.name, query_name, sql)
            st.success(f"已保存查询「{md(query_name.strip())}」。")
        except console.ConsoleError as exc:
            st.warning(md(exc))
    status = st.container()  # a refused query is told here, beside the SQL, not below the table list

if run:
    try:
        result = console.run(tables, sql, limits=limits)
    except console.ConsoleError as exc:
        audit.log(viewer.name, "console", sql, ok=False)
        st.session_state["console_result"] = None
        status.error(md(exc), icon=":material/error:")
    else:
        audit.log(viewer.name, "console", sql)
        st.session_state["console_result"] = result

result = st.session_state.get("console_result")
if result is not None:
    more = f"（只显示前 {console.MAX_ROWS} 行）" if result.truncated else ""
    st.caption(f"用时 {result.seconds:.2f} 秒，返回 {len(result.frame)} 行{more}。")
    # masked already in the sandbox the query ran on (console.snapshot), whatever the columns are called
    data_table(
        result.frame,
        key="console_table",
        file_name="查询结果",
        empty_message="查询没有返回任何行。",
        show_personal=True,
    )
    numeric = [c for c in result.frame.columns if result.frame[c].dtype.kind in "iuf"]
    if len(result.frame.columns) >= 2 and numeric and not result.frame.empty:
        st.markdown("**快速图表**")
        x_col, y_col = st.columns(2)
        x = x_col.selectbox("横轴", list(result.frame.columns), key="console_x")
        y = y_col.selectbox("纵轴（数值列）", [c for c in numeric if c != x] or numeric, key="console_y")
        st.bar_chart(result.frame.head(200), x=x, y=y)
