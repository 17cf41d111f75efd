"""The PowerPoint pack: opened back with python-pptx, its slides, native charts and series values are
checked against the metrics of tests/small_street.py (March 2026, worked out in tests/test_meeting.py)."""

import io
from datetime import date

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml.ns import qn

from dashboard import meeting, meeting_facts, metrics, report
from dashboard.__main__ import main
from dashboard.config import load_settings
from dashboard.filters import Filters
from tests.conftest import connect_copy
from tests.small_street import build_small_street

TODAY = date(2026, 11, 1)


@pytest.fixture
def street(tmp_path):
    with connect_copy(tmp_path / "test.duckdb", build_small_street) as con:
        yield con


@pytest.fixture
def deck(street):
    return meeting.meeting_deck(street.cursor(), meeting_facts.month_filters(2026, 3, today=TODAY), load_settings())


@pytest.fixture
def prs(deck):
    return Presentation(io.BytesIO(report.pptx_bytes(deck)))


def charts(slide):
    return [s.chart for s in slide.shapes if s.has_chart]


def texts(slide):
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame]


def test_ten_slides_with_titles_in_their_placeholders(prs):
    """The title is the slide's title placeholder (outline view and screen readers read it) and its first
    text; slide 8 is the 工作计划进度 of the plan's duties, slide 9 the communities with overdue ledgers."""
    assert len(prs.slides) == 10
    titles = [
        "2026年3月 · 目标完成情况",
        "组建工会",
        "工资集体协商",
        "和谐企业创建",
        "帮扶救助送温暖",
        "劳动争议调解",
        "未达标社区",
        "工作计划进度",
        "台账报送情况",
        "3月要点",
    ]
    assert [texts(s)[0] for s in prs.slides] == titles
    assert [s.shapes.title.text for s in prs.slides] == titles
    assert all(s.shapes.title.is_placeholder and s.shapes.title.placeholder_format.type == 1 for s in prs.slides)


def test_topic_slides_carry_native_charts(prs):
    kinds = [[c.chart_type for c in charts(s)] for s in prs.slides]
    bar, column = XL_CHART_TYPE.BAR_CLUSTERED, XL_CHART_TYPE.COLUMN_CLUSTERED
    assert kinds == [[], [bar], [bar], [bar], [bar], [column], [], [], [], []]
    # no picture anywhere: every chart is an editable chart object
    assert not any(s.shape_type == 13 for slide in prs.slides for s in slide.shapes)


def test_series_values_equal_the_metrics(street, prs):
    settings = load_settings()
    filters = Filters(year=2026, as_of=date(2026, 3, 31))
    u1 = metrics.union_coverage_25plus(street.cursor(), filters, settings)
    expected = {row.community[:2]: round(row.numerator / row.denominator * 100, 1) for row in u1.itertuples()}
    chart = charts(prs.slides[1])[0]
    plot = chart.plots[0]
    got = dict(zip(plot.categories, plot.series[0].values, strict=True))
    assert got == expected == {"东风": 25.0, "向阳": 66.7}  # 1/4 and 2/3
    w1 = charts(prs.slides[2])[0].plots[0]
    assert dict(zip(w1.categories, w1.series[0].values, strict=True)) == {"向阳": 50.0, "东风": 100.0}
    aid = charts(prs.slides[4])[0].plots[0]
    assert dict(zip(aid.categories, aid.series[0].values, strict=True)) == {"春送岗位": 1.0, "冬送温暖": 2.0}
    disputes = charts(prs.slides[5])[0].plots[0]
    assert list(disputes.categories) == ["1月", "2月", "3月"]
    assert list(disputes.series[0].values) == [1.0, 1.0, 0.0]


def test_headline_figures_on_topic_slides(prs):
    assert "42.9%" in texts(prs.slides[1]) and "目标95% · 还差 4 家" in texts(prs.slides[1])
    assert "3人次" in texts(prs.slides[4])


def test_scorecard_and_behind_are_tables(prs):
    table = next(s for s in prs.slides[0].shapes if s.has_table).table
    assert [table.cell(0, j).text for j in range(5)] == ["指标", "当前", "目标", "状态", "差距"]
    assert [table.cell(i, 3).text for i in range(1, 8)] == [
        "落后",
        "落后",
        "落后",
        "达标",
        "进度正常",
        "进度正常",
        "进度正常",
    ]
    behind = next(s for s in prs.slides[6].shapes if s.has_table).table
    assert [behind.cell(i, 0).text for i in (1, 2)] == ["向阳社区", "东风社区"]


def test_every_run_names_an_east_asian_font(prs):
    runs = [
        r
        for slide in prs.slides
        for shape in slide.shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
        for r in p.runs
    ]
    assert runs
    for r in runs:
        ea = r._r.find(qn("a:rPr")).find(qn("a:ea"))
        assert ea is not None and ea.get("typeface") == "微软雅黑", r.text
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_table:
                for cell in shape.table.iter_cells():
                    rpr = cell.text_frame.paragraphs[0].runs[0]._r.find(qn("a:rPr"))
                    assert rpr.find(qn("a:ea")).get("typeface") == "微软雅黑"


def test_speaker_notes_hold_the_highlights(prs, deck):
    assert deck.highlights
    for slide in prs.slides:
        notes = slide.notes_slide.notes_text_frame.text
        assert "本月要点" in notes
        assert all(h in notes for h in deck.highlights)
    lines = texts(prs.slides[-1])[2]  # 本月要点 is the last slide
    assert lines.split("\n")[0] == f"1. {deck.highlights[0]}"


def test_speaker_notes_hold_the_definitions_of_the_slides_indicators(prs, deck):
    """Each slide's notes carry the 口径 of its indicators, word for word as spec.INDICATORS (and so as the
    cards' hover text and the README) has them."""
    from dashboard import explain, spec

    by_key = [s.key for s in deck.slides]
    assert set(by_key) - {"highlights"} <= set(explain.SLIDE_INDICATORS)  # every figure slide is explained
    for slide, key in zip(prs.slides, by_key, strict=True):
        notes = slide.notes_slide.notes_text_frame.text
        codes = explain.SLIDE_INDICATORS.get(key, ())
        for code in codes:
            indicator = spec.INDICATORS[code]
            assert f"口径 · {indicator.name}（{indicator.shown_code}）" in notes, (key, code)
            assert all(line in notes for line in indicator.lines()), (key, code)
        if key == "highlights":
            assert "口径 ·" not in notes
    assert explain.SLIDE_INDICATORS["union"] == ("U1", "U2", "U3")  # slide 2 explains the three it shows
    assert (
        "分母：正常经营、职工人数25人及以上的企业数"
        in prs.slides[by_key.index("union")].notes_slide.notes_text_frame.text
    )


def test_speaker_notes_say_when_each_ledger_was_last_imported(street):
    """The 口径 in the notes ends with the last import of the indicator's ledgers (under the reader's scope),
    as the cards' hover text does: a leader must know how fresh the ledgers behind a slide are."""
    street.execute("update import_batches set imported_at = timestamp '2026-03-05 10:12:00'")
    street.execute(
        "update import_batches set imported_at = timestamp '2026-04-01 08:30:00'"
        " where list_contains(ledgers, 'disputes')"
    )
    deck = meeting.meeting_deck(street.cursor(), meeting_facts.month_filters(2026, 3, today=TODAY), load_settings())
    prs = Presentation(io.BytesIO(report.pptx_bytes(deck)))
    by_key = {s.key: slide for s, slide in zip(deck.slides, prs.slides, strict=True)}
    union = by_key["union"].notes_slide.notes_text_frame.text
    assert union.count("最近导入：企业名录及建会台账 2026-03-05 10:12") == 3  # U1, U2, U3 each say it
    dispute = by_key["dispute"].notes_slide.notes_text_frame.text
    assert "最近导入：劳动争议调解台账 2026-04-01 08:30" in dispute
    assert "最近导入" not in by_key["highlights"].notes_slide.notes_text_frame.text


def test_cli_writes_the_deck(street, tmp_path, capsys):
    street.close()
    out = tmp_path / "例会.pptx"
    db_file = tmp_path / "test.duckdb"
    assert main(["report", "--year", "2026", "--month", "3", "--db", str(db_file), "--out", str(out)]) == 0
    assert len(Presentation(str(out)).slides) == 10
    assert "已生成" in capsys.readouterr().out


def test_cli_rejects_a_month_out_of_range(tmp_path):
    with pytest.raises(SystemExit):
        main(["report", "--year", "2026", "--month", "13", "--out", str(tmp_path / "x.pptx")])


def test_cli_reports_an_unwritable_path(street, tmp_path, capsys):
    street.close()
    out = tmp_path / "没有这个目录" / "x.pptx"
    assert (
        main(["report", "--year", "2026", "--month", "3", "--db", str(tmp_path / "test.duckdb"), "--out", str(out)])
        == 2
    )
    assert "无法写入文件" in capsys.readouterr().err
