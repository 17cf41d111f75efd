"""Header finding, non-data rows, and the community named in titles and file names."""

import datetime as dt

from dashboard.ledgers import header as h


def test_single_header_below_title_and_unit_line():
    rows = [
        ["东风社区企业建会情况台账", "", "", ""],
        ["填报单位：东风社区居委会", "", "填报日期：2026年3月", ""],
        ["序号", "企业名称", "职工人数（人）", "是否建会"],
        [1, "甲公司", 30, "是"],
    ]
    head = h.find_header(rows)
    assert (head.first_row, head.last_row, head.excel_row) == (2, 2, 3)
    assert head.headers == ["序号", "企业名称", "职工人数（人）", "是否建会"]
    assert head.title_lines == ["东风社区企业建会情况台账", "填报单位：东风社区居委会 填报日期：2026年3月"]


def test_two_row_header_with_group_labels_and_vertical_merges():
    rows = [
        ["序号", "社区", "企业基本情况", "", "职工人数", "工会情况", ""],
        ["", "", "名称", "信用代码", "", "是否建会", "成立时间"],
        [1, "东风", "甲公司", "", 30, "是", "2020-01-01"],
    ]
    head = h.find_header(rows)
    assert (head.first_row, head.last_row) == (0, 1)
    # Shown as the user sees each column; matched with the group label where needed.
    assert head.headers == ["序号", "社区", "名称", "信用代码", "职工人数", "是否建会", "成立时间"]
    assert head.match_texts[2] == "企业名称" and head.match_texts[6] == "工会成立时间"


def test_header_with_sub_header_row_below():
    rows = [
        ["社区", "企业名称", "职工人数", "工会情况", ""],
        ["", "", "", "建会情况", "建会时间"],
        ["东风", "甲公司", 30, "是", "2020-01-01"],
    ]
    head = h.find_header(rows)
    assert (head.first_row, head.last_row) == (0, 1)
    assert head.headers == ["社区", "企业名称", "职工人数", "建会情况", "建会时间"]


def test_no_header():
    assert h.find_header([["填表说明"], ["1. 请如实填写"]]) is None
    assert h.find_header([]) is None


def test_data_rows_drop_blank_total_footer_and_template_rows():
    rows = [
        ["序号", "企业名称", "职工人数", "是否建会"],
        ["1", "2", "3", "4"],  # column numbers under the header
        [1, "甲公司", 30, "是"],
        ["", "", "", ""],
        [2, "  ", "", ""],  # numbered template row, otherwise blank
        [3, "乙公司", 40, "否"],
        ["合 计", "", 70, ""],
        ["小计", "", 70, ""],
        ["序号", "企业名称", "职工人数", "是否建会"],  # repeated on a printed page
        [4, "丙公司", dt.date(2020, 1, 1), "否"],
        ["填报人：张三", "", "审核人：李四", ""],
        ["注：人数以年末为准", "", "", ""],
    ]
    head = h.find_header(rows)
    got = h.data_rows(rows, head)
    assert [i + 1 for i in got.indices] == [3, 6, 10]
    assert got.dropped_totals == 2
    assert got.footer_lines[0].startswith("填报人")


def test_find_community_in_titles():
    assert h.find_community("东风社区企业建会情况台账") == "东风社区"
    assert h.find_community("示例街道和平里社区2026年工资集体协商台账") == "和平里社区"
    assert h.find_community("河西区东风社区") == "东风社区"
    assert h.find_community("各社区企业台账") is None
    assert h.find_community("企业建会台账") is None
    assert h.find_community("企业建会台账_光明社区") == "光明社区"


def test_find_street_and_unit_lines():
    assert h.find_street("天津市河西区示例街道东风社区台账") == "示例街道"
    assert h.unit_lines(["填报单位：东风社区居委会  填报日期：2026年3月"]) == ["东风社区居委会"]
    assert h.find_community(h.unit_lines(["填报单位：东风社区居委会（盖章）"])[0]) == "东风社区"
