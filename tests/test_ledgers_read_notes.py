"""Round three of the reader: merged cells in the data area, estimates, uncalculated formulas, hidden
rows, grouped problems. Every workbook is built here (openpyxl for .xlsx, xlwt for .xls)."""

import io

import openpyxl
import xlwt
from stdnum.cn import uscc

from dashboard.__main__ import main
from dashboard.ledgers.model import ERROR, WARNING
from dashboard.ledgers.parse import parse_file, read_notes
from dashboard.ledgers.read import ReadError, read_workbook
from dashboard.ledgers.validate import group_problems

HEAD = ["社区", "行业", "企业名称", "统一社会信用代码", "职工人数"]


def code(n: int) -> str:
    body = f"9112010{n:010d}"
    return body + uscc.calc_check_digit(body)


def xlsx(rows, merges=(), hidden=()) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "企业"
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    for r in hidden:
        ws.row_dimensions[r].hidden = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xls(rows, merges=(), hidden=()) -> bytes:
    """merges: (first row, last row, first col, last col), 0-based inclusive, value from rows."""
    wb = xlwt.Workbook()
    ws = wb.add_sheet("企业")
    covered = {(r, c) for r0, r1, c0, c1 in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    for r0, r1, c0, c1 in merges:
        ws.write_merge(r0, r1, c0, c1, rows[r0][c0])
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is not None and (r, c) not in covered:
                ws.write(r, c, v)
    for r in hidden:
        ws.row(r).hidden = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# Two communities, each merged down its enterprises; 行业 merged over the first two of 东风.
STREET_ROWS = [
    HEAD,
    ["东风社区", "制造业", "甲公司", code(1), 10],
    [None, None, "乙公司", code(2), 20],
    [None, "建筑业", "丙公司", code(3), 30],
    ["红星社区", "制造业", "丁公司", code(4), 40],
    [None, None, "戊公司", code(5), 50],
]


def _check_street(pf) -> None:
    assert pf.fatal is None
    (s,) = pf.ledger_sheets
    assert [p for p in s.problems if p.severity == ERROR] == []
    df = s.frame
    assert df["community"].tolist() == ["东风社区", "东风社区", "东风社区", "红星社区", "红星社区"]
    assert df["industry"].tolist() == ["制造业", "制造业", "建筑业", "制造业", "制造业"]
    # ranges: community A2:A4, A5:A6; industry B2:B3, B5:B6 = 4
    assert s.merged_filled == 4
    assert any("4 处合并单元格" in n for n in read_notes(pf))


def test_merged_community_and_industry_xlsx():
    data = xlsx(STREET_ROWS, merges=["A2:A4", "A5:A6", "B2:B3", "B5:B6"])
    _check_street(parse_file(data, "街道汇总.xlsx", street="示例街道"))


def test_merged_community_and_industry_xls():
    data = xls(STREET_ROWS, merges=[(1, 3, 0, 0), (4, 5, 0, 0), (1, 2, 1, 1), (4, 5, 1, 1)])
    _check_street(parse_file(data, "街道汇总.xls", street="示例街道"))


def test_merged_agreement_name_spans_its_enterprises():
    rows = [
        ["社区", "企业名称", "统一社会信用代码", "协议类型", "协议名称", "签订日期"],
        ["东风社区", "甲公司", code(1), "行业性", "餐饮行业工资专项集体合同", "2026-01-05"],
        ["东风社区", "乙公司", code(2), "行业性", None, "2026-01-05"],
        ["东风社区", "丙公司", code(3), "行业性", None, "2026-01-05"],
    ]
    pf = parse_file(xlsx(rows, merges=["E2:E4"]), "协商.xlsx", street="示例街道")
    (s,) = pf.ledger_sheets
    assert s.ledger == "wage_agreements"
    assert s.frame["agreement_name"].tolist() == ["餐饮行业工资专项集体合同"] * 3
    assert s.merged_filled == 1


def test_header_merges_untouched_and_blank_merges_not_counted():
    rows = [
        ["企业基本情况", None, None, None, "职工人数"],
        ["社区", "企业名称", "统一社会信用代码", "行业", None],
        ["东风社区", "甲公司", code(1), "制造业", 10],
        ["东风社区", "乙公司", code(2), None, 20],
        ["东风社区", "丙公司", code(3), None, 30],
    ]
    # A1:D1 and E1:E2 are header merges; D4:D5 is a merged blank in the data area.
    pf = parse_file(xlsx(rows, merges=["A1:D1", "E1:E2", "D4:D5"]), "东风社区.xlsx", street="示例街道")
    (s,) = pf.ledger_sheets
    assert s.frame["employees"].tolist() == [10, 20, 30]
    assert s.frame["industry"].isna().tolist() == [False, True, True]
    assert s.merged_filled == 0
    assert read_notes(pf) == []


def test_estimates_are_flagged_and_left_blank():
    rows = [
        [*HEAD, "会员人数"],
        ["东风社区", "制造业", "甲公司", code(1), "约50人", 3],
        ["东风社区", "制造业", "乙公司", code(2), "共50人", 4],
        ["东风社区", "制造业", "丙公司", code(3), 30, "20余人"],
        ["东风社区", "制造业", "丁公司", code(4), 40, "50+"],
        ["东风社区", "制造业", "戊公司", code(5), 12, "数十"],
    ]
    pf = parse_file(xlsx(rows), "东风社区.xlsx", street="示例街道")
    (s,) = pf.ledger_sheets
    df = s.frame.set_index("source_row")
    assert df.loc[3, "employees"] == 50  # 共50人 is a count
    assert df.loc[4, "employees"] == 30 and df.loc[4, "union_members"] is not None
    assert df["union_members"].isna().tolist() == [False, False, True, True, True]
    est = [p for p in s.problems if "估计数" in p.message]
    shown = {(p.row, p.column): p.message for p in est}
    assert set(shown) >= {(4, "会员人数"), (5, "会员人数"), (6, "会员人数")}
    assert "“20余人”" in shown[(4, "会员人数")]
    assert all(p.severity == WARNING for p in est)
    # row 2: 职工人数 约50人 is required, so the estimate leaves it blank; it is reported once, as the estimate
    row2 = [p for p in s.problems if p.row == 2]
    assert [p.severity for p in row2] == [WARNING] and "“约50人”" in row2[0].message


def test_formulas_without_cached_values_refused():
    rows = [HEAD, ["东风社区", "制造业", "甲公司", code(1), "=2*5"], ["东风社区", "制造业", "乙公司", code(2), "=E2+1"]]
    data = xlsx(rows)
    try:
        read_workbook(data, "x.xlsx")
    except ReadError as exc:
        assert "2 个公式单元格" in str(exc) and "Excel 或 WPS" in str(exc)
    else:
        raise AssertionError("uncalculated formulas were read")
    pf = parse_file(data, "x.xlsx", street="示例街道")
    assert pf.fatal and "没有计算结果" in pf.fatal and pf.sheets == []


def test_hidden_rows_counted_xlsx_and_xls():
    rows = [HEAD, *[["东风社区", "制造业", f"企业{i}", code(i), i] for i in range(1, 6)]]
    # Excel rows 3 and 5 hidden (1-based) = 2 hidden data rows, all 5 rows read
    pf = parse_file(xlsx(rows, hidden=[3, 5]), "东风社区.xlsx", street="示例街道")
    (s,) = pf.ledger_sheets
    assert (s.rows_read, s.hidden_rows_read, len(s.frame)) == (5, 2, 5)
    assert any("2 行在 Excel 中被隐藏" in n for n in read_notes(pf))
    pf = parse_file(xls(rows, hidden=[2, 4]), "东风社区.xls", street="示例街道")  # 0-based = Excel 3 and 5
    assert pf.ledger_sheets[0].hidden_rows_read == 2


def test_grouped_problems_and_cli(tmp_path, capsys):
    rows = [[*HEAD, "会员人数"]]
    rows += [["东风社区", "制造业", f"企业{i}", code(i), 10, f"约{i}人"] for i in range(1, 8)]  # 7 estimates
    rows += [["东风社区", "制造业", f"企业{i}", code(i), "很多", 1] for i in range(8, 10)]  # 2 unreadable
    pf = parse_file(xlsx(rows), "东风社区.xlsx", street="示例街道")
    groups = group_problems(pf.all_problems)
    by_count = sorted((g.severity, g.column, g.count) for g in groups)
    assert by_count == [(ERROR, "职工人数", 2), (WARNING, "会员人数", 7)]
    assert groups[0].severity == ERROR  # errors first
    est = groups[1]
    assert [p.row for p in est.examples] == [2, 3, 4]  # first three, in file order
    path = tmp_path / "东风社区.xlsx"
    path.write_bytes(xlsx(rows))
    assert main(["validate", str(path)]) == 1  # rows rejected
    out = capsys.readouterr().out
    assert "共 9 个问题" in out and "共 7 处" in out and "共 2 处" in out
    assert "“约3人”" in out and "“约4人”" not in out  # the first three examples only, not all seven
    # a formula file is unreadable: rc 2, like any other
    formulas = tmp_path / "公式.xlsx"
    formulas.write_bytes(xlsx([HEAD, ["东风社区", "制造业", "甲公司", code(1), "=1+1"]]))
    assert main(["validate", str(formulas)]) == 2
    assert "没有计算结果" in capsys.readouterr().out


def test_cached_formula_results_are_not_flagged():
    from dashboard.ledgers.read import _uncalculated

    cells = (
        b'<c r="A1"><f>1+1</f><v>2</v></c>'  # calculated
        b'<c r="A2" t="str"><f>IF(A1&gt;3,"x","")</f><v></v></c>'  # an empty text result is a result
        b'<c r="A3"><f>A1*2</f><v></v></c>'  # openpyxl: empty number = not calculated
        b'<c r="A4"><f t="shared" si="0"/></c>'  # no <v> at all
        b'<c r="A5" t="str"><f>A1&amp;""</f></c>'  # no <v> at all, text cell
    )
    assert _uncalculated(cells) == 3  # A3, A4, A5


def test_merged_total_and_footer_lines_are_not_spread():
    rows = [
        HEAD,
        ["东风社区", "制造业", "甲公司", code(1), 10],
        ["东风社区", "制造业", "乙公司", code(2), 20],
        ["合计", None, None, None, 30],
        ["填报人：张三"],
    ]
    pf = parse_file(xlsx(rows, merges=["A4:D4", "A5:E5"]), "x.xlsx", street="示例街道")
    (s,) = pf.ledger_sheets
    # 合计 row dropped as a total; the footer line stays one (blank) name, not copied into 企业名称
    assert s.merged_filled == 0
    assert s.frame["name"].tolist() == ["甲公司", "乙公司"]
    assert not any("填报人" in p.message for p in s.problems)


def test_merged_unit_line_names_the_community_xlsx_and_xls():
    # A title merged A1:D1 and the 填报单位 line merged A2:D2 above the header; no 社区 column: every row
    # belongs to the community the 填报单位 line names. Both merges are above the data, so none is "filled".
    rows = [
        ["企业名录", None, None, None],
        ["填报单位：东风社区居委会", None, None, None],
        ["企业名称", "统一社会信用代码", "行业", "职工人数"],
        ["甲公司", code(1), "制造业", 10],
        ["乙公司", code(2), "建筑业", 20],
    ]
    for data, name in (
        (xlsx(rows, merges=["A1:D1", "A2:D2"]), "台账.xlsx"),
        (xls(rows, merges=[(0, 0, 0, 3), (1, 1, 0, 3)]), "台账.xls"),
    ):
        pf = parse_file(data, name, street="示例街道")
        (s,) = pf.ledger_sheets
        assert s.community_source == "unit_line", name
        assert s.frame["community"].tolist() == ["东风社区", "东风社区"], name
        assert s.merged_filled == 0, name
        assert [p for p in s.problems if p.severity == ERROR] == [], name


def test_merged_unit_column_in_a_street_summary():
    # A street summary whose 填报单位 column is merged down each community's rows, beside a 社区 column
    # merged the same way: both ranges are filled, every row keeps its community and nothing is rejected.
    rows = [
        ["填报单位", "社区", "企业名称", "统一社会信用代码", "职工人数"],
        ["东风社区居委会", "东风社区", "甲公司", code(1), 10],
        [None, None, "乙公司", code(2), 20],
        ["红星社区居委会", "红星社区", "丙公司", code(3), 30],
        [None, None, "丁公司", code(4), 40],
    ]
    pf = parse_file(xlsx(rows, merges=["A2:A3", "B2:B3", "A4:A5", "B4:B5"]), "街道汇总.xlsx", street="示例街道")
    (s,) = pf.ledger_sheets
    assert s.frame["community"].tolist() == ["东风社区", "东风社区", "红星社区", "红星社区"]
    assert s.merged_filled == 4
    assert [p for p in s.problems if p.severity == ERROR] == []
