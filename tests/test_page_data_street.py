"""Which street an upload on 数据管理 is stored under: an administrator's (or the local single user's) rows
are the settings' street (settings.toml `street`); a cadre's are her account's street, whatever the settings
say, so that with more than one street loaded a 河西街道 cadre's 河西社区 never lands in 示例街道."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth, db, scope
from dashboard.ledgers import load
from dashboard.ui.data_widgets import TEST_UPLOADS
from tests.conftest import database_copy
from tests.test_page_data import HEADER, _sha, workbook
from tests.two_streets import HX, S1, S2, build_two_streets

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a-long-password"


def build_with_hexi_cadre(con) -> None:
    build_two_streets(con)
    auth.add_user(con, "hexi", PASSWORD, auth.CADRE, HX, street=S2)


def _streets_of(path: Path, name: str) -> list[tuple]:
    with scope.using(scope.ALL), db.connect(path) as con:  # (the login gate enforces scopes in this process)
        return con.execute("select street, community from v_enterprises where name = ?", [name]).fetchall()


def test_the_administrators_upload_is_the_settings_street(tmp_path, monkeypatch):
    path = tmp_path / "admin.duckdb"
    settings = tmp_path / "settings.toml"
    settings.write_text('street = "河东街道"\n', encoding="utf-8")
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(path))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    monkeypatch.setenv("UNION_DASHBOARD_SETTINGS", str(settings))
    monkeypatch.setenv(load.ARCHIVE_ENV, str(tmp_path / "archive"))
    data = workbook([HEADER, [1, "河东甲厂", 40, "独立建会", "2026.3.5"]])
    at = AppTest.from_file(str(ROOT / "app_pages" / "data.py"), default_timeout=60)
    at.session_state[TEST_UPLOADS] = [("河东.xlsx", data)]
    at.run()
    at.button(key=f"data_commit_{_sha(data)}").click().run()
    assert not at.exception
    assert _streets_of(path, "河东甲厂") == [("河东街道", "东风社区")]  # the title names 东风社区


@pytest.fixture
def two_streets_db(tmp_path, monkeypatch):
    path = database_copy(tmp_path / "two.duckdb", build_with_hexi_cadre)
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(path))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    monkeypatch.setenv(load.ARCHIVE_ENV, str(tmp_path / "archive"))
    yield path
    scope.enforce(False)  # the login gate turned enforcement on for this process


def test_a_cadres_upload_is_her_accounts_street_not_the_settings(two_streets_db):
    data = workbook(
        [HEADER, [1, "河西新厂", 30, "独立建会", "2026.4.1"]],
        title=f"{HX}企业建会情况台账",
    )
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.text_input(key="login_user").input("hexi")
    at.text_input(key="login_password").input(PASSWORD)
    at.button(key="login_submit").click().run()
    assert not at.exception
    at.session_state[TEST_UPLOADS] = [("河西.xlsx", data)]
    at.switch_page("app_pages/data.py").run()
    assert not at.exception
    next(c for c in at.checkbox if "确认移除" in c.label).check().run()  # 河西丁厂 is known by its 信用代码
    at.button(key=f"data_commit_{_sha(data)}").click().run()
    assert not at.exception
    assert _streets_of(two_streets_db, "河西新厂") == [(S2, HX)]  # the settings' street is 示例街道 (S1)
    with scope.using(scope.ALL), db.connect(two_streets_db) as con:
        assert con.execute(
            "select count(*) from v_enterprises where street = ? and community = ?", [S1, HX]
        ).fetchone() == (0,)
