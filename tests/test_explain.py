"""口径说明: each indicator's definition (spec.INDICATORS), when its ledgers were last imported, and the
same text on the KPI cards (AppTest), in the PowerPoint's notes and in the README."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import db, explain, spec
from dashboard.config import load_settings
from dashboard.filters import Filters
from tests.conftest import add_batch, connect_copy
from tests.small_street import build_small_street

ROOT = Path(__file__).resolve().parent.parent


def _ent(community, name):
    return {"community": community, "name": name, "status": "正常经营", "employees": 30, "union_status": "未建会"}


def _at(con, batch_id, when):
    con.execute("update import_batches set imported_at = ? where batch_id = ?", [when, batch_id])


def test_latest_import_by_ledger(tmp_path):
    with connect_copy(tmp_path / "t.duckdb") as con:
        # 东风 enterprises on 1 March, 向阳 enterprises on 5 March, an undone batch on 9 March, aid 东风 2 March
        _at(con, add_batch(con, "enterprises", [_ent("东风社区", "甲")]), datetime(2026, 3, 1, 9, 0))
        _at(con, add_batch(con, "enterprises", [_ent("向阳社区", "乙")]), datetime(2026, 3, 5, 10, 12))
        undone = add_batch(con, "enterprises", [_ent("东风社区", "丙")], status="undone")
        _at(con, undone, datetime(2026, 3, 9))
        aid = {"community": "东风社区", "recipient": "张三", "campaign": "冬送温暖", "given_on": date(2026, 1, 5)}
        _at(con, add_batch(con, "aid", [aid]), datetime(2026, 3, 2, 8, 30))
        settings = load_settings()
        street = Filters(year=2026, as_of=date(2026, 6, 30))
        got = explain.last_imports(explain.latest_import_by_ledger(con.cursor(), street, settings))
        # the whole street: the latest active batch of each ledger (the undone 9 March one does not count)
        assert got == {"aid": datetime(2026, 3, 2, 8, 30), "enterprises": datetime(2026, 3, 5, 10, 12)}
        dongfeng = Filters(year=2026, as_of=date(2026, 6, 30), communities=("东风社区",))
        got = explain.last_imports(explain.latest_import_by_ledger(con.cursor(), dongfeng, settings))
        assert got == {"aid": datetime(2026, 3, 2, 8, 30), "enterprises": datetime(2026, 3, 1, 9, 0)}  # its own


def test_help_text_has_the_definition_and_each_ledgers_import():
    text = explain.help_text("W1", {"enterprises": datetime(2026, 3, 5, 10, 12)})
    w1 = spec.INDICATORS["W1"]
    assert text.startswith("**建会企业工资集体协商签约率（W1）**")
    assert f"分子：{w1.numerator}" in text and f"分母：{w1.denominator}" in text and f"规则：{w1.rule}" in text
    assert "来源台账：企业名录及建会台账、工资集体协商台账" in text
    # one line per ledger: the one imported with its time, the other not yet
    assert text.endswith("最近导入：企业名录及建会台账 2026-03-05 10:12；工资集体协商台账 尚未导入")


def test_the_target_in_force_is_said_beside_the_plans_rule():
    # settings may set another target than the plan's: the card says which one counts this year
    assert "本年目标：≥95%" in explain.help_text("U1", {}, 0.95)
    assert "本年目标：每社区每年不少于 5 家" in explain.help_text("W2", {}, 5)
    assert "本年目标" not in explain.help_text("D1", {}, None)


def test_open_and_overdue_cases_are_explained_from_spec_with_their_import():
    """全部未结 / 超期 / 本年受理未结 are indicators like the others: the same definition and import line."""
    when = {"disputes": datetime(2026, 4, 1, 8, 30)}
    text = explain.help_text("D1.open_all", when, None, ("D1.overdue",))
    assert text.startswith(f"**{spec.OPEN_ALL}（D1）**")
    assert f"计数：{spec.INDICATORS['D1.overdue'].numerator}" in text
    assert text.endswith("最近导入：劳动争议调解台账 2026-04-01 08:30")  # once, the one ledger
    assert text.count("最近导入") == 1
    assert explain.help_text("D1.open_this_year", {}).endswith("劳动争议调解台账 尚未导入")


def test_a_count_has_no_denominator():
    text = explain.help_text("U3", {})
    assert "计数：" in text and "分母" not in text


def test_every_indicator_has_its_query_and_a_full_definition():
    for code, indicator in spec.INDICATORS.items():
        assert (ROOT / "queries" / f"{indicator.query}.sql").exists(), code
        assert indicator.numerator and indicator.rule and indicator.ledgers, code
        assert indicator.code == code


# ---- the cards show it --------------------------------------------------------------------------------

# page -> the indicators whose cards it shows (label words that name the card)
PAGES = {
    "overview.py": {"U1", "U2", "W1", "H1", "U3", "W2", "H2", "A1", "D1", "D1.success", "D1.open_this_year"},
    "unionization.py": {"U1", "U2", "U3"},
    "wages.py": {"W1", "W2", "W3"},
    "harmonious.py": {"H1", "H2"},
    "aid.py": {"A1"},
    "disputes.py": {"D1", "D1.success", "D1.open_all"},
    "community.py": {"U1", "U2", "W1", "H1", "U3", "W2", "H2", "A1", "D1", "D1.open_all"},
    "submissions.py": {"S1"},
}


def _card_code(label: str) -> str | None:
    """The indicator a card's label names: '…（U1）', 'U3 新增建会·未完成社区', 调解成功率, 帮扶, 受理."""
    if "预测" in label:  # a projection card: its own explanation (PROJECTION_DEFINITION)
        return None
    if label == "有逾期台账的社区":
        return "S1"
    if label.startswith(spec.OPEN_ALL):  # 全部未结（含往年）, its small print 其中超期
        return "D1.open_all"
    if label == spec.OPEN_THIS_YEAR:
        return "D1.open_this_year"
    found = re.search(r"\b([UWHAD]\d)\b", label)
    if "调解成功率" in label:
        return "D1.success"
    if found:
        return found.group(1)
    if label.startswith(("帮扶人次", "帮扶人数", "发放金额", "人均金额")):
        return "A1"
    if label in ("本年受理", "本年受理（件）", "集体争议"):
        return "D1"
    return None


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_kpi_card_shows_its_definition_from_spec(small_db, page):
    at = AppTest.from_file(str(ROOT / "app_pages" / page), default_timeout=60)
    at.query_params["year"] = "2026"
    at.query_params["as_of"] = "2026-06-30"
    at.run()
    assert not at.exception
    settings = load_settings()
    with db.connect(small_db) as con:
        imports = explain.last_imports(
            explain.latest_import_by_ledger(con.cursor(), Filters(year=2026, as_of=date(2026, 6, 30)), settings)
        )
    seen = set()
    for metric in at.metric:
        code = _card_code(metric.label)
        if code is None:
            continue
        if page == "community.py":  # the cards of the community chosen: its own imports
            assert metric.help.startswith(explain.definition(code)), metric.label
        elif code == "D1.open_all":  # 全部未结 with 其中超期 and 本年受理未结 under it: all three defined
            also = ("D1.overdue", "D1.open_this_year")
            assert metric.help == explain.help_text(code, imports, None, also), metric.label
        else:
            target = settings.target(code, 2026) if code in (*explain.RATE_TARGETS, *explain.COUNT_TARGETS) else None
            assert metric.help == explain.help_text(code, imports, target), metric.label
        assert "最近导入：" in metric.help
        seen.add(code)
    assert seen == PAGES[page]


def test_every_plan_duty_shows_its_definition_from_spec(small_db):
    from dashboard import plan

    at = AppTest.from_file(str(ROOT / "app_pages" / "plan.py"), default_timeout=60)
    at.query_params["year"] = "2026"
    at.query_params["as_of"] = "2026-06-30"
    at.run()
    assert not at.exception
    settings = load_settings()
    filters = Filters(year=2026, as_of=date(2026, 6, 30))
    with db.connect(small_db) as con:
        imports = explain.last_imports(explain.latest_import_by_ledger(con.cursor(), filters, settings))
        measures = plan.all_measures(con.cursor(), filters, settings)
    helps: dict[str, list[str]] = {}
    for metric in at.metric:  # two duties may count under one word (活动次数): keep every card's text
        helps.setdefault(metric.label, []).append(metric.help)
    assert measures
    for m in measures:  # each duty's measure card: its 口径 (the duty's own entry in spec.INDICATORS)
        assert m.id in spec.INDICATORS
        assert explain.help_text(m.id, imports) in helps[m.measure], m.id


# ---- the README says the same -----------------------------------------------------------------------


def test_readme_table_is_the_spec():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    begin, end = explain.README_BEGIN, explain.README_END
    assert begin in readme and end in readme, "README has no 口径说明 table: run scripts/indicator_table.py"
    shown = readme.split(begin, 1)[1].split(end, 1)[0].strip()
    assert shown == explain.readme_table(), (
        "README's 口径说明 differs from spec.INDICATORS: run scripts/indicator_table.py"
    )
    for indicator in spec.INDICATORS.values():  # each indicator's own words are in it, not a summary
        assert indicator.rule.replace("|", "\\|") in shown and indicator.numerator in shown


def test_meeting_slides_show_the_definitions_on_hovering_the_title(tmp_path):
    from html import escape

    from dashboard import meeting, meeting_facts
    from dashboard.ui.slides import slide_html

    with connect_copy(tmp_path / "t.duckdb", build_small_street) as con:
        deck = meeting.meeting_deck(
            con.cursor(), meeting_facts.month_filters(2026, 3, today=date(2026, 11, 1)), load_settings()
        )
    for i, s in enumerate(deck.slides):
        html = slide_html(deck, i)
        codes = explain.SLIDE_INDICATORS.get(s.key)
        if codes and not s.empty:
            assert f'<h1 title="{escape(explain.notes_text(list(codes), deck.imports))}">' in html, s.key
            assert "最近导入：" in explain.notes_text(list(codes), deck.imports)
        else:
            assert "<h1>" in html, s.key
