"""报送情况 under AppTest, for a leader and for a cadre (logged in through the form).

The street: 东风社区 sent its registry on 5 Mar and 5 Dec 2025 and its aid ledger on 20 Aug 2025; 向阳社区
a registry upload that was undone and an aid ledger on 5 May, in no campaign's window. The page shows plan
year 2025, which has ended (every period of 2025, last winter's campaign included, closed with its grace
days by 10 Feb 2026), so the statuses do not depend on the day the test runs. Default settings: 13 ledgers,
grace 10 days.

Worked by hand: per community, periods of 2025 = 3 monthly ledgers × 12 + 5 quarterly × 4 + 4 yearly × 1
+ aid's 5 campaigns overlapping 2025 (冬送温暖 Dec 2024–Jan 2025, 春送岗位, 夏送凉爽, 金秋助学, 冬送温暖
Dec 2025–Jan 2026) = 65. 向阳: all 65 逾期. 东风: registry Feb (5 Mar is in Feb's grace), Mar, Nov (5 Dec in
Nov's grace), Dec sent; aid 夏送凉爽 and 金秋助学 (20 Aug is in both) sent: 65 - 6 = 59 逾期. Street: 124.
"""

from datetime import date, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth, scope, submissions
from tests.conftest import add_batch, database_copy
from tests.test_submissions import sent

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a-long-password"
E, W = "东风社区", "向阳社区"
EVIL = "[点此登录](http://evil.example)东风.xlsx"


def build_sent_street(con) -> None:
    sent(con, "enterprises", E, datetime(2025, 3, 5, 9), user="李四", file_name=EVIL)
    sent(con, "enterprises", E, datetime(2025, 12, 5, 9), user="李四", counts=(2, 1, 0))
    # a real aid row (so 2025 is a plan year to pick), its batch dated 20 Aug 2025
    aid = add_batch(
        con, "aid", [{"community": E, "recipient": "张三", "campaign": "夏送凉爽", "given_on": date(2025, 8, 20)}]
    )
    con.execute("update import_batches set imported_at = ? where batch_id = ?", [datetime(2025, 8, 20, 9), aid])
    sent(con, "enterprises", W, datetime(2025, 5, 5, 9), status="undone")
    # 向阳's aid of 1 May, sent 5 May: in no campaign's window (春送岗位's closed 10 Apr), so nothing is covered
    late = add_batch(
        con, "aid", [{"community": W, "recipient": "王五", "campaign": "日常帮扶", "given_on": date(2025, 5, 1)}]
    )
    con.execute("update import_batches set imported_at = ? where batch_id = ?", [datetime(2025, 5, 5, 9), late])


def build_sent_street_with_accounts(con) -> None:
    build_sent_street(con)
    auth.add_user(con, "leader", PASSWORD, auth.LEADER)
    auth.add_user(con, "xiangyang", PASSWORD, auth.CADRE, W, new_community=True)


@pytest.fixture
def sent_db(tmp_path, monkeypatch):
    path = database_copy(tmp_path / "sent.duckdb", build_sent_street_with_accounts)
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(path))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    yield path
    scope.enforce(False)  # the login gate turned enforcement on for this process


def login(name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["year"] = "2025"
    at.run()
    at.text_input(key="login_user").input(name)
    at.text_input(key="login_password").input(PASSWORD)
    at.button(key="login_submit").click().run()
    assert not at.exception
    at.switch_page("app_pages/submissions.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def tables(at: AppTest):
    return [d.value for d in at.dataframe]


def test_leader_sees_every_community_with_overdue_cells_and_reminders(sent_db):
    at = login("leader")
    assert [t.value for t in at.title] == ["报送情况 · 2025年"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["有逾期台账的社区"] == "2 个"
    assert metrics["逾期"] == "124 期"
    assert metrics["已报送"] == "6 期"
    lines = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert len(lines) == 2 and lines[0].startswith("- 向阳社区：")  # 65 overdue before 东风's 59
    assert "企业名录及建会台账 1月、4月、5月、6月、7月、8月、9月、10月未报送" in lines[1]
    grid = next(t for t in tables(at) if "1月" in t.columns)
    assert len(grid) == 26  # 2 communities × 13 ledgers
    reg = grid[(grid["社区"] == E) & (grid["台账"] == "企业名录及建会台账")].iloc[0]
    assert [reg[m] for m in ("1月", "2月", "3月", "4月", "11月", "12月")] == [
        submissions.CELL_OVERDUE,
        submissions.CELL_COVERED,
        submissions.CELL_SENT,
        submissions.CELL_OVERDUE,
        submissions.CELL_COVERED,
        submissions.CELL_SENT,
    ]
    latest = next(t for t in tables(at) if "文件名" in t.columns)
    row = latest[(latest["社区"] == E) & (latest["台账"] == "企业名录及建会台账")].iloc[0]
    assert row["导入人"] == "李四" and row["新增（行）"] == 2 and row["修改（行）"] == 1
    w = latest[latest["社区"] == W].set_index("台账")["报送状态"]
    assert w["企业名录及建会台账"] == submissions.NOT_SENT  # its only registry upload was undone
    assert w["帮扶救助台账"] == submissions.SENT and (w == submissions.NOT_SENT).sum() == 12
    # the copy block holds the reminders as plain text
    assert at.code[0].value.splitlines()[0].startswith("向阳社区：")
    # no ledger text reaches Markdown unescaped
    assert not any("](http" in m.value for m in at.markdown)


def test_a_cadre_sees_her_own_community_only(sent_db):
    at = login("xiangyang")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["有逾期台账的社区"] == "1 个" and metrics["逾期"] == "65 期"
    grid = next(t for t in tables(at) if "1月" in t.columns)
    assert set(grid["社区"]) == {W}
    everything = " ".join(t.astype(str).to_string() for t in tables(at)) + " ".join(m.value for m in at.markdown)
    assert E not in everything and "李四" not in everything and "evil" not in everything
    assert at.code[0].value.startswith("向阳社区：")


def test_admin_changes_a_cadence_and_the_page_follows(sent_db, tmp_path, monkeypatch):
    from dashboard import db

    settings_file = tmp_path / "settings.toml"
    monkeypatch.setenv("UNION_DASHBOARD_SETTINGS", str(settings_file))
    with db.connect(sent_db) as c:
        auth.add_user(c, "boss", PASSWORD, auth.ADMIN)
    at = login("boss")
    at.switch_page("app_pages/admin.py").run()
    assert at.selectbox(key="admin_s_enterprises").value == "monthly"
    at.selectbox(key="admin_s_enterprises").set_value("yearly")
    at.button(key="admin_save_settings").click().run()
    assert not at.exception and 'enterprises = "yearly"' in settings_file.read_text(encoding="utf-8")
    at.switch_page("app_pages/submissions.py").run()
    # the registry is now one period a year per community: 东风 sent it (Mar, Dec), 向阳 did not.
    # 124 overdue before - 8 (东风's monthly) - 12 (向阳's monthly) + 1 (向阳's year) = 105
    assert {m.label: m.value for m in at.metric}["逾期"] == "105 期"
