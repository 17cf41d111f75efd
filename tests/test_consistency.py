"""One name, one number: a figure shown on more than one surface shows the same value under the same
label for the same filters, over the sample street the app imports on first start (data/sample/).

Every surface is read the way its user meets it: the pages under AppTest (their st.metric cards and the
line under each), the deck that 会议模式 draws (dashboard.meeting.meeting_deck), the PowerPoint's text
through python-pptx, the Excel pack through openpyxl, and `python -m dashboard metrics --json`.

Labels are compared as shown, less a trailing indicator code or unit (「本年受理（件）」 is 「本年受理」, a
leading 其中 is dropped); values less spaces, thousands separators and a trailing unit. The names of
dashboard.spec (本年受理未结, 全部未结（含往年）, 超期) and the four rates are also read out of running
text where a number follows them: the lines under the cards, the meeting's 本月要点, the speaker notes.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from dashboard import config, db, meeting, meeting_facts, pack, report, spec
from dashboard.__main__ import main as cli
from dashboard.filters import Filters
from dashboard.formatting import fmt_gap, fmt_pct
from dashboard.metrics import COUNT_LABELS, RATE_LABELS
from tests.conftest import sample_copy

ROOT = Path(__file__).resolve().parent.parent
YEAR, MONTH, AS_OF = 2026, 10, date(2026, 10, 31)  # the October meeting: every surface at 31 October
TODAY = date(2026, 11, 20)  # the sample street's today (October is over)
COMMUNITY, INDUSTRY = "东风社区", "制造业"

# filter set -> the filter bar's URL parameters
FILTER_SETS = {"街道": {}, COMMUNITY: {"c": COMMUNITY}, INDUSTRY: {"ind": INDUSTRY}}
PAGES = {
    "总览": "app_pages/overview.py",
    "组建工会": "app_pages/unionization.py",
    "集体协商": "app_pages/wages.py",
    "和谐企业": "app_pages/harmonious.py",
    "帮扶救助": "app_pages/aid.py",
    "劳动争议": "app_pages/disputes.py",
}
RATE_PAGE = {"U1": "组建工会", "U2": "组建工会", "W1": "集体协商", "H1": "和谐企业"}
COUNT_PAGE = {"U3": "组建工会", "H2": "和谐企业"}  # W2's total is not a card of 集体协商
GAP = "·距目标"  # a rate's gap: '还差 6 家' or '已达标'
RUNNING_TEXT_NAMES = (spec.OPEN_THIS_YEAR, spec.OPEN_ALL, spec.OVERDUE, *RATE_LABELS.values())

CODE_SUFFIX = re.compile(r"（(?:U1|U2|U3|W1|W2|W3|H1|H2|A1|D1)）$")
UNIT_SUFFIX = re.compile(r"（(?:件|家|天|人次|人|元|个|份)）$")
VALUE_UNIT = re.compile(r"(?:人次|件|家|个|份|人|元)$")


def label_of(text: str, context: str = "") -> str:
    """The label compared: '其中超期' is 超期; any other '其中…' ('其中本月') is part of the figure before it,
    so it is named with its slide ('组建工会·其中本月')."""
    text = UNIT_SUFFIX.sub("", CODE_SUFFIX.sub("", text.strip()))
    if text.startswith("其中"):
        return text.removeprefix("其中") if text.removeprefix("其中") in RUNNING_TEXT_NAMES else f"{context}·{text}"
    return text


def value_of(text) -> str:
    return VALUE_UNIT.sub("", re.sub(r"[\s,]", "", str(text)))


def gap_of(text: str) -> str | None:
    m = re.search(r"还差\s*([\d,]+)\s*家|已达标", text)  # counts carry thousands separators (1,234)
    return None if m is None else (f"还差{m.group(1).replace(',', '')}" if m.group(1) else "已达标")


class Facts:
    """label -> the values a surface shows under it."""

    def __init__(self):
        self.values: dict[str, set[str]] = defaultdict(set)

    def add(self, label: str, value, context: str = "") -> None:
        self.values[label_of(label, context)].add(value_of(value))

    def add_gap(self, label: str, text: str) -> None:
        if label_of(label) in RATE_LABELS.values() and (gap := gap_of(text)):
            self.values[label_of(label) + GAP].add(gap)

    def scan(self, text: str) -> None:
        """The names of dashboard.spec in running text, each followed by its number."""
        for name in RUNNING_TEXT_NAMES:
            pattern = re.escape(name) + r"\s*(?:（[^）]*）)?\s*(\d[\d,]*(?:\.\d+)?%?)"
            for m in re.finditer(pattern, text):
                self.add(name, m.group(1))


# ---- the surfaces ------------------------------------------------------------------------------------


def _elements(node):
    children = getattr(node, "children", None)
    if children is None:
        yield node
        return
    for key in sorted(children):
        yield from _elements(children[key])


def page_facts(page: str, query: dict) -> Facts:
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    for key, value in {"year": str(YEAR), "as_of": AS_OF.isoformat(), **query}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, (page, at.exception)
    facts, last_metric = Facts(), None
    for el in _elements(at._tree):
        if el.type == "metric":
            facts.add(el.label, el.value)
            last_metric = el.label
        elif el.type in ("markdown", "caption", "warning", "info"):
            text = re.sub(r"<[^>]+>", "", str(el.value))
            facts.scan(text)
            if last_metric and "kpi-sub" in str(el.value):
                facts.add_gap(last_metric, text)
                last_metric = None
    return facts


def deck_facts(deck: meeting.Deck) -> Facts:
    facts = Facts()
    for s in deck.slides:
        for fig in ([s.headline] if s.headline else []) + s.figures:
            facts.add(fig.label, fig.value, s.title)
        if s.headline:
            facts.add_gap(s.headline.label, s.note)
        if s.key == "scorecard" and s.table is not None:
            for row in s.table.to_dict("records"):
                facts.add(row["指标"], row["当前"])
                facts.add_gap(row["指标"], row["差距"])
        for line in s.lines:
            facts.scan(line)
    return facts


def pptx_facts(data: bytes, deck: meeting.Deck) -> Facts:
    """A figure is a text box holding its label followed by the box holding its value; the scorecard is a
    table; the speaker notes say 'label：value'."""
    known = {fig.label for s in deck.slides for fig in ([s.headline] if s.headline else []) + s.figures}
    facts = Facts()
    for slide in Presentation(io.BytesIO(data)).slides:
        texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        for i, text in enumerate(texts):
            facts.scan(text)
            if text in known and i + 1 < len(texts):
                facts.add(text, texts[i + 1], texts[0])
                if i + 2 < len(texts):
                    facts.add_gap(text, texts[i + 2])
        for shape in slide.shapes:
            if shape.has_table:
                rows = [[cell.text for cell in row.cells] for row in shape.table.rows]
                if rows and "指标" in rows[0] and "当前" in rows[0]:
                    for row in rows[1:]:
                        record = dict(zip(rows[0], row, strict=True))
                        facts.add(record["指标"], record["当前"])
                        facts.add_gap(record["指标"], record["差距"])
        notes = slide.notes_slide.notes_text_frame.text.split("\n")  # the slide's title first
        for line in notes:
            facts.scan(line)
            label, sep, rest = line.partition("：")
            if sep and label in known:
                facts.add(label, rest.split("\u3000")[0], notes[0])
    return facts


def pack_facts(data: bytes) -> Facts:
    facts = Facts()
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    rows = list(wb["1目标完成情况"].values)
    for row in rows[1:]:
        record = dict(zip(rows[0], row, strict=True))
        facts.add(record["指标"], record["当前"])
        facts.add_gap(record["指标"], record["差距"])
    for row in list(wb["10本月要点"].values)[1:]:
        facts.scan(str(row[1]))
    return facts


def cli_facts(path: Path) -> Facts:
    """The JSON's keys under the names the pages give them."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli(["metrics", "--year", str(YEAR), "--as-of", AS_OF.isoformat(), "--db", str(path), "--json"]) == 0
    data = json.loads(out.getvalue())
    facts = Facts()
    for code, label in RATE_LABELS.items():
        r = data[code]
        facts.add(label, fmt_pct(r["numerator"] / r["denominator"] if r["denominator"] else None))
        facts.values[label + GAP].add(value_of(fmt_gap(r["gap"])))
    for code, label in COUNT_LABELS.items():
        facts.add(label, sum(data[code].values()))
    d1 = data["D1"]
    facts.add("本年受理", d1["cases"])
    facts.add("集体争议", d1["collective"])
    facts.add("调解成功率", fmt_pct(d1["success"] / d1["closed"] if d1["closed"] else None))
    if "open_this_year" in d1:
        facts.add(spec.OPEN_THIS_YEAR, d1["open_this_year"])
    return facts


@pytest.fixture(scope="module")
def sample_path(tmp_path_factory, sample_template):
    path = sample_copy(sample_template, tmp_path_factory.mktemp("consistency") / "sample.duckdb")
    mp = pytest.MonkeyPatch()
    mp.setenv("UNION_DASHBOARD_ARCHIVE", str(path.parent / "archive"))
    mp.setenv("UNION_DASHBOARD_DB", str(path))
    mp.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    try:
        yield path
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def surfaces(sample_path):
    """Filter set -> surface -> Facts, each surface read once."""
    cache: dict[str, dict[str, Facts]] = {}

    def read(name: str) -> dict[str, Facts]:
        if name in cache:
            return cache[name]
        query = FILTER_SETS[name]
        out = {surface: page_facts(page, query) for surface, page in PAGES.items()}
        if "c" in query:
            out["社区画像"] = page_facts("app_pages/community.py", {**query, "community": query["c"]})
        base = Filters(
            year=YEAR,
            communities=(query["c"],) if "c" in query else None,
            industries=(query["ind"],) if "ind" in query else None,
        )
        filters = meeting_facts.month_filters(YEAR, MONTH, base, today=TODAY)
        assert filters.as_of_date == AS_OF
        with db.connect(sample_path) as con:
            deck = meeting.meeting_deck(con.cursor(), filters, config.load_settings())
        out["会议模式"] = deck_facts(deck)
        out["PPTX"] = pptx_facts(report.pptx_bytes(deck), deck)
        out["Excel数据包"] = pack_facts(pack.meeting_pack_bytes(deck))
        if not query:  # the CLI has no filters but the year and the as-of date
            out["CLI JSON"] = cli_facts(sample_path)
        cache[name] = out
        return out

    return read


def expected_surfaces(filter_set: str) -> dict[str, set[str]]:
    """Where each figure must be found (so a renamed label cannot slip out of the comparison)."""
    deck = {"会议模式", "PPTX", "Excel数据包"}
    cli = {"CLI JSON"} if not FILTER_SETS[filter_set] else set()
    profile = {"社区画像"} if "c" in FILTER_SETS[filter_set] else set()
    out = {}
    for code, label in RATE_LABELS.items():
        out[label] = {"总览", RATE_PAGE[code], *deck, *cli, *profile}
        out[label + GAP] = {"总览", RATE_PAGE[code], *deck, *cli, *profile}
    for code, label in COUNT_LABELS.items():
        out[label] = {COUNT_PAGE[code], *cli, *profile} if code in COUNT_PAGE else {*cli, *profile}
    out["本年受理"] = {"总览", "劳动争议", "会议模式", "PPTX", *cli, *profile}
    out["调解成功率"] = {"总览", "劳动争议", "会议模式", "PPTX", *cli}
    out["集体争议"] = {"总览", *cli}
    out["帮扶人次"] = {"总览", "帮扶救助", *profile}
    out[spec.OPEN_THIS_YEAR] = {"总览", "劳动争议", *cli}
    out[spec.OPEN_ALL] = {"劳动争议", *deck, *profile}
    out[spec.OVERDUE] = {"劳动争议", *deck, *profile}
    return {label: where for label, where in out.items() if len(where) > 1}


@pytest.mark.parametrize("filter_set", list(FILTER_SETS))
def test_same_label_same_value(surfaces, filter_set):
    shown: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for surface, facts in surfaces(filter_set).items():
        for label, values in facts.values.items():
            shown[label][surface] = values
    disagree = {
        label: {surface: sorted(values) for surface, values in by_surface.items()}
        for label, by_surface in shown.items()
        if len(set().union(*by_surface.values())) > 1
    }
    assert not disagree, f"{filter_set}: one label, several numbers: {disagree}"


@pytest.mark.parametrize("filter_set", list(FILTER_SETS))
def test_each_figure_is_on_every_surface_that_shows_it(surfaces, filter_set):
    found = surfaces(filter_set)
    missing = {
        label: sorted(surface for surface in where if label not in found[surface].values)
        for label, where in expected_surfaces(filter_set).items()
    }
    assert not {k: v for k, v in missing.items() if v}, f"{filter_set}: not found under its name: {missing}"
