"""Loading parsed ledgers: preview counts, snapshot and upsert semantics, duplicates, atomicity."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.ledgers import load
from dashboard.ledgers.model import ERROR, ParsedFile, Problem
from tests.conftest import connect_copy
from tests.ledger_fixtures import STREET, agreement, aid, dispute, ent, parsed, raw_of, sheet

USCC_A = "91110000MA01234567"
USCC_B = "91110000MA07654321"


@pytest.fixture
def con(tmp_path, monkeypatch):
    monkeypatch.setenv(load.ARCHIVE_ENV, str(tmp_path / "archive"))
    with connect_copy(tmp_path / "t.duckdb") as c:
        yield c


def plan_row(plan, ledger, community):
    rows = plan[(plan["ledger"] == ledger) & (plan["community"] == community)]
    assert len(rows) == 1, plan
    return rows.iloc[0][["added", "changed", "removed", "unchanged", "rejected", "warned"]].tolist()


def count(con, sql, params=None):
    return con.execute(sql, params or []).fetchone()[0]


def test_first_registry_is_all_added_and_recorded_as_a_batch(con, tmp_path):
    p = parsed(sheet("enterprises", [ent("东风社区", "甲公司", USCC_A), ent("东风社区", "乙公司")]))
    plan = load.preview(con, p, STREET).plan
    assert plan_row(plan, "enterprises", "东风社区") == [2, 0, 0, 0, 0, 0]
    assert count(con, "select count(*) from enterprises") == 0  # the preview stored nothing

    result = load.import_parsed(con, p, street=STREET, user="张三", raw=b"original bytes")
    assert result.status == "imported"
    assert (result.rows_added, result.rows_changed, result.rows_removed) == (2, 0, 0)
    batch = con.execute(
        "select file_name, sha256, street, ledgers, communities, imported_by, rows_added, status from import_batches"
    ).fetchone()
    assert batch == ("台账.xlsx", p.sha256, STREET, ["enterprises"], ["东风社区"], "张三", 2, "active")
    assert count(con, "select count(*) from v_enterprises") == 2
    archived = tmp_path / "archive" / f"{p.sha256}.xlsx"
    assert archived.read_bytes() == b"original bytes"


def test_new_registry_replaces_the_community_snapshot_and_keeps_history(con):
    first = parsed(
        sheet(
            "enterprises",
            [ent("东风社区", "甲公司", USCC_A), ent("东风社区", "乙公司", employees=10), ent("东风社区", "丁公司")],
        ),
        sheet("enterprises", [ent("和平里社区", "戊公司", USCC_B)], "和平里"),
    )
    load.import_parsed(con, first, street=STREET)
    # 甲 unchanged, 乙 changed (employees), 丁 removed, 丙 added; 和平里 untouched.
    second = parsed(
        sheet(
            "enterprises",
            [ent("东风社区", "甲公司", USCC_A), ent("东风社区", "乙公司", employees=12), ent("东风社区", "丙公司")],
        )
    )
    plan = load.preview(con, second, STREET).plan
    assert plan_row(plan, "enterprises", "东风社区") == [1, 1, 1, 1, 0, 0]
    result = load.import_parsed(con, second, street=STREET)
    assert (result.rows_added, result.rows_changed, result.rows_removed) == (1, 1, 1)
    current = con.execute("select community, name, employees from v_enterprises order by community, name").fetchall()
    assert current == [
        ("东风社区", "丙公司", 30),
        ("东风社区", "乙公司", 12),
        ("东风社区", "甲公司", 30),
        ("和平里社区", "戊公司", 30),
    ]
    assert count(con, "select count(*) from v_enterprises_history") == 7


def test_identical_file_changes_nothing_and_says_so(con):
    p = parsed(sheet("enterprises", [ent("东风社区", "甲公司", USCC_A)]))
    first = load.import_parsed(con, p, street=STREET, raw=raw_of(p))
    again = load.import_parsed(con, p, street=STREET, raw=raw_of(p))
    assert again.status == "duplicate"
    assert again.batch_id == first.batch_id
    assert "完全相同" in again.message and "未作任何更改" in again.message
    assert count(con, "select count(*) from import_batches") == 1
    assert count(con, "select count(*) from enterprises") == 1
    assert load.preview(con, p, STREET).duplicate_of == first.batch_id


def test_agreement_upserts_by_uscc_and_signed_date(con):
    load.import_parsed(
        con,
        parsed(
            sheet(
                "wage_agreements",
                [
                    agreement("东风社区", "甲公司", USCC_A, date(2026, 3, 5), covered_employees=30),
                    agreement("东风社区", "甲公司", USCC_A, date(2025, 3, 5)),
                ],
            )
        ),
        street=STREET,
    )
    # Same uscc + date: a change, whatever the name is spelled like now; a new date: an addition.
    second = parsed(
        sheet(
            "wage_agreements",
            [
                agreement("东风社区", "甲 公司", USCC_A, date(2026, 3, 5), covered_employees=35),
                agreement("东风社区", "甲公司", USCC_A, date(2027, 3, 5)),
                agreement("东风社区", "甲公司", USCC_A, date(2025, 3, 5)),
            ],
        )
    )
    assert plan_row(load.preview(con, second, STREET).plan, "wage_agreements", "东风社区") == [1, 1, 0, 1, 0, 0]
    result = load.import_parsed(con, second, street=STREET)
    live = con.execute("select signed_on, covered_employees, batch_id from v_wage_agreements order by 1").fetchall()
    assert live == [
        (date(2025, 3, 5), 30, result.batch_id),
        (date(2026, 3, 5), 35, result.batch_id),
        (date(2027, 3, 5), 30, result.batch_id),
    ]
    assert count(con, "select count(*) from wage_agreements where superseded_by = ?", [result.batch_id]) == 2


def test_without_uscc_the_key_is_the_name_within_its_community(con):
    load.import_parsed(
        con,
        parsed(sheet("harmonious", [{"community": "东风社区", "name": "甲公司", "year": 2026, "grade": "A"}])),
        street=STREET,
    )
    second = parsed(
        sheet(
            "harmonious",
            [
                {"community": "东风社区", "name": "甲公司", "year": 2026, "grade": "AA"},  # change
                {"community": "和平里社区", "name": "甲公司", "year": 2026, "grade": "A"},  # another enterprise
            ],
        )
    )
    plan = load.preview(con, second, STREET).plan
    assert plan_row(plan, "harmonious", "东风社区")[:2] == [0, 1]
    assert plan_row(plan, "harmonious", "和平里社区")[:2] == [1, 0]
    load.import_parsed(con, second, street=STREET)
    assert con.execute("select community, grade from v_harmonious order by 1").fetchall() == [
        ("东风社区", "AA"),
        ("和平里社区", "A"),
    ]


def test_aid_and_dispute_keys(con):
    load.import_parsed(
        con,
        parsed(
            sheet("aid", [aid("东风社区", "张三", "110101199003071234", "冬送温暖", date(2026, 1, 10))]),
            sheet("disputes", [dispute("东风社区", "2026-001", "甲公司", date(2026, 2, 1))], "争议"),
        ),
        street=STREET,
    )
    second = parsed(
        sheet(
            "aid",
            [
                # Same id number, campaign and date: the same handout, name corrected.
                aid("东风社区", "张叁", "110101199003071234", "冬送温暖", date(2026, 1, 10), cash=600.0),
                aid("东风社区", "李四", None, "冬送温暖", date(2026, 1, 10)),
            ],
        ),
        sheet("disputes", [dispute("东风社区", "2026-001", "甲公司", date(2026, 2, 1), outcome="调解成功")], "争议"),
    )
    plan = load.preview(con, second, STREET).plan
    assert plan_row(plan, "aid", "东风社区")[:3] == [1, 1, 0]
    assert plan_row(plan, "disputes", "东风社区")[:3] == [0, 1, 0]
    load.import_parsed(con, second, street=STREET)
    assert con.execute("select recipient, cash from v_aid order by recipient").fetchall() == [
        ("张叁", 600),
        ("李四", 500),
    ]
    # Each aid row stores its person: the ID number, else 'P:' community and name.
    assert con.execute("select recipient, person_key from v_aid order by recipient").fetchall() == [
        ("张叁", "110101199003071234"),
        ("李四", "P:东风社区|李四"),
    ]
    assert con.execute("select outcome from v_disputes").fetchall() == [("调解成功",)]


def test_duplicate_keys_across_sheets_keep_the_first_row_and_reject_the_later(con):
    # Within one sheet the parser rejects repeats; across sheets of one file the loader does the same.
    p = parsed(
        sheet("enterprises", [ent("东风社区", "甲公司", USCC_A, employees=10)], "一季度"),
        sheet("enterprises", [ent("东风社区", "甲公司", USCC_A), ent("东风社区", "乙公司")], "二季度"),
    )
    preview = load.preview(con, p, STREET)
    dup = [x for x in preview.problems if "同一条记录" in x.message]
    assert [(x.sheet, x.row, x.severity) for x in dup] == [("二季度", 3, "error")]
    assert "工作表「一季度」第3行" in dup[0].message
    assert plan_row(preview.plan, "enterprises", "东风社区") == [2, 0, 0, 0, 1, 0]
    result = load.import_parsed(con, p, street=STREET)
    assert result.rows_rejected == 1
    assert con.execute("select name, employees, source_sheet from v_enterprises order by name").fetchall() == [
        ("乙公司", 30, "二季度"),
        ("甲公司", 10, "一季度"),
    ]


def test_rejected_and_warned_rows_are_counted_per_community(con):
    problems = [
        Problem(ERROR, "「职工人数」为“很多”，应为整数。", sheet="Sheet1", row=9, column="职工人数"),
        Problem("warning", "缺少统一社会信用代码。", sheet="Sheet1", row=3, column="统一社会信用代码"),
    ]
    p = parsed(sheet("enterprises", [ent("东风社区", "甲公司")], rejected=1, problems=problems))
    assert plan_row(load.preview(con, p, STREET).plan, "enterprises", "东风社区") == [1, 0, 0, 0, 1, 1]
    result = load.import_parsed(con, p, street=STREET)
    assert (result.rows_rejected, result.rows_warned) == (1, 1)
    assert con.execute("select rows_rejected, rows_warned from import_batches").fetchone() == (1, 1)


def test_unreadable_or_empty_files_change_nothing(con):
    fatal = ParsedFile("坏.xlsx", "abc", fatal="文件已损坏，无法读取。请用 Excel 打开另存后再上传。")
    result = load.import_parsed(con, fatal, street=STREET, raw=b"x")
    assert (result.status, result.message) == ("failed", fatal.fatal)
    empty = parsed(sheet("enterprises", []))
    assert load.import_parsed(con, empty, street=STREET).status == "empty"
    assert count(con, "select count(*) from import_batches") == 0


def test_a_failure_half_way_leaves_the_database_as_it_was(con, monkeypatch):
    load.import_parsed(con, parsed(sheet("enterprises", [ent("东风社区", "甲公司", USCC_A)])), street=STREET)
    before = con.execute("select * from enterprises order by all").fetchall()
    real_write = load._write

    def write_then_fail(c, ledger, *args):
        real_write(c, ledger, *args)
        if ledger == "wage_agreements":
            raise RuntimeError("disk full")

    monkeypatch.setattr(load, "_write", write_then_fail)
    p = parsed(
        sheet("enterprises", [ent("东风社区", "乙公司")]),
        sheet("wage_agreements", [agreement("东风社区", "乙公司", None, date(2026, 1, 1))], "协商"),
    )
    with pytest.raises(RuntimeError):
        load.import_parsed(con, p, street=STREET)
    assert con.execute("select * from enterprises order by all").fetchall() == before
    assert count(con, "select count(*) from wage_agreements") == 0
    assert count(con, "select count(*) from import_batches") == 1


def test_archive_file_name_never_comes_from_the_user(tmp_path):
    target = load.archive_file(b"x", "ab" * 32, "../../etc/passwd", tmp_path)
    assert target == tmp_path / ("ab" * 32)
    assert load.archive_file(b"x", "cd" * 32, "a.XLSX", tmp_path).name == "cd" * 32 + ".xlsx"


def test_saved_mappings_round_trip(con):
    load.save_mapping(con, "sig1", "enterprises", {"单位": "name"})
    load.save_mapping(con, "sig1", "enterprises", {"单位名": "name"})
    assert load.saved_mappings(con) == {"sig1": {"单位名": "name", "__ledger__": "enterprises"}}


def test_import_files_parses_imports_and_reports_progress(con, tmp_path):
    from openpyxl import Workbook

    paths = []
    for community, names in (("东风", ["甲公司", "乙公司"]), ("向阳", ["丙公司"])):
        wb = Workbook()
        ws = wb.active
        ws.append([f"{community}社区企业建会情况台账"])
        ws.append(["企业名称", "职工人数", "建会情况"])
        for name in names:
            ws.append([name, 30, "是"])
        paths.append(tmp_path / f"{community}.xlsx")
        wb.save(paths[-1])
    paths.append(tmp_path / "不存在.xlsx")
    seen: list[tuple[float, str]] = []
    results = load.import_files(con, paths, street=STREET, user="示例数据", progress=lambda f, t: seen.append((f, t)))
    assert [r.status for r in results] == ["imported", "imported", "failed"]
    assert "无法读取文件「不存在.xlsx」" in results[2].message
    assert con.execute("select community, count(*) from v_enterprises group by 1 order by 1").fetchall() == [
        ("东风社区", 2),
        ("向阳社区", 1),
    ]
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and seen[-1][1] == "导入完成"
    assert (tmp_path / "archive" / f"{results[0].sha256}.xlsx").read_bytes() == paths[0].read_bytes()
