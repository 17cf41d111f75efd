"""The audit log: entries are written, filtered, and still there after the database is reopened."""

from datetime import date, datetime

import pytest

from dashboard import audit, db


def test_entries_survive_a_reopen_and_filter(tmp_path, monkeypatch):
    path = tmp_path / "a.duckdb"
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(path))
    audit.log("张三", "login")
    audit.log("张三", "export", "应建未建名单.xlsx")
    audit.log("李四", "login_failed", ok=False)
    audit.log("李四", "console", "select count(*) from v_aid")
    with db.connect(path) as con:  # a new connection: what a restarted app reads
        all_rows = audit.entries(con)
        assert len(all_rows) == 4
        assert list(all_rows["action"]) == ["console", "login_failed", "export", "login"]  # newest first
        assert list(audit.entries(con, username="张三")["action"]) == ["export", "login"]
        assert list(audit.entries(con, actions=["login", "login_failed"])["username"]) == ["李四", "张三"]
        assert list(audit.entries(con, text="v_aid")["username"]) == ["李四"]
        today = datetime.now().date()
        assert len(audit.entries(con, since=today, until=today)) == 4
        assert audit.entries(con, until=date(2000, 1, 1)).empty
        failed = audit.entries(con, username="李四", actions=["login_failed"])
        assert list(failed["ok"]) == [False]
        shown = audit.labelled(failed)
        assert list(shown.columns) == ["时间", "用户", "操作", "内容", "结果"]
        assert shown.iloc[0]["操作"] == "登录失败" and shown.iloc[0]["结果"] == "失败"


def test_unknown_action_refused(tmp_path):
    with db.connect(tmp_path / "a.duckdb") as con, pytest.raises(ValueError):
        audit.record(con, "x", "drop_everything")


def test_long_detail_is_cut(tmp_path):
    with db.connect(tmp_path / "a.duckdb") as con:
        audit.record(con, "x", "console", "select 1 " * 1000)
        assert len(audit.entries(con).iloc[0]["detail"]) == audit.MAX_DETAIL
