"""The meeting deck as a PowerPoint file: the same eight slides as 会议模式, with native editable charts.

Charts are python-pptx chart objects (a leader can change a number or a colour in PowerPoint or WPS),
tables are PowerPoint tables, and every run of text names an East Asian typeface (a:ea) as well as a
Latin one, so Chinese opens in 微软雅黑 rather than a fallback that breaks lines oddly. The speaker notes
of every slide carry the month's 本月要点. Also the `report` subcommand of the CLI.
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
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from dashboard import explain
from dashboard.charts import NEUTRAL, STATUS_COLOURS
from dashboard.meeting import Chart, Deck, Slide

FONT = "微软雅黑"
INK = RGBColor(0x11, 0x11, 0x11)
GREY = RGBColor(0x44, 0x44, 0x44)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
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
):
    box = shapes.add_textbox(x, y, w, h)
    tf = box.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = anchor
    tf.margin_left = tf.margin_right = Inches(0.05)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = align
        run = p.add_run()
        run.text = line
        _style_run(run, size, bold=bold, colour=colour)
    return box


def _style_run(run, size: int, *, bold: bool = False, colour: RGBColor = INK) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour
    set_east_asian(run._r.get_or_add_rPr())


def _title(slide, text: str, deck: Deck, index: int) -> None:
    _text(slide.shapes, Inches(0.5), Inches(0.25), Inches(10.0), Inches(0.9), text, 36, bold=True)
    footer = f"{deck.covers} · {deck.year}年{deck.month}月 · 截至{deck.as_of:%Y-%m-%d} · {index}/8"
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
    _text(shapes, Inches(0.5), Inches(1.3), Inches(5.0), Inches(0.9), s.headline.label, 24, bold=True)
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
    )
    if s.note:
        _text(shapes, Inches(0.5), Inches(3.95), Inches(5.0), Inches(0.6), s.note, 24, bold=True)
    y = 4.75
    for f in s.figures:
        _text(shapes, Inches(0.5), Inches(y), Inches(3.2), Inches(0.55), f.label, 18, colour=GREY)
        _text(
            shapes,
            Inches(3.6),
            Inches(y - 0.08),
            Inches(2.0),
            Inches(0.6),
            f.value,
            26,
            bold=True,
            colour=_status_colour(f.status),
            align=PP_ALIGN.RIGHT,
        )
        y += 0.62


def add_chart(slide, chart: Chart, x, y, w, h):
    """A native bar/column chart: one series, each bar in its status colour, values labelled."""
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
    c.chart_title.text_frame.text = title
    for p in c.chart_title.text_frame.paragraphs:
        for r in p.runs:
            _style_run(r, 20, bold=True)
    c.font.size = Pt(16)
    set_east_asian(c.font._rPr)
    plot = c.plots[0]
    plot.gap_width = 40
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.font.size = Pt(16)
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
        value_axis.minimum_scale, value_axis.maximum_scale = 0, 100
    value_axis.tick_labels.font.size = Pt(14)
    c.category_axis.tick_labels.font.size = Pt(16)
    return frame


def add_table(slide, table, statuses, x, y, w, row_h: float, size: int):
    """A PowerPoint table; the 状态 cell of each row (when statuses are given) filled in its colour."""
    rows, cols = len(table) + 1, len(table.columns)
    shape = slide.shapes.add_table(rows, cols, x, y, w, Emu(int(Inches(row_h) * rows)))
    t = shape.table
    widths = _column_widths(table, w)
    for j, width in enumerate(widths):
        t.columns[j].width = width
    for j, col in enumerate(table.columns):
        _cell(t.cell(0, j), str(col), size, bold=True, fill=RGBColor(0x22, 0x22, 0x22), colour=WHITE)
    for i, row in enumerate(table.itertuples(index=False), start=1):
        for j, value in enumerate(row):
            col = table.columns[j]
            status = statuses[i - 1] if statuses and col == "状态" else None
            fill = _rgb(STATUS_COLOURS[status]) if status in STATUS_COLOURS else WHITE
            colour = WHITE if status in ("green", "red") else INK
            _cell(t.cell(i, j), str(value), size, bold=bool(status) or j == 0, fill=fill, colour=colour)
    return shape


def _column_widths(table, total) -> list[int]:
    """Widths in proportion to the longest text of each column (CJK characters count double)."""
    import unicodedata

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)

    raw = [max([width(str(c))] + [width(str(v)) for v in table[c]]) + 2 for c in table.columns]
    scale = int(total) / sum(raw)
    return [Emu(int(r * scale)) for r in raw]


def _cell(cell, text: str, size: int, *, bold=False, fill=WHITE, colour=INK) -> None:
    cell.fill.solid()
    cell.fill.fore_color.rgb = fill
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    cell.margin_left = cell.margin_right = Inches(0.08)
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
        lines += ["", explain.notes_text(list(codes))]
    tf = slide.notes_slide.notes_text_frame
    tf.text = "\n".join(lines)
    for p in tf.paragraphs:
        for r in p.runs:
            set_east_asian(r._r.get_or_add_rPr())


def build_presentation(deck: Deck) -> Presentation:
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    blank = prs.slide_layouts[6]
    for index, s in enumerate(deck.slides, start=1):
        slide = prs.slides.add_slide(blank)
        title = f"{deck.year}年{deck.month}月 · {s.title}" if index == 1 else s.title
        if index == 1 and deck.community:  # a deck of one community's figures says whose on its first slide
            title = f"{deck.community} · {title}"
        _title(slide, title, deck, index)
        if s.empty:
            _text(slide.shapes, Inches(0.5), Inches(2.5), Inches(12.3), Inches(2.0), s.empty, 32, bold=True)
        elif s.key == "highlights":
            _highlights(slide, s)
        elif s.key in ("scorecard", "behind"):
            _table_slide(slide, s)
        else:
            _headline(slide, s)
            if s.chart and s.chart.categories:
                add_chart(slide, s.chart, Inches(5.9), Inches(1.2), Inches(7.1), Inches(5.8))
        _notes(slide, deck, s)
    return prs


def _table_slide(slide, s: Slide) -> None:
    if s.headline:
        _text(slide.shapes, Inches(10.0), Inches(0.2), Inches(3.0), Inches(0.5), s.headline.label, 16, colour=GREY,
              align=PP_ALIGN.RIGHT)  # fmt: skip
        _text(slide.shapes, Inches(10.0), Inches(0.55), Inches(3.0), Inches(0.8), s.headline.value, 36, bold=True,
              align=PP_ALIGN.RIGHT)  # fmt: skip
    if s.table is None or s.table.empty:
        _text(slide.shapes, Inches(0.5), Inches(2.5), Inches(12.3), Inches(1.5), "所有社区均已达标。", 32, bold=True)
        return
    table = s.table
    rows = len(table) + 1
    row_h = min(0.72, 5.6 / rows)
    size = 24 if rows <= 8 else 20 if rows <= 11 else 16
    add_table(slide, table, s.statuses, Inches(0.5), Inches(1.35), Inches(12.3), row_h, size)


def _highlights(slide, s: Slide) -> None:
    box = slide.shapes.add_textbox(Inches(0.6), Inches(1.3), Inches(12.1), Inches(5.6))
    tf = box.text_frame
    tf.word_wrap = True
    size = 24 if len(s.lines) <= 6 else 20
    for i, line in enumerate(s.lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.space_after = Pt(10)
        run = p.add_run()
        run.text = f"{i + 1}. {line}"
        _style_run(run, size)


def pptx_bytes(deck: Deck) -> bytes:
    buf = io.BytesIO()
    build_presentation(deck).save(buf)
    return buf.getvalue()


def file_name(deck: Deck) -> str:
    return f"{deck.file_prefix}{deck.year}年{deck.month}月工会工作例会.pptx"


# ---- CLI ------------------------------------------------------------------------------------------


def _cmd_report(args: argparse.Namespace) -> int:
    from dashboard import config, db, meeting, meeting_facts

    settings = config.load_settings()
    filters = meeting_facts.month_filters(args.year, args.month)
    try:
        with db.connect(args.db) as con:
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
    p.set_defaults(func=_cmd_report)
