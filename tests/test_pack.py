"""The Excel pack read back: tables behind the slides, 分社区督办清单 in a zip, 年度大统计 (small street)."""

import io
import zipfile
from dataclasses import replace
from datetime import date

import openpyxl
import pandas as pd
import pytest

from dashboard import meeting, meeting_facts, pack
from dashboard.config import load_settings
from dashboard.filters import Filters
from tests.conftest import connect_copy
from tests.small_street import build_small_street


@pytest.fixture
def street(tmp_path):
    with connect_copy(tmp_path / "test.duckdb", build_small_street) as con:
        yield con


def read(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_meeting_pack_has_one_sheet_per_table(street):
    deck = meeting.meeting_deck(
        street.cursor(), meeting_facts.month_filters(2026, 3, today=date(2026, 11, 1)), load_settings()
    )
    wb = read(pack.meeting_pack_bytes(deck))
    assert wb.sheetnames == list(deck.tables)
    ws = wb["1目标完成情况"]
    assert [c.value for c in ws[1]] == ["指标", "当前", "目标", "状态", "差距"]
    assert ws[1][0].font.bold and ws.column_dimensions["A"].width > 10
    assert [ws.cell(r, 2).value for r in range(2, 6)] == ["42.9%", "62.5%", "80.0%", "50.0%"]
    union = wb["2组建工会_分社区"]
    rows = {r[0]: r for r in union.iter_rows(min_row=2, values_only=True)}
    assert rows["东风社区"][6] == 25.0  # 独立建会率（%）: 1/4
    lines = [r[1] for r in wb["10本月要点"].iter_rows(min_row=2, values_only=True)]
    assert lines == deck.highlights


def test_meeting_pack_text_is_never_a_formula(street):
    deck = meeting.meeting_deck(
        street.cursor(), meeting_facts.month_filters(2026, 3, today=date(2026, 11, 1)), load_settings()
    )
    evil = replace(deck, tables={"要点": pd.DataFrame({"要点": ['=HYPERLINK("http://x")', "+1", "@SUM(A1)"]})})
    ws = read(pack.meeting_pack_bytes(evil))["要点"]
    cells = [ws.cell(r, 1) for r in range(2, 5)]
    assert [c.value for c in cells] == ['=HYPERLINK("http://x")', "+1", "@SUM(A1)"]
    assert all(c.data_type == "s" for c in cells)


def test_follow_up_zip_one_workbook_per_community(street):
    data = pack.follow_up_zip(street.cursor(), Filters(year=2026, as_of=date(2026, 6, 30)), load_settings())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert sorted(z.namelist()) == ["东风社区督办清单.xlsx", "向阳社区督办清单.xlsx"]
        east = read(z.read("东风社区督办清单.xlsx"))
        west = read(z.read("向阳社区督办清单.xlsx"))
    assert east.sheetnames == list(pack.FOLLOW_UP)
    names = [r[0] for r in east["应建未建企业"].iter_rows(min_row=2, values_only=True)]
    assert "丁公司" in names and "庚公司" not in names  # 30 staff, no union; 庚公司 is 向阳's
    assert "庚公司" in [r[0] for r in west["应建未建企业"].iter_rows(min_row=2, values_only=True)]
    # 甲二公司's agreement expired on 29 June with none after it
    assert "甲二公司" in [r[0] for r in east["到期未续签"].iter_rows(min_row=2, values_only=True)]


def test_annual_summary(street):
    """31 December 2026. 东风: operating 甲一 甲二 丙 丁 己 (戊 停产) = 5, unionised 甲一 甲二 丙 己 = 4, 25+
    甲一 丙 丁 己 = 4 of which independent 甲一 己 = 2; aid 张三 李四 王五 赵六 = 4 people, 500+200+500+100 =
    1,300 yuan, 3 jobs. 向阳: operating 甲 乙 庚 = 3, unionised 2; cases D1 D2 D3 D4 D6 = 5, collective D1
    (12) and D4 (10) = 2."""
    table = pack.annual_summary(street.cursor(), 2026, load_settings()).set_index("社区")
    assert list(table.index) == ["东风社区", "向阳社区", "合计"]
    east, west, total = table.loc["东风社区"], table.loc["向阳社区"], table.loc["合计"]
    assert (east["正常经营企业（家）"], east["已建会企业（家）"]) == (5, 4)
    assert (east["25人以上企业（家）"], east["其中独立建会（家）"]) == (4, 2)
    assert (east["帮扶慰问（人次）"], east["慰问金和物资（元）"], east["提供岗位（个）"]) == (4, 1300.0, 3)
    assert (west["受理劳动争议（件）"], west["其中集体争议（件）"]) == (5, 2)
    assert total["正常经营企业（家）"] == 8 and total["已建会企业（家）"] == 6


def test_annual_zip_street_and_communities(street):
    data = pack.annual_zip(street.cursor(), 2026, load_settings(), "示例街道")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert sorted(z.namelist()) == sorted(
            ["示例街道2026年度大统计.xlsx", "东风社区2026年度大统计.xlsx", "向阳社区2026年度大统计.xlsx"]
        )
        ws = read(z.read("东风社区2026年度大统计.xlsx")).active
    assert [c.value for c in ws[1]] == ["项目", "数量", "金额（元）"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    assert rows["正常经营企业（家）"][1].value == 5 and rows["正常经营企业（家）"][1].number_format == "#,##0"
    money = rows["慰问金和物资（元）"]  # 1,300 yuan (test_annual_summary), as money is everywhere: 1,300.00
    assert money[1].value is None and money[2].value == 1300 and money[2].number_format == "#,##0.00"


def _every_sheet(files: dict[str, bytes]):
    for name, data in files.items():
        for ws in read(data).worksheets:
            yield name, ws


def _zip_files(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_every_money_and_count_cell_of_the_packs_has_a_number_format(street):
    """Money columns (a header in 元) show 124,200.00, counts 1,234: in every workbook handed out."""
    cur, settings = street.cursor(), load_settings()
    deck = meeting.meeting_deck(cur, meeting_facts.month_filters(2026, 3, today=date(2026, 11, 1)), settings)
    files = {"pack": pack.meeting_pack_bytes(deck)}
    files |= _zip_files(pack.follow_up_zip(cur, Filters(year=2026, as_of=date(2026, 6, 30)), settings))
    files |= _zip_files(pack.annual_zip(cur, 2026, settings, "示例街道"))
    money = counts = 0
    for _name, ws in _every_sheet(files):
        headers = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            for header, cell in zip(headers, row, strict=False):
                if not isinstance(cell.value, (int, float)) or isinstance(cell.value, bool):
                    continue
                if "元" in str(header):
                    assert cell.number_format == "#,##0.00", (header, cell.coordinate)
                    money += 1
                elif str(header).endswith(("（家）", "（人）", "（件）", "（人次）", "（个）", "人数", "天数")):
                    assert cell.number_format == "#,##0", (header, cell.coordinate)
                    counts += 1
    assert money > 0 and counts > 0  # the walk did see money and counts
