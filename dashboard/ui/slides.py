"""HTML of one meeting slide for 会议模式: sized in vh/vw so it fills 1280×720 and 1920×1080 alike
without scrolling, with the key figure a third of the slide and status shown by colour AND word.

Pure functions over dashboard.meeting.Slide (no Streamlit), so a test can read what the room sees.
Bars are drawn in HTML rather than plotly: they scale with the screen, and on a washed-out projector a
thick bar with a large label reads better than an interactive chart nobody will hover.
"""

from __future__ import annotations

from html import escape

from dashboard import explain
from dashboard.charts import NEUTRAL, STATUS_COLOURS
from dashboard.meeting import Chart, Deck, Slide
from dashboard.rates import STATUS_LABELS
from dashboard.ui.text import md

INK = "#111111"

CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"], footer,
[data-testid="stSidebarNav"], [data-testid="collapsedControl"] { display: none !important; }
html, body, [data-testid="stAppViewContainer"], [data-testid="stMain"], .stMain { overflow: hidden !important; }
[data-testid="stMainBlockContainer"], .block-container {
  padding: 1.2vh 2.2vw 0 2.2vw !important; max-width: 100% !important; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.6vh; }
.st-key-m_pgup, .st-key-m_pgdn, .st-key-m_home, .st-key-m_end { display: none !important; }
.ms { height: 86vh; display: flex; flex-direction: column; background: #fff; color: #111;
  font-family: "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif; overflow: hidden; }
.ms-title { display: flex; justify-content: space-between; align-items: baseline;
  border-bottom: 0.5vh solid #111; padding-bottom: 0.8vh; margin-bottom: 1.6vh; }
.ms-title h1 { font-size: 6vh !important; font-weight: 800; margin: 0; padding: 0; line-height: 1.15; color: #111; }
.ms-meta { font-size: 2.6vh; color: #333; white-space: nowrap; }
.ms-body { flex: 1; display: flex; gap: 3vw; min-height: 0; }
.ms-left { flex: 0 0 40%; display: flex; flex-direction: column; min-width: 0; }
.ms-right { flex: 1; display: flex; flex-direction: column; min-width: 0; }
.ms-label { font-size: 3.6vh; font-weight: 700; line-height: 1.2; }
.ms-key { font-size: min(21vh, 10.5vw); font-weight: 800; line-height: 1.0; letter-spacing: -0.02em;
  margin: 0.8vh 0 1.2vh 0; white-space: nowrap; padding-left: 1.2vw; border-left: 1.4vw solid #999; }
.ms-note { font-size: 3.6vh; font-weight: 700; display: flex; align-items: center; gap: 1vw; flex-wrap: wrap; }
.ms-chip { display: inline-block; padding: 0.2vh 1.0vw; border-radius: 0.8vh; color: #fff; font-weight: 800;
  font-size: 3.2vh; line-height: 1.3; }
.ms-chip.amber { color: #111; }
.ms-figs { margin-top: 2.2vh; border-top: 0.3vh solid #bbb; }
.ms-fig { display: flex; justify-content: space-between; align-items: baseline; font-size: 3.4vh;
  padding: 0.9vh 0; border-bottom: 0.2vh solid #ddd; }
.ms-fig b { font-size: 4.4vh; margin-left: auto; }
.ms-fig .ms-chip { margin-left: 1vw; }
.ms-ctitle { font-size: 3.2vh; font-weight: 700; margin-bottom: 1vh; }
.ms-bars { flex: 1; display: flex; flex-direction: column; justify-content: space-evenly; position: relative;
  min-height: 0; }
.ms-bar { display: flex; align-items: center; gap: 0.8vw; min-height: 0; }
.ms-cat { flex: 0 0 8.5vw; font-size: 3.2vh; font-weight: 700; text-align: right; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }
.ms-cat.wide { flex-basis: 13vw; }
.ms-track { flex: 1; position: relative; height: 4.6vh; }
.ms-fill { position: absolute; left: 0; top: 0; bottom: 0; border-radius: 0 0.4vh 0.4vh 0; }
.ms-val { position: absolute; top: 50%; transform: translateY(-50%); font-size: 3.2vh; font-weight: 800;
  white-space: nowrap; padding: 0 0.6vw; z-index: 2; border-radius: 0.4vh; }
/* the target line runs behind the value labels (each on its own background), never through them */
.ms-target { position: absolute; top: -0.6vh; bottom: -0.6vh; border-left: 0.45vh dashed #111; z-index: 1; }
.ms-tlabel { font-size: 2.6vh; font-weight: 700; text-align: right; }
.ms-cols { flex: 1; display: flex; align-items: flex-end; gap: 0.8vw; min-height: 0; padding-top: 4vh; }
.ms-col { flex: 1; display: flex; flex-direction: column; align-items: center; justify-content: flex-end;
  height: 100%; min-width: 0; }
.ms-colbar { width: 100%; max-width: 7vw; background: #0072B2; border-radius: 0.4vh 0.4vh 0 0; }
.ms-colval { font-size: 3.0vh; font-weight: 800; }
.ms-colcat { font-size: 2.8vh; font-weight: 700; margin-top: 0.6vh; white-space: nowrap; }
.ms-table { width: 100%; border-collapse: collapse; }
.ms-table th { background: #222; color: #fff; font-size: 3.4vh; text-align: left; padding: 1.2vh 1vw;
  line-height: 1.2; }
.ms-table td { font-size: 4.2vh; padding: 1.2vh 1vw; border-bottom: 0.25vh solid #ccc; vertical-align: middle;
  white-space: nowrap; }
.ms-table.matrix th { font-size: 3.0vh; text-align: center; padding: 1vh 0.4vw; }
.ms-table.matrix td { font-size: 3.6vh; padding: 0.75vh 0.4vw; text-align: center; }
.ms-table.matrix td:first-child { text-align: left; font-weight: 700; }
.ms-table.compact th { font-size: 2.3vh; padding: 0.5vh 0.5vw; }
.ms-table.compact td { font-size: 2.5vh; padding: 0.3vh 0.5vw; line-height: 1.25; border-bottom-width: 0.15vh; }
.ms-table.compact .ms-chip { font-size: 2.0vh; padding: 0 0.6vw; }
.ms-table.sub { table-layout: fixed; width: 100%; }
.ms-table.sub th { font-size: 2.8vh; padding: 0.6vh 0.6vw; }
.ms-table.sub th:nth-child(1) { width: 16%; } .ms-table.sub th:nth-child(2) { width: 12%; }
.ms-table.sub td { font-size: 3.0vh; padding: 0.6vh 0.6vw; line-height: 1.25; }
.ms-table.sub td.clip { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.ms-table td.short { background: #F9D9C6; font-weight: 800; }
.ms-table td.num { font-weight: 800; }
/* the list's own size, so its em-sized margin has room for "10." however large the screen */
.ms-lines { margin: 0; padding-left: 2.2em !important; font-size: 3.9vh; }
.ms-lines li { font-size: 1em; line-height: 1.4; margin-bottom: 1.4vh; }
.ms-lines.small { font-size: 3.3vh; }
.ms-lines.small li { line-height: 1.35; margin-bottom: 0.7vh; }
.ms-tnote { font-size: 2.6vh; margin-top: 1vh; color: #333; }
.ms-empty { font-size: 4.4vh; font-weight: 700; margin-top: 10vh; }
/* 未达标社区: the rows share the slide's height, so its footnote stays above the navigation however many */
.ms-table.matrix td { height: min(7.2vh, calc(58vh / var(--rows, 8))); padding-top: 0; padding-bottom: 0;
  font-size: min(3.6vh, calc(29vh / var(--rows, 8))); line-height: 1.2; }
/* a leader's phone (portrait): the slide reads top to bottom and scrolls, sized by the width */
@media (max-width: 700px) {
  html, body, [data-testid="stAppViewContainer"], [data-testid="stMain"], .stMain { overflow: auto !important; }
  [data-testid="stMainBlockContainer"], .block-container { padding: 3vw 3vw 6vw 3vw !important; }
  .ms { height: auto; overflow: visible; }
  .ms-title { flex-direction: column; align-items: flex-start; gap: 1vw; padding-bottom: 2vw; margin-bottom: 3vw; }
  .ms-title h1 { font-size: 7.5vw !important; }
  .ms-meta { font-size: 3.6vw; white-space: normal; }
  .ms-meta b { font-size: 5vw !important; }
  .ms-body { flex-direction: column; gap: 5vw; }
  .ms-left { flex: none; }
  .ms-label { font-size: 5vw; }
  .ms-key { font-size: 17vw; margin: 1vw 0 2vw 0; padding-left: 3vw; border-left-width: 3vw; }
  .ms-note { font-size: 4.4vw; gap: 2vw; }
  .ms-chip { font-size: 4vw; padding: 0.3vw 2vw; border-radius: 1vw; }
  .ms-fig { font-size: 4.2vw; padding: 1.6vw 0; }
  .ms-fig b { font-size: 5.2vw; }
  .ms-ctitle { font-size: 4.6vw; margin-bottom: 2vw; }
  .ms-tlabel { font-size: 3.6vw; }
  .ms-bars { gap: 2vw; }
  .ms-bar { gap: 2vw; }
  .ms-cat, .ms-cat.wide { flex-basis: 22vw; font-size: 4vw; white-space: normal; overflow: visible; }
  .ms-track { height: 7vw; }
  .ms-val { font-size: 3.8vw; }
  .ms-cols { flex: none; height: 64vw; padding-top: 8vw; gap: 1vw; }
  .ms-colval { font-size: 3vw; }
  .ms-colcat { font-size: 3vw; }
  .ms-right { overflow-x: auto; }
  .ms-table th, .ms-table.matrix th { font-size: 3.6vw; padding: 1.6vw 1.2vw; white-space: nowrap; }
  .ms-table td, .ms-table.matrix td { font-size: 4vw; padding: 1.6vw 1.2vw; height: auto; white-space: nowrap; }
  .ms-tnote { font-size: 3.6vw; }
  .ms-lines, .ms-lines.small { font-size: 4.4vw; }
  .ms-lines li, .ms-lines.small li { line-height: 1.45; margin-bottom: 2vw; }
  .ms-empty { font-size: 5vw; margin-top: 6vw; }
  /* the page turns in one row: the columns do not stack, the keyboard hint is left out */
  .ms-table:not(.matrix) td { white-space: normal; }
  /* 未达标社区's nine columns fit the width: headers wrap, the cells are small */
  .ms-table.matrix th { white-space: normal; font-size: 3.2vw; padding: 1.2vw 0.4vw; }
  .ms-table.matrix td { font-size: 3.6vw; padding: 1.4vw 0.4vw; }
  /* the page turns on one row (上一页 · n/8 · 下一页), the menu and the exit on the next; the keyboard
     hint is left out */
  .st-key-m_nav [data-testid="stHorizontalBlock"] { flex-wrap: wrap; row-gap: 2vw; }
  .st-key-m_nav [data-testid="stColumn"] { min-width: 0 !important; flex: 1 1 28% !important; }
  .st-key-m_nav [data-testid="stColumn"]:nth-child(2) { flex: 0 0 14% !important; }
  .st-key-m_nav [data-testid="stColumn"]:nth-child(4) { display: none; }
  .st-key-m_nav [data-testid="stColumn"]:nth-child(n+5) { flex: 1 1 45% !important; }
}
</style>
"""


def _chip(status: str | None, text: str | None = None) -> str:
    if not status or status not in STATUS_COLOURS:
        return ""
    label = text or STATUS_LABELS[status]
    return f'<span class="ms-chip {status}" style="background:{STATUS_COLOURS[status]}">{escape(label)}</span>'


def _bar_colour(status: str | None) -> str:
    return STATUS_COLOURS[status] if status in STATUS_COLOURS and status != "none" else "#999999"


def _text_on(background: str) -> str:
    """Black reads best on the green, orange and vermillion status colours; white on the blue."""
    return "#ffffff" if background == NEUTRAL else INK


def _bars(chart: Chart) -> str:
    """Horizontal bars, largest at the top, the target as a dashed line across them. A long bar carries
    its value inside its end; a short one just after it."""
    values = chart.series[0][1]
    cats, statuses = chart.categories, chart.statuses or [None] * len(values)
    labels = chart.labels or [f"{v:g}" for v in values]
    top = 100.0 if chart.unit == "%" else max([*values, 1.0])
    rows = []
    wide = max((len(c) for c in cats), default=0) > 4
    target_line = (
        f'<div class="ms-target" style="left:{chart.target / top * 100:.1f}%"></div>'
        if chart.target is not None
        else ""
    )
    for cat, value, status, label in reversed(list(zip(cats, values, statuses, labels, strict=True))):
        width = max(0.0, min(value / top * 100, 100.0))
        text = label.split("（")[0] if chart.unit == "%" else label
        colour = _bar_colour(status) if status else NEUTRAL
        inside = width >= 45
        where = f"right:{100 - width:.1f}%" if inside else f"left:{width:.1f}%"
        ink = _text_on(colour) if inside else INK
        behind = colour if inside else "#ffffff"  # the label's own background hides the target line
        rows.append(
            f'<div class="ms-bar"><div class="ms-cat{" wide" if wide else ""}">{escape(cat)}</div>'
            f'<div class="ms-track"><div class="ms-fill" style="width:{width:.1f}%;background:{colour}"></div>'
            f'<div class="ms-val" style="{where};color:{ink};background:{behind}">{escape(text)}</div>'
            f"{target_line}</div></div>"
        )
    target = f'<div class="ms-tlabel">虚线：目标 {chart.target:g}{chart.unit}</div>' if chart.target is not None else ""
    return f'<div class="ms-ctitle">{escape(chart.title)}</div>{target}<div class="ms-bars">{"".join(rows)}</div>'


def _columns(chart: Chart) -> str:
    values = chart.series[0][1]
    top = max([*values, 1.0])
    cols = "".join(
        f'<div class="ms-col"><div class="ms-colval">{escape(label)}</div>'
        f'<div class="ms-colbar" style="height:{v / top * 80:.1f}%"></div>'
        f'<div class="ms-colcat">{escape(cat)}</div></div>'
        for cat, v, label in zip(chart.categories, values, chart.labels or [f"{x:g}" for x in values], strict=True)
    )
    return f'<div class="ms-ctitle">{escape(chart.title)}</div><div class="ms-cols">{cols}</div>'


def _chart(chart: Chart | None) -> str:
    if chart is None or not chart.categories:
        return '<div class="ms-empty">暂无可显示的数据。</div>'
    return _bars(chart) if chart.kind == "bar" else _columns(chart)


def _topic(s: Slide) -> str:
    """Left: the key figure (ink, with a status bar and chip: colour is never the only signal); right: the chart."""
    h = s.headline
    figs = "".join(
        f'<div class="ms-fig"><span>{escape(f.label)}</span><b>{escape(f.value)}</b>'
        f"{_chip(f.status, f.badge or None)}</div>"
        for f in s.figures
    )
    left = (
        f'<div class="ms-left"><div class="ms-label">{escape(h.label)}</div>'
        f'<div class="ms-key" style="border-left-color:{_bar_colour(h.status)}">{escape(h.value)}</div>'
        f'<div class="ms-note">{_chip(h.status)}<span>{escape(s.note)}</span></div>'
        f'<div class="ms-figs">{figs}</div></div>'
    )
    return f'{left}<div class="ms-right">{_chart(s.chart)}</div>'


# 台账报送情况 on the wall: the most overdue communities that fit; the rest are on the 报送情况 page and in
# the pack's 9报送提醒 sheet (the PPTX fits its own count, dashboard/report.py)
SUBMISSION_ROWS = 10


def _table(s: Slide) -> str:
    table = s.table
    if table is None or table.empty:
        return '<div class="ms-empty">所有社区均已达标。</div>'
    rest = ""
    if s.key == "submissions" and len(table) > SUBMISSION_ROWS:
        more = len(table) - SUBMISSION_ROWS
        left_out = f"另有{more}个社区未列出，完整名单见「报送情况」页和例会数据包（Excel）“9报送提醒”表"
        rest = f'<div class="ms-tnote">{left_out}</div>'
        table = table.head(SUBMISSION_ROWS)
    if s.key == "streets" and len(table) > STREET_ROWS:  # a city's 150 streets: the pack has them all
        more = len(table) - STREET_ROWS
        rest = f'<div class="ms-tnote">另有{more}个街道未列出，完整排名见例会数据包（Excel）“1各街道排名”表</div>'
        table = table.head(STREET_ROWS)
    matrix = s.key == "behind"
    head = "".join(f"<th>{escape(str(c))}</th>" for c in table.columns)
    body = []
    for i, row in enumerate(table.itertuples(index=False)):
        cells = []
        for j, (col, value) in enumerate(zip(table.columns, row, strict=True)):
            text = escape(str(value))
            if col == "状态" and s.statuses:
                cells.append(f"<td>{_chip(s.statuses[i], str(value))}</td>")
            elif col in ("当前", "未达标项"):
                cells.append(f'<td class="num">{text}</td>')
            elif matrix and j >= 2 and text:
                cells.append(f'<td class="short">{text}</td>')
            elif s.key == "submissions" and j == 2:  # one line, cut with "…" (the title shows it whole)
                cells.append(f'<td class="clip" title="{text}">{text}</td>')
            else:
                cells.append(f"<td>{text}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    cls = {
        "behind": "ms-table matrix",
        "streets": "ms-table matrix",  # rows share the height like 未达标社区's (15 streets of a district)
        "plan": "ms-table compact",
        "submissions": "ms-table sub",
    }.get(s.key, "ms-table")
    rows = f"--rows:{max(len(table), 1)}"  # the rows share the slide's height (CSS)
    body_html = "".join(body)
    return f'<table class="{cls}" style="{rows}"><thead><tr>{head}</tr></thead><tbody>{body_html}</tbody></table>{rest}'


def _lines(s: Slide) -> str:
    cls = "ms-lines small" if sum(len(x) for x in s.lines) > 260 else "ms-lines"
    return f'<ol class="{cls}">{"".join(f"<li>{escape(x)}</li>" for x in s.lines)}</ol>'


STREET_ROWS = 20  # streets on the 各街道排名 slide; more are in the pack
TABLE_KEYS = ("scorecard", "streets", "behind", "plan", "submissions")  # slides that are a table (dashboard/meeting.py)


def slide_about(deck: Deck, index: int) -> str:
    """The 口径 of slide `index`'s indicators with their ledgers' last imports (explain.notes_text, the
    PowerPoint's notes), or "" for a slide without indicators or without data."""
    s = deck.slides[index]
    codes = explain.SLIDE_INDICATORS.get(s.key)
    return explain.notes_text(list(codes), deck.imports) if codes and not s.empty else ""


def about_markdown(text: str) -> str:
    """slide_about's plain text for st.markdown: each indicator's first line bold, its lines kept apart."""
    blocks = []
    for block in text.split("\n\n"):
        head, *lines = block.split("\n")
        blocks.append("  \n".join([f"**{md(head)}**", *(md(line) for line in lines)]))
    return "\n\n".join(blocks)


def slide_html(deck: Deck, index: int) -> str:
    """The whole slide `index` (0-based) of the deck as one HTML block."""
    s = deck.slides[index]
    meta = escape(
        f"{deck.covers} · {deck.year}年{deck.month}月 · 截至{deck.as_of.month}月{deck.as_of.day}日"
        f" · {index + 1}/{len(deck.slides)}"
    )
    title = f"{deck.year}年{deck.month}月 · {s.title}" if index == 0 else s.title
    if index == 0 and deck.community:  # a deck of one community's figures says whose on its first slide
        title = f"{deck.community} · {title}"
    if s.headline and s.key in TABLE_KEYS and not s.empty:
        meta = f"{escape(s.headline.label)} <b style='font-size:4.4vh'>{escape(s.headline.value)}</b> · {meta}"
    note = ""
    if (
        s.key in ("streets", "behind", "plan", "submissions")
        and not s.empty
        and s.table is not None
        and not s.table.empty
    ):
        note = f'<div class="ms-tnote">{escape(s.note)}</div>'
    if s.empty:
        body = f'<div class="ms-empty">{escape(s.empty)}</div>'
    elif s.key == "highlights":
        body = f'<div class="ms-right">{_lines(s)}</div>'
    elif s.key in TABLE_KEYS:
        body = f'<div class="ms-right">{_table(s)}{note}</div>'
    else:
        body = _topic(s)
    # hovering the title shows the 口径 of the slide's indicators (the PowerPoint's notes have the same); a
    # tap on the page's 口径说明 button shows it too (slide_about)
    text = slide_about(deck, index)
    about = f' title="{escape(text)}"' if text else ""
    return (
        f'<div class="ms" data-slide="{escape(s.key)}"><div class="ms-title"><h1{about}>{escape(title)}</h1>'
        f'<span class="ms-meta">{meta}</span></div><div class="ms-body">{body}</div></div>'
    )
