"""The 数据管理 preview under AppTest: which rows a re-upload adds, removes and changes, filtered by kind,
the indicators before and after, and the confirmation a mass removal needs before 确认导入."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from dashboard import db, scope
from dashboard.ledgers import load
from tests.test_import_preview_cli import AGAIN, FIRST
from tests.test_page_data import page, table, workbook

FIRST_BYTES, AGAIN_BYTES = workbook(FIRST), workbook(AGAIN)
KEY = hashlib.sha256(AGAIN_BYTES).hexdigest()[:12]


@pytest.fixture
def env(tmp_path, monkeypatch):
    path = tmp_path / "page.duckdb"
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(path))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    monkeypatch.setenv(load.ARCHIVE_ENV, str(tmp_path / "archive"))
    return path


def stored_first(path) -> None:
    source = path.with_name("东风名录.xlsx")
    source.write_bytes(FIRST_BYTES)
    with scope.using(scope.ALL), db.connect(path) as con:
        assert load.import_files(con, [source])[0].status == "imported"


def batches(path) -> int:
    with scope.using(scope.ALL), db.connect(path) as con:
        return con.execute("select count(*) from import_batches").fetchone()[0]


def test_the_preview_lists_the_rows_and_filters_them_by_kind(env):
    stored_first(env)
    at = page([("东风名录（更新）.xlsx", AGAIN_BYTES)])
    assert not at.exception
    rows = table(at, "修改内容")
    assert sorted(zip(rows["变化"], rows["名称"], rows["修改内容"], strict=True)) == [
        ("修改", "乙公司", "建会情况：独立建会 → 联合建会"),
        ("修改", "甲公司", "职工人数：17 → 40"),
        ("新增", "己公司", ""),
        ("移除", "丙公司", ""),
    ]
    at.radio(key=f"data_kind_{KEY}").set_value("修改").run()
    assert sorted(table(at, "修改内容")["名称"]) == ["乙公司", "甲公司"]
    at.radio(key=f"data_kind_{KEY}").set_value("移除").run()
    assert table(at, "修改内容")["名称"].tolist() == ["丙公司"]
    impact = table(at, "导入前").set_index("指标")
    # this year's U1, 东风社区: before 乙 丁 of 乙 丙 丁 (25+) = 2/3; after 丁 己 of 甲 乙 丁 己 = 2/4
    assert date.today().year >= 2026
    assert impact.loc["U1 25人以上企业独立建会率"].tolist() == ["2/3（66.7%）", "2/4（50.0%）", "有变化"]
    assert impact.loc["U2 正常经营企业建会率"].tolist() == ["3/4（75.0%）", "3/4（75.0%）", "不变"]
    assert any(b.key == f"data_changes_dl_{KEY}" for b in at.get("download_button"))


def test_a_mass_removal_needs_the_checkbox_before_the_import(env):
    stored_first(env)
    at = page([("东风名录（更新）.xlsx", AGAIN_BYTES)])
    assert any("东风社区移除 1 家（现有 4 家）" in w.value for w in at.warning)  # 1 of 4: 25 % > 10 %
    assert at.button(key=f"data_commit_{KEY}").disabled
    at.checkbox(key=f"data_removals_{KEY}").check().run()
    assert not at.button(key=f"data_commit_{KEY}").disabled
    at.button(key=f"data_commit_{KEY}").click().run()
    assert not at.exception
    assert batches(env) == 2
    assert any("移除 1 行" in s.value for s in at.success)


def build_cadre_street(con) -> None:
    """tests/test_import_preview.py's street (东风's registry; 向阳's registry and case XY-001) and a
    cadre of 东风社区."""
    from dashboard import auth
    from tests.test_import_preview import build_street

    build_street(con)
    auth.add_user(con, "东风小王", "a-long-password", auth.CADRE, "东风社区")


def test_a_cadres_preview_never_names_another_communitys_row(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from dashboard.ui.data_widgets import TEST_UPLOADS
    from tests.conftest import database_copy
    from tests.test_page_data import ROOT

    path = database_copy(tmp_path / "cadre.duckdb", build_cadre_street)
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(path))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    monkeypatch.setenv(load.ARCHIVE_ENV, str(tmp_path / "archive"))
    # 东风's dispute ledger reusing 向阳社区's case number XY-001 (stored there for 向阳厂)
    cases = workbook(
        [
            ["案件编号", "用人单位", "受理日期", "争议类型", "涉及人数"],
            ["XY-001", "东风店", "2026-04-01", "劳动报酬", 1],
        ],
        title="东风社区劳动争议调解台账",
    )
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        at.run()
        at.text_input(key="login_user").input("东风小王")
        at.text_input(key="login_password").input("a-long-password")
        at.button(key="login_submit").click().run()
        at.session_state[TEST_UPLOADS] = [("东风争议.xlsx", cases)]
        at.switch_page("app_pages/data.py").run()
        assert not at.exception
        rows = table(at, "修改内容")
        assert rows["名称"].tolist() == ["XY-001"]  # the case is named, as a change of a stored row
        shown = [str(v) for d in at.dataframe for v in d.value.to_numpy().ravel()]
        shown += [m.value for m in (*at.markdown, *at.warning, *at.info, *at.caption)]
        assert not [t for t in shown if "向阳" in t], "a 向阳社区 row or value reached the cadre's preview"
        assert any("其他社区的记录" in t for t in shown)
    finally:
        scope.enforce(False)  # the login gate turned enforcement on for this process
