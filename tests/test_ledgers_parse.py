"""parse_file end to end on small hand-made workbooks: messy ledgers in, rows and problems out."""

import dataclasses
import datetime as dt
import io

import openpyxl
import pandas as pd
import xlsxwriter
from stdnum.cn import uscc

from dashboard.config import load_settings
from dashboard.ledgers.model import ERROR, WARNING
from dashboard.ledgers.parse import header_signature, parse_file


def code(n: int) -> str:
    body = f"9112010{n:010d}"
    return body + uscc.calc_check_digit(body)


def book(sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


MESSY_ENTERPRISES = [
    ["示例街道东风社区企业建会情况台账"],
    ["填报单位：东风社区居委会", None, None, None, None, "填报日期：2026年3月"],
    ["序号", "企业基本情况", None, None, "职工人数（人）", "工会情况", None, "经营状态"],
    [None, "名称", "信用代码", "行业", None, "是否建会", "成立时间", None],
    [1, "东风机械有限公司", code(1).lower(), "C", "５６人", "是", "2026年3月5日", ""],
    [2, "和平商贸", None, "08", "很多", "否", None, "在营"],
    [3, "光明餐饮", code(3), "住宿和餐饮业", "1,200", "已建", 46086, "正常"],
    [None] * 8,
    [4, "  ", None, None, None, None, None, None],
    ["合计", None, None, None, 1256],
    ["填报人：张三", None, "审核人：李四", None, "填报日期：2026.3.10"],
]
MERGES = {"台账": ["A1:H1", "A3:A4", "B3:D3", "E3:E4", "F3:G3", "H3:H4"]}


def test_messy_enterprises_ledger():
    pf = parse_file(book({"台账": MESSY_ENTERPRISES}, MERGES), "企业.xlsx")
    assert pf.fatal is None
    (s,) = pf.sheets
    assert (s.ledger, s.header_row, s.rows_read, s.rows_rejected) == ("enterprises", 4, 3, 1)
    assert (s.community, s.community_source, s.title_street) == ("东风社区", "title", "示例街道")
    assert s.header_map["employees"] == "职工人数（人）" and s.header_map["union_founded"] == "成立时间"
    f = s.frame
    assert f["name"].tolist() == ["东风机械有限公司", "光明餐饮"]
    assert f["source_row"].tolist() == [5, 7]
    assert f["uscc"].tolist() == [code(1), code(3)]
    assert f["employees"].tolist() == [56, 1200]
    assert f["industry"].tolist() == ["制造业", "住宿和餐饮业"]
    assert f["status"].tolist() == ["正常经营", "正常经营"]
    assert f["union_status"].tolist() == ["独立建会", "独立建会"]
    assert f["union_founded"].tolist() == [pd.Timestamp("2026-03-05"), pd.Timestamp("2026-03-05")]
    assert set(f["community"]) == {"东风社区"} and set(f["street"]) == {"示例街道"}
    assert f["name_norm"].tolist() == ["东风机械有限公司", "光明餐饮"]
    (err,) = [p for p in s.problems if p.severity == ERROR]
    assert (err.sheet, err.row, err.column, err.field, err.file) == (
        "台账",
        6,
        "职工人数（人）",
        "employees",
        "企业.xlsx",
    )
    assert err.message == "第6行「职工人数（人）」为“很多”，应为整数（如 56）。请改正后重新上传。"
    assert [(p.row, p.field) for p in s.problems if p.severity == WARNING] == [(6, "uscc")]


def test_community_from_option_title_file_name_or_nowhere():
    rows = [["企业名称", "职工人数"], ["甲公司", 10]]
    s = parse_file(book({"s": rows}), "企业台账.xlsx", community="和平里").sheets[0]
    assert (s.community_source, s.frame["community"].tolist()) == ("option", ["和平里社区"])
    s = parse_file(book({"s": [["向阳社区企业名录"], *rows]}), "企业台账.xlsx").sheets[0]
    assert (s.community_source, s.frame["community"].tolist()) == ("title", ["向阳社区"])
    s = parse_file(book({"s": rows}), "企业建会台账_光明社区.xlsx").sheets[0]
    assert (s.community_source, s.frame["community"].tolist()) == ("file_name", ["光明社区"])
    s = parse_file(book({"s": rows}), "企业台账.xlsx").sheets[0]
    assert s.rows_rejected == 1 and s.frame.empty and s.unmatched_required == ["community"]
    errors = [p for p in s.problems if p.severity == ERROR]
    assert [p.row for p in errors] == [1] and "没有“社区”列" in errors[0].message


def test_community_column_with_blanks_falls_back_to_file():
    rows = [
        ["东风社区台账"],
        ["社区", "企业名称", "职工人数"],
        ["东风", "甲", 1],
        [None, "乙", 2],
        ["和平里社区", "丙", 3],
    ]
    s = parse_file(book({"s": rows}), "a.xlsx").sheets[0]
    assert s.frame["community"].tolist() == ["东风社区", "东风社区", "和平里社区"]


def test_chinese_date_formats_end_to_end():
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("协议")
    ws.write_row(0, 0, ["社区", "企业名称", "信用代码", "签订日期", "到期日期", "工资增长幅度（%）"])
    for i, fmt_id in enumerate(range(27, 37)):
        ws.write_row(i + 1, 0, ["东风", f"企业{i}", code(i)])
        ws.write_number(i + 1, 3, 46086, wb.add_format({"num_format": fmt_id}))
        ws.write(i + 1, 5, ["5%", "5", 0.05, "0.5%"][i % 4])
    wb.close()
    s = parse_file(buf.getvalue(), "a.xlsx").sheets[0]
    assert s.ledger == "wage_agreements" and s.rows_rejected == 0
    assert set(s.frame["signed_on"]) == {pd.Timestamp("2026-03-05")}
    # Blank 到期日期: signed_on + 1 year - 1 day (the configured term).
    assert set(s.frame["expires_on"]) == {pd.Timestamp("2027-03-04")}
    assert s.frame["wage_increase_pct"].tolist()[:4] == [5.0, 5.0, 5.0, 0.5]
    assert set(s.frame["agreement_type"]) == {"单独签订"}


def test_agreement_term_is_configurable():
    settings = load_settings()
    raw = {**settings.raw, "rules": {**settings.raw["rules"], "agreement_term_years": 3}}
    rows = [["社区", "企业名称", "签订日期"], ["东风", "甲", "2026-01-01"]]
    s = parse_file(book({"s": rows}), "a.xlsx", settings=dataclasses.replace(settings, raw=raw)).sheets[0]
    assert s.frame["expires_on"].tolist() == [pd.Timestamp("2028-12-31")]


def test_aid_ledger_with_explanation_sheet():
    rows = [
        ["社区", "姓名", "身份证号", "活动名称", "发放日期", "慰问金（元）", "物资折款"],
        ["东风", "张三", "11010519491231002x", "元旦慰问", "2026/1/1", "1,000元", None],
        ["东风", "李四", "110105194912310021", "夏送清凉", dt.date(2026, 7, 1), 300, 50],
    ]
    pf = parse_file(book({"填表说明": [["1. 身份证号请填写18位"]], "2026年": rows}), "a.xlsx")
    note, s = pf.sheets
    assert (note.ledger, note.note) == (None, "说明页，已跳过。")
    assert s.ledger == "aid" and s.rows_rejected == 0
    assert s.frame["campaign"].tolist() == ["节日慰问", "夏送凉爽"]
    assert s.frame["festival"].fillna("").tolist() == ["元旦", ""]
    assert s.frame["id_number"].tolist() == ["11010519491231002X", "110105194912310021"]
    assert s.frame["cash"].tolist() == [1000.0, 300.0] and s.frame["goods_value"].tolist() == [0.0, 50.0]
    (w,) = s.problems
    assert (w.severity, w.row, w.column) == (WARNING, 3, "身份证号") and "1101**********0021" in w.message


def test_disputes_defaults_and_grades():
    rows = [
        ["案号", "社区", "用人单位", "受理日期", "调解结果", "结案日期", "涉及人数"],
        ["A1", "东风", "甲", "2026-03-01", None, None, None],
        ["A2", "东风", "乙", "2026-03-01", None, "2026-03-09", 12],
        ["A3", "东风", "丙", "2026-03-01", "成功", "2026-03-09", "3人"],
    ]
    s = parse_file(book({"调解": rows}), "a.xlsx").sheets[0]
    assert s.ledger == "disputes"
    assert s.frame["case_no"].tolist() == ["A1", "A3"]
    assert s.frame["outcome"].tolist() == ["调解中", "调解成功"]
    assert s.frame["workers"].tolist() == [1, 3]
    assert [(p.row, p.field, p.severity) for p in s.problems if p.severity == ERROR] == [(3, "outcome", ERROR)]
    grades = [["社区", "企业名称", "年度", "等级"], ["东风", "甲", "2025年", "3A"], ["东风", "乙", 2025, "挺好"]]
    s = parse_file(book({"和谐": grades}), "a.xlsx").sheets[0]
    assert s.frame["grade"].tolist() == ["AAA"] and s.frame["year"].tolist() == [2025]
    (bad,) = [p for p in s.problems if p.field == "grade"]
    assert (bad.row, bad.column, bad.severity) == (3, "等级", ERROR)
    assert "应为AAA、AA、A、未达标、申报中之一" in bad.message


def test_missing_required_column_asks_for_manual_mapping_then_uses_it():
    rows = [["社区", "企业名称", "人员", "是否建会"], ["东风", "甲", 30, "是"]]
    data = book({"s": rows})
    s = parse_file(data, "a.xlsx").sheets[0]
    assert s.ledger == "enterprises" and s.unmatched_required == ["employees"]
    assert s.raw_headers == ["社区", "企业名称", "人员", "是否建会"]
    assert s.header_signature == header_signature(s.raw_headers)
    assert s.frame.empty and s.rows_rejected == 1 and "职工人数" in s.problems[0].message
    mapping = {s.header_signature: {"人员": "employees"}}
    s = parse_file(data, "a.xlsx", mappings=mapping).sheets[0]
    assert s.unmatched_required == [] and s.frame["employees"].tolist() == [30]


def test_csv_in_gbk():
    text = "社区,企业名称,职工人数,是否建会\n东风,甲公司,30人,是\n"
    s = parse_file(text.encode("gbk"), "企业.csv").sheets[0]
    assert s.ledger == "enterprises" and s.frame["employees"].tolist() == [30]


def test_fatal_inputs_never_raise():
    cases = {
        "空的": book({"Sheet1": []}),
        "只有表头": book({"Sheet1": [["社区", "企业名称", "职工人数"]]}),
        "没有在文件中识别出任何台账": book({"Sheet1": [["会议记录"], ["今天开会"]]}),
        "不是 Excel": b"GIF89a....",
        "损坏": book({"s": [["企业名称"]]})[:300],
    }
    for expected, data in cases.items():
        pf = parse_file(data, "a.xlsx")
        assert pf.fatal and expected in pf.fatal, (expected, pf.fatal)
        assert len(pf.sha256) == 64


def test_file_over_configured_size():
    settings = load_settings()
    raw = {**settings.raw, "import": {"max_upload_mb": 0.001}}
    pf = parse_file(book({"s": [["企业名称"]] * 50}), "a.xlsx", settings=dataclasses.replace(settings, raw=raw))
    assert "超过了" in pf.fatal


def test_unexpected_failure_becomes_fatal(monkeypatch):
    from dashboard.ledgers import parse

    def boom(*a, **k):
        raise RuntimeError("bug")

    monkeypatch.setattr(parse, "parse_sheet", boom)
    pf = parse_file(book({"s": [["企业名称", "职工人数"], ["甲", 1]]}), "a.xlsx")
    assert "意外错误" in pf.fatal and pf.sheets == []
