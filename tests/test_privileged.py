"""dashboard/privileged.py: the writes and whole-street reads pages ask for check the role themselves and
record what they did, so a page that forgot a check (or a crafted rerun) cannot write or read past it."""

from __future__ import annotations

import pytest

from dashboard import audit, auth, db, privileged, scope
from tests.ledger_fixtures import ent, parsed, raw_of, sheet

STREET = "示例街道"
C1, C2 = "东风社区", "向阳社区"
ADMIN = scope.Viewer("管理员甲", auth.ADMIN)
CADRE = scope.Viewer("东风干部", auth.CADRE, C1)
LEADER = scope.Viewer("书记", auth.LEADER)
ANALYST = scope.Viewer("分析员甲", auth.ANALYST)


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    path = tmp_path / "privileged.duckdb"
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(path))
    with db.connect(path):
        pass
    return path


def entries(path):
    with db.connect(path) as con:
        return con.execute("select username, action, detail from audit_log order by audit_id").fetchall()


def stored(path, sql):
    with db.connect(path) as con:
        return con.execute(sql).fetchall()


def test_a_cadre_commits_her_communitys_file_and_it_is_recorded(app_db):
    p = parsed(sheet("enterprises", [ent(C1, "甲公司"), ent(C1, "乙公司")]))
    preview = privileged.preview_upload(CADRE, p, STREET)
    assert int(preview.plan["added"].sum()) == 2
    result = privileged.commit_upload(CADRE, p, street=STREET, file_name="东风.xlsx", raw=raw_of(p))
    assert result.rows_added == 2
    assert stored(app_db, "select community, count(*) from enterprises group by 1") == [(C1, 2)]
    assert entries(app_db) == [(CADRE.name, "upload", f"东风.xlsx：{result.message}")]


def test_a_cadre_cannot_commit_another_communitys_rows_even_past_the_page(app_db):
    p = parsed(sheet("enterprises", [ent(C1, "甲公司"), ent(C2, "丙公司")]))
    for call in (
        lambda: privileged.preview_upload(CADRE, p, STREET),
        lambda: privileged.commit_upload(CADRE, p, street=STREET, file_name="x.xlsx", raw=raw_of(p)),
    ):
        with pytest.raises(privileged.Refused, match="只能上传本社区（东风社区）"):
            call()
    assert stored(app_db, "select count(*) from enterprises") == [(0,)]
    assert entries(app_db) == []


@pytest.mark.parametrize("viewer", [LEADER, ANALYST, None])
def test_only_cadres_and_administrators_upload(app_db, viewer):
    p = parsed(sheet("enterprises", [ent(C1, "甲公司")]))
    with pytest.raises(privileged.Refused, match="不能上传台账"):
        privileged.commit_upload(viewer, p, street=STREET, file_name="x.xlsx", raw=raw_of(p))
    assert stored(app_db, "select count(*) from enterprises") == [(0,)]


def test_only_an_administrator_undoes_and_the_undo_is_recorded(app_db):
    p = parsed(sheet("enterprises", [ent(C1, "甲公司")]))
    result = privileged.commit_upload(ADMIN, p, street=STREET, file_name="x.xlsx", raw=raw_of(p))
    with pytest.raises(privileged.Refused, match="不能撤销导入"):
        privileged.undo_batch(CADRE, result.batch_id, "#1 x.xlsx")
    assert stored(app_db, "select count(*) from enterprises") == [(1,)]
    privileged.undo_batch(ADMIN, result.batch_id, "#1 x.xlsx")
    assert stored(app_db, "select status from import_batches") == [("undone",)]
    assert entries(app_db)[-1] == (ADMIN.name, "undo", "#1 x.xlsx")


def test_accounts_and_the_audit_log_are_for_administrators_only(app_db):
    for viewer in (CADRE, LEADER, ANALYST):
        for call in (
            lambda v=viewer: privileged.add_account(v, "新人", "a-long-password", auth.LEADER, None),
            lambda v=viewer: privileged.accounts(v),
            lambda v=viewer: privileged.audit_entries(v),
            lambda v=viewer: privileged.record_settings(v, {"import": {"max_upload_mb": 1}}),
        ):
            with pytest.raises(privileged.Refused):
                call()
    assert stored(app_db, "select count(*) from users") == [(0,)]
    privileged.add_account(ADMIN, "新人", "a-long-password", auth.LEADER, None)
    privileged.unlock(ADMIN, "新人")
    privileged.remove_account(ADMIN, "新人")
    assert privileged.accounts(ADMIN).empty
    assert [(a, d) for _, a, d in entries(app_db)] == [
        ("user", "新增用户 新人（领导）"),
        ("user", "解除用户 新人 的登录暂停"),
        ("user", "删除用户 新人"),
    ]
    log = privileged.audit_entries(ADMIN, actions=["user"])
    assert len(log) == 3 and set(log["username"]) == {ADMIN.name}


def test_no_page_opens_a_whole_street_connection():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    offenders = [p.name for p in (root / "app_pages").glob("*.py") if "scope.ALL" in p.read_text(encoding="utf-8")]
    assert offenders == []
    assert audit.ACTIONS  # the actions recorded above are the audit log's known ones
