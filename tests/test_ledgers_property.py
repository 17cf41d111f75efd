"""Property tests: normalisers and the header finder on generated messy input never crash, and every
rejected row is explained by an error Problem."""

import datetime as dt

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import spec
from dashboard.ledgers import header as hdr
from dashboard.ledgers import normalise as n
from dashboard.ledgers.model import ERROR
from dashboard.ledgers.parse import parse_sheet
from dashboard.ledgers.read import RawSheet

WORDS = ["是", "否", "√", "合计", "填报人：", "56人", "1,200元", "5%", "2026年3月", "2026/3/5", "东风", "AAA",
         "元旦慰问", "序号", "企业名称", "职工人数（人）", "社区", "  ", "", "很多", "９１", "-3",
         "1e9", "NaN"]  # fmt: skip
cells = st.one_of(
    st.sampled_from(WORDS),
    st.text(max_size=12),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.datetimes(),
    st.none(),
)
ALL_FIELDS = [f for lg in spec.LEDGERS.values() for f in lg.fields]


@settings(max_examples=150, deadline=None)
@given(st.lists(cells, max_size=20), st.sampled_from(ALL_FIELDS))
def test_normalise_column_never_raises(values, f):
    raw = np.empty(len(values), dtype=object)
    raw[:] = values
    col = n.normalise_column(raw, f, f.label)
    assert len(col.values) == len(values) == len(col.bad)
    # A value is either understood or flagged; blanks are neither.
    for out, bad in zip(col.values, col.bad, strict=True):
        if bad:
            assert out is None or out is np.nan or str(out) in ("<NA>", "NaT", "nan")


HEADERS = ["序号", "社区", "企业名称", "统一社会信用代码", "职工人数", "是否建会", "建会时间", "会员人数"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(cells, min_size=8, max_size=8), max_size=12),
    st.lists(st.lists(cells, min_size=8, max_size=8), max_size=3),
)
def test_messy_sheet_rejections_are_explained(body, above):
    rows = [[*r] for r in above] + [list(HEADERS)] + [[*r] for r in body]
    rows = [["" if v is None else v for v in r] for r in rows]
    sheet = parse_sheet(RawSheet("s", rows), "东风社区台账.xlsx")
    if sheet.ledger is None:
        return
    assert len(sheet.frame) + sheet.rows_rejected == sheet.rows_read
    kept = set(sheet.frame["source_row"].tolist()) if len(sheet.frame) else set()
    errors = [p for p in sheet.problems if p.severity == ERROR]
    sheet_level = any(p.row == sheet.header_row for p in errors)
    data_rows = set(hdr.data_rows(rows, hdr.find_header(rows)).indices)
    for i in data_rows:
        if i + 1 not in kept:
            assert sheet_level or any(p.row == i + 1 for p in errors), (i + 1, sheet.problems)
    for p in errors:
        assert p.row not in kept and p.message


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(cells, max_size=6), max_size=10))
def test_header_finder_never_raises(rows):
    width = max((len(r) for r in rows), default=0)
    rows = [[("" if v is None else v) for v in r] + [""] * (width - len(r)) for r in rows]
    head = hdr.find_header(rows)
    if head is not None:
        assert 0 <= head.first_row <= head.last_row < len(rows)
        got = hdr.data_rows(rows, head)
        assert all(head.last_row < i < len(rows) for i in got.indices)
