"""Accounts: argon2 hashes, role checks, rate-limited logins, session expiry, local-mode refusal, the CLI."""

import io
import os
from datetime import datetime, timedelta

import argon2
import pytest

from dashboard import audit, auth, db
from dashboard.__main__ import main
from dashboard.config import Settings, load_settings
from tests.conftest import ROOT, connect_copy, database_copy


@pytest.fixture
def con(tmp_path):
    with connect_copy(tmp_path / "u.duckdb") as c:
        yield c


def test_passwords_are_salted_slow_hashes(con):
    auth.add_user(con, "王主任", "correct horse", auth.LEADER)
    auth.add_user(con, "李科员", "correct horse", auth.ANALYST)
    hashes = [r[0] for r in con.execute("select password_hash from users order by username").fetchall()]
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert hashes[0] != hashes[1]  # same password, different salt
    assert not any("correct horse" in h for h in hashes)


def test_login_ok_and_wrong_password(con):
    auth.add_user(con, "cadre", "secret-pass", auth.CADRE, "东风社区", new_community=True)  # no data yet
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
                "--new-community",  # the database has no data yet
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


# ---- lockout that does not tell which names exist; per-client and overall limits (fake clock) ------

T0 = datetime(2026, 5, 1, 9, 0)


@pytest.fixture
def quick_hashes(monkeypatch):
    """argon2 at its lowest cost, for tests that make dozens of attempts (the real cost is ~0.5 s each on
    a busy machine); the dummy hash of unknown names uses the same cost, as in the app."""
    import argon2

    quick = argon2.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(auth, "_hasher", quick)
    monkeypatch.setattr(auth, "_dummy", [quick.hash("not-a-real-password")])


WIDE = {"max_failed_per_client": 1000, "max_failed_overall": 1000}


def _limits(**auth_cfg) -> Settings:
    raw = load_settings().raw
    return Settings({**raw, "auth": {**raw["auth"], **auth_cfg}})


def _attempts(con, name, times, s, throttle, *, start=T0, password="wrong-password", client=None):
    return [
        auth.authenticate(con, name, password, settings=s, now=start, throttle=throttle, client=client).message
        for _ in range(times)
    ]


def test_an_existing_and_an_unknown_name_are_paused_at_the_same_attempt(con, quick_hashes):
    auth.add_user(con, "real", "secret-pass", auth.LEADER)
    s = _limits(max_failed_logins=5, lockout_minutes=15, **WIDE)
    runs = {}
    for name in ("real", "ghost"):
        throttle = auth.Throttle()
        runs[name] = _attempts(con, name, 7, s, throttle)
        # after the pause: one more failure starts a new count, the same for both
        runs[name] += _attempts(con, name, 5, s, throttle, start=T0 + timedelta(minutes=16))
        # four failures, a long wait, one more: the count has no time window, for neither of them
        runs[name] += _attempts(con, name, 4, s, throttle, start=T0 + timedelta(minutes=40))
        runs[name] += _attempts(con, name, 1, s, throttle, start=T0 + timedelta(days=3))
    assert runs["real"] == runs["ghost"]
    wrong, paused = (
        "用户名或密码不正确，请重新输入。",
        "登录失败次数过多，该用户名已暂停登录 15 分钟，请稍后再试或联系管理员解锁。",
    )
    assert runs["real"][:7] == [wrong] * 4 + [paused] * 3  # paused on the 5th wrong password
    assert runs["real"][7:12] == [wrong] * 4 + [paused]
    assert runs["real"][12:] == [wrong] * 4 + [paused]


def test_an_unknown_name_costs_the_same_work_as_an_existing_one(con, monkeypatch, quick_hashes):
    """One argon2 check and the same database statement per attempt while not paused, none while paused."""
    auth.add_user(con, "real", "secret-pass", auth.LEADER)
    s = _limits(max_failed_logins=3, lockout_minutes=15, **WIDE)
    real_hasher = auth._hasher
    work: list[str] = []

    class Counting:
        def verify(self, stored, password):
            work.append("verify")
            return real_hasher.verify(stored, password)

        def __getattr__(self, name):
            return getattr(real_hasher, name)

    class Statements:
        def __init__(self, inner):
            self.inner = inner

        def execute(self, sql, params=None):
            work.append(sql)
            return self.inner.execute(sql, params)

    monkeypatch.setattr(auth, "_hasher", Counting())
    traces = {}
    for name in ("real", "ghost"):
        work.clear()
        _attempts(Statements(con), name, 5, s, auth.Throttle())
        traces[name] = list(work)
    assert traces["real"] == traces["ghost"]
    assert traces["real"].count("verify") == 3


def test_the_dummy_password_does_not_log_an_unknown_name_in(con):
    assert auth.authenticate(con, "ghost", "not-a-real-password", throttle=auth.Throttle()).viewer is None


def test_failures_from_one_client_are_limited_across_names(con, quick_hashes):
    """One guess for each of many names from one address: the address is paused, not only the names."""
    for i in range(6):
        auth.add_user(con, f"user{i}", "secret-pass", auth.LEADER)
    s = _limits(max_failed_logins=5, max_failed_per_client=4, client_window_minutes=10, max_failed_overall=1000)
    throttle = auth.Throttle()
    for i, name in enumerate(["user0", "nobody1", "user1", "nobody2"]):
        got = auth.authenticate(con, name, "guess", client="10.0.0.9", settings=s, now=T0, throttle=throttle)
        assert "不正确" in got.message, i
    paused = auth.authenticate(con, "user5", "secret-pass", client="10.0.0.9", settings=s, now=T0, throttle=throttle)
    assert paused.viewer is None
    assert paused.message == "这台电脑登录失败次数过多，已暂停登录，请 10 分钟后再试或联系管理员。"
    ghost = auth.authenticate(con, "ghost", "x", client="10.0.0.9", settings=s, now=T0, throttle=throttle)
    assert ghost.message == paused.message  # says nothing about the name
    # another address is not affected; the paused one may try again once the window has passed
    assert auth.authenticate(
        con, "user5", "secret-pass", client="10.0.0.7", settings=s, now=T0, throttle=throttle
    ).viewer
    later = T0 + timedelta(minutes=4)
    left = auth.authenticate(con, "user5", "secret-pass", client="10.0.0.9", settings=s, now=later, throttle=throttle)
    assert "请 6 分钟后再试" in left.message
    later = T0 + timedelta(minutes=10, seconds=1)
    assert auth.authenticate(
        con, "user5", "secret-pass", client="10.0.0.9", settings=s, now=later, throttle=throttle
    ).viewer
    # the paused attempts did not count as guesses, and the accounts guessed once are not paused
    assert con.execute("select max(failed_logins) from users").fetchone()[0] == 1


def test_failures_overall_are_limited_across_clients_and_names(con, quick_hashes):
    """One guess per account, each from another address: every login pauses once too many failed."""
    auth.add_user(con, "boss", "secret-pass", auth.ADMIN)
    s = _limits(max_failed_per_client=3, max_failed_overall=5, overall_window_minutes=20)
    throttle = auth.Throttle()
    for i in range(5):
        got = auth.authenticate(con, f"name{i}", "guess", client=f"10.1.0.{i}", settings=s, now=T0, throttle=throttle)
        assert "不正确" in got.message
    for name, password in (("boss", "secret-pass"), ("ghost", "guess")):
        for client in ("10.9.9.9", None):
            got = auth.authenticate(con, name, password, client=client, settings=s, now=T0, throttle=throttle)
            assert got.viewer is None
            assert got.message == "近期登录失败次数过多，为防止猜测密码，登录已暂停，请 20 分钟后再试或联系管理员。"
    later = T0 + timedelta(minutes=20, seconds=1)
    assert auth.authenticate(
        con, "boss", "secret-pass", client="10.9.9.9", settings=s, now=later, throttle=throttle
    ).viewer


def test_login_limits_are_configurable_by_default():
    cfg = auth._auth_settings(load_settings())
    assert (cfg["max_failed_logins"], cfg["max_failed_per_client"], cfg["max_failed_overall"]) == (5, 10, 50)
    assert (cfg["client_window_minutes"], cfg["overall_window_minutes"]) == (15, 15)


def test_the_login_form_passes_the_client_address(small_db, monkeypatch):
    """The form hands Streamlit's idea of the visitor's address to authenticate (None under AppTest)."""
    from streamlit.testing.v1 import AppTest

    from dashboard import scope
    from dashboard.ui import login

    with db.connect(small_db) as c:
        auth.add_user(c, "boss", "secret-pass", auth.ADMIN)
    seen = []
    real = auth.authenticate

    def spy(*args, **kwargs):
        seen.append(kwargs.get("client", "missing"))
        return real(*args, **kwargs)

    monkeypatch.setattr(auth, "authenticate", spy)
    monkeypatch.setattr(login, "client_address", lambda: "192.0.2.10")
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
        at.text_input(key="login_user").input("boss")
        at.text_input(key="login_password").input("wrong-password")
        at.button(key="login_submit").click().run()
        assert any("不正确" in e.value for e in at.error)
    finally:
        scope.enforce(False)
    assert seen == ["192.0.2.10"]


def test_the_login_gate_makes_the_dummy_hash_before_showing_the_form(small_db, monkeypatch):
    """With accounts, the first run (the form, no attempt yet) makes the dummy hash, so the first attempt
    for an unknown name costs one check, as every later one does."""
    from streamlit.testing.v1 import AppTest

    from dashboard import scope

    with db.connect(small_db) as c:
        auth.add_user(c, "boss", "secret-pass", auth.ADMIN)
    monkeypatch.setattr(auth, "_dummy", [])
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
        assert at.text_input(key="login_user") is not None
        assert len(auth._dummy) == 1
    finally:
        scope.enforce(False)


# ---- a cadre's community must be a known one --------------------------------------------------------


@pytest.fixture
def street_db(tmp_path):
    from tests.small_street import build_small_street

    return database_copy(tmp_path / "street.duckdb", build_small_street)


def _add(path, *extra, name="新干部"):
    return main(["user", "add", name, "--role", "社区", *extra, "--password-stdin", "--db", str(path)])


def test_cli_refuses_a_community_that_is_not_known(street_db, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("first-password\n"))
    assert _add(street_db, "--community", "不存在") == 1
    err = capsys.readouterr().err
    assert "社区「不存在」不在已知的社区中，账号未创建。已知社区：东风社区、向阳社区。" in err
    assert "--new-community" in err
    with db.connect(street_db) as c:
        assert not auth.has_accounts(c)
    # with the flag it is a new community on purpose, stored as the importer stores names
    monkeypatch.setattr("sys.stdin", io.StringIO("first-password\n"))
    assert _add(street_db, "--community", "不存在", "--new-community") == 0
    with db.connect(street_db) as c:
        assert auth.viewer(c, "新干部").community == "不存在社区"


def test_cli_binds_a_short_name_to_the_community_as_stored(street_db, monkeypatch, capsys):
    """'东风' is 东风社区 (spec.community_key), the name its rows carry, so the cadre sees its data."""
    monkeypatch.setattr("sys.stdin", io.StringIO("first-password\n"))
    assert _add(street_db, "--community", "东风") == 0
    assert "东风社区" in capsys.readouterr().out
    with db.connect(street_db) as c:
        assert auth.viewer(c, "新干部").community == "东风社区"


def test_known_communities_are_the_datas_and_the_settings(street_db):
    s = Settings({**load_settings().raw, "communities": ["光明社区", "新华"]})
    with db.connect(street_db) as c:
        assert auth.known_communities(c) == ["东风社区", "向阳社区"]
        assert auth.known_communities(c, s) == ["东风社区", "光明社区", "向阳社区", "新华社区"]
        auth.add_user(c, "光明干部", "secret-pass", auth.CADRE, "光明社区", settings=s)  # listed, no data yet
        with pytest.raises(auth.UnknownCommunity, match="已知社区：东风社区、向阳社区。"):
            auth.add_user(c, "光明干部2", "secret-pass", auth.CADRE, "光明社区")
        auth.add_user(c, "领导", "secret-pass", auth.LEADER, "不存在")  # other roles have no community
        assert auth.viewer(c, "领导").community is None


def test_admin_page_offers_only_known_communities(street_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from dashboard import scope

    monkeypatch.setenv("UNION_DASHBOARD_DB", str(street_db))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    with db.connect(street_db) as c:
        auth.add_user(c, "boss", "secret-pass", auth.ADMIN)
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        at.run()
        at.text_input(key="login_user").input("boss")
        at.text_input(key="login_password").input("secret-pass")
        at.button(key="login_submit").click().run()
        at.switch_page("app_pages/admin.py").run()
        community = at.selectbox(key="admin_new_comm")
        assert community.options == ["东风社区", "向阳社区"] and community.value is None
        at.text_input(key="admin_new_name").input("向阳干部")
        at.selectbox(key="admin_new_role").set_value(auth.CADRE)
        at.text_input(key="admin_new_pw1").input("another-password")
        at.text_input(key="admin_new_pw2").input("another-password")
        at.button(key="admin_add").click().run()
        assert any("必须指定所属社区" in e.value for e in at.error)  # none chosen yet
        at.selectbox(key="admin_new_comm").set_value("向阳社区")
        at.button(key="admin_add").click().run()
        assert not at.exception
        assert any("已新增账号「向阳干部」" in e.value for e in at.success)
    finally:
        scope.enforce(False)
    with db.connect(street_db) as c:
        assert auth.viewer(c, "向阳干部").community == "向阳社区"


def test_the_dummy_hash_is_made_on_first_need_not_at_import():
    """The cold start imports auth; single-user mode never checks a password, so nothing is hashed then."""
    import subprocess
    import sys

    code = "import dashboard.auth as a; assert a._dummy == [], a._dummy; h = a.dummy_hash(); assert a._dummy == [h]"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    stored = auth.dummy_hash()
    assert stored == auth.dummy_hash()  # made once
    assert not auth._hasher.check_needs_rehash(stored)  # the cost of a real account's hash
    with pytest.raises(argon2.exceptions.VerifyMismatchError):
        auth._hasher.verify(stored, "wrong-password")
