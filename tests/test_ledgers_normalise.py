"""Normalisers: every messy form the ledgers use, worked out by hand."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dashboard import spec
from dashboard.ledgers import normalise as n


def col(values, ledger, field, header=""):
    lg = spec.LEDGERS[ledger]
    return n.normalise_column(np.array(values, dtype=object), lg.field(field), header)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("56人", 56), ("５６", 56), (" 56 ", 56), ("1,200", 1200), (56.0, 56), (56, 56), ("56名", 56), ("12.0", 12)],
)
def test_int_forms(raw, expected):
    assert n.parse_int(raw) == (expected, True)


@pytest.mark.parametrize("raw", ["很多", "12.5", "约三十人", True, dt.date(2026, 1, 1)])
def test_int_rejects(raw):
    assert n.parse_int(raw)[1] is False


def test_amounts_with_units_and_wan_header():
    assert n.parse_number("1,200元") == (1200.0, True)
    assert n.parse_number("￥1200") == (1200.0, True)
    assert n.parse_number("0.5万元") == (5000.0, True)
    c = col([2, "1.5"], "disputes", "amount", header="涉及金额（万元）")
    assert list(c.values) == [20000.0, 15000.0]


@pytest.mark.parametrize(
    ("raw", "expected"), [("5%", 5.0), ("5", 5.0), (0.05, 5.0), ("0.5%", 0.5), (3, 3.0), ("５％", 5.0)]
)
def test_percent_forms(raw, expected):
    value, ok = n.parse_percent(raw)
    assert ok and value == pytest.approx(expected)


@pytest.mark.parametrize(
    "raw",
    ["2026-03-05", "2026/3/5", "2026.3.5", "2026年3月5日", "20260305", 46086, 46086.0, "46086",
     dt.date(2026, 3, 5), dt.datetime(2026, 3, 5, 14, 30), "２０２６－０３－０５", "2026-03-05 00:00:00"],
)  # fmt: skip
def test_date_forms(raw):
    assert n.parse_date(raw) == (dt.date(2026, 3, 5), True)


def test_month_only_date_is_first_of_month():
    assert n.parse_date("2026年3月") == (dt.date(2026, 3, 1), True)
    assert n.parse_date("2026-03") == (dt.date(2026, 3, 1), True)


@pytest.mark.parametrize("raw", ["2026年13月1日", "下月", "2026", 5, "1900-01-01", "2026-02-30"])
def test_bad_dates(raw):
    assert n.parse_date(raw) == (None, False)


def test_year_forms():
    assert n.parse_year("2025年度") == (2025, True)
    assert n.parse_year(2025.0) == (2025, True)
    assert n.parse_year(dt.date(2025, 6, 1)) == (2025, True)
    assert n.parse_year("25")[1] is False


@pytest.mark.parametrize(("raw", "expected"), [("是", True), ("√", True), ("已备案", True), ("否", False), ("×", False),
                                               ("未备案", False), ("无", False), (1, True), ("Yes", True)])  # fmt: skip
def test_yes_no_words(raw, expected):
    assert n.parse_bool(raw) == (expected, True)


@pytest.mark.parametrize(
    ("vocab", "raw", "expected"),
    [
        ("union_status", "已建", "独立建会"),
        ("union_status", "√", "独立建会"),
        ("union_status", "联合工会", "联合建会"),
        ("union_status", "否", "未建会"),
        ("status", "在营", "正常经营"),
        ("status", "存续", "正常经营"),
        ("grade", "3A", "AAA"),
        ("grade", "三A级", "AAA"),
        ("grade", "aa", "AA"),
        ("grade", "A级", "A"),
        ("campaign", "夏送清凉", "夏送凉爽"),
        ("campaign", "元旦慰问", "节日慰问"),
        ("industry", "C", "制造业"),
        ("industry", "08", "批发和零售业"),
        ("industry", 8, "批发和零售业"),
        ("industry", "C 制造业", "制造业"),
        ("outcome", "调解不成（转仲裁/诉讼）", "调解不成"),
        ("dispute_type", "劳动报酬（拖欠工资）", "劳动报酬"),
        ("mediation_level", "街道调解中心", "街道"),
    ],
)
def test_vocabularies_with_synonyms(vocab, raw, expected):
    assert n.parse_vocab(raw, vocab) == (expected, True)


def test_unknown_vocabulary_value():
    assert n.parse_vocab("挺好", "grade") == (None, False)


def test_campaign_keeps_festival():
    c = col(["元旦慰问", "2026年春节慰问活动", "冬送温暖"], "aid", "campaign")
    assert list(c.values) == ["节日慰问", "节日慰问", "冬送温暖"]
    assert list(c.extra["festival"].fillna("")) == ["元旦", "春节", ""]


@pytest.mark.parametrize("raw", ["东风", "东风社区", " 东 风 ", "东风社区居委会", "东风居委会"])
def test_community_key(raw):
    assert n.parse_community(raw) == ("东风社区", True)


def test_uscc_upper_cased_and_compacted():
    c = col(["91110000600037341l", "９１１１0000 6000-37341L", 12.0], "enterprises", "uscc")
    assert list(c.values) == ["91110000600037341L", "91110000600037341L", "12"]


def test_text_column_blank_and_spaces():
    c = col(["  东风　机械 ", "", None, 13800000000.0], "enterprises", "name")
    assert list(c.values.fillna("<NA>")) == ["东风 机械", "<NA>", "<NA>", "13800000000"]
    assert not c.bad.any()


def test_column_marks_bad_values_and_keeps_types():
    c = col(["56人", "很多", "", 3.0], "enterprises", "employees")
    assert str(c.values.dtype) == "Int64"
    assert list(c.values.fillna(-1)) == [56, -1, -1, 3]
    assert list(c.bad) == [False, True, False, False]
    d = col(["2026年3月5日", "坏日期"], "enterprises", "union_founded")
    assert d.values.dtype == np.dtype("M8[s]")
    assert d.values[0] == pd.Timestamp("2026-03-05") and pd.isna(d.values[1]) and list(d.bad) == [False, True]


def test_name_norm_ignores_brackets_and_spaces():
    s = n.name_norm(pd.Series(["东风机械（天津）有限公司", "东风机械(天津) 有限公司"], dtype="string"))
    assert s[0] == s[1] == "东风机械天津有限公司"


def test_name_norm_removes_every_python_whitespace():
    # The pattern spells out Python's \s so Arrow can run it: it must match exactly what \s did.
    import re

    spelled, with_s = re.compile(n._NAME_NOISE), re.compile(r"[\s()\[\]【】<>《》·.,，、\-]")
    differ = [c for c in map(chr, range(0x110000)) if bool(spelled.fullmatch(c)) != bool(with_s.fullmatch(c))]
    assert differ == []
    names = pd.Series(["东风\u3000机械\x0b\u2028（天津）\x85有限 公司"], dtype="string")
    assert n.name_norm(names)[0] == "东风机械天津有限公司"
