"""Role-by-page matrix under AppTest: each role logs in through the form and opens every page; a 社区
cadre of 东风社区 never sees a row (on screen, in a chart, in a download) of 向阳社区, and pages a role
may not use refuse it. The same walk as a leader finds 向阳社区, so the check is not vacuous."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import audit, auth, db, scope
from dashboard.ui import nav, tables
from tests.conftest import database_copy
from tests.small_street import C1, C2, build_small_street

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a-long-password"
USERS = {"leader": auth.LEADER, "cadre": auth.CADRE, "analyst": auth.ANALYST, "admin": auth.ADMIN}
# enterprises and people only 向阳社区 has (东风社区's are 甲一公司, 甲二公司, 丙公司, 丁公司, 戊公司, 己公司)
C2_ONLY = {C2, "甲公司", "乙公司", "庚公司", "旧公司", "向阳甲", "D1", "D2", "D3", "D4", "D5", "D6"}


def build_roles_street(con) -> None:
    """The small street with an aid record of 向阳社区 too (a person's name only it has)."""
    build_small_street(con)
    con.execute(
        "insert into aid (batch_id, street, community, recipient, campaign, given_on, cash)"
        " select max(batch_id), '示例街道', ?, '向阳甲', '冬送温暖', date '2026-01-05', 300 from aid",
        [C2],
    )


def build_accounts_street(con) -> None:
    """The roles street with an account for each of USERS (the cadre's of 东风社区)."""
    build_roles_street(con)
    for name, role in USERS.items():
        auth.add_user(con, name, PASSWORD, role, C1 if role == auth.CADRE else None)


@pytest.fixture
def accounts_db(tmp_path, monkeypatch):
    path = database_copy(tmp_path / "roles.duckdb", build_accounts_street)
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(path))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    yield path
    scope.enforce(False)  # the login gate turned enforcement on for this process


@pytest.fixture
def exported(monkeypatch):
    """Every table a page hands to data_table: exactly what its Excel and CSV downloads hold. The
    downloads are built only on a click, which AppTest cannot make; here each is built at once."""
    frames = []
    real, real_logged = tables.table_frame, tables.audited

    def spy(*args, **kwargs):
        out = real(*args, **kwargs)
        frames.append(out)
        return out

    def built_now(make, file_name, rows=None):
        make()  # through table_frame (spied) like a click would
        return real_logged(make, file_name, rows)

    monkeypatch.setattr(tables, "table_frame", spy)
    monkeypatch.setattr(tables, "audited", built_now)
    return frames


def login(name: str, password: str = PASSWORD, entry: str = "app.py") -> AppTest:
    at = AppTest.from_file(str(ROOT / entry), default_timeout=90)
    at.query_params["year"] = "2026"
    at.query_params["as_of"] = "2026-06-30"
    at.run()
    assert at.text_input(key="login_user") is not None  # the login form, nothing else
    assert not at.dataframe and not at.metric
    at.text_input(key="login_user").input(name)
    at.text_input(key="login_password").input(password)
    at.button(key="login_submit").click().run()
    return at


def strings(at: AppTest, frames) -> set[str]:
    """Every text a person could read on the page or in its downloads, cell by cell."""
    out: set[str] = set()
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "subheader", "header"):
        out.update(e.value for e in getattr(at, kind))
    for m in at.metric:
        out.update([m.label, str(m.value)])
    for df in at.dataframe:
        frame = df.value
        out.update(str(c) for c in frame.columns)
        out.update(str(v) for v in frame.astype(str).to_numpy().ravel())
    for frame in frames:
        out.update(str(v) for v in frame.astype(str).to_numpy().ravel())
    for chart in at.get("plotly_chart"):
        out.add(json.dumps(json.loads(chart.proto.spec), ensure_ascii=False))
    for ms in at.multiselect:
        out.update(str(o) for o in ms.options)
    return out


def leaks(texts: set[str]) -> set[str]:
    found = {t for t in texts if t in C2_ONLY}
    found |= {C2 for t in texts if C2 in t}  # the community name inside a sentence or chart
    return found


def page_files_for(role: str) -> list[str]:
    return [p for p, _, _ in nav.PAGES if role in nav.PAGE_ROLES.get(p, (role,))]


def test_cadre_sees_only_own_community_on_every_page_and_export(accounts_db, exported):
    at = login("cadre")
    assert not at.exception
    opened = 0
    for page in page_files_for(auth.CADRE):
        exported.clear()
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        texts = strings(at, exported)
        assert not leaks(texts), (page, leaks(texts))
        opened += 1
    assert opened == len(nav.PAGES) - 2  # every page but 数据查询 and 管理员


def test_leader_walk_does_see_the_other_community(accounts_db, exported):
    """The same detector finds 向阳社区's rows for a leader: the cadre test above can fail."""
    at = login("leader")
    found = set()
    for page in page_files_for(auth.LEADER):
        exported.clear()
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        found |= leaks(strings(at, exported))
    assert C2 in found and "乙公司" in found and "D4" in found


@pytest.mark.parametrize(
    "user,page,allowed",
    [
        ("leader", "app_pages/data.py", False),
        ("leader", "app_pages/console.py", False),
        ("leader", "app_pages/admin.py", False),
        ("cadre", "app_pages/data.py", True),
        ("cadre", "app_pages/console.py", False),
        ("cadre", "app_pages/admin.py", False),
        ("analyst", "app_pages/console.py", True),
        ("analyst", "app_pages/data.py", False),
        ("analyst", "app_pages/admin.py", False),
        ("admin", "app_pages/admin.py", True),
        ("admin", "app_pages/data.py", True),
        ("admin", "app_pages/console.py", True),
    ],
)
def test_pages_limited_by_role(accounts_db, user, page, allowed):
    at = login(user)
    at.switch_page(page).run()  # its URL answers every role (a hidden page for those it refuses) ...
    check_refusal(at, user, page, allowed)
    if not allowed:  # ... and the page itself refuses when run on its own
        check_refusal(login(user, entry=page), user, page, allowed)


def check_refusal(at: AppTest, user: str, page: str, allowed: bool) -> None:
    assert not at.exception
    refused = [e.value for e in at.error if "不能使用" in e.value]
    assert bool(refused) is (not allowed)
    assert bool(at.title) is allowed  # a refused page shows nothing of its own
    if not allowed:
        assert [h.value for h in at.header] == ["无权限"]
        assert USERS[user] in refused[0]  # says the reader's role ...
        assert all(r in refused[0] for r in nav.PAGE_ROLES[page])  # ... and which roles may use it
        assert any("联系看板管理员" in c.value for c in at.caption)  # and whom to ask


def test_cadre_cannot_open_another_communitys_profile(accounts_db):
    at = login("cadre")
    at.query_params["ent"] = "U7"  # 乙公司 of 向阳社区
    at.switch_page("app_pages/enterprise.py").run()
    assert not at.exception
    assert not leaks(strings(at, []))
    assert any("没有找到这家企业" in w.value for w in at.warning)


def test_cadre_console_refused_and_analyst_console_runs(accounts_db):
    at = login("analyst")
    at.switch_page("app_pages/console.py").run()
    at.text_area(key="console_sql").input("select community, count(*) as n from v_enterprises group by all order by 1")
    at.button(key="console_run").click().run()
    assert not at.exception
    frame = at.dataframe[-1].value  # the result, under the six schema tables
    assert frame.to_dict("records") == [{"community": C1, "n": 6}, {"community": C2, "n": 3}]
    with scope.using(scope.ALL), db.connect(accounts_db) as con:  # enforcement is on in this process
        log = audit.entries(con, username="analyst")
    assert set(log["action"]) == {"login", "console"}


def test_console_masks_a_renamed_personal_column(accounts_db):
    """An alias used to slip past masking by column name; the console's sandbox holds masked values."""
    at = login("analyst")
    at.switch_page("app_pages/console.py").run()
    at.text_area(key="console_sql").input("select recipient as who from v_aid where recipient is not null order by 1")
    at.button(key="console_run").click().run()
    assert not at.exception
    names = at.dataframe[-1].value["who"].tolist()
    assert names and all(n.endswith("*") for n in names), names
    assert "张三" not in names and "向阳甲" not in names


def test_wrong_password_logged_and_refused(accounts_db):
    at = login("cadre", "wrong-password")
    assert any("用户名或密码不正确" in e.value for e in at.error)
    assert not at.dataframe
    with scope.using(scope.ALL), db.connect(accounts_db) as con:  # enforcement is on in this process
        log = audit.entries(con, actions=["login_failed"])
    assert log["username"].tolist() == ["cadre"] and log["ok"].tolist() == [False]


def test_admin_adds_an_account_and_sees_the_audit_log(accounts_db):
    at = login("admin")
    at.switch_page("app_pages/admin.py").run()
    at.text_input(key="admin_new_name").input("新社区干部")
    at.selectbox(key="admin_new_role").set_value(auth.CADRE)
    at.selectbox(key="admin_new_comm").set_value(C2)
    at.text_input(key="admin_new_pw1").input("another-password")
    at.text_input(key="admin_new_pw2").input("another-password")
    at.button(key="admin_add").click().run()
    assert not at.exception
    assert any("已新增账号" in s.value for s in at.success)
    with scope.using(scope.ALL), db.connect(accounts_db) as con:  # enforcement is on in this process
        assert auth.authenticate(con, "新社区干部", "another-password").viewer.community == C2
    log = at.dataframe[-1].value  # the audit log tab comes last
    assert "账号管理" in set(log["操作"]) and "登录" in set(log["操作"])


def test_a_cadre_is_told_the_figures_cover_their_community_not_all(accounts_db):
    """With no community chosen, a leader's pages say 全部社区; a cadre's say 东风社区, which is all they see."""
    for user, says, never in (("cadre", C1, "全部社区"), ("leader", "全部社区", None)):
        at = login(user)
        for page in (
            "app_pages/overview.py",
            "app_pages/unionization.py",
            "app_pages/wages.py",
            "app_pages/harmonious.py",
        ):
            at.switch_page(page).run()
            captions = " ".join(c.value for c in at.caption)
            assert f"· {says}" in captions, (user, page, captions)
            assert never is None or never not in captions, (user, page, captions)
