"""A community cadre's pages under AppTest (logged in through the form, as tests/test_roles_matrix.py does):
her rank and the street's figure are the street's, not hers compared with herself, and every caption and
title says it covers her community. Figures of tests/small_street.py (2026, as-of 30 June), worked out in
tests/test_benchmarks.py: 东风 U1 1/4 is 2nd of 2, street 3/7 = 42.9 %; 考核评比 东风 53.3 first, 向阳 47.8
second of two."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth, scope
from tests.conftest import database_copy
from tests.small_street import C1, C2, build_small_street

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a-long-password"


def build_cadres_street(con) -> None:
    """The small street with both communities' cadres and a leader."""
    build_small_street(con)
    auth.add_user(con, "dongfeng", PASSWORD, auth.CADRE, C1)
    auth.add_user(con, "xiangyang", PASSWORD, auth.CADRE, C2)
    auth.add_user(con, "leader", PASSWORD, auth.LEADER)


@pytest.fixture
def accounts_db(tmp_path, monkeypatch):
    path = database_copy(tmp_path / "cadres.duckdb", build_cadres_street)
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(path))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    yield path
    scope.enforce(False)  # the login gate turned enforcement on for this process


def login(name: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["year"] = "2026"
    at.query_params["as_of"] = "2026-06-30"
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    at.text_input(key="login_user").input(name)
    at.text_input(key="login_password").input(PASSWORD)
    at.button(key="login_submit").click().run()
    assert not at.exception
    return at


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def every_text(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "title", "subheader") for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [df.value.astype(str).to_string() for df in at.dataframe]
    return " ".join(parts)


def test_community_profile_of_a_cadre_ranks_her_among_the_street(accounts_db):
    at = login("dongfeng")
    at.switch_page("app_pages/community.py").run()
    assert not at.exception
    assert at.selectbox(key="community_pick").value == C1
    text = captions(at)
    assert "在 2 个社区中排第 2 · 全街道 42.9%" in text, text  # U1; before: 在 1 个社区中排第 1 · 全街道 25.0%
    assert "在 1 个社区中排第 1" not in text
    assert "其他社区的数值和名单不向社区账号显示" in text
    assert not at.get("plotly_chart")  # no chart of 各社区 holding her bar alone
    assert C2 not in every_text(at)


def test_assessment_of_a_cadre_shows_her_real_rank_only(accounts_db):
    at = login("xiangyang")
    at.switch_page("app_pages/assessment.py").run()
    assert not at.exception
    values = {m.label: m.value for m in at.metric}
    assert values == {"本社区得分": "47.77", "全街道名次": "第2名/共2个社区"}  # before: first of one
    table = at.dataframe[0].value
    assert table["社区"].tolist() == [C2] and table["名次"].tolist() == [2]
    # her lines only: the selector offers her community alone; the lines add up to her 47.77
    assert at.selectbox(key="assess_lines_community").options == [C2]
    lines = at.dataframe[1].value
    assert round(lines["得分贡献"].sum(), 2) == 47.77 and "社区" not in lines.columns
    text = every_text(at)
    assert C1 not in text and "53.31" not in text  # 东风社区's name and score stay hers
    assert f"{C2} · 统计截止 2026-06-30" in captions(at)


def test_assessment_of_the_leader_is_unchanged(accounts_db):
    at = login("leader")
    at.switch_page("app_pages/assessment.py").run()
    assert not at.exception
    assert not at.metric
    table = at.dataframe[0].value
    assert table["社区"].tolist() == [C1, C2] and table["名次"].tolist() == [1, 2]


def test_aid_caption_names_the_cadres_community(accounts_db):
    at = login("dongfeng")
    at.switch_page("app_pages/aid.py").run()
    assert not at.exception
    text = captions(at)
    assert f"统计截止 2026-06-30 · {C1} · 去年同期" in text, text  # before: · 全部社区 ·
    assert "全部社区" not in text
    assert at.selectbox(key="aid_drill_community").options[0] == C1  # the drill-down's 不限 option


def test_aid_caption_of_the_leader_still_says_every_community(accounts_db):
    at = login("leader")
    at.switch_page("app_pages/aid.py").run()
    assert "统计截止 2026-06-30 · 全部社区 · 去年同期" in captions(at)


def slide(at: AppTest) -> str:
    return " ".join(str(h.proto.body) for h in at.get("html") if 'class="ms"' in str(h.proto.body))


def test_meeting_deck_of_a_cadre_is_titled_with_her_community(accounts_db):
    at = login("dongfeng", month="3")
    at.switch_page("app_pages/meeting.py").run()
    assert not at.exception
    html = slide(at)
    assert f"{C1} · 2026年3月 · 目标完成情况" in html  # before: 2026年3月 · 目标完成情况 under the street alone
    assert f"示例街道 {C1} · 2026年3月" in html
    at = login("leader", month="3")
    at.switch_page("app_pages/meeting.py").run()
    html = slide(at)
    assert "示例街道 · 2026年3月" in html and f"{C1} · 2026年3月 · 目标完成情况" not in html
