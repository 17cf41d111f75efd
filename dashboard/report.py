"""The meeting deck as a PowerPoint file: the same slides as 会议模式, with native editable charts.

Charts are python-pptx chart objects (a leader can change a number or a colour in PowerPoint or WPS),
tables are PowerPoint tables, and every run of text names an East Asian typeface (a:ea) as well as a
Latin one, so Chinese opens in 微软雅黑 where it is installed. Where it is not (LibreOffice, WPS on
Kylin/UOS), the client substitutes wider fonts; so every size written here already fits its box with
the widest common fallback (dashboard/deck_fit.py measures the text): big figures shrink rather than
wrap, names are shortened as the web meeting mode shortens them, tables shrink their type and show as
many rows as the slide holds (the rest are counted under the table and are in the Excel pack), a
ranking chart shows the communities furthest behind. No auto-fit flag is relied on. Each slide's title
is in the layout's title placeholder, so outline view and screen readers see it. The speaker notes of
every slide carry the month's 本月要点. Also the `report` subcommand of the CLI.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from dashboard import deck_fit, explain
from dashboard.charts import NEUTRAL, STATUS_COLOURS
from dashboard.meeting import Chart, Deck, Slide
from dashboard.rates import GREEN, RED

FONT = "微软雅黑"
INK = RGBColor(0x11, 0x11, 0x11)
GREY = RGBColor(0x44, 0x44, 0x44)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
TITLE_ONLY = 5  # the default template's "Title Only" layout: a title placeholder and nothing else
BOX_INSET = Inches(0.05)  # a text box's left/right/top/bottom margin
CELL_INSET_X, CELL_INSET_Y = Inches(0.08), Inches(0.03)
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


def set_east_asian(rpr, typeface: str = FONT) -> None:
    """Name `typeface` for Latin and East Asian text on a run's (or a default) character properties."""
    for tag in ("a:latin", "a:ea"):
        el = rpr.find(qn(tag))
        if el is None:
            el = etree.SubElement(rpr, qn(tag))
        el.set("typeface", typeface)
    # the schema wants latin before ea, and both after any fill
    latin, ea = rpr.find(qn("a:latin")), rpr.find(qn("a:ea"))
    rpr.remove(latin)
    rpr.remove(ea)
    successors = [qn(t) for t in ("a:cs", "a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl", "a:extLst")]
    at = next((i for i, child in enumerate(rpr) if child.tag in successors), len(rpr))
    rpr.insert(at, ea)
    rpr.insert(at, latin)


def _pt(emu) -> float:
    return int(emu) / 12700


def _fit(text: str, w, h, size: float, *, bold: bool, wrap: bool, min_size: float, inset=BOX_INSET):
    """The size (and the text, shortened with '…' when even min_size is too wide) at which `text` stays
    inside a box of w × h: on one line per paragraph unless `wrap`, its lines no taller than the box."""
    inner_w, inner_h = _pt(w) - 2 * _pt(inset), _pt(h) - 2 * _pt(BOX_INSET)
    size = float(size)
    while size > min_size:
        if wrap:
            ok = deck_fit.wrapped_lines(text, inner_w, size, bold=bold) * deck_fit.line_height(size) <= inner_h
        else:
            ok = deck_fit.fits(text, inner_w, size, bold=bold) and (
                (text.count("\n") + 1) * deck_fit.line_height(size) <= inner_h
            )
        if ok:
            return text, size
        size -= 1
    if not wrap:
        text = "\n".join(deck_fit.ellipsize(line, inner_w, size, bold=bold) for line in text.split("\n"))
    return text, size


def _fill(
    tf,
    text: str,
    size: float,
    *,
    bold: bool = False,
    colour: RGBColor = INK,
    align=PP_ALIGN.LEFT,
    anchor=MSO_ANCHOR.TOP,
) -> None:
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.vertical_anchor = anchor
    tf.margin_left = tf.margin_right = tf.margin_top = tf.margin_bottom = BOX_INSET
    for i, line in enumerate(text.split("\n")):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = align
        run = p.add_run()
        run.text = line
        _style_run(run, size, bold=bold, colour=colour)


def _text(
    shapes,
    x,
    y,
    w,
    h,
    text: str,
    size: int,
    *,
    bold: bool = False,
    colour: RGBColor = INK,
    align=PP_ALIGN.LEFT,
    anchor=MSO_ANCHOR.TOP,
    wrap: bool = False,
    min_size: float | None = None,
):
    """A text box whose type is shrunk (from `size` down to min_size, default half) until the text fits."""
    text, fitted = _fit(text, w, h, size, bold=bold, wrap=wrap, min_size=min_size or max(10, size // 2))
    box = shapes.add_textbox(x, y, w, h)
    _fill(box.text_frame, text, fitted, bold=bold, colour=colour, align=align, anchor=anchor)
    return box


def _style_run(run, size: float, *, bold: bool = False, colour: RGBColor = INK) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour
    set_east_asian(run._r.get_or_add_rPr())


def _title(slide, text: str, deck: Deck, index: int, width) -> None:
    """The slide's title in its title placeholder (styled as the deck's), and the footer line."""
    x, y, h = Inches(0.5), Inches(0.25), Inches(0.9)
    text, size = _fit(text, width, h, 36, bold=True, wrap=False, min_size=24)
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = x, y, width, h
    title.text_frame.clear()
    _fill(title.text_frame, text, size, bold=True)
    footer = f"{deck.covers} · {deck.year}年{deck.month}月 · 截至{deck.as_of:%Y-%m-%d} · {index}/{len(deck.slides)}"
    _text(  # right-aligned; wide enough for a street and a community on one line
        slide.shapes, Inches(6.3), Inches(7.0), Inches(6.8), Inches(0.4), footer, 12, colour=GREY, align=PP_ALIGN.RIGHT
    )


def _status_colour(status: str | None) -> RGBColor:
    return _rgb(STATUS_COLOURS.get(status or "", "#111111")) if status in STATUS_COLOURS else INK


def _headline(slide, s: Slide) -> None:
    """The key figure: about a third of the slide, in its status colour, with the gap under it."""
    shapes = slide.shapes
    if s.headline is None:
        return
    _text(shapes, Inches(0.5), Inches(1.3), Inches(5.0), Inches(0.7), s.headline.label, 24, bold=True)
    _text(
        shapes,
        Inches(0.4),
        Inches(2.0),
        Inches(5.4),
        Inches(1.9),
        s.headline.value,
        100,
        bold=True,
        colour=_status_colour(s.headline.status),
        anchor=MSO_ANCHOR.MIDDLE,
        min_size=40,
    )
    if s.note:
        _text(shapes, Inches(0.5), Inches(3.95), Inches(5.3), Inches(0.7), s.note, 24, bold=True, min_size=14)
    y = 4.75
    for f in s.figures:
        _text(shapes, Inches(0.5), Inches(y), Inches(3.1), Inches(0.55), f.label, 18, colour=GREY, min_size=12)
        _text(
            shapes,
            Inches(3.6),
            Inches(y - 0.08),
            Inches(2.2),
            Inches(0.6),
            f.value,
            26,
            bold=True,
            colour=_status_colour(f.status),
            align=PP_ALIGN.RIGHT,
            min_size=14,
        )
        y += 0.62


CHART_FONT = 16  # category and data labels
CHART_ROW = 1.7  # a bar's band in em of the category labels, so neighbouring labels never touch


def max_bars(h) -> int:
    """How many bars a ranking chart of height h holds: its title and value axis take about 1.5 in."""
    return max(3, int((_pt(h) - 108) // (CHART_FONT * CHART_ROW)))


def capped(chart: Chart, limit: int) -> Chart:
    """A ranking of more categories than fit: the `limit` furthest behind (the chart lists the lowest
    first), its title saying how many are shown of how many. Others are in the Excel pack."""
    n = len(chart.categories)
    if n <= limit or chart.kind != "bar":
        return chart
    shown = f"（最低的{limit}个社区，共{n}个）" if chart.unit == "%" else f"（前{limit}项，共{n}项）"
    return Chart(
        kind=chart.kind,
        title=chart.title + shown,
        categories=chart.categories[:limit],
        series=[(name, values[:limit]) for name, values in chart.series],
        unit=chart.unit,
        target=chart.target,
        statuses=chart.statuses[:limit] if chart.statuses else None,
        labels=chart.labels[:limit] if chart.labels else None,
    )


def add_chart(slide, chart: Chart, x, y, w, h):
    """A native bar/column chart: one series, each bar in its status colour, values labelled."""
    chart = capped(chart, max_bars(h))
    data = CategoryChartData()
    data.categories = chart.categories
    for name, values in chart.series:
        data.add_series(name, values)
    kind = XL_CHART_TYPE.BAR_CLUSTERED if chart.kind == "bar" else XL_CHART_TYPE.COLUMN_CLUSTERED
    frame = slide.shapes.add_chart(kind, x, y, w, h, data)
    c = frame.chart
    c.has_legend = len(chart.series) > 1
    c.has_title = True
    title = chart.title + (f"（目标{chart.target:g}{chart.unit}）" if chart.target is not None else "")
    title_w = _pt(w) * 0.7  # LibreOffice wraps a chart title well short of the chart's width
    size = deck_fit.fit_size(title, title_w, 20, 16, bold=True)
    if not deck_fit.fits(title, title_w, size, bold=True) and "（" in title:  # two lines: the name, then the rest
        head, _, rest = title.partition("（")
        title = f"{head}\n（{rest}"
        size = deck_fit.fit_size(title, title_w, 20, 12, bold=True)
    c.chart_title.text_frame.text = title
    for p in c.chart_title.text_frame.paragraphs:
        for r in p.runs:
            _style_run(r, size, bold=True)
    c.font.size = Pt(CHART_FONT)
    set_east_asian(c.font._rPr)
    plot = c.plots[0]
    plot.gap_width = 40
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.font.size = Pt(CHART_FONT)
    labels.font.bold = True
    set_east_asian(labels.font._rPr)
    labels.number_format = '0.0"%"' if chart.unit == "%" else "0"
    labels.number_format_is_linked = False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    series = plot.series[0]
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = _rgb(NEUTRAL)
    if chart.statuses:
        for i, status in enumerate(chart.statuses):
            point = series.points[i]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = _rgb(STATUS_COLOURS.get(status, NEUTRAL))
    value_axis = c.value_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xDD, 0xDD, 0xDD)
    if chart.unit == "%":
        # room past 100 for the data label of a full bar
        value_axis.minimum_scale, value_axis.maximum_scale = 0, 100
    value_axis.tick_labels.font.size = Pt(14)
    c.category_axis.tick_labels.font.size = Pt(CHART_FONT)
    return frame


def _cell_texts(table, col: str) -> list[str]:
    return [str(v) for v in table[col]]


READABLE = 16  # pt: below this a table's whole names give way to shortened ones


def fit_table(table, w, max_h, max_size: int, min_size: int, name_cols: tuple[str, ...] = ()):
    """The size, column widths (EMU), row height (EMU), rows shown and the (shortened) text of a table
    that fits w × max_h with no cell wrapping. First the largest size from max_size down to READABLE at
    which every cell is whole and every row fits; failing that, from READABLE down to min_size with the
    columns in name_cols giving way (their names shortened by deck_fit.shorten_name to what the other
    columns leave); at min_size, as many rows as fit (the caller counts the rest). Spare height opens
    the rows up (at most 1.4 times)."""
    inset = 2 * _pt(CELL_INSET_X) + 2  # the cell's margins and a point for the border
    total = _pt(w)
    columns = list(table.columns)

    def layout(size: float, shorten: bool):
        texts = {c: _cell_texts(table, c) for c in columns}
        natural = [
            max(
                [deck_fit.width(str(c), size, bold=True)]
                + [deck_fit.width(t, size, bold=j == 0 or c == "状态") for t in texts[c]]
            )
            + inset
            for j, c in enumerate(columns)
        ]
        names = [c for c in columns if c in name_cols]
        if sum(natural) > total and shorten and names:
            fixed = sum(n for c, n in zip(columns, natural, strict=True) if c not in name_cols)
            room = (total - fixed) / len(names)
            for c in names:
                j = columns.index(c)
                if room < max(4 * size, deck_fit.width(str(c), size, bold=True) + inset):
                    return None  # the name columns would be too narrow to read
                texts[c] = [deck_fit.shorten_name(t, room - inset, size, bold=j == 0) for t in texts[c]]
                natural[j] = room
        if sum(natural) > total:
            return None
        spare = (total - sum(natural)) / len(natural)
        widths = [Emu(int((n + spare) * 12700)) for n in natural]
        row_h = deck_fit.line_height(size) + 2 * _pt(CELL_INSET_Y) + 2
        rows = int(_pt(max_h) // row_h) - 1
        return texts, widths, row_h, rows

    readable = max(min_size, READABLE)
    for shorten, floor in ((False, readable), (True, min_size)):  # whole names while they stay readable
        size = float(readable if shorten else max_size)
        while size >= floor:
            got = layout(size, shorten)
            if got is not None and (got[3] >= len(table) or (shorten and size == min_size)):
                texts, widths, row_h, rows = got
                shown = max(1, min(rows, len(table)))
                row_h = min(_pt(max_h) / (shown + 1), row_h * 1.4)  # spare height opens the rows up a little
                return size, widths, Emu(int(row_h * 12700)), shown, texts
            size -= 1
    # too wide even with the names shortened at min_size: equal columns, every cell cut to fit
    size = float(min_size)
    n = len(columns)
    widths = [Emu(int(w) // n)] * n
    texts = {
        c: [deck_fit.ellipsize(t, _pt(widths[j]) - inset, size, bold=True) for t in _cell_texts(table, c)]
        for j, c in enumerate(columns)
    }
    row_h = deck_fit.line_height(size) + 2 * _pt(CELL_INSET_Y) + 2
    shown = max(1, min(int(_pt(max_h) // row_h) - 1, len(table)))
    return size, widths, Emu(int(row_h * 12700)), shown, texts


def add_table(slide, table, statuses, x, y, w, max_h, max_size: int, min_size: int, name_cols=()):
    """A PowerPoint table fitted to w × max_h; the 状态 cell of each row (when statuses are given) filled
    in its colour. Returns the shape and how many of the table's rows it shows (the first ones)."""
    size, widths, row_h, shown, texts = fit_table(table, w, max_h, max_size, min_size, name_cols)
    cols = len(table.columns)
    shape = slide.shapes.add_table(shown + 1, cols, x, y, w, Emu(int(row_h) * (shown + 1)))
    t = shape.table
    for j, width in enumerate(widths):
        t.columns[j].width = width
    for row in t.rows:
        row.height = row_h
    for j, col in enumerate(table.columns):
        _cell(t.cell(0, j), str(col), size, bold=True, fill=RGBColor(0x22, 0x22, 0x22), colour=WHITE)
    for i in range(shown):
        for j, col in enumerate(table.columns):
            status = statuses[i] if statuses and col == "状态" else None
            fill = _rgb(STATUS_COLOURS[status]) if status in STATUS_COLOURS else WHITE
            colour = WHITE if status in (GREEN, RED) else INK
            _cell(t.cell(i + 1, j), texts[col][i], size, bold=bool(status) or j == 0, fill=fill, colour=colour)
    return shape, shown


def _cell(cell, text: str, size: float, *, bold=False, fill=WHITE, colour=INK) -> None:
    cell.fill.solid()
    cell.fill.fore_color.rgb = fill
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    cell.margin_left = cell.margin_right = CELL_INSET_X
    cell.margin_top = cell.margin_bottom = CELL_INSET_Y
    tf = cell.text_frame
    tf.word_wrap = True
    tf.paragraphs[0].text = ""
    run = tf.paragraphs[0].add_run()
    run.text = text
    _style_run(run, size, bold=bold, colour=colour)


def _notes(slide, deck: Deck, s: Slide) -> None:
    lines = [s.title]
    if s.headline:
        lines.append(f"{s.headline.label}：{s.headline.value}　{s.note}".strip())
    lines += [f"{f.label}：{f.value}" for f in s.figures]
    if deck.highlights:
        lines += ["", "本月要点："] + [f"{i}. {h}" for i, h in enumerate(deck.highlights, start=1)]
    codes = explain.SLIDE_INDICATORS.get(s.key)
    if codes:  # the 口径 of the slide's indicators, in the words of the cards and the README
        lines += ["", explain.notes_text(list(codes), deck.imports)]
    tf = slide.notes_slide.notes_text_frame
    tf.text = "\n".join(lines)
    for p in tf.paragraphs:
        for r in p.runs:
            set_east_asian(r._r.get_or_add_rPr())


TABLE_SLIDES = ("scorecard", "streets", "behind", "plan", "submissions")


def build_presentation(deck: Deck) -> Presentation:
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    layout = prs.slide_layouts[TITLE_ONLY]
    for index, s in enumerate(deck.slides, start=1):
        slide = prs.slides.add_slide(layout)
        title = f"{deck.year}年{deck.month}月 · {s.title}" if index == 1 else s.title
        if index == 1 and deck.community:  # a deck of one community's figures says whose on its first slide
            title = f"{deck.community} · {title}"
        table_slide = s.key in TABLE_SLIDES and not s.empty
        _title(slide, title, deck, index, Inches(9.4) if table_slide else Inches(12.3))
        if s.empty:
            _text(slide.shapes, Inches(0.5), Inches(2.5), Inches(12.3), Inches(2.0), s.empty, 32, bold=True, wrap=True)
        elif s.key == "highlights":
            _highlights(slide, s)
        elif s.key in TABLE_SLIDES:
            _table_slide(slide, s)
        else:
            _headline(slide, s)
            if s.chart and s.chart.categories:
                add_chart(slide, s.chart, Inches(5.9), Inches(1.2), Inches(7.1), Inches(5.75))
        _notes(slide, deck, s)
    return prs


TABLE_TOP, TABLE_BOTTOM = Inches(1.35), Inches(6.95)  # above the footer line
TABLE_SIZES = {
    "scorecard": (24, 14),
    "streets": (16, 10),
    "behind": (20, 14),
    "plan": (20, 13),
    "submissions": (20, 14),
}
NAME_COLS = {
    "scorecard": ("指标",),
    "streets": ("街道",),
    "behind": ("社区",),
    "plan": ("工作",),
    "submissions": ("逾期台账",),
}
NOTE_H = Inches(0.45)
TABLE_GAP = Inches(0.12)  # between the table and the lines under it (a client may draw rows a little taller)


def _table_slide(slide, s: Slide) -> None:
    if s.headline:
        _text(slide.shapes, Inches(10.0), Inches(0.15), Inches(3.0), Inches(0.45), s.headline.label, 16, colour=GREY,
              align=PP_ALIGN.RIGHT)  # fmt: skip
        _text(slide.shapes, Inches(10.0), Inches(0.55), Inches(3.0), Inches(0.75), s.headline.value, 36, bold=True,
              align=PP_ALIGN.RIGHT, colour=_status_colour(s.headline.status))  # fmt: skip
    if s.table is None or s.table.empty:
        _text(slide.shapes, Inches(0.5), Inches(2.5), Inches(12.3), Inches(1.5), "所有社区均已达标。", 32, bold=True)
        return
    table = s.table
    notes = (
        [s.note] if s.key in ("streets", "behind", "submissions") and s.note else []
    )  # the plan's rule is in the notes and on the page
    max_size, min_size = TABLE_SIZES[s.key]
    x, w = Inches(0.5), Inches(12.3)
    height = TABLE_BOTTOM - TABLE_TOP - NOTE_H * len(notes) - TABLE_GAP
    shown = fit_table(table, w, height, max_size, min_size, NAME_COLS[s.key])[3]
    if shown < len(table):  # a line under the table says how many are left out
        height -= NOTE_H
        rest = len(table) - fit_table(table, w, height, max_size, min_size, NAME_COLS[s.key])[3]
        what = {"streets": "个街道", "behind": "个社区", "submissions": "个社区"}.get(s.key, "项")
        sheet = {
            "streets": "1各街道排名",
            "behind": "7未达标社区",
            "plan": "8工作计划",
            "submissions": "9报送提醒",
            "scorecard": "1目标完成情况",
        }[s.key]
        notes.insert(0, f"另有{rest}{what}未列出，完整名单见例会数据包（Excel）“{sheet}”表")
    add_table(slide, table, s.statuses, x, TABLE_TOP, w, height, max_size, min_size, NAME_COLS[s.key])
    y = TABLE_BOTTOM - NOTE_H * len(notes)
    for note in notes:
        _text(slide.shapes, Inches(0.5), y, Inches(12.3), NOTE_H, note, 16, colour=GREY, min_size=11)
        y += NOTE_H


def _highlights(slide, s: Slide) -> None:
    """The numbered 本月要点, the type shrunk (24 down to 14 pt) until all lines fit; lines that still do
    not fit are counted at the end (all of them are in the speaker notes and the Excel pack)."""
    x, y, w, h = Inches(0.6), Inches(1.3), Inches(12.1), Inches(5.6)
    inner_w, inner_h = _pt(w) - 2 * _pt(BOX_INSET), _pt(h) - 2 * _pt(BOX_INSET)
    items = [f"{i + 1}. {line}" for i, line in enumerate(s.lines)]

    def height(lines: list[str], size: float) -> float:
        gap = size * 0.4
        return sum(deck_fit.wrapped_lines(t, inner_w, size) * deck_fit.line_height(size) + gap for t in lines)

    size = 24.0
    while size > 14 and height(items, size) > inner_h:
        size -= 1
    shown, k = list(items), len(items)
    while k > 1 and height(shown, size) > inner_h:
        k -= 1
        shown = [*items[:k], f"另有{len(items) - k}条要点未列出，见本页备注和例会数据包（Excel）“10本月要点”表"]
    box = slide.shapes.add_textbox(x, y, w, h)
    tf = box.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.margin_left = tf.margin_right = tf.margin_top = tf.margin_bottom = BOX_INSET
    for i, line in enumerate(shown):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.space_after = Pt(round(size * 0.4))
        run = p.add_run()
        run.text = line
        _style_run(run, size)


def pptx_bytes(deck: Deck) -> bytes:
    buf = io.BytesIO()
    build_presentation(deck).save(buf)
    return buf.getvalue()


def file_name(deck: Deck) -> str:
    return f"{deck.file_prefix}{deck.year}年{deck.month}月工会工作例会.pptx"


# ---- CLI ------------------------------------------------------------------------------------------


def _cmd_report(args: argparse.Namespace) -> int:
    from dashboard import config, db, meeting, meeting_facts, scope

    settings = config.load_settings()
    filters = meeting_facts.month_filters(args.year, args.month)
    try:
        with scope.using(scope.for_command(args.street)), db.connect(args.db) as con:
            deck = meeting.meeting_deck(con.cursor(), filters, settings)
    except db.DatabaseBusy as exc:
        print(str(exc), file=sys.stderr)
        return 3
    out = Path(args.out)
    try:
        out.write_bytes(pptx_bytes(deck))
    except OSError as exc:
        print(f"无法写入文件 {out}：{exc.strerror or exc}。请检查路径是否存在、文件是否正被打开。", file=sys.stderr)
        return 2
    print(f"已生成 {out}（{len(deck.slides)} 页，本月要点 {len(deck.highlights)} 条）")
    return 0


def add_report_subcommand(subparsers) -> None:
    """`python -m dashboard report --year Y --month M [--db PATH] --out FILE.pptx`"""
    p = subparsers.add_parser("report", help="生成月度例会幻灯片（PPTX）")
    p.add_argument("--year", type=int, required=True, help="计划年度")
    p.add_argument("--month", type=int, required=True, choices=range(1, 13), metavar="1-12", help="月份")
    p.add_argument("--db", help="数据库文件（默认 data/union.duckdb 或 UNION_DASHBOARD_DB）")
    p.add_argument("--out", required=True, help="输出的 .pptx 文件")
    p.add_argument("--street", help="只做这个街道的例会（按街道领导的范围读取）；载入多个街道时默认全区")
    p.set_defaults(func=_cmd_report)
