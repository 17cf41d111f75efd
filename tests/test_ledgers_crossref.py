"""Cross-ledger warnings: enterprises missing from the registry, people aided twice in one campaign."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.ledgers import load
from dashboard.privacy import mask_name
from tests.conftest import connect_copy
from tests.ledger_fixtures import STREET, agreement, aid, dispute, ent, grade, parsed, sheet

USCC_A = "91110000MA01234567"
ID_1 = "110101199003071234"


@pytest.fixture
def con(tmp_path, monkeypatch):
    monkeypatch.setenv(load.ARCHIVE_ENV, str(tmp_path / "archive"))
    with connect_copy(tmp_path / "t.duckdb") as c:
        load.import_parsed(
            c,
            parsed(sheet("enterprises", [ent("东风社区", "甲公司", USCC_A), ent("东风社区", "乙公司")])),
            street=STREET,
        )
        yield c


def warnings(con, p):
    return [(x.sheet, x.row, x.column, x.message) for x in load.preview(con, p, STREET).problems]


def test_rows_for_enterprises_outside_the_registry_are_warned(con):
    p = parsed(
        sheet(
            "wage_agreements",
            [
                agreement("东风社区", "甲公司（新名）", USCC_A, date(2026, 1, 1)),  # found by uscc
                agreement("东风社区", "乙公司", None, date(2026, 1, 1)),  # found by name
                agreement("东风社区", "丙公司", None, date(2026, 1, 1)),  # unknown
            ],
            "协商",
        ),
        sheet("harmonious", [grade("东风社区", "丁公司", "91110000MA0000000X", 2026)], "和谐"),
        sheet("disputes", [dispute("东风社区", "2026-1", "乙公司", date(2026, 2, 1))], "争议"),
    )
    found = warnings(con, p)
    assert [(s, r, c) for s, r, c, _ in found] == [("协商", 5, "企业名称"), ("和谐", 3, "企业名称")]
    assert "「丙公司」不在东风社区的企业名录中" in found[0][3]


def test_a_registry_in_the_same_upload_is_the_one_checked_against(con):
    p = parsed(
        sheet("enterprises", [ent("东风社区", "丙公司")]),
        sheet("wage_agreements", [agreement("东风社区", "丙公司", None, date(2026, 1, 1))], "协商"),
        sheet("harmonious", [grade("东风社区", "甲公司", USCC_A, 2026)], "和谐"),  # dropped from the new registry
    )
    assert [(s, r) for s, r, _, _ in warnings(con, p)] == [("和谐", 3)]


def test_a_community_without_any_registry_gets_one_note_not_one_per_row(con):
    rows = [agreement("和平里社区", f"企业{i}", None, date(2026, 1, 1)) for i in range(3)]
    found = warnings(con, parsed(sheet("wage_agreements", rows, "协商")))
    assert len(found) == 1
    sheet_name, row, _, message = found[0]
    assert (sheet_name, row) == ("协商", None)
    assert "和平里社区还没有导入企业名录" in message and "3 行" in message


def test_the_same_person_aided_twice_in_one_campaign(con):
    load.import_parsed(
        con, parsed(sheet("aid", [aid("东风社区", "张三", ID_1, "冬送温暖", date(2026, 1, 10))])), street=STREET
    )
    p = parsed(
        sheet(
            "aid",
            [
                aid("东风社区", "张三", ID_1, "冬送温暖", date(2026, 1, 20)),  # twice against batch 2
                aid("东风社区", "张三", ID_1, "冬送温暖", date(2025, 1, 20)),  # another year: fine
                aid("东风社区", "张三", ID_1, "金秋助学", date(2026, 9, 1)),  # another campaign: fine
                aid("东风社区", "李四", None, "节日慰问", date(2026, 2, 1), festival="春节"),
                aid("东风社区", "李四", None, "节日慰问", date(2026, 9, 1), festival="中秋"),  # another festival
            ],
            "慰问",
        ),
        # Twice within the file, in another sheet (the parser checks repeats inside one sheet).
        sheet(
            "aid", [aid("东风社区", "李四", None, "节日慰问", date(2026, 2, 3), festival="春节")], "补发", first_row=8
        ),
    )
    found = warnings(con, p)
    assert [(s, r, c) for s, r, c, _ in found] == [("慰问", 3, "姓名"), ("补发", 8, "姓名")]
    assert "张*在 2026 年「冬送温暖」中已于 2026-01-10 领取过（批次 #2）" in found[0][3]
    assert "李*在 2026 年「节日慰问」中已于 2026-02-01 领取过（工作表「慰问」第6行）" in found[1][3]


def test_re_importing_the_same_handout_is_not_aiding_twice(con):
    load.import_parsed(
        con, parsed(sheet("aid", [aid("东风社区", "张三", ID_1, "冬送温暖", date(2026, 1, 10))])), street=STREET
    )
    p = parsed(sheet("aid", [aid("东风社区", "张三", ID_1, "冬送温暖", date(2026, 1, 10), cash=800.0)]))
    assert warnings(con, p) == []


def test_mask_name():
    assert [mask_name(n) for n in ("张三", "欧阳娜娜", "", None)] == ["张*", "欧阳**", "", ""]
