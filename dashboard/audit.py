"""The audit log: who logged in (or failed to), uploaded, undid a batch, downloaded a table, ran a console
query or changed accounts and settings, and when. Stored in the database (table audit_log), so it
survives restarts; rows are only inserted, never changed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd

from dashboard import db, scope

ACTIONS = {
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出登录",
    "upload": "上传台账",
    "undo": "撤销导入",
    "export": "下载表格",
    "console": "数据查询",
    "user": "账号管理",
    "settings": "修改设置",
    "denied": "拒绝访问",
}
HEADERS = {"logged_at": "时间", "username": "用户", "action": "操作", "detail": "内容", "ok": "结果"}
MAX_DETAIL = 2000  # a console query longer than this is cut in the log


def record(con, username: str, action: str, detail: str = "", ok: bool = True) -> None:
    """Insert one entry on an open connection (inside the caller's transaction, if any)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    con.execute(
        "insert into audit_log (username, action, detail, ok) values (?, ?, ?, ?)",
        [username or "（未知）", action, (detail or "")[:MAX_DETAIL], ok],
    )


def log(username: str, action: str, detail: str = "", ok: bool = True) -> None:
    """Open the database and insert one entry. Runs unscoped: the log is written for everyone, and a
    download being generated in a server thread has no scope of its own."""
    with scope.using(scope.ALL), db.connect() as con:
        record(con, username, action, detail, ok)


def entries(
    con,
    *,
    username: str | None = None,
    actions: list[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    text: str | None = None,
    limit: int = 5000,
) -> pd.DataFrame:
    """Newest first, filtered by user, actions (codes), days (inclusive) and a fragment of the detail."""
    return con.execute(
        """
        select logged_at, username, action, detail, ok
        from audit_log
        where ($username::varchar is null or username = $username::varchar)
          and ($actions::varchar[] is null or list_contains($actions::varchar[], action))
          and ($since::timestamp is null or logged_at >= $since::timestamp)
          and ($until::timestamp is null or logged_at < $until::timestamp)
          and ($text::varchar is null or contains(detail, $text::varchar))
        order by logged_at desc, audit_id desc
        limit $limit
        """,
        {
            "username": username or None,
            "actions": actions or None,
            "since": datetime.combine(since, datetime.min.time()) if since else None,
            "until": datetime.combine(until + timedelta(days=1), datetime.min.time()) if until else None,
            "text": text or None,
            "limit": int(limit),
        },
    ).df()


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """The entries with Chinese action names and headers, for the admin page."""
    out = frame.copy()
    out["action"] = out["action"].map(lambda a: ACTIONS.get(a, a))
    out["ok"] = out["ok"].map(lambda v: "成功" if v else "失败")
    return out.rename(columns=HEADERS)
