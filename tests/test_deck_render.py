"""The meeting deck and pack as a real client shows them: headless LibreOffice (no 微软雅黑: it draws the
Chinese in WenQuanYi Micro Hei and the digits in DejaVu Sans, as Kylin/UOS machines with WPS do).

The sample street's November deck and a district-scale street's (150 communities) are converted to PDF
in one soffice call; every word's box is read back (pdftotext -bbox-layout) and no word may leave its
slide, no two words of different lines may be drawn over each other, and each big figure must stay on
one line. The pages are kept as PNGs (1280×720, a projector's size) in test-artifacts/deck/ to look at.
The Excel pack makes a round trip through LibreOffice Calc and keeps its number formats, column widths
and the formula guard."""

from __future__ import annotations

import csv
import dataclasses
import io
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pptx import Presentation

from dashboard import config, db, meeting, meeting_facts, pack, report
from tests import office
from tests.conftest import ROOT, sample_copy

sys.path.insert(0, str(ROOT / "bench"))

import generate

ARTIFACTS = ROOT / "test-artifacts" / "deck"
TODAY = date(2026, 11, 20)  # the sample street's today
# a district's worth of communities in one street: 150 communities, a few thousand enterprises
DISTRICT_STREET = generate.Scale("street150", 9_000, 9_000, 1_500, 1, communities_per_street=150)


def _deck(path: Path) -> meeting.Deck:
    with db.connect(path) as con:
        return meeting.meeting_deck(
            con.cursor(), meeting_facts.month_filters(2026, 11, today=TODAY), config.load_settings()
        )


@pytest.fixture(scope="module")
def decks(tmp_path_factory, sample_template) -> dict[str, meeting.Deck]:
    base = tmp_path_factory.mktemp("deck-dbs")
    mp = pytest.MonkeyPatch()
    mp.setenv("UNION_DASHBOARD_ARCHIVE", str(base / "archive"))
    mp.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    try:
        sample_copy(sample_template, base / "sample.duckdb")
        generate.build(DISTRICT_STREET, base / "district.duckdb")
        return {"sample": _deck(base / "sample.duckdb"), "district": _deck(base / "district.duckdb")}
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def rendered(decks, tmp_path_factory) -> dict[str, list[office.Page]]:
    out = tmp_path_factory.mktemp("deck-pdf")
    files = []
    for name, deck in decks.items():
        path = out / f"{name}.pptx"
        path.write_bytes(report.pptx_bytes(deck))
        files.append(path)
    pdfs = office.soffice_convert(files, "pdf", out)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    for pdf in pdfs:  # the reference screenshots, looked at
        office.render_pngs(pdf, ARTIFACTS / pdf.stem)
    return {pdf.stem: office.read_words(pdf) for pdf in pdfs}


@pytest.mark.parametrize("name", ["sample", "district"])
def test_every_slide_is_drawn_with_its_title(rendered, decks, name):
    pages, deck = rendered[name], decks[name]
    assert len(pages) == len(deck.slides) == 10
    for page, s in zip(pages, deck.slides, strict=True):
        assert any(s.title in line for line in page.lines), (page.number, s.title)
        assert page.width > page.height  # 16:9


@pytest.mark.parametrize("name", ["sample", "district"])
def test_no_text_leaves_its_slide(rendered, name):
    out = {p.number: [w.text for w in office.off_page(p)] for p in rendered[name]}
    assert not {k: v for k, v in out.items() if v}


@pytest.mark.parametrize("name", ["sample", "district"])
def test_no_two_words_are_drawn_over_each_other(rendered, name):
    found = {p.number: [(a.text, b.text) for a, b in office.overlaps(p)] for p in rendered[name] if office.overlaps(p)}
    assert not found


@pytest.mark.parametrize("name", ["sample", "district"])
def test_big_figures_stay_on_one_line(rendered, decks, name):
    """'877人次' wrapped its '次' over the line under it: every headline and figure value is found whole
    in one line of its page (pdftotext's line, spaces dropped)."""
    for page, s in zip(rendered[name], decks[name].slides, strict=True):
        if s.empty:
            continue
        values = [f.value for f in ([s.headline] if s.headline else []) + s.figures]
        for value in values:
            assert any(value.replace(" ", "") in line for line in page.lines), (page.number, value, page.lines)


def test_district_slides_say_what_they_leave_out(rendered, decks):
    """150 communities do not fit a slide: the rankings show the lowest (their titles say of how many) and
    the 未达标社区 table as many rows as fit, its last line counting the rest (all are in the pack)."""
    deck = decks["district"]
    prs = Presentation(io.BytesIO(report.pptx_bytes(deck)))
    behind = deck.slides[6].table
    assert len(behind) > 100
    shown = next(s for s in prs.slides[6].shapes if s.has_table).table
    rows = len(shown.rows) - 1
    texts = [s.text_frame.text for s in prs.slides[6].shapes if s.has_text_frame]
    assert f"另有{len(behind) - rows}个社区未列出，完整名单见例会数据包（Excel）“7未达标社区”表" in texts
    assert [shown.cell(i, 0).text for i in range(1, rows + 1)] == list(behind["社区"][:rows])  # worst first
    chart = next(s.chart for s in prs.slides[1].shapes if s.has_chart)
    cats = list(chart.plots[0].categories)
    assert len(cats) < 150 and cats == deck.slides[1].chart.categories[: len(cats)]  # the lowest rates
    assert f"共{len(deck.slides[1].chart.categories)}个" in chart.chart_title.text_frame.text
    page = rendered["district"][6]
    assert any(f"另有{len(behind) - rows}个社区未列出" in line for line in page.lines)


# ---- the Excel pack in LibreOffice Calc -------------------------------------------------------------

GUARDED = ["=SUM(1,2)", "+8613800000000", "-3人", "@某人"]


def test_pack_keeps_formats_widths_and_the_formula_guard_in_calc(decks, tmp_path):
    deck = decks["sample"]
    tables = dict(deck.tables)
    tables["10本月要点"] = pd.concat(
        [tables["10本月要点"], pd.DataFrame({"序号": range(90, 90 + len(GUARDED)), "要点": GUARDED})],
        ignore_index=True,
    )
    path = tmp_path / "pack.xlsx"
    path.write_bytes(pack.meeting_pack_bytes(dataclasses.replace(deck, tables=tables)))
    back_dir = tmp_path / "calc"
    (back,) = office.soffice_convert([path], "xlsx", back_dir, filter_options="Calc MS Excel 2007 XML")
    before, after = openpyxl.load_workbook(path), openpyxl.load_workbook(back)
    assert after.sheetnames == before.sheetnames
    checked_formats = set()
    for ws in before.worksheets:
        ws2 = after[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in (None, ""):  # an empty string is a blank cell to Calc
                    continue
                got = ws2.cell(cell.row, cell.column)
                assert got.value == cell.value, (ws.title, cell.coordinate)
                assert got.data_type == cell.data_type, (ws.title, cell.coordinate)
                if cell.number_format != "General":
                    checked_formats.add(cell.number_format)
                    # Calc writes a literal '-' escaped ('yyyy\\-mm\\-dd'): the same format
                    assert got.number_format.replace("\\", "") == cell.number_format, (ws.title, cell.coordinate)
        for letter, dim in ws.column_dimensions.items():
            if dim.width:
                assert ws2.column_dimensions[letter].width == pytest.approx(dim.width, abs=0.6), (ws.title, letter)
    assert "yyyy-mm-dd" in checked_formats  # the agreements' dates
    guarded = {c.value: c for c in after["10本月要点"]["B"] if c.value in GUARDED}
    assert set(guarded) == set(GUARDED)
    assert all(c.data_type == "s" for c in guarded.values())  # text after Calc saved it, not formulas
    # and as Calc shows the original pack's cells (CSV 'as shown', every sheet): the guarded text
    # literally (not 3), dates in the pack's yyyy-mm-dd
    office.soffice_convert([path], "csv", tmp_path / "csv", filter_options=CSV_AS_SHOWN)
    notes = (tmp_path / "csv" / "pack-10本月要点.csv").read_text(encoding="utf-8").splitlines()
    assert notes[-4:] == ['90,"=SUM(1,2)"', "91,+8613800000000", "92,-3人", "93,@某人"]
    text = (tmp_path / "csv" / "pack-3集体协商_行业区域协议.csv").read_text(encoding="utf-8")
    agreements = list(csv.reader(io.StringIO(text)))  # counts show as "1,129": quoted, so read as CSV
    signed = tables["3集体协商_行业区域协议"].iloc[0]["签订日期"]
    assert agreements[1][4] == f"{signed:%Y-%m-%d}"


# separator ',', quote '"', UTF-8, from line 1, …, token 9 'save cell contents as shown', token 12 -1: every
# sheet to its own file (pack-<sheet>.csv)
CSV_AS_SHOWN = "Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
