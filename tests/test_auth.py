"""Accounts: argon2 hashes, role checks, rate-limited logins, session expiry, local-mode refusal, the CLI."""

import io
from datetime import datetime, timedelta

import pytest

from dashboard import audit, auth, db
from dashboard.__main__ import main
from dashboard.config import Settings, load_settings


@pytest.fixture
def con(tmp_path):
    with db.connect(tmp_path / "u.duckdb") as c:
        yield c


def test_passwords_are_salted_slow_hashes(con):
    auth.add_user(con, "王主任", "correct horse", auth.LEADER)
    auth.add_user(con, "李科员", "correct horse", auth.ANALYST)
    hashes = [r[0] for r in con.execute("select password_hash from users order by username").fetchall()]
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert hashes[0] != hashes[1]  # same password, different salt
    assert not any("correct horse" in h for h in hashes)


def test_login_ok_and_wrong_password(con):
    auth.add_user(con, "cadre", "secret-pass", auth.CADRE, "东风社区")
    ok = auth.authenticate(con, "cadre", "secret-pass")
    assert ok.viewer.role == auth.CADRE and ok.viewer.community == "东风社区" and ok.message == ""
    bad = auth.authenticate(con, "cadre", "secret-pas")
    assert bad.viewer is None and "用户名或密码不正确" in bad.message
    nobody = auth.authenticate(con, "ghost", "secret-pass")
    assert nobody.viewer is None and nobody.message == bad.message  # does not tell which part was wrong


def test_failed_logins_lock_the_account_for_a_while(con):
    auth.add_user(con, "a", "secret-pass", auth.LEADER)
    s = Settings({**load_settings().raw, "auth": {"max_failed_logins": 3, "lockout_minutes": 10}})
    t0 = datetime(2026, 5, 1, 9, 0)
    for _ in range(2):
        assert "不正确" in auth.authenticate(con, "a", "nope-nope", settings=s, now=t0).message
    third = auth.authenticate(con, "a", "nope-nope", settings=s, now=t0)
    assert "暂停登录 10 分钟" in third.message
    # locked: even the right password is refused until the lock runs out
    assert auth.authenticate(con, "a", "secret-pass", settings=s, now=t0 + timedelta(minutes=9)).viewer is None
    assert auth.authenticate(con, "a", "secret-pass", settings=s, now=t0 + timedelta(minutes=11)).viewer
    assert con.execute("select failed_logins, locked_until from users").fetchone() == (0, None)


def test_unknown_names_are_rate_limited_too(con):
    s = Settings({**load_settings().raw, "auth": {"max_failed_logins": 2, "lockout_minutes": 10}})
    for _ in range(2):
        auth.authenticate(con, "probe-unknown", "x", settings=s)
    assert "暂停登录" in auth.authenticate(con, "probe-unknown", "x", settings=s).message


def test_account_rules(con):
    with pytest.raises(auth.AuthError, match="至少需要 8 个字符"):
        auth.add_user(con, "a", "short", auth.LEADER)
    with pytest.raises(auth.AuthError, match="必须指定所属社区"):
        auth.add_user(con, "a", "long-enough", auth.CADRE)
    with pytest.raises(auth.AuthError, match="不存在"):
        auth.add_user(con, "a", "long-enough", "超级用户")
    auth.add_user(con, "boss", "long-enough", auth.ADMIN)
    auth.add_user(con, "x", "long-enough", auth.LEADER)
    with pytest.raises(auth.AuthError, match="已存在"):
        auth.add_user(con, "x", "long-enough", auth.LEADER)
    with pytest.raises(auth.AuthError, match="最后一个管理员"):
        auth.remove_user(con, "boss")
    auth.set_password(con, "x", "another-one")
    assert auth.authenticate(con, "x", "another-one").viewer
    auth.remove_user(con, "x")
    assert list(auth.list_users(con)["username"]) == ["boss"]
    assert "password_hash" not in auth.list_users(con).columns


def test_session_expires_after_idle_minutes():
    s = Settings({**load_settings().raw, "auth": {"session_idle_minutes": 30}})
    assert not auth.session_expired(1000.0, 1000.0 + 30 * 60, s)
    assert auth.session_expired(1000.0, 1000.0 + 30 * 60 + 1, s)
    assert auth.session_expired(None, 0.0, s)


def test_local_mode_only_on_loopback():
    assert auth.local_mode_refusal("127.0.0.1") is None
    assert auth.local_mode_refusal("localhost") is None
    for address in ("0.0.0.0", "192.168.1.10", None, ""):
        why = auth.local_mode_refusal(address)
        assert why and "尚未设置任何账号" in why and "127.0.0.1" in why


def test_cli_add_passwd_list_remove(tmp_path, monkeypatch, capsys):
    path = tmp_path / "cli.duckdb"
    monkeypatch.setattr("sys.stdin", io.StringIO("first-password\n"))
    assert (
        main(
            [
                "user",
                "add",
                "张社区",
                "--role",
                "社区",
                "--community",
                "东风社区",
                "--password-stdin",
                "--db",
                str(path),
            ]
        )
        == 0
    )
    monkeypatch.setattr("sys.stdin", io.StringIO("second-password\n"))
    assert main(["user", "passwd", "张社区", "--password-stdin", "--db", str(path)]) == 0
    assert main(["user", "list", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "张社区" in out and "second-password" not in out
    with db.connect(path) as con:
        assert auth.authenticate(con, "张社区", "second-password").viewer.community == "东风社区"
        assert [r for r in audit.entries(con)["action"]] == ["user", "user"]
    monkeypatch.setattr("sys.stdin", io.StringIO("x\n"))
    assert main(["user", "add", "b", "--role", "领导", "--password-stdin", "--db", str(path)]) == 1
    assert "至少需要" in capsys.readouterr().err
    assert main(["user", "remove", "张社区", "--db", str(path)]) == 0
    with db.connect(path) as con:
        assert not auth.has_accounts(con)
