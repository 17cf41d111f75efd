"""报送情况 (dashboard/submissions.py): periods, the grid, reminders and the latest batch, worked out by hand
over a few batches with fixed dates; and the loader storing each batch's parts."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from dashboard import config, db, scope, submissions
from dashboard.filters import Filters
from dashboard.ledgers import load
from dashboard.ledgers.undo import undo_batch
from tests.conftest import connect_copy
from tests.ledger_fixtures import STREET, dispute, ent, parsed, sheet

E, W = "东风社区", "向阳社区"
TODAY = "2026-11-15"


def small_settings(communities=(W,)) -> config.Settings:
    """The defaults with a small [submissions] table: four ledgers asked for, grace 10 days."""
    s = config.load_settings()
    s.raw["communities"] = list(communities)
    s.raw["submissions"] = {
        "grace_days": 10,
        "enterprises": "monthly",
        "harmonious": "yearly",
        "aid": "campaign",
        "info_submissions": "quarterly",
        "campaigns": {"夏送凉爽": [7, 8], "冬送温暖": [12, 1]},
    }
    return s


def sent(con, ledger, community, when, *, user="张三", file_name=None, counts=(1, 0, 0), status="active", also=()):
    """One batch imported at `when` holding `ledger` of `community` (and of the communities in `also`)."""
    batch_id = con.execute("select nextval('batch_id_seq')").fetchone()[0]
    communities = sorted([community, *also])
    con.execute(
        "insert into import_batches (batch_id, file_name, sha256, street, ledgers, communities, imported_at,"
        " imported_by, status) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [batch_id, file_name or f"{ledger}-{batch_id}.xlsx", f"sha{batch_id}", STREET, [ledger], communities,
         when, user, status],
    )  # fmt: skip
    for c in communities:
        con.execute(
            "insert into import_batch_parts values (?, ?, ?, ?, ?, ?, ?)", [batch_id, ledger, STREET, c, *counts]
        )
    return batch_id


@pytest.fixture
def street(tmp_path):
    """东风社区 sends a few ledgers in 2026; 向阳社区 (listed in the settings only) sends nothing."""
    with connect_copy(tmp_path / "s.duckdb") as con:
        sent(con, "enterprises", E, datetime(2026, 9, 3, 9))
        sent(con, "enterprises", E, datetime(2026, 10, 8, 9))
        sent(con, "enterprises", E, datetime(2026, 11, 2, 9), user="李四", file_name="东风<b>名录</b>.xlsx",
             counts=(2, 1, 3))  # fmt: skip
        sent(con, "enterprises", E, datetime(2026, 11, 10, 9), status="undone")  # never counts
        sent(con, "enterprises", W, datetime(2026, 10, 20, 9), status="undone")
        sent(con, "info_submissions", E, datetime(2026, 4, 5, 9))
        sent(con, "aid", E, datetime(2026, 8, 15, 9))
        yield con


F = Filters(year=2026)


def test_periods_of_each_cadence():
    s = small_settings()
    months = submissions.periods("enterprises", "monthly", 2026, s)
    assert [(p.label, p.start, p.end) for p in months[:2]] == [
        ("1月", date(2026, 1, 1), date(2026, 1, 31)),
        ("2月", date(2026, 2, 1), date(2026, 2, 28)),
    ]
    quarters = submissions.periods("x", "quarterly", 2026, s)
    assert [(p.label, p.end) for p in quarters] == [
        ("第一季度", date(2026, 3, 31)),
        ("第二季度", date(2026, 6, 30)),
        ("第三季度", date(2026, 9, 30)),
        ("第四季度", date(2026, 12, 31)),
    ]
    # campaigns overlapping 2026: last winter's (Dec 2025 - Jan 2026), summer, this winter's (into 2027)
    camp = submissions.periods("aid", "campaign", 2026, s)
    assert [(p.label, p.start, p.end) for p in camp] == [
        ("冬送温暖（2025年12月—2026年1月）", date(2025, 12, 1), date(2026, 1, 31)),
        ("夏送凉爽", date(2026, 7, 1), date(2026, 8, 31)),
        ("冬送温暖（2026年12月—2027年1月）", date(2026, 12, 1), date(2027, 1, 31)),
    ]
    assert submissions.periods("x", "none", 2026, s) == []


def test_an_unknown_cadence_is_a_chinese_message():
    s = small_settings()
    s.raw["submissions"]["disputes"] = "weekly"
    with pytest.raises(submissions.SettingsError, match=r"劳动争议调解台账.*weekly"):
        submissions.cadences(s)


def test_period_statuses_by_hand(street):
    table = submissions.periods_frame(street, F, small_settings(), today=TODAY)
    got = {(r.community, r.ledger, r.period): (r.status, r.batches) for r in table.itertuples()}
    # 东风 registry, monthly, grace 10 days, today 15 Nov:
    #   Jan-Jul: no batch within [1st, month end + 10 days], and that window has passed -> 逾期
    #   Aug: the 3 Sep batch is within Aug's grace (to 10 Sep) -> 已报送; Sep: 3 Sep and 8 Oct (grace to 10 Oct)
    #   Oct: 8 Oct and 2 Nov (10 Nov undone: never counts); Nov: 2 Nov; Dec: not begun -> 未到期
    assert [got[(E, "enterprises", f"{m}月")][0] for m in range(1, 13)] == [submissions.OVERDUE] * 7 + [
        submissions.SENT
    ] * 4 + [submissions.NOT_YET]
    assert [got[(E, "enterprises", f"{m}月")][1] for m in (8, 9, 10, 11)] == [1, 2, 2, 1]
    # 东风 信息报送, quarterly: 5 Apr is in Q1's grace (to 10 Apr) and in Q2 -> both 已报送; Q3 nothing by
    # 10 Oct -> 逾期; Q4 under way -> 待报送
    assert [got[(E, "info_submissions", q)][0] for q in submissions.QUARTERS] == [
        submissions.SENT,
        submissions.SENT,
        submissions.OVERDUE,
        submissions.DUE,
    ]
    # 东风 帮扶救助: last winter's campaign (to 31 Jan, grace to 10 Feb) never sent -> 逾期; summer sent 15 Aug
    assert got[(E, "aid", "冬送温暖（2025年12月—2026年1月）")][0] == submissions.OVERDUE
    assert got[(E, "aid", "夏送凉爽")] == (submissions.SENT, 1)
    assert got[(E, "aid", "冬送温暖（2026年12月—2027年1月）")][0] == submissions.NOT_YET
    # 和谐企业: yearly, the year under way -> 待报送
    assert got[(E, "harmonious", "2026年")][0] == submissions.DUE
    # 向阳 sent nothing (its undone October batch does not count): registry Jan-Oct 逾期 (Oct's grace ended
    # 10 Nov), Nov 待报送
    assert [got[(W, "enterprises", f"{m}月")][0] for m in (10, 11)] == [submissions.OVERDUE, submissions.DUE]
    counts = submissions.status_counts(table)
    # 东风 overdue: 7 + 1 + 1 = 9; 向阳: registry 10 + info 3 + aid 2 (last winter, summer) = 15
    assert counts[submissions.OVERDUE] == 24


def test_grid_cells_by_hand(street):
    grid = submissions.grid(street, F, small_settings(), today=TODAY).set_index(["community", "ledger"])
    reg = grid.loc[(E, "enterprises")]
    x, ok, cov, due = submissions.CELL_OVERDUE, submissions.CELL_SENT, submissions.CELL_COVERED, submissions.CELL_DUE
    # batches imported in Sep, Oct, Nov; Aug sent in its grace (3 Sep); Jan-Jul overdue; Dec not begun
    assert [reg[m] for m in submissions.MONTHS] == [x] * 7 + [cov, ok, ok, ok, ""]
    assert reg["overdue"] == 7
    info = grid.loc[(E, "info_submissions")]
    # Q1 sent (5 Apr, in its grace): Jan-Mar covered; Apr has the batch; May, Jun covered by Q2; Q3 overdue
    assert [info[m] for m in submissions.MONTHS] == [cov] * 3 + [ok, cov, cov] + [x] * 3 + [due] * 3
    aid = grid.loc[(E, "aid")]
    # January is in last winter's campaign (overdue); Jul covered, Aug sent; December's campaign not begun
    assert [aid[m] for m in submissions.MONTHS] == [x] + [""] * 5 + [cov, ok] + [""] * 4
    assert grid.loc[(W, "harmonious")]["overdue"] == 0
    assert set(grid.loc[(W, "harmonious")][list(submissions.MONTHS)]) == {due}


def test_reminders_by_hand(street):
    lines = submissions.reminder_lines(street, F, small_settings(), today=TODAY)
    months = "、".join(f"{m}月" for m in range(1, 11))
    assert lines == [  # most overdue first: 向阳 15, 东风 9
        f"向阳社区：企业名录及建会台账 {months}未报送；帮扶救助台账 冬送温暖（2025年12月—2026年1月）、夏送凉爽未报送；"
        "信息报送台账 第一季度、第二季度、第三季度未报送。",
        "东风社区：企业名录及建会台账 1月、2月、3月、4月、5月、6月、7月未报送；"
        "帮扶救助台账 冬送温暖（2025年12月—2026年1月）未报送；信息报送台账 第三季度未报送。",
    ]
    frame = submissions.reminders(street, F, small_settings(), today=TODAY)
    assert list(frame["overdue"]) == [15, 9]


def test_overdue_counts_by_hand(street):
    """总览's summary: per community the overdue periods of test_period_statuses_by_hand, most first."""
    frame = submissions.overdue_counts(street, F, small_settings(), today=TODAY)
    # 向阳: registry Jan-Oct 10 + 信息报送 Q1-Q3 3 + 帮扶 last winter and summer 2 = 15;
    # 东风: registry Jan-Jul 7 + 信息报送 Q3 1 + 帮扶 last winter 1 = 9
    assert list(frame.itertuples(index=False, name=None)) == [(W, 15), (E, 9)]
    assert frame["overdue"].dtype == "int64"
    # 20 Dec: 向阳's November window ended 10 Dec (16); 东风's November was sent on 2 Nov (still 9);
    # December, Q4 and the year's 和谐企业 are still within their grace days
    later = submissions.overdue_counts(street, F, small_settings(), today="2026-12-20")
    assert list(later.itertuples(index=False, name=None)) == [(W, 16), (E, 9)]
    # 1 Feb: only last winter's campaign (grace to 10 Feb) and January (grace to 10 Feb) not yet over
    assert submissions.overdue_counts(street, F, small_settings(), today="2026-02-01").empty
    # the same rows as the reminders' first two columns
    full = submissions.reminders(street, F, small_settings(), today=TODAY)
    assert frame.equals(full[["community", "overdue"]])


def test_overdue_counts_ties_by_name_and_scope(street, tmp_path):
    # a third community listed in the settings, nothing sent: 向阳's 15 as well, named first in Python's order
    s = small_settings(communities=(W, "光明社区"))
    frame = submissions.overdue_counts(street, F, s, today=TODAY)
    assert list(frame.itertuples(index=False, name=None)) == [("光明社区", 15), (W, 15), (E, 9)]
    only_e = Filters(year=2026, communities=(E,))
    assert list(submissions.overdue_counts(street, only_e, s, today=TODAY)["community"]) == [E]
    street.execute("checkpoint")
    path = street.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()
    with scope.using(scope.Scope((E,))), db.connect(path[0]) as con:
        got = submissions.overdue_counts(con, F, s, today=TODAY)
    assert list(got.itertuples(index=False, name=None)) == [(E, 9)]


def test_a_later_today_turns_pending_into_overdue(street):
    # 20 Dec: 东风's Nov registry was sent, 向阳's Nov window ended 10 Dec -> overdue; Q4 still in grace
    table = submissions.periods_frame(street, F, small_settings(), today="2026-12-20")
    got = {(r.community, r.ledger, r.period): r.status for r in table.itertuples()}
    assert got[(W, "enterprises", "11月")] == submissions.OVERDUE
    assert got[(E, "enterprises", "11月")] == submissions.SENT
    assert got[(E, "info_submissions", "第四季度")] == submissions.DUE


def test_latest_batch_per_community_and_ledger(street):
    frame = submissions.latest(street, F, small_settings())
    reg = frame[(frame["community"] == E) & (frame["ledger"] == "enterprises")].iloc[0]
    # the 10 Nov batch is undone: the latest active one is 2 Nov's, by 李四, with its own part's counts
    assert reg["imported_at"] == datetime(2026, 11, 2, 9) and reg["imported_by"] == "李四"
    assert (reg["rows_added"], reg["rows_changed"], reg["rows_removed"]) == (2, 1, 3)
    assert reg["status"] == submissions.SENT
    # 向阳 has no active batch of any ledger asked for: four rows, all 未报送, blank otherwise
    w = frame[frame["community"] == W]
    assert list(w["ledger"]) == ["enterprises", "harmonious", "aid", "info_submissions"]
    assert set(w["status"]) == {submissions.NOT_SENT} and w["imported_at"].isna().all()
    table = submissions.latest_table(frame)
    assert list(table.columns)[:3] == ["社区", "台账", "报送状态"]


def test_communities_filter_and_cadre_scope(street, tmp_path):
    only_w = Filters(year=2026, communities=(W,))
    assert set(submissions.grid(street, only_w, small_settings(), today=TODAY)["community"]) == {W}
    street.execute("checkpoint")
    path = street.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()
    with scope.using(scope.Scope((W,))), db.connect(path[0]) as con:
        assert set(submissions.latest(con, F, small_settings())["community"]) == {W}
        assert [line.split("：")[0] for line in submissions.reminder_lines(con, F, small_settings(), TODAY)] == [W]


# ---- the loader stores the parts --------------------------------------------------------------------


@pytest.fixture
def lcon(tmp_path, monkeypatch):
    monkeypatch.setenv(load.ARCHIVE_ENV, str(tmp_path / "archive"))
    with connect_copy(tmp_path / "t.duckdb") as c:
        yield c


def parts(con, batch_id):
    return con.execute(
        "select ledger, community, rows_added, rows_changed, rows_removed from import_batch_parts"
        " where batch_id = ? order by ledger, community",
        [batch_id],
    ).fetchall()


def test_the_loader_stores_each_ledger_and_community_of_a_file(lcon, tmp_path):
    first = parsed(
        sheet("enterprises", [ent(E, "甲公司", "U-A"), ent(E, "乙公司", employees=10), ent(E, "丁公司")]),
        sheet("enterprises", [ent("和平里社区", "戊公司", "U-B")], "和平里"),
        sheet("disputes", [dispute(E, "D-1", "甲公司", date(2026, 5, 1))], "争议"),
    )
    one = load.import_parsed(lcon, first, street=STREET, user="王五")
    assert parts(lcon, one.batch_id) == [
        ("disputes", E, 1, 0, 0),
        ("enterprises", E, 3, 0, 0),
        ("enterprises", "和平里社区", 1, 0, 0),
    ]
    # a re-upload of 东风's registry: 甲 unchanged, 乙 changed (10 -> 12 staff), 丁 removed, 丙 added
    second = parsed(sheet("enterprises", [ent(E, "甲公司", "U-A"), ent(E, "乙公司", employees=12), ent(E, "丙公司")]))
    two = load.import_parsed(lcon, second, street=STREET)
    assert parts(lcon, two.batch_id) == [("enterprises", E, 1, 1, 1)]
    # undo keeps the parts; the batch's status says they no longer count
    undo_batch(lcon, two.batch_id, "管理员")
    assert parts(lcon, two.batch_id) == [("enterprises", E, 1, 1, 1)]
    latest = submissions.latest(lcon, F, small_settings(communities=()))
    row = latest[(latest["community"] == E) & (latest["ledger"] == "enterprises")].iloc[0]
    assert row["batch_id"] == one.batch_id and row["rows_added"] == 3


def test_a_cadre_sees_her_part_of_a_shared_file_only(lcon):
    shared = parsed(
        sheet("enterprises", [ent(E, "甲公司", "U-A"), ent(E, "乙公司")]),
        sheet("enterprises", [ent("和平里社区", "戊公司", "U-B")], "和平里"),
    )
    load.import_parsed(lcon, shared, street=STREET, user="王五")
    lcon.execute("checkpoint")
    path = lcon.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()[0]
    with scope.using(scope.Scope(("和平里社区",))), db.connect(path) as con:
        assert con.execute("select community, rows_added from import_batch_parts").fetchall() == [("和平里社区", 1)]
        frame = submissions.latest(con, F, small_settings(communities=()))
        assert set(frame["community"]) == {"和平里社区"}
        sent_row = frame[frame["ledger"] == "enterprises"].iloc[0]
        assert sent_row["rows_added"] == 1 and sent_row["imported_by"] == "王五"  # not the file's 3


# What queries/submissions_communities.sql read before it went to the parts alone: the parts and every
# ledger's view. The importer stores a part for every (batch, ledger, community) it holds rows of, so both
# name the same communities.
VIEWS_AND_PARTS = """
    select distinct community from (
        select street, community from import_batch_parts
        union select street, community from v_enterprises
        union select street, community from v_wage_agreements
        union select street, community from v_harmonious
        union select street, community from v_aid
        union select street, community from v_disputes
    ) where community is not null order by community
"""


def test_the_parts_name_every_community_the_ledgers_hold(lcon, sample_template, tmp_path):
    from tests.conftest import sample_copy

    first = parsed(
        sheet("enterprises", [ent(E, "甲公司", "U-A"), ent(E, "乙公司")]),
        sheet("enterprises", [ent("和平里社区", "戊公司", "U-B")], "和平里"),
        sheet("disputes", [dispute("光明社区", "D-1", "甲公司", date(2026, 5, 1))], "争议"),
    )
    load.import_parsed(lcon, first, street=STREET, user="王五")
    undone = load.import_parsed(lcon, parsed(sheet("enterprises", [ent(W, "丁公司")])), street=STREET)
    undo_batch(lcon, undone.batch_id, "管理员")  # 向阳 sent once, undone: still asked, as before
    s = small_settings(communities=())
    want = [E, "光明社区", "和平里社区", W]
    assert [c for (c,) in lcon.execute(VIEWS_AND_PARTS).fetchall()] == sorted(want)
    assert submissions.expected_communities(lcon, F, s) == sorted(want)
    # the sample street, imported by the first start's own import
    with db.connect(sample_copy(sample_template, tmp_path / "sample.duckdb")) as con:
        old = [c for (c,) in con.execute(VIEWS_AND_PARTS).fetchall()]
        assert len(old) > 1 and submissions.expected_communities(con, F, s) == old


# ---- databases from before schema version 9 ----------------------------------------------------------


def test_upgrading_derives_the_parts_it_can_and_leaves_the_rest_unknown(tmp_path):
    from tests.conftest import add_batch, database_at_version

    path = tmp_path / "old.duckdb"
    with database_at_version(path, 8) as old:
        single = add_batch(old, "enterprises", [ent(E, "甲公司"), ent(E, "乙公司")])
        shared = add_batch(old, "enterprises", [ent(E, "丙公司"), ent(W, "丁公司")])
        gone = add_batch(old, "disputes", [dispute(W, "D-1", "丁公司", date(2026, 5, 1))])
        gone_shared = add_batch(old, "disputes", [dispute(E, "D-2", "甲公司", date(2026, 5, 1))])
        old.execute("update import_batches set rows_added = 2, rows_changed = 1 where batch_id = ?", [single])
        old.execute("update import_batches set rows_added = 2 where batch_id in (?, ?)", [shared, gone])
        # two batches undone before the upgrade: their rows are gone
        undo_batch(old, gone, "管理员")
        old.execute("update import_batches set communities = [?, ?] where batch_id = ?", [E, W, gone_shared])
        undo_batch(old, gone_shared, "管理员")
        assert db.schema_version(old) == 8
    with db.connect(path) as con:
        got = con.execute(
            "select batch_id, ledger, community, rows_added, rows_changed, rows_removed from import_batch_parts"
            " order by batch_id, community"
        ).fetchall()
    assert got == [
        (single, "enterprises", E, 2, 1, 0),  # one part: the file's totals are the part's
        (shared, "enterprises", E, None, None, None),  # two parts: counts unknown
        (shared, "enterprises", W, None, None, None),
        (gone, "disputes", W, 2, 0, 0),  # undone, one ledger of one community: known from the batch
        # gone_shared: undone, two communities, no rows left: no part can be told
    ]


# ---- the meeting pack ----------------------------------------------------------------------------------


def test_pack_sheets_follow_the_grid_and_the_readers_scope(street):
    import io

    import openpyxl

    from dashboard import meeting, meeting_facts, pack

    s = small_settings()
    sheets = pack.submissions_sheets(street, F, s, today=TODAY)
    assert list(sheets) == ["报送情况"]
    grid = sheets["报送情况"]
    assert list(grid.columns[:3]) == ["社区", "台账", "报送周期"] and len(grid) == 8  # 2 communities × 4 ledgers
    row = grid[(grid["社区"] == E) & (grid["台账"] == "企业名录及建会台账")].iloc[0]
    assert row["8月"] == submissions.CELL_COVERED and row["逾期（期）"] == 7  # as worked out above
    # the deck of November seen on 2026-11-15 (the month under way) is as of that day, TODAY of these tests:
    # its 报送情况 slide holds the reminders (15 and 9 overdue periods, worked out above), kept as 9报送提醒
    deck = meeting.meeting_deck(street.cursor(), meeting_facts.month_filters(2026, 11, today=date(2026, 11, 15)), s)
    assert deck.as_of.isoformat() == TODAY
    slide = next(x for x in deck.slides if x.key == "submissions")
    assert list(slide.table["逾期（期）"]) == [15, 9] and slide.headline.value == "2/2"
    assert slide.table["社区"].iloc[0] == "向阳社区"
    # by ledger, most overdue first, the counts adding up to the row's overdue periods
    for row in slide.table.itertuples(index=False):
        counts = [int(part.rsplit(" ", 1)[1].removesuffix("期")) for part in row[2].split("；")]
        assert sum(counts) == row[1] and counts == sorted(counts, reverse=True)
    wb = openpyxl.load_workbook(io.BytesIO(pack.meeting_pack_bytes(deck, sheets)))
    assert wb.sheetnames[-1:] == ["报送情况"] and wb.sheetnames[:-1] == list(deck.tables)
    assert wb["9报送提醒"]["A2"].value == "向阳社区" and wb["9报送提醒"]["C2"].value.startswith("向阳社区：")
    # a cadre's pack: her community's rows only
    street.execute("checkpoint")
    path = street.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()
    with scope.using(scope.Scope((E,))), db.connect(path[0]) as con:
        mine = pack.submissions_sheets(con.cursor(), F, s, today=TODAY)
    assert set(mine["报送情况"]["社区"]) == {E}
    with scope.using(scope.Scope((E,))), db.connect(path[0]) as con:
        mine_deck = meeting.meeting_deck(
            con.cursor(), meeting_facts.month_filters(2026, 11, today=date(2026, 11, 15)), s
        )
    assert list(mine_deck.tables["9报送提醒"]["社区"]) == [E]


def test_the_wall_shows_the_most_overdue_communities_and_counts_the_rest():
    """会议模式's 台账报送情况 slide lists the first SUBMISSION_ROWS communities (most overdue first, as
    reminders sorts them) and says how many more there are and where they are listed."""
    from dashboard import meeting
    from dashboard.ui import slides

    n = slides.SUBMISSION_ROWS + 2
    late = pd.DataFrame(
        {
            "community": [f"社区{i:02d}" for i in range(n)],
            "overdue": [n - i for i in range(n)],
            "text": [f"社区{i:02d}：企业名录 1月未报送。" for i in range(n)],
            "summary": ["企业名录 1期"] * n,
        }
    )
    s = meeting._submissions_slide(late, [f"社区{i:02d}" for i in range(n)])
    assert s.headline.value == f"{n}/{n}"
    html = slides._table(s)
    assert html.count("<tr>") == slides.SUBMISSION_ROWS + 1  # the header and the rows shown
    assert "社区09" in html and "社区10" not in html
    assert "另有2个社区未列出" in html and "“9报送提醒”表" in html
