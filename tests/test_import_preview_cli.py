"""`validate` prints what a re-upload changes (and --json gives it as data); `import` refuses a registry
upload that removes too many enterprises unless --confirm-removals. Workbooks are built in the test."""

from __future__ import annotations

import json

import pytest

from dashboard import db, scope
from dashboard.__main__ import main
from dashboard.ledgers import load
from tests.test_ledgers_cli import write_workbook

HEADER = ["序号", "企业名称", "职工人数（人）", "建会情况", "建会时间"]
# 东风社区 before: 甲 17 人未建会; 乙 30 人独立建会; 丙 40 人联合建会; 丁 50 人独立建会
FIRST = [
    HEADER,
    [1, "甲公司", 17, "否", None],
    [2, "乙公司", 30, "独立建会", "2020-01-01"],
    [3, "丙公司", 40, "联合建会", "2019-05-01"],
    [4, "丁公司", 50, "独立建会", "2020-01-01"],
]
# after: 甲 17 -> 40 人; 乙 独立建会 -> 联合建会; 丙 gone; 丁 the same; 己 26 人独立建会 new
AGAIN = [
    HEADER,
    [1, "甲公司", 40, "否", None],
    [2, "乙公司", 30, "联合建会", "2020-01-01"],
    [3, "丁公司", 50, "独立建会", "2020-01-01"],
    [4, "己公司", 26, "独立建会", "2025-03-01"],
]


@pytest.fixture
def street(tmp_path, monkeypatch):
    monkeypatch.setenv(load.ARCHIVE_ENV, str(tmp_path / "archive"))
    target = tmp_path / "cli.duckdb"
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(target))
    first = write_workbook(tmp_path / "东风名录.xlsx", FIRST)
    again = write_workbook(tmp_path / "东风名录（更新）.xlsx", AGAIN)
    assert main(["import", "--db", str(target), str(first)]) == 0
    return target, again


def batches(target) -> int:
    with scope.using(scope.ALL), db.connect(target) as con:
        return con.execute("select count(*) from import_batches").fetchone()[0]


def test_validate_prints_the_rows_and_the_indicator_impact(street, capsys):
    target, again = street
    capsys.readouterr()
    assert main(["validate", "--db", str(target), "--year", "2026", str(again)]) == 0
    out = capsys.readouterr().out
    assert "导入后将新增 1 行、移除 1 行、修改 2 行" in out
    assert "[新增] 企业名录及建会台账 东风社区 己公司" in out
    assert "[移除] 企业名录及建会台账 东风社区 丙公司" in out
    assert "[修改] 企业名录及建会台账 东风社区 甲公司：职工人数：17 → 40" in out
    assert "[修改] 企业名录及建会台账 东风社区 乙公司：建会情况：独立建会 → 联合建会" in out
    # U1: before 乙30 丙40 丁50 are 25+, independent 乙 丁 -> 2/3; after 甲40 乙30 丁50 己26, independent 丁 己 -> 2/4
    assert "U1 25人以上企业独立建会率：2/3（66.7%） → 2/4（50.0%）（有变化）" in out
    # U2: 3 of 4 unionised before (乙丙丁) and after (乙丁己)
    assert "U2 正常经营企业建会率：3/4（75.0%） → 3/4（75.0%）（不变）" in out
    assert "导入时需加 --confirm-removals" in out  # 1 of 4 removed: 25 % > 10 %
    assert batches(target) == 1


def test_validate_json_gives_the_diff_as_data(street, capsys):
    target, again = street
    capsys.readouterr()
    assert main(["validate", "--json", "--db", str(target), "--year", "2026", str(again)]) == 0
    changes = json.loads(capsys.readouterr().out)[0]["changes"]
    assert [(x["name"], x["community"]) for x in changes["added"]] == [("己公司", "东风社区")]
    assert [x["name"] for x in changes["removed"]] == ["丙公司"]
    fields = {x["name"]: x["fields"] for x in changes["changed"]}
    assert fields == {
        "甲公司": [{"field": "employees", "label": "职工人数", "old": "17", "new": "40"}],
        "乙公司": [{"field": "union_status", "label": "建会情况", "old": "独立建会", "new": "联合建会"}],
    }
    u1 = next(x for x in changes["impact"] if x["indicator"] == "U1")
    assert u1["before"] == {"numerator": 2, "denominator": 3} and u1["after"] == {"numerator": 2, "denominator": 4}
    assert changes["mass_removals"] == [{"community": "东风社区", "removed": 1, "registered": 4}]


def test_import_refuses_mass_removals_without_the_flag(street, capsys):
    target, again = street
    capsys.readouterr()
    assert main(["import", "--db", str(target), str(again)]) == 5
    out = capsys.readouterr().out
    assert "东风社区移除 1 家（现有 4 家）" in out and "--confirm-removals" in out
    assert batches(target) == 1  # nothing stored
    assert main(["import", "--db", str(target), "--confirm-removals", str(again)]) == 0
    assert batches(target) == 2
