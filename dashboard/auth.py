"""Local accounts: argon2 password hashes, roles, rate-limited logins, session expiry, the `user` CLI.

Passwords are never stored or logged: only argon2id hashes (salted, slow, memory-hard). Failed logins are
counted per account in the database, so the limit survives restarts; the `max_failed_logins`-th failure in
a row pauses the account for `lockout_minutes`. An unknown name goes through the very same steps, with
its count kept in memory: the same attempt pauses it, with the same message, one argon2 check per attempt
(against a dummy hash) and the same database statement, so a login attempt does not reveal whether an
account exists. On top of that, failures are limited per client address (`max_failed_per_client` in
`client_window_minutes`) and over the whole app (`max_failed_overall` in `overall_window_minutes`), so
guessing one password for each of many accounts is stopped too; those two counts live in this process.
With no account at all the app runs in single-user local mode (see `local_mode_refusal`).
"""

from __future__ import annotations

import argparse
import getpass
import math
import sys
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

import argon2
import pandas as pd

from dashboard import config, db, scope, spec

LEADER, CADRE, ANALYST, ADMIN = "领导", "社区", "分析员", "管理员"
# 区领导 reads every street of a district. 领导 is the 街道领导: bound to her street when more than one street
# is loaded (the stored name stays 领导, so accounts made before streets keep working; see `viewer`).
DISTRICT_LEADER = "区领导"
STREET_LEADER_ALIAS = "街道领导"  # accepted wherever a role is typed, stored as 领导
ROLES = (LEADER, CADRE, ANALYST, ADMIN, DISTRICT_LEADER)
ROLE_HELP = {
    LEADER: "街道领导：查看本街道全部社区，只读",
    CADRE: "只看本社区，可上传本社区台账",
    ANALYST: "查看全部社区，可用数据查询",
    ADMIN: "账号、目标与设置、撤销导入、审计日志",
    DISTRICT_LEADER: "查看全区各街道、各社区，只读",
}
LOCAL_USER = scope.Viewer("本机用户", ADMIN)
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MIN_PASSWORD = 8

_hasher = argon2.PasswordHasher()  # argon2id with the library's recommended cost
_dummy: list[str] = []  # the hash an unknown name is checked against, made on first need (dummy_hash)
_dummy_lock = threading.Lock()
MAX_UNKNOWN_NAMES = 10_000  # unknown names (and client addresses) remembered; the oldest are forgotten first


def dummy_hash() -> str:
    """A hash of the hasher's own cost that no password matches. Made when first needed, not at import:
    hashing costs about as much as a check (tens of ms, far more on a busy machine) and the app's cold
    start imports this module; in single-user mode no login ever needs it. The login gate makes it as
    soon as accounts exist, before a form has been shown, so no login attempt pays for it
    (dashboard/ui/login.py)."""
    with _dummy_lock:
        if not _dummy:
            _dummy.append(_hasher.hash("not-a-real-password"))
        return _dummy[0]


class AuthError(ValueError):
    """A refused account operation; the message is a Chinese sentence shown as is."""


class UnknownCommunity(AuthError):
    """A cadre account for a community neither in the data nor in the settings' list of communities."""


@dataclass(frozen=True)
class LoginResult:
    viewer: scope.Viewer | None
    message: str  # empty on success


def _auth_settings(settings: config.Settings | None = None) -> dict:
    s = settings or config.load_settings()
    return {
        "session_idle_minutes": 30,
        "max_failed_logins": 5,
        "lockout_minutes": 15,
        "max_failed_per_client": 10,
        "client_window_minutes": 15,
        "max_failed_overall": 50,
        "overall_window_minutes": 15,
        **s.raw.get("auth", {}),
    }


class Throttle:
    """Failed logins kept in memory: unknown names (as the users table keeps them for accounts), and the
    recent failures per client address and overall. One per process (`THROTTLE`); tests make their own."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.unknown: dict[str, tuple[int, datetime | None]] = {}  # name -> (failed_logins, locked_until)
        self.by_client: dict[str, list[datetime]] = {}
        self.overall: list[datetime] = []

    def clear(self) -> None:
        with self.lock:
            self.unknown.clear()
            self.by_client.clear()
            self.overall.clear()

    def remember_unknown(self, username: str, state: tuple[int, datetime | None]) -> None:
        with self.lock:
            self.unknown.pop(username, None)
            self.unknown[username] = state
            while len(self.unknown) > MAX_UNKNOWN_NAMES:
                self.unknown.pop(next(iter(self.unknown)))

    def record_failure(self, client: str | None, now: datetime) -> None:
        with self.lock:
            self.overall.append(now)
            if client:
                self.by_client.setdefault(client, []).append(now)
                while len(self.by_client) > MAX_UNKNOWN_NAMES:
                    self.by_client.pop(next(iter(self.by_client)))

    def wait(self, client: str | None, cfg: dict, now: datetime) -> tuple[str, float] | None:
        """('overall' or 'client', minutes left) while too many recent failures block logins, else None."""
        with self.lock:
            overall = _recent(self.overall, float(cfg["overall_window_minutes"]), now)
            self.overall[:] = overall
            left = _minutes_left(overall, int(cfg["max_failed_overall"]), float(cfg["overall_window_minutes"]), now)
            if left:
                return "overall", left
            if not client:
                return None
            mine = _recent(self.by_client.get(client, []), float(cfg["client_window_minutes"]), now)
            if mine:
                self.by_client[client] = mine
            else:
                self.by_client.pop(client, None)
            left = _minutes_left(mine, int(cfg["max_failed_per_client"]), float(cfg["client_window_minutes"]), now)
            return ("client", left) if left else None


def _recent(times: list[datetime], window_min: float, now: datetime) -> list[datetime]:
    return [t for t in times if now - t < timedelta(minutes=window_min)]


def _minutes_left(recent: list[datetime], limit: int, window_min: float, now: datetime) -> float:
    """Minutes until fewer than `limit` of the `recent` failures are inside the window (0: not blocked)."""
    if len(recent) < limit:
        return 0.0
    frees = sorted(recent)[len(recent) - limit] + timedelta(minutes=window_min)  # that one leaves the window
    return max((frees - now).total_seconds() / 60, 0.0)


THROTTLE = Throttle()


def _after_failure(failed: int, locked_until: datetime | None, now: datetime, limit: int, lock_min: float):
    """An account's (failed_logins, locked_until) after one more wrong password; a lock that ran out
    starts a new count. The same rule for accounts (in the database) and unknown names (in memory)."""
    failed = (0 if locked_until is not None else failed) + 1
    return failed, (now + timedelta(minutes=lock_min) if failed >= limit else None)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def role_name(role: str) -> str:
    """The stored name of a typed role: 街道领导 is 领导."""
    role = (role or "").strip()
    return LEADER if role == STREET_LEADER_ALIAS else role


def known_streets(con, settings: config.Settings | None = None) -> list[str]:
    """The streets with data (any import batch not undone, read on `con`) and the settings' own street."""
    rows = con.execute("select distinct street from import_batches where status <> 'undone'").fetchall()
    own = (settings or config.load_settings()).street
    return sorted({r[0] for r in rows if r[0]} | {own})


def streets_of(con, community: str) -> list[str]:
    """The streets whose data names `community` (a name may repeat across streets)."""
    rows = con.execute(
        "select distinct street from import_batches where status <> 'undone' and list_contains(communities, ?)",
        [community],
    ).fetchall()
    return sorted(r[0] for r in rows if r[0])


def _account_street(
    con, role: str, street: str | None, community: str | None, settings: config.Settings | None
) -> str | None:
    """The street stored with an account: a 街道领导's and a cadre's, when more than one street is loaded
    (with one street, none is stored and the account reads as before). Refused with a Chinese sentence
    when the street is unknown or, with several streets, missing."""
    if role not in (LEADER, CADRE):
        return None
    streets = known_streets(con, settings)
    street = (street or "").strip() or None
    if street is not None and street not in streets:
        raise AuthError(f"街道「{street}」不在已知的街道中，账号未创建。已知街道：{'、'.join(streets)}。")
    if role == CADRE and community:
        holding = streets_of(con, community)
        if street is None and len(holding) > 1:
            raise AuthError(f"社区「{community}」在多个街道都有（{'、'.join(holding)}），请指定所属街道，账号未创建。")
        if street is None and len(streets) > 1:
            street = holding[0] if holding else None
        if street is not None and holding and street not in holding:
            raise AuthError(f"街道「{street}」没有「{community}」的数据（该社区在{'、'.join(holding)}），账号未创建。")
    if role == LEADER and street is None and len(streets) > 1:
        raise AuthError(
            f"已载入多个街道（{'、'.join(streets)}），街道领导须指定所属街道；查看全区请选择「{DISTRICT_LEADER}」角色。"
        )
    return street if len(streets) > 1 else None


def _check_new(username: str, password: str, role: str, community: str | None) -> None:
    if not username or username != username.strip() or len(username) > 64:
        raise AuthError("用户名不能为空，不能以空格开头或结尾，且不超过 64 个字符。")
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"密码至少需要 {MIN_PASSWORD} 个字符，请换一个更长的密码。")
    if role not in ROLES:
        raise AuthError(f"角色「{role}」不存在，请选择：{'、'.join(ROLES)}。")
    if role == CADRE and not (community or "").strip():
        raise AuthError("社区角色必须指定所属社区，请填写社区名称。")


def known_communities(con, settings: config.Settings | None = None) -> list[str]:
    """Communities a cadre account may be bound to: those in the data (any ledger, read on `con`) and
    those in the settings' `communities` list (a street's communities before their first upload)."""
    in_data = db.run_query(con, "communities")["community"].dropna().tolist()
    listed = (settings or config.load_settings()).raw.get("communities", [])
    return sorted({spec.community_key(c) for c in [*in_data, *listed] if str(c).strip()})


def _cadre_community(con, community: str, new_community: bool, settings: config.Settings | None) -> str:
    """The stored name of a cadre's community ('东风' is 东风社区, as the importer stores it); refused
    when it is not a known community, unless `new_community` says it is one without data yet."""
    name = spec.community_key(community)
    if new_community:
        return name
    known = known_communities(con, settings)
    if name not in known:
        listed = f"已知社区：{'、'.join(known)}。" if known else "目前还没有任何社区的数据，也没有在设置中列出社区。"
        raise UnknownCommunity(f"社区「{community.strip()}」不在已知的社区中，账号未创建。{listed}")
    return name


def has_accounts(con) -> bool:
    return con.execute("select count(*) from users").fetchone()[0] > 0


def add_user(
    con,
    username: str,
    password: str,
    role: str,
    community: str | None = None,
    *,
    street: str | None = None,
    new_community: bool = False,
    settings: config.Settings | None = None,
) -> None:
    """Add an account. A cadre's community must be a known one (`known_communities`), unless
    `new_community`: a community that has no data yet, on purpose. With more than one street loaded a
    街道领导 (领导) names her street and a cadre's street is hers (`_account_street`)."""
    role = role_name(role)
    _check_new(username, password, role, community)
    if con.execute("select count(*) from users where username = ?", [username]).fetchone()[0]:
        raise AuthError(f"用户「{username}」已存在，请换一个用户名，或修改该用户的密码。")
    bound = _cadre_community(con, community, new_community, settings) if role == CADRE else None
    where = _account_street(con, role, street, bound, settings)
    con.execute(
        "insert into users (username, password_hash, role, community, street) values (?, ?, ?, ?, ?)",
        [username, hash_password(password), role, bound, where],
    )


def set_street(con, username: str, street: str | None, settings: config.Settings | None = None) -> None:
    """Bind an existing 街道领导 or cadre to a street (None: the account's default, see `viewer`)."""
    row = con.execute("select role, community from users where username = ?", [username]).fetchone()
    if row is None:
        raise AuthError(f"用户「{username}」不存在。")
    if row[0] not in (LEADER, CADRE):
        raise AuthError(f"只有街道领导和社区账号有所属街道，「{username}」的角色是{row[0]}。")
    where = _account_street(con, row[0], street, row[1], settings) if street else None
    con.execute("update users set street = ? where username = ?", [where, username])


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
        "select username, role, street, community, created_at, last_login_at, failed_logins, locked_until"
        " from users order by role, username"
    ).df()


def viewer(con, username: str, settings: config.Settings | None = None) -> scope.Viewer | None:
    """The account as the app sees it now (role, community and street may have changed since login).

    An account stored without a street (made with one street loaded, or before streets) reads as before
    while one street is loaded. Once more than one is, it is not let out of its street: a cadre's street
    is the one her community is in (the settings' street when the name is in several), a 领导's the
    settings' street, the street the dashboard was set up for."""
    row = con.execute("select username, role, community, street from users where username = ?", [username]).fetchone()
    if row is None:
        return None
    name, role, community, street = row
    if street is None and role in (LEADER, CADRE) and len(known_streets(con, settings)) > 1:
        own = (settings or config.load_settings()).street
        holding = streets_of(con, community) if role == CADRE and community else []
        street = holding[0] if len(holding) == 1 else own
    return scope.Viewer(name, role, community, street)


def authenticate(
    con,
    username: str,
    password: str,
    *,
    client: str | None = None,
    settings: config.Settings | None = None,
    now: datetime | None = None,
    throttle: Throttle | None = None,
) -> LoginResult:
    """Check a login from `client` (the visitor's address, None when unknown); count a failure, pause the
    name after too many, and pause a client, or every login, after too many failures in a while. Never
    says which part was wrong, nor whether the name exists."""
    cfg = _auth_settings(settings)
    limit, lock_min = int(cfg["max_failed_logins"]), float(cfg["lockout_minutes"])
    now = now or datetime.now()
    throttle = throttle or THROTTLE
    wrong = LoginResult(None, "用户名或密码不正确，请重新输入。")
    locked_msg = LoginResult(
        None, f"登录失败次数过多，该用户名已暂停登录 {lock_min:g} 分钟，请稍后再试或联系管理员解锁。"
    )
    blocked = throttle.wait(client, cfg, now)
    if blocked:
        kind, left = blocked
        minutes = max(1, math.ceil(left))
        if kind == "overall":
            return LoginResult(
                None, f"近期登录失败次数过多，为防止猜测密码，登录已暂停，请 {minutes} 分钟后再试或联系管理员。"
            )
        return LoginResult(None, f"这台电脑登录失败次数过多，已暂停登录，请 {minutes} 分钟后再试或联系管理员。")
    row = con.execute(
        "select password_hash, failed_logins, locked_until from users where username = ?", [username]
    ).fetchone()
    if row is None:
        with throttle.lock:
            failed, locked_until = throttle.unknown.get(username, (0, None))
        stored = dummy_hash()  # same cost as a real check; never matches (not a password anyone has)
    else:
        stored, failed, locked_until = row
    if locked_until is not None and locked_until > now:
        return locked_msg
    try:
        _hasher.verify(stored, password)
        if row is None:
            raise argon2.exceptions.VerifyMismatchError
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
        failed, until = _after_failure(failed, locked_until, now, limit, lock_min)
        # the same statement for a name that does not exist (it then changes no row)
        con.execute(
            "update users set failed_logins = ?, locked_until = ? where username = ?", [failed, until, username]
        )
        if row is None:
            throttle.remember_unknown(username, (failed, until))
        throttle.record_failure(client, now)
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
                add_user(
                    con,
                    args.username,
                    _read_password(args),
                    args.role,
                    args.community,
                    street=args.street,
                    new_community=args.new_community,
                )
                added = viewer(con, args.username)
                bound = "，".join(x for x in (added.street, added.community) if x)
                detail = f"新增用户 {args.username}（{role_name(args.role)}{'，' + bound if bound else ''}）"
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
    except UnknownCommunity as exc:
        print(f"{exc}如确是还没有数据的新社区，请加 --new-community 再运行。", file=sys.stderr)
        return 1
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
    add.add_argument(
        "--role",
        required=True,
        choices=[*ROLES, STREET_LEADER_ALIAS],
        help="角色：领导（街道领导）、社区、分析员、管理员、区领导",
    )
    add.add_argument("--street", help="街道领导、社区角色的所属街道（载入多个街道时，街道领导必填）")
    add.add_argument("--community", help="社区角色的所属社区（须是数据中或设置里已有的社区）")
    add.add_argument(
        "--new-community", action="store_true", help="所属社区是还没有任何数据的新社区（否则未知社区会被拒绝）"
    )
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
