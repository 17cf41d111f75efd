"""A table with Excel and CSV download buttons, personal data masked; and the community picked on a chart.

Pages show every list a meeting acts on (应建未建名单, 待创建名单, …) through `data_table`, so masking,
safe export and the audit entry of each download happen in one place. Personal-data columns
(dashboard.spec Field.personal) are masked in what is shown and in both downloads unless the viewer's role
may see them (dashboard.privacy.can_see_personal) or the caller passes show_personal=True.

Only the rows sent to the browser are prepared (display function, masking, headers) during the script
run; the downloads prepare every row when they are clicked. A district's aid ledger has ~300k rows of
the year, and masking and formatting all of them on each rerun took longer than its queries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard import audit, export, scope
from dashboard.charts import plot_value
from dashboard.export import to_csv_bytes, to_excel_bytes
from dashboard.privacy import can_see_personal, mask_frame
from dashboard.ui.columns import number_columns
from dashboard.ui.data import deferred
from dashboard.ui.profile import LINK_LABEL, link_column
from dashboard.ui.profile import profile_links as links_to_profiles
from dashboard.ui.text import md

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows sent to the browser at most: a district's aid ledger has ~300k rows, which take half a minute to
# ship and nobody reads on screen; the downloads always hold every row.
MAX_SHOWN_ROWS = 2000
HIDDEN_COLUMNS = ("enterprise_key", "person_key")  # internal keys; person_key may hold an ID number
ROW_PX = 35  # a table row's height on screen (st.dataframe's default)
MAX_EXPANDED_ROWS = 60  # "展开全部" shows this many rows at once at most; the rest scroll


def table_frame(
    frame: pd.DataFrame, labels: Mapping[str, str] | None = None, *, show_personal: bool = False
) -> pd.DataFrame:
    """What is shown and exported: the labelled columns in their order (else all but internal keys),
    personal data masked, headers in Chinese."""
    if labels:
        cols = [c for c in labels if c in frame.columns]
    else:
        cols = [c for c in frame.columns if c not in HIDDEN_COLUMNS]
    out = frame[cols]
    if not show_personal:
        out = mask_frame(out, scope.current_viewer())  # unmasked only for roles allowed in settings
    return out.rename(columns=dict(labels or {}))


def rows_height(rows: int) -> int:
    """The height in pixels of a table showing `rows` rows (at most MAX_EXPANDED_ROWS) and its header."""
    return ROW_PX * (min(rows, MAX_EXPANDED_ROWS) + 1) + 3


def audited(make, file_name: str, rows: int | None = None):
    """A download button's data: make() with an audit entry when it is actually downloaded. Every export
    of the app's data goes through here (data_table's and the pages' own buttons). Streamlit runs this in
    a server thread, after the script run: it runs under the scope and viewer of this run (data.deferred),
    and the audit write is unscoped."""
    viewer = scope.current_viewer()
    who = viewer.name if viewer else "（未知）"
    what = file_name if rows is None else f"{file_name}（{rows} 行）"

    def run():
        audit.log(who, "export", what)
        return make()

    return deferred(run)


def data_table(
    frame: pd.DataFrame,
    *,
    key: str,
    file_name: str,
    labels: Mapping[str, str] | None = None,
    show_personal: bool = False,
    empty_message: str = "没有符合条件的记录。",  # Markdown: names in it go through ui.text.md
    column_config: dict | None = None,
    height: int | str = "auto",
    profile_links: bool = False,
    display: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
    total: int | None = None,
    fetch_all: Callable[[], pd.DataFrame] | None = None,
    pick_into: tuple[str, str] | None = None,
    more_sheets: Callable[[], Mapping[str, pd.DataFrame]] | None = None,
    cap: int | None = None,
) -> None:
    """Show `frame` (Chinese headers from `labels`) with buttons to download it as Excel and CSV.

    `frame` may be the first rows only of a longer list (`total` rows in all, e.g. from db.run_rows):
    `fetch_all` then returns every row, called in the script run (the reader's scope) only when the
    user asks for the downloads, so a page does not fetch a district's 300,000 aid rows to show 2,000.

    `display`, when given, turns rows into what is shown and downloaded (e.g. dashboard.aid.for_display:
    masking, dates, headers); it must keep the rows one for one, as it runs on the first MAX_SHOWN_ROWS
    for the screen and on every row only when a download is clicked.
    With profile_links, a frame with an enterprise_key column gets a last column on screen that opens
    each enterprise's profile (一企一档); the downloads leave it out.
    With pick_into=(state_key, column), a row can be clicked: the selector `state_key` gets that row's
    `column` of `frame` (as take_pick does for a chart's bar). `more_sheets` returns further sheets of the
    Excel download (name -> frame, shown as given: no masking), built when it is clicked.
    With `cap`, a list longer than `cap` rows shows that many (scrolling for the rest) and a toggle
    "展开全部" shows every row at once; the downloads hold every row either way.
    """
    if frame.empty:
        st.info(empty_message)
        return
    if cap is not None and len(frame) > cap:
        height = rows_height(len(frame) if st.toggle(f"展开全部（共 {len(frame)} 条）", key=f"{key}_all") else cap)
    # Decided now: the downloads are built in a server thread, after the run, where no viewer is set.
    unmasked = show_personal or can_see_personal(scope.current_viewer())
    prepare = display or (lambda rows: rows)
    head = prepare(frame.head(MAX_SHOWN_ROWS))
    on_screen, config = table_frame(head, labels, show_personal=unmasked), dict(column_config or {})
    config = {**number_columns(on_screen, config), **config}
    if profile_links and "enterprise_key" in frame.columns:
        keys = frame["enterprise_key"].head(MAX_SHOWN_ROWS)
        on_screen = on_screen.assign(**{LINK_LABEL: links_to_profiles(keys)})
        config[LINK_LABEL] = link_column()
    event = st.dataframe(
        on_screen,
        hide_index=True,
        width="stretch",
        column_config=config or None,
        height=height,
        key=f"{key}_df",
        placeholder="",
        **({"on_select": "rerun", "selection_mode": "single-row"} if pick_into else {}),
    )
    if pick_into:
        state_key, column = pick_into
        picked = list(getattr(getattr(event, "selection", None), "rows", None) or [])
        _pick(frame[column].iloc[picked[0]] if picked and picked[0] < len(frame) else None, state_key)

    rows = len(frame) if total is None else total
    personal_shown = any(c in on_screen.columns for c in _masked(head, labels))
    masked = "；个人信息已脱敏" if not show_personal and personal_shown else ""
    full = frame
    # one row that wraps: buttons at their own width however narrow the column the table sits in
    # (fixed columns clipped their labels in a half-width column)
    bar = st.container(horizontal=True, vertical_alignment="center", key=f"{key}_bar")
    if rows > len(frame):
        if fetch_all is None:
            raise ValueError("data_table: a partial frame needs fetch_all for its downloads")
        if not bar.button("准备下载", key=f"{key}_fetch", icon=":material/download:"):
            ask = f"点“准备下载”取全部 {rows} 条{masked}{_download_note(rows)}"
            bar.caption(f"共 {rows} 条，页面显示前 {len(on_screen)} 条；{ask}")
            return
        full = fetch_all()

    def every_row() -> pd.DataFrame:
        return table_frame(prepare(full), labels, show_personal=unmasked)

    bar.download_button(
        "下载 Excel",
        data=audited(
            lambda: to_excel_bytes({file_name: every_row(), **(more_sheets() if more_sheets else {})}),
            f"{file_name}.xlsx",
            rows,
        ),
        file_name=f"{file_name}.xlsx",
        mime=XLSX_MIME,
        key=f"{key}_xlsx",
        icon=":material/download:",
        on_click="ignore",
    )
    bar.download_button(
        "下载 CSV",
        data=audited(lambda: to_csv_bytes(every_row()), f"{file_name}.csv", rows),
        file_name=f"{file_name}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        on_click="ignore",
    )
    cut = f"，页面显示前 {len(on_screen)} 条，完整数据请下载" if rows > len(on_screen) else ""
    bar.caption(f"共 {rows} 条{cut}{masked}{_download_note(rows)}")


# From this many rows a download takes a few seconds to build (Excel and CSV alike since the sheets are
# written from Arrow): bench/results/export.md has the measurement.
SLOW_DOWNLOAD_ROWS = 100_000


def _download_note(rows: int) -> str:
    """What to expect of the downloads of a long list: a few seconds past SLOW_DOWNLOAD_ROWS, and a list
    longer than an Excel sheet goes into the workbook on several sheets."""
    note = ""
    if rows > SLOW_DOWNLOAD_ROWS:
        note += "；条数多，生成下载文件需要几秒钟"
    if rows > export.MAX_SHEET_ROWS:
        sheets = -(-rows // export.MAX_SHEET_ROWS)
        note += f"；Excel 每张工作表最多 {export.MAX_SHEET_ROWS:,} 行，下载的工作簿分 {sheets} 张表，CSV 为一个文件"
    return note


def _masked(frame: pd.DataFrame, labels: Mapping[str, str] | None) -> list[str]:
    from dashboard.privacy import MASKERS

    return [(labels or {}).get(c, c) for c in frame.columns if c in MASKERS]


def clickable_chart(fig, *, key: str, into=None, theme: str | None = "streamlit"):
    """Draw a plotly figure whose bars and points can be clicked (the run reruns with the selection) and
    return its event, read by the functions below. `into` is a container or column (default: the page)."""
    return (into or st).plotly_chart(
        fig, key=key, on_select="rerun", selection_mode="points", config={"displayModeBar": False}, theme=theme
    )


def clicked_points(event) -> list[dict]:
    """Every point clicked in a chart drawn by clickable_chart, first first; x and y as the ledger wrote
    them, not as they were escaped for plotly. The one reader of a chart's selection."""
    try:
        points = event.selection["points"]
    except (AttributeError, KeyError, TypeError):
        return []
    out = []
    for raw in points or []:
        point = dict(raw)
        for axis in ("x", "y"):
            if axis in point:
                point[axis] = plot_value(point[axis])
        out.append(point)
    return out


def clicked_point(event) -> dict | None:
    """The first point clicked (x, y, customdata, …), or None."""
    points = clicked_points(event)
    return points[0] if points else None


def community_from_selection(event) -> str | None:
    """The community of the first bar clicked: its customdata (the community) when the chart sets it,
    else the bar's y (horizontal bars)."""
    point = clicked_point(event)
    if point is None:
        return None
    custom = point.get("customdata")
    if isinstance(custom, (list, tuple)) and custom:
        return str(custom[0])
    if isinstance(custom, str) and custom:
        return custom
    y = point.get("y")
    return str(y) if y is not None else None


def communities_picked(event) -> set[str]:
    """Every community clicked in a horizontal per-community bar chart (the bars' y); empty when none."""
    return {str(p["y"]) for p in clicked_points(event) if p.get("y")}


def point_value(event, field: str = "x") -> str | None:
    """One field ("x", "y", "customdata") of the first point clicked (customdata: its first item); None
    when nothing is clicked."""
    point = clicked_point(event)
    if point is None:
        return None
    value = point.get(field)
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if field not in ("x", "y"):  # x and y are unescaped once already
        value = plot_value(value)
    return None if value is None or value == "" else str(value)


def take_pick(event, state_key: str, index: int = 0) -> None:
    """A click on a bar fills the matching 明细 selector `state_key` with the bar's customdata[index]
    (only when the click is new, so the selector can be changed by hand afterwards)."""
    values = [p["customdata"][index] for p in clicked_points(event) if p.get("customdata")]
    _pick(values[0] if values else None, state_key)


def _pick(value, state_key: str) -> None:
    """Fill the selector `state_key` with a clicked value, only when the click is new."""
    last_key = f"_{state_key}_last_pick"
    if value != st.session_state.get(last_key):
        st.session_state[last_key] = value
        if value is not None:
            st.session_state[state_key] = value


def pick_param(prefix: str) -> str:
    """The query parameter that holds the pick of the charts keyed with pick_nonce(prefix)."""
    return f"{prefix}_pick"


def url_pick(prefix: str, clicked: str | None, allowed, *, what: str = "选择") -> str | None:
    """The pick of a drill-down (a chart click), kept in the URL so a copied link opens the same view.

    The one mechanism behind every drill-down: `clicked` is what the charts keyed with pick_nonce(prefix)
    hold now, as a string (several parts joined by ","). A click that differs from the one seen last
    run is the reader's new choice and goes to the URL parameter pick_param(prefix); otherwise the URL's
    value stands — a reload, or a link opened in a fresh browser. The URL's value is used only when it
    is in `allowed` (a collection, or a predicate): the reader's own scope, so a community cadre cannot
    open another community by editing the link. A value not allowed is dropped with a note saying so.
    """
    param, last_key = pick_param(prefix), f"_{prefix}_last_click"
    if clicked != st.session_state.get(last_key):
        st.session_state[last_key] = clicked
        if clicked:
            st.query_params[param] = clicked
        elif param in st.query_params:
            del st.query_params[param]
    value = st.query_params.get(param)
    if not value:
        return None
    ok = allowed(value) if callable(allowed) else value in allowed
    if not ok:
        del st.query_params[param]
        st.caption(f"链接中的{what}「{md(value)}」不在可查看的范围内，已显示全部。")
        return None
    return value


def clear_pick(prefix: str) -> None:
    """Show everything again: the charts keyed with pick_nonce(prefix) are drawn afresh, without a
    selection, and the pick leaves the URL."""
    st.session_state[f"{prefix}_pick_nonce"] = pick_nonce(prefix) + 1
    st.session_state[f"_{prefix}_last_click"] = None
    if pick_param(prefix) in st.query_params:
        del st.query_params[pick_param(prefix)]


def pick_note(text: str, *, prefix: str, clear: str) -> None:
    """The note of what a chart click selected, with a button that clears it (clear_pick). `text` is
    Markdown: names in it go through dashboard.ui.text.md."""
    note, reset = st.columns([4, 1])
    note.info(text)
    if reset.button(clear, key=f"{prefix}_reset"):
        clear_pick(prefix)
        st.rerun()


def pick_nonce(prefix: str) -> int:
    """Part of the keys of the charts a community is picked on; bumping it clears their selection."""
    return st.session_state.setdefault(f"{prefix}_pick_nonce", 0)


def allowed_communities(filters) -> list[str]:
    """The communities a drill-down may narrow to: the reader's scope (the lookup reads through it),
    within the filter bar's choice."""
    from dashboard.ui.data import lookup

    places = lookup("communities")
    streets = getattr(filters, "streets", None)
    if streets:
        places = places[places["street"].isin(streets)]
    known = list(dict.fromkeys(places["community"]))
    return [c for c in known if not filters.communities or c in filters.communities]


def community_focus(filters, events, *, prefix: str):
    """The filters narrowed to the community clicked on any of `events` (charts keyed with
    pick_nonce(prefix)) or named in the link, with a note saying so and a button that shows every
    community again."""
    clicked = next((c for c in (community_from_selection(e) for e in events) if c), None)
    picked = url_pick(prefix, clicked, allowed_communities(filters), what="社区")
    if not picked:
        return filters
    pick_note(f"下面的表格只显示 **{md(picked)}**（在上方图表中点击了该社区）。", prefix=prefix, clear="显示全部社区")
    return replace(filters, communities=(picked,))
