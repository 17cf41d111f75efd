"""What a page may ask for beyond the reader's own scope: imports, undo, accounts and the audit log.

Each function checks the viewer's role itself, opens the whole-street connection it needs (scope.ALL),
does the work and records it in the audit log, so no page opens an unscoped connection: a page only lays
out and says what happened. A refused call raises `Refused` with a Chinese sentence.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date

import pandas as pd

from dashboard import audit, auth, config, db, scope
from dashboard.ledgers import diff, load, undo
from dashboard.ledgers.model import ParsedFile

UPLOADERS = (auth.CADRE, auth.ADMIN)


class Refused(PermissionError):
    """The viewer's role may not do this; str(self) says so in Chinese."""


def _require(viewer: scope.Viewer | None, roles: tuple[str, ...], what: str) -> scope.Viewer:
    if viewer is None or viewer.role not in roles:
        role = viewer.role if viewer else "未登录"
        raise Refused(f"您的角色（{role}）不能{what}，只有{'、'.join(roles)}可以。")
    return viewer


def communities_in(parsed: ParsedFile) -> list[str]:
    """The communities of the rows the parser accepted (after a community typed on the page is applied)."""
    names: set[str] = set()
    for s in parsed.ledger_sheets:
        if "community" in s.frame.columns:
            names.update(str(c) for c in s.frame["community"].dropna().unique())
    return sorted(names)


def _own_communities_only(viewer: scope.Viewer, parsed: ParsedFile) -> None:
    """A cadre uploads only her own community's ledgers (the page says so before; this is the guarantee)."""
    if viewer.role == auth.CADRE and any(c != viewer.community for c in communities_in(parsed)):
        raise Refused(f"您只能上传本社区（{viewer.community}）的台账。")


# ---- ledgers -------------------------------------------------------------------------------------------


def preview_upload(
    viewer: scope.Viewer, parsed: ParsedFile, street: str, *, year: int | None = None, as_of: date | None = None
) -> load.Preview:
    """What importing `parsed` would change, compared with the whole registry (a cadre's file is checked
    against every community's rows, so a move between communities is seen): the counts, the rows added,
    removed and changed as the viewer may see them (personal fields masked unless her role may see them;
    a cadre never sees the stored values of another community's row), and the indicators of the file's
    communities before and after, for `year` (default: this year) at `as_of` (default: its default)."""
    _require(viewer, UPLOADERS, "上传台账")
    _own_communities_only(viewer, parsed)
    own = viewer.community if viewer.role == auth.CADRE else None
    # the indicators of the file's communities; a cadre's are hers alone, whatever the file holds
    communities = (own,) if own is not None else tuple(communities_in(parsed))
    where = diff.ImpactScope(year or date.today().year, as_of, communities)
    with scope.using(scope.ALL), db.connect() as con:
        result = load.preview(con, parsed, street, impact=where)
    result.diff = diff.for_viewer(result.diff, viewer, own)
    return result


def commit_upload(
    viewer: scope.Viewer,
    parsed: ParsedFile,
    *,
    street: str,
    file_name: str,
    raw: bytes,
    let_go: Callable[[], None] = lambda: None,
    confirm_removals: bool = True,
) -> load.BatchResult:
    """Import `parsed` as one batch and record it. Raises db.DatabaseBusy, load.StoredMismatch and
    load.WriteFailed (already settled: its `result` says whether the batch was stored after all, and then
    the upload is recorded too). `let_go` closes the caller's own open connections (a page run's hold)
    when DuckDB gave up on the database, before it is opened afresh to settle what happened."""
    _require(viewer, UPLOADERS, "上传台账")
    _own_communities_only(viewer, parsed)
    try:
        with scope.using(scope.ALL), db.connect() as con:
            result = load.import_parsed(
                con, parsed, street=street, user=viewer.name, raw=raw, confirm_removals=confirm_removals
            )
            audit.record(con, viewer.name, "upload", f"{file_name}：{result.message}", ok=result.ok)
            return result
    except load.WriteFailed as exc:
        if exc.invalidated:
            let_go()  # never reused: the next connect opens the file afresh
        settled = load.settle(exc)  # was the batch stored after all? asked of the database opened afresh
        if settled.result is not None:
            with contextlib.suppress(Exception), scope.using(scope.ALL), db.connect(wait_seconds=5) as con:
                audit.record(con, viewer.name, "upload", f"{file_name}：{settled}")
        raise settled from exc


def undo_batch(viewer: scope.Viewer, batch_id: int, label: str) -> str:
    """Undo one import batch (administrators only); the Chinese summary of what was undone."""
    _require(viewer, (auth.ADMIN,), "撤销导入")
    with scope.using(scope.ALL), db.connect() as con:
        message = undo.undo_batch(con, batch_id, viewer.name)
        audit.record(con, viewer.name, "undo", label)
    return message


# ---- accounts and the audit log (管理员) ----------------------------------------------------------------


def _account_change(viewer: scope.Viewer, change, detail: str) -> None:
    _require(viewer, (auth.ADMIN,), "管理账号")
    with scope.using(scope.ALL), db.connect() as con:
        change(con)
        audit.record(con, viewer.name, "user", detail)


def add_account(
    viewer: scope.Viewer, name: str, password: str, role: str, community: str | None, street: str | None = None
) -> None:
    role = auth.role_name(role)
    where = f"，{community}" if community and role == auth.CADRE else ""
    where = (f"，{street}" if street and role in (auth.LEADER, auth.CADRE) else "") + where
    _account_change(
        viewer,
        lambda con: auth.add_user(con, name, password, role, community, street=street),
        f"新增用户 {name}（{role}{where}）",
    )


def set_street(viewer: scope.Viewer, name: str, street: str | None) -> None:
    _account_change(
        viewer, lambda con: auth.set_street(con, name, street), f"设置用户 {name} 的所属街道为{street or '默认'}"
    )


def known_streets(viewer: scope.Viewer) -> list[str]:
    """The streets an account may be bound to."""
    _require(viewer, (auth.ADMIN,), "管理账号")
    with scope.using(scope.ALL), db.connect() as con:
        return auth.known_streets(con)


def set_password(viewer: scope.Viewer, name: str, password: str) -> None:
    _account_change(viewer, lambda con: auth.set_password(con, name, password), f"修改用户 {name} 的密码")


def unlock(viewer: scope.Viewer, name: str) -> None:
    _account_change(viewer, lambda con: auth.unlock(con, name), f"解除用户 {name} 的登录暂停")


def remove_account(viewer: scope.Viewer, name: str) -> None:
    _account_change(viewer, lambda con: auth.remove_user(con, name), f"删除用户 {name}")


def accounts(viewer: scope.Viewer) -> pd.DataFrame:
    _require(viewer, (auth.ADMIN,), "查看账号")
    with scope.using(scope.ALL), db.connect() as con:
        return auth.list_users(con)


def known_communities(viewer: scope.Viewer) -> list[str]:
    """The communities a cadre account may be bound to (every community of the street)."""
    _require(viewer, (auth.ADMIN,), "管理账号")
    with scope.using(scope.ALL), db.connect() as con:
        return auth.known_communities(con)


def audit_entries(
    viewer: scope.Viewer,
    *,
    username: str | None = None,
    actions: list[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    text: str | None = None,
) -> pd.DataFrame:
    _require(viewer, (auth.ADMIN,), "查看审计日志")
    with scope.using(scope.ALL), db.connect() as con:
        return audit.entries(con, username=username, actions=actions, since=since, until=until, text=text)


def record_settings(viewer: scope.Viewer, updates: dict) -> None:
    """Save settings overrides (administrators only) and record them."""
    _require(viewer, (auth.ADMIN,), "修改设置")
    config.save_overrides(updates)
    audit.log(viewer.name, "settings", str(updates))
