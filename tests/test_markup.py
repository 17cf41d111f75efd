"""Names from users and ledgers are shown as text, never as Markdown or HTML (issue 16 item 5).

Streamlit renders Markdown (with links, inline HTML and LaTeX) in st.markdown, captions, alerts,
headings and widget labels, so a file named "[点此重新登录](http://…) .xlsx" used to show as a
clickable link on 数据管理. The pages below run under AppTest over a street whose community,
enterprises, people and file names are written as Markdown and HTML (tests/markup_fixture.py); every
text they render must hold those names escaped.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from dashboard import charts, db, meeting, meeting_facts
from dashboard.config import load_settings
from dashboard.ledgers import load
from dashboard.ui.data_widgets import TEST_UPLOADS
from dashboard.ui.slides import slide_html
from dashboard.ui.text import html, md
from tests.conftest import app_database
from tests.markup_fixture import (
    BOLD,
    COMMUNITY,
    ENTERPRISES,
    LINK,
    MATH,
    PHISH_FILE,
    TAG,
    assert_no_live_markup,
    build_marked_street,
    live_markup,
)

ROOT = Path(__file__).resolve().parent.parent
AS_OF = {"year": "2026", "as_of": "2026-06-30"}


# ---- the helpers -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [LINK, PHISH_FILE, BOLD, TAG, MATH, "请到 http://x.cn 登录"])
def test_md_leaves_nothing_live(name):
    assert live_markup(name)  # the check can fail
    assert not live_markup(md(name))


def test_md_escapes_only_what_markdown_reads():
    assert md("[点此](http://x)") == r"\[点此\]\(http\://x\)"
    assert md("**粗**") == r"\*\*粗\*\*"
    assert md("<b>x</b>") == r"\<b\>x\</b\>"
    assert md("$x$") == r"\$x\$"
    assert md("# 标题") == r"\# 标题" and md("- 一项") == r"\- 一项" and md("1. 公司") == r"1\. 公司"
    assert md("http://x.cn") == r"http\://x.cn" and md("www.x.cn") == r"www\.x.cn"  # GFM links bare URLs
    assert md("批次 #3") == "批次 #3"  # mid-line a # is text
    assert md("东风社区（副本）") == "东风社区（副本）"  # Chinese punctuation is never special
    assert md("第一行\n# 第二行") == "第一行 # 第二行"  # one line: the # is mid-line, no heading
    assert md(None) == ""


def test_html_escapes_tags_and_quotes():
    assert html("<b>x</b> & 'a'") == "&lt;b&gt;x&lt;/b&gt; &amp; &#x27;a&#x27;"


def test_chart_titles_and_categories_are_text_and_clicks_give_the_name_back():
    import pandas as pd

    frame = pd.DataFrame({"community": [COMMUNITY, "<a href='http://x'>点此</a>"], "count": [1, 3]})
    fig = charts.count_by_community_bar(frame, 2, f"{TAG}（家）")
    assert fig.layout.title.text == "&lt;b&gt;x&lt;/b&gt;（家）"
    shown = list(fig.data[0].y)
    assert "&lt;a href='http://x'&gt;点此&lt;/a&gt;" in shown and COMMUNITY in shown
    assert not any("<" in str(v) for v in shown)
    assert [charts.plot_value(v) for v in shown] == list(frame.sort_values("count")["community"])
    assert list(fig.data[0].customdata[:, 0]) == list(frame.sort_values("count")["community"])
    plain = charts.count_by_community_bar(frame.assign(community=["东风社区", "向阳社区"]), 2, "新增（家）")
    assert list(plain.data[0].y) == ["东风社区", "向阳社区"]  # names without markup are untouched


# ---- 数据管理 --------------------------------------------------------------------------------------


def _workbook(rows: list[list], sheet: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(["东风社区企业建会情况台账"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# Excel refuses [ ] * / in sheet names; < > $ it takes
SHEET = "$x$ <b>x<b>"
FILE = _workbook(
    [
        ["序号", "社区", "企业名称", "职工人数（人）", "建会情况"],
        [1, COMMUNITY, ENTERPRISES["todo"], 30, "否"],
        [2, COMMUNITY, ENTERPRISES["new_union"], "很多", "是"],  # rejected: its problem names the sheet
    ],
    SHEET,
)


@pytest.fixture
def data_env(tmp_path, monkeypatch):
    path = tmp_path / "page.duckdb"
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(path))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    monkeypatch.setenv(load.ARCHIVE_ENV, str(tmp_path / "archive"))
    return path


def _data_page(files) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages" / "data.py"), default_timeout=60)
    at.session_state[TEST_UPLOADS] = files
    return at.run()


def test_data_page_preview_commit_and_undo_show_names_as_text(data_env):
    at = _data_page([(PHISH_FILE, FILE)])
    assert not at.exception
    assert at.subheader[0].value == md(PHISH_FILE)  # the file's heading: its name, not a link
    assert_no_live_markup(at, expect=(md(PHISH_FILE), md(COMMUNITY)))

    at.button(key=next(b.key for b in at.button if b.key.startswith("data_commit_"))).click().run()
    assert not at.exception
    assert any("已导入批次 #1" in s.value for s in at.success)
    assert_no_live_markup(at, expect=(md(PHISH_FILE),))

    at.checkbox(key="data_undo_sure").check().run()
    at.button(key="data_undo").click().run()
    assert not at.exception
    assert any("已撤销批次 #1" in s.value for s in at.success)
    assert_no_live_markup(at, expect=(md(PHISH_FILE),))


def test_data_page_unreadable_and_unrecognised_files_show_names_as_text(data_env):
    unknown = _workbook([["序号", "企业名称", "统一社会信用代码", "人数"], [1, ENTERPRISES["todo"], None, 30]], SHEET)
    at = _data_page([(PHISH_FILE, b"not a spreadsheet"), (f"{TAG}.xlsx", unknown)])
    assert not at.exception
    assert at.error  # the unreadable file and the unrecognised sheet
    assert_no_live_markup(at, expect=(md(PHISH_FILE), md(f"{TAG}.xlsx"), md(SHEET)))


# ---- the topic pages -------------------------------------------------------------------------------


@pytest.fixture
def marked_db(tmp_path, monkeypatch):
    return app_database(tmp_path / "marked.duckdb", build_marked_street, monkeypatch)


def _page(name: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages" / f"{name}.py"), default_timeout=90)
    for key, value in {**AS_OF, **params}.items():
        at.query_params[key] = value
    return at.run()


@pytest.mark.parametrize(
    ("page", "params", "expect"),
    [
        ("overview", {"c": COMMUNITY}, (md(COMMUNITY),)),
        ("community", {"community": COMMUNITY}, (md(COMMUNITY),)),
        ("unionization", {"c": COMMUNITY}, (md(COMMUNITY),)),
        ("wages", {"c": COMMUNITY}, (md(COMMUNITY),)),
        ("harmonious", {"c": COMMUNITY}, (md(COMMUNITY),)),
        ("disputes", {}, (md(ENTERPRISES["dispute"]),)),  # the collective dispute's warning
        ("aid", {"c": COMMUNITY}, (md(COMMUNITY),)),
    ],
)
def test_topic_pages_show_names_as_text(marked_db, page, params, expect):
    at = _page(page, **params)
    assert not at.exception, at.exception
    assert_no_live_markup(at, expect=expect)


def test_enterprise_search_and_profile_show_names_as_text(marked_db):
    with db.connect(marked_db) as con:
        key = con.execute("select enterprise_key from v_enterprises where name = ?", [ENTERPRISES["status"]]).fetchone()
    at = _page("enterprise", ent=key[0])
    assert not at.exception
    assert_no_live_markup(at, expect=(md(ENTERPRISES["status"]), f"<div class='profile-value'>{html(TAG)}</div>"))
    at.text_input(key="ent_search").input(LINK).run()  # found nothing: the search text is echoed
    assert not at.exception
    assert_no_live_markup(at, expect=(md(LINK),))


def test_meeting_slides_show_names_as_text(marked_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)  # the page links back to the overview
    for key, value in {"year": "2026", "month": "6"}.items():
        at.query_params[key] = value
    at = at.run().switch_page("app_pages/meeting.py").run()
    assert not at.exception
    assert_no_live_markup(at)
    with db.connect(marked_db) as con:
        deck = meeting.meeting_deck(con.cursor(), meeting_facts.month_filters(2026, 6), load_settings())
    slides = [slide_html(deck, i) for i in range(len(deck.slides))]
    assert not [s for s in slides if live_markup(s, html_block=True)]
    assert any(html(COMMUNITY) in s for s in slides)  # the community is on a slide, as text
