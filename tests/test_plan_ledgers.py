"""The work plan's duty ledgers (学习测试, 培训, 调研报告, 信息报送, 走访, 经费, 阵地, 活动) go through the same
pipeline as the five original ones: template, tolerant reading, row-level checks, batches, undo."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from dashboard import spec
from dashboard.ledgers import annotate, load, parse, template, undo
from tests.conftest import connect_copy

STREET = "示例街道"


@pytest.fixture
def con(tmp_path, monkeypatch):
    monkeypatch.setenv(load.ARCHIVE_ENV, str(tmp_path / "archive"))
    with connect_copy(tmp_path / "t.duckdb") as c:
        yield c


def xlsx(headers: list[str], rows: list[list], title: str | None = None, sheet: str = "Sheet1") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    if title:
        ws.append([title])
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("ledger", [lg.name for lg in spec.PLAN_LEDGERS])
def test_every_duty_ledger_has_a_table_a_view_and_a_template_that_reads_back(con, ledger):
    lg = spec.LEDGERS[ledger]
    table = {r[0] for r in con.execute(f"describe {ledger}").fetchall()}
    assert set(lg.columns) <= table and {"batch_id", "superseded_by", "live"} <= table
    assert con.execute(f"select count(*) from v_{ledger}").fetchone()[0] == 0
    wb = load_workbook(io.BytesIO(template.template_workbook(ledger)))
    headers = [c.value for c in wb.worksheets[0][1] if c.value]
    assert headers == [f.label for f in lg.fields]
    # every vocabulary column offers a drop-down
    vocab_columns = [f for f in lg.fields if f.kind == spec.VOCAB]
    assert len(wb.worksheets[0].data_validations.dataValidation) >= len(vocab_columns)
    # the blank template's headers are recognised as this ledger
    pf = parse.parse_file(xlsx(headers, []), template.template_file_name(ledger), street=STREET)
    assert [s.ledger for s in pf.sheets if s.ledger] in ([ledger], [])


def test_info_submissions_read_tolerantly_and_import_as_a_batch(con):
    data = xlsx(
        ["序号", "社区", "信息题目", "报送时间", "采用情况", "采用刊物"],
        [
            [1, "东风", "社区开展职工读书会", "2026-02-03", "是", "区工会简报"],
            [2, "东风", "夏送凉爽走进工地", "2026年5月6日", "否", None],
            ["合计", None, None, None, None, None],
        ],
        title="东风社区2026年信息报送台账",
    )
    pf = parse.parse_file(data, "信息报送.xlsx", street=STREET)
    assert [s.ledger for s in pf.sheets] == ["info_submissions"]
    frame = pf.sheets[0].frame
    assert list(frame["community"]) == ["东风社区", "东风社区"]  # 东风 -> 东风社区
    assert list(frame["sent_on"].dt.date) == [date(2026, 2, 3), date(2026, 5, 6)]
    assert list(frame["adopted"]) == [True, False]
    result = load.import_parsed(con, pf, street=STREET)
    assert result.status == "imported" and result.rows_added == 2
    rows = con.execute("select info_title, adopted from v_info_submissions order by sent_on").fetchall()
    assert rows == [("社区开展职工读书会", True), ("夏送凉爽走进工地", False)]


def test_bad_rows_are_rejected_with_chinese_messages_and_nothing_else_changes(con):
    data = xlsx(
        ["所属社区", "企业名称", "经费年度", "收缴方式", "应缴金额（元）", "实缴金额（元）"],
        [
            ["东风社区", "甲公司", 2026, "税务代收", 12000, 12000],
            ["东风社区", "乙公司", 2026, "上门收取", 5000, 0],  # not a channel of the vocabulary
            ["东风社区", "丙公司", 2026, "代管", None, 100],  # 应缴金额 is required
            ["东风社区", "甲公司", 2026, "税务代收", 12000, 11000],  # same enterprise, year and channel as row 2
        ],
    )
    pf = parse.parse_file(data, "经费.xlsx", street=STREET)
    sheet = pf.sheets[0]
    assert sheet.ledger == "union_funds"
    by_row = {p.row: p.message for p in sheet.problems if p.severity == "error"}
    assert set(by_row) == {3, 4, 5}
    assert "收缴方式" in by_row[3] and "上门收取" in by_row[3]
    assert "应缴金额" in by_row[4]
    assert "第2行" in by_row[5] and "同一企业、同一年度、同一收缴方式" in by_row[5]
    assert list(sheet.frame["name"]) == ["甲公司"]
    result = load.import_parsed(con, pf, street=STREET)
    assert result.rows_added == 1 and result.rows_rejected == 3
    # the marked-up copy names the problems
    marked = load_workbook(io.BytesIO(annotate.annotate_workbook(data, pf)))
    assert any("上门收取" in str(c.value) for ws in marked.worksheets for row in ws.iter_rows() for c in row if c.value)


def test_a_file_with_only_bad_rows_stores_nothing(con):
    data = xlsx(
        ["所属社区", "姓名", "学习类别", "学习测试日期", "成绩"],
        [["东风社区", "张三", "每月一题", "不是日期", 90], ["东风社区", None, "半年测试", "2026-06-30", 88]],
    )
    pf = parse.parse_file(data, "测试.xlsx", street=STREET)
    assert pf.sheets[0].ledger == "study_tests"
    assert len([p for p in pf.sheets[0].problems if p.severity == "error"]) == 2
    batches = con.execute("select count(*) from import_batches").fetchone()[0]
    load.import_parsed(con, pf, street=STREET)
    assert con.execute("select count(*) from study_tests").fetchone()[0] == 0
    assert con.execute("select count(*) from import_batches where status = 'active'").fetchone()[0] == batches


def _visits(found_second: int, salt: str) -> bytes:
    return xlsx(
        ["所属社区", "企业名称", "走访日期", "发现问题数", "解决问题数", "反馈日期", "备注"],
        [
            ["东风社区", "甲 公司", "2026-03-02", 2, 1, "2026-03-20", salt],
            ["东风社区", "乙公司", "2026-04-10", found_second, 0, None, salt],
        ],
    )


def test_visits_upsert_by_key_and_undo_restores_the_earlier_rows(con):
    first = load.import_parsed(con, parse.parse_file(_visits(1, "a"), "走访1.xlsx", street=STREET), street=STREET)
    before = con.execute("select * from v_visits order by all").fetchall()
    assert len(before) == 2
    # the second file: 甲公司 spelt without the space is the same enterprise, 乙公司's row changed
    second = load.import_parsed(con, parse.parse_file(_visits(3, "b"), "走访2.xlsx", street=STREET), street=STREET)
    assert second.rows_changed == 1 and second.rows_added == 0
    assert con.execute("select problems_found from v_visits where name = '乙公司'").fetchone()[0] == 3
    # the superseded row is kept for undo
    assert con.execute("select count(*) from visits where superseded_by = ?", [second.batch_id]).fetchone()[0] >= 1
    with pytest.raises(undo.UndoRefused, match="请先撤销批次"):
        undo.undo_batch(con, first.batch_id, "管理员")
    undo.undo_batch(con, second.batch_id, "管理员")
    assert con.execute("select * from v_visits order by all").fetchall() == before


def test_research_reports_are_a_roster_with_blank_reports(con):
    data = xlsx(
        ["所属社区", "所在工会", "姓名", "工会职务", "年度", "调研报告题目", "提交日期", "评比结果"],
        [
            ["向阳社区", "向阳社区联合工会", "李四", "主席", 2026, "新业态职工入会调查", "2026-06-01", "二等奖"],
            ["向阳社区", "向阳社区联合工会", "王五", "副主席", 2026, None, None, None],
            ["向阳社区", "向阳社区联合工会", "赵六", "干事", 2026, None, None, None],  # not a chair
        ],
    )
    pf = parse.parse_file(data, "调研报告.xlsx", street=STREET)
    sheet = pf.sheets[0]
    assert sheet.ledger == "research_reports"
    errs = [p for p in sheet.problems if p.severity == "error"]
    assert [p.row for p in errs] == [4] and "干事" in errs[0].message
    assert load.import_parsed(con, pf, street=STREET).rows_added == 2
