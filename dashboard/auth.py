"""Local accounts: argon2 password hashes, roles, rate-limited logins, session expiry, the `user` CLI.

Passwords are never stored or logged: only argon2id hashes (salted, slow, memory-hard). Failed logins are
counted per account in the database, so the limit survives restarts; after `max_failed_logins` failures
the account is locked for `lockout_minutes`. Unknown names are limited the same way in memory and cost
the same hashing time, so a login attempt does not reveal whether an account exists.
With no account at all the app runs in single-user local mode (see `local_mode_refusal`).
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import argon2
import pandas as pd

from dashboard import config, db, scope

LEADER, CADRE, ANALYST, ADMIN = "领导", "社区", "分析员", "管理员"
ROLES = (LEADER, CADRE, ANALYST, ADMIN)
ROLE_HELP = {
    LEADER: "查看全部社区，只读",
    CADRE: "只看本社区，可上传本社区台账",
    ANALYST: "查看全部社区，可用数据查询",
    ADMIN: "账号、目标与设置、撤销导入、审计日志",
}
LOCAL_USER = scope.Viewer("本机用户", ADMIN)
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MIN_PASSWORD = 8

_hasher = argon2.PasswordHasher()  # argon2id with the library's recommended cost
_DUMMY_HASH = _hasher.hash("not-a-real-password")
_unknown_failures: dict[str, list[float]] = {}
_unknown_lock = threading.Lock()


class AuthError(ValueError):
    """A refused account operation; the message is a Chinese sentence shown as is."""


@dataclass(frozen=True)
class LoginResult:
    viewer: scope.Viewer | None
    message: str  # empty on success


def _auth_settings(settings: config.Settings | None = None) -> dict:
    s = settings or config.load_settings()
    return {"session_idle_minutes": 30, "max_failed_logins": 5, "lockout_minutes": 15, **s.raw.get("auth", {})}


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _check_new(username: str, password: str, role: str, community: str | None) -> None:
    if not username or username != username.strip() or len(username) > 64:
        raise AuthError("用户名不能为空，不能以空格开头或结尾，且不超过 64 个字符。")
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"密码至少需要 {MIN_PASSWORD} 个字符，请换一个更长的密码。")
    if role not in ROLES:
        raise AuthError(f"角色「{role}」不存在，请选择：{'、'.join(ROLES)}。")
    if role == CADRE and not (community or "").strip():
        raise AuthError("社区角色必须指定所属社区，请填写社区名称。")


def has_accounts(con) -> bool:
    return con.execute("select count(*) from users").fetchone()[0] > 0


def add_user(con, username: str, password: str, role: str, community: str | None = None) -> None:
    _check_new(username, password, role, community)
    if con.execute("select count(*) from users where username = ?", [username]).fetchone()[0]:
        raise AuthError(f"用户「{username}」已存在，请换一个用户名，或修改该用户的密码。")
    con.execute(
        "insert into users (username, password_hash, role, community) values (?, ?, ?, ?)",
        [username, hash_password(password), role, community.strip() if role == CADRE and community else None],
    )


def remove_user(con, username: str) -> None:
    if not con.execute("select count(*) from users where username = ?", [username]).fetchone()[0]:
        raise AuthError(f"用户「{username}」不存在。")
    admins = con.execute("select list(username) from users where role = ?", [ADMIN]).fetchone()[0] or []
    others = con.execute("select count(*) from users where username <> ?", [username]).fetchone()[0]
    if admins == [username] and others:
        raise AuthError("不能删除最后一个管理员账号：请先为其他人设置管理员角色。")
    con.execute("delete from users where username = ?", [username])


def set_password(con, username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"密码至少需要 {MIN_PASSWORD} 个字符，请换一个更长的密码。")
    if not con.execute("select count(*) from users where username = ?", [username]).fetchone()[0]:
        raise AuthError(f"用户「{username}」不存在。")
    con.execute(
        "update users set password_hash = ?, failed_logins = 0, locked_until = null where username = ?",
        [hash_password(password), username],
    )


def unlock(con, username: str) -> None:
    con.execute("update users set failed_logins = 0, locked_until = null where username = ?", [username])


def list_users(con) -> pd.DataFrame:
    """Accounts without their hashes."""
    return con.execute(
        "select username, role, community, created_at, last_login_at, failed_logins, locked_until"
        " from users order by role, username"
    ).df()


def viewer(con, username: str) -> scope.Viewer | None:
    """The account as the app sees it now (role and community may have changed since login)."""
    row = con.execute("select username, role, community from users where username = ?", [username]).fetchone()
    return scope.Viewer(row[0], row[1], row[2]) if row else None


def _unknown_locked(username: str, limit: int, window_s: float, now: float) -> bool:
    with _unknown_lock:
        recent = [t for t in _unknown_failures.get(username, []) if now - t < window_s]
        _unknown_failures[username] = recent
        return len(recent) >= limit


def authenticate(
    con, username: str, password: str, *, settings: config.Settings | None = None, now: datetime | None = None
) -> LoginResult:
    """Check a login; count a failure, lock the account after too many. Never says which part was wrong."""
    cfg = _auth_settings(settings)
    limit, lock_min = int(cfg["max_failed_logins"]), float(cfg["lockout_minutes"])
    now = now or datetime.now()
    wrong = LoginResult(None, "用户名或密码不正确，请重新输入。")
    locked_msg = LoginResult(
        None, f"登录失败次数过多，该账号已暂停登录 {lock_min:g} 分钟，请稍后再试或联系管理员解锁。"
    )
    row = con.execute(
        "select password_hash, failed_logins, locked_until from users where username = ?", [username]
    ).fetchone()
    if row is None:
        if _unknown_locked(username, limit, lock_min * 60, time.monotonic()):
            return locked_msg
        with contextlib.suppress(argon2.exceptions.VerificationError):
            _hasher.verify(_DUMMY_HASH, password)  # same cost as a real check
        with _unknown_lock:
            _unknown_failures.setdefault(username, []).append(time.monotonic())
        return wrong
    stored, failed, locked_until = row
    if locked_until is not None and locked_until > now:
        return locked_msg
    try:
        _hasher.verify(stored, password)
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
        failed = (0 if locked_until is not None else failed) + 1  # a lock that ran out starts a new count
        until = now + timedelta(minutes=lock_min) if failed >= limit else None
        con.execute(
            "update users set failed_logins = ?, locked_until = ? where username = ?", [failed, until, username]
        )
        return locked_msg if until else wrong
    if _hasher.check_needs_rehash(stored):
        con.execute("update users set password_hash = ? where username = ?", [hash_password(password), username])
    con.execute(
        "update users set failed_logins = 0, locked_until = null, last_login_at = ? where username = ?",
        [now, username],
    )
    return LoginResult(viewer(con, username), "")


def session_expired(last_seen: float | None, now: float, settings: config.Settings | None = None) -> bool:
    """Whether a session idle since `last_seen` (time.time()) has expired at `now`."""
    if last_seen is None:
        return True
    return now - last_seen > float(_auth_settings(settings)["session_idle_minutes"]) * 60


def local_mode_refusal(address: str | None) -> str | None:
    """Why the app may not serve `address` without accounts (None when it may: a loopback address)."""
    if address and address.strip() in LOOPBACK:
        return None
    shown = address or "全部网络地址（未设置 server.address）"
    return (
        f"本看板尚未设置任何账号，只能在本机（127.0.0.1）使用，不能在 {shown} 上对其他电脑开放："
        "否则任何人都能看到全部社区的数据和个人信息。"
        "请先用命令 `python -m dashboard user add 用户名 --role 管理员` 创建管理员账号，"
        "或以 `--server.address 127.0.0.1` 启动。"
    )


# ---- command line ---------------------------------------------------------------------------------


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("密码：")
    if getpass.getpass("再次输入密码：") != first:
        raise AuthError("两次输入的密码不一致，请重新运行命令。")
    return first


def _cmd_user(args: argparse.Namespace) -> int:
    from dashboard import audit

    try:
        with scope.using(scope.ALL), db.connect(args.db) as con:
            if args.user_command == "add":
                add_user(con, args.username, _read_password(args), args.role, args.community)
                detail = f"新增用户 {args.username}（{args.role}{'，' + args.community if args.community else ''}）"
            elif args.user_command == "remove":
                remove_user(con, args.username)
                detail = f"删除用户 {args.username}"
            elif args.user_command == "passwd":
                set_password(con, args.username, _read_password(args))
                detail = f"修改用户 {args.username} 的密码"
            else:
                print(list_users(con).to_string(index=False))
                return 0
            audit.record(con, "命令行", "user", detail)
    except AuthError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except db.DatabaseBusy as exc:
        print(str(exc), file=sys.stderr)
        return 3
    print(f"完成：{detail}。")
    return 0


def add_user_subcommands(subparsers) -> None:
    """`user add|remove|passwd|list` under `python -m dashboard`."""
    u = subparsers.add_parser("user", help="管理看板账号（新增、删除、改密码、列出）")
    usub = u.add_subparsers(dest="user_command", required=True)
    add = usub.add_parser("add", help="新增账号（随后输入密码）")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES, help="角色：领导、社区、分析员、管理员")
    add.add_argument("--community", help="社区角色的所属社区")
    rm = usub.add_parser("remove", help="删除账号")
    rm.add_argument("username")
    pw = usub.add_parser("passwd", help="修改账号密码（随后输入新密码）")
    pw.add_argument("username")
    ls = usub.add_parser("list", help="列出全部账号")
    for p in (add, rm, pw, ls):
        p.add_argument("--db", help="数据库文件（默认 data/union.duckdb 或 UNION_DASHBOARD_DB）")
    for p in (add, pw):
        p.add_argument("--password-stdin", action="store_true", help="从标准输入读一行作为密码（用于脚本）")
    u.set_defaults(func=_cmd_user)
