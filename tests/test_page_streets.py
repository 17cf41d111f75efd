"""The pages with two streets loaded (tests/two_streets.py), under AppTest through the login form: a 街道领导
walks every page she may open and never reads 河西街道 (on screen, in a chart, in a download); the cadre of
河西街道's 东风社区 never reads 示例街道's same-named 东风社区; a 区领导 sees the street level (the 街道 filter
narrowing 社区, 各街道排名 on 总览, 考核评比 and the meeting deck) and both streets, so the checks can fail."""

import pytest

from dashboard import auth, scope
from tests.conftest import database_copy
from tests.test_roles_matrix import PASSWORD, exported, login, page_files_for, strings  # noqa: F401 (fixture)
from tests.two_streets import C1, HX, S1, S2, S2_ONLY, build_two_streets

S1_DONGFENG = {"甲一公司", "甲二公司", "丁公司", "戊公司", "向阳社区", "甲公司", "乙公司", "庚公司"}


def build_street_accounts(con) -> None:
    build_two_streets(con)
    auth.add_user(con, "district", PASSWORD, auth.DISTRICT_LEADER)
    auth.add_user(con, "s1lead", PASSWORD, auth.LEADER, street=S1)
    auth.add_user(con, "hxdf", PASSWORD, auth.CADRE, C1, street=S2)


@pytest.fixture
def streets_db(tmp_path, monkeypatch):
    path = database_copy(tmp_path / "streets.duckdb", build_street_accounts)
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(path))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    yield path
    scope.enforce(False)


def _found(texts: set[str], names: set[str]) -> set[str]:
    return {n for n in names if any(n in t for t in texts)}


def test_a_street_leader_never_reads_another_street(streets_db, exported):  # noqa: F811
    at = login("s1lead")
    assert not at.exception
    assert not [m for m in at.multiselect if m.label == "街道"]  # her data holds one street
    for page in page_files_for(auth.LEADER):
        exported.clear()
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert not _found(strings(at, exported), S2_ONLY), (page, _found(strings(at, exported), S2_ONLY))


def test_a_cadre_never_reads_the_same_named_community_of_another_street(streets_db, exported):  # noqa: F811
    at = login("hxdf")
    for page in page_files_for(auth.CADRE):
        exported.clear()
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        texts = strings(at, exported)
        assert not _found(texts, S1_DONGFENG | {HX}), (page, _found(texts, S1_DONGFENG | {HX}))
    at.switch_page("app_pages/unionization.py").run()
    assert _found(strings(at, exported), {"河西乙厂"}) == {"河西乙厂"}  # her own 应建未建 is listed: not vacuous


def test_the_district_leader_sees_the_street_level(streets_db, exported):  # noqa: F811
    at = login("district")
    assert not at.exception
    bar = {m.label: m for m in at.multiselect}
    assert bar["街道"].options == [S2, S1]  # by name
    assert C1 in bar["社区"].options and HX in bar["社区"].options and "向阳社区" in bar["社区"].options
    assert "各街道排名" in [h.value for h in at.subheader]
    assert any("东风社区在多个街道都有" in c.value for c in at.caption)  # same-named communities are named
    shown = at.dataframe[0].value if at.dataframe else None
    texts = strings(at, exported)
    assert _found(texts, {S1, S2}) == {S1, S2}
    assert "66.7%（2/3） 第1名" in texts  # 河西街道's U1, hand-worked in tests/test_street_standing.py
    assert shown is not None
    # choosing 河西街道 narrows the 社区 options to its own and the page to it
    bar["街道"].select(S2).run()
    assert not at.exception
    bar = {m.label: m for m in at.multiselect}
    assert bar["社区"].options == [C1, HX]
    assert not any("在多个街道都有" in c.value for c in at.caption)
    assert at.query_params["street"] == S2
    assert "各街道排名" not in [h.value for h in at.subheader]  # one street chosen: nothing to rank
    at.multiselect(key="f_streets").set_value([]).run()
    at.switch_page("app_pages/assessment.py").run()
    assert not at.exception
    assert "各街道排名（区级）" in [h.value for h in at.subheader]
    at.query_params["slide"] = "2"  # the second slide: 各街道排名, after the scorecard
    at.switch_page("app_pages/meeting.py").run()
    assert not at.exception
    html = " ".join(str(h.proto.body) for h in at.get("html") if 'class="ms"' in str(h.proto.body))
    assert 'data-slide="streets"' in html and "各街道排名" in html and S2 in html and "66.7% 第1" in html


def test_one_street_loaded_has_no_street_level(small_db):
    """The sample-like street (one street): no 街道 filter, no 各街道排名, as before."""
    from streamlit.testing.v1 import AppTest

    from tests.test_roles_matrix import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["year"] = "2026"
    at.run()
    assert not at.exception
    assert "街道" not in [m.label for m in at.multiselect]
    assert "各街道排名" not in [h.value for h in at.subheader]


def test_the_admin_page_gives_an_account_a_street(tmp_path, monkeypatch):
    from dashboard import db
    from tests.conftest import admin_app

    path = database_copy(tmp_path / "admin.duckdb", build_two_streets)
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(path))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    try:
        at = admin_app(path, {})
        at.switch_page("app_pages/admin.py").run()
        assert not at.exception
        at.text_input(key="admin_new_name").input("河西李主任")
        at.selectbox(key="admin_new_role").select(auth.LEADER)
        at.selectbox(key="admin_new_street").select(S2)
        at.text_input(key="admin_new_pw1").input(PASSWORD)
        at.text_input(key="admin_new_pw2").input(PASSWORD)
        at.button(key="admin_add").click().run()
        assert not at.exception
        assert any("已新增账号「河西李主任」" in s.value for s in at.success)
        # without a street a 街道领导 is refused, in Chinese
        at.text_input(key="admin_new_name").input("无街道")
        at.selectbox(key="admin_new_street").select(None)
        at.button(key="admin_add").click().run()
        assert any("街道领导须指定所属街道" in e.value for e in at.error)
        # an existing account moved to the other street
        at.selectbox(key="admin_who").select("河西李主任")
        at.selectbox(key="admin_street").select(S1)
        at.button(key="admin_set_street").click().run()
        assert not at.exception
        with scope.using(scope.ALL), db.connect(path) as con:
            assert auth.viewer(con, "河西李主任").scope == scope.Scope(None, (S1,))
            assert auth.viewer(con, "无街道") is None
    finally:
        scope.enforce(False)
