"""data_table on a list longer than the screen shows: the first MAX_SHOWN_ROWS rows prepared and masked
during the run, every row (masked, in the same columns) only in the downloads, which are built on a click."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ui import tables

ROWS = tables.MAX_SHOWN_ROWS + 1234


def _script():
    import pandas as pd
    import streamlit as st

    from dashboard.aid import for_display
    from dashboard.ui.tables import data_table

    n = 2000 + 1234
    frame = pd.DataFrame(
        {
            "community": ["东风社区"] * n,
            "recipient": [f"张{i:05d}" for i in range(n)],
            "id_number": [f"1201011990{i:08d}" for i in range(n)],
            "given_on": pd.to_datetime(["2026-01-05"] * n),
            "cash": [300.0] * n,
        }
    )
    seen = st.session_state.setdefault("prepared_rows", [])

    def display(rows):
        seen.append(len(rows))
        return for_display(rows)

    data_table(frame, display=display, key="t", file_name="明细")


@pytest.fixture
def downloads(monkeypatch):
    """The builders data_table hands to its download buttons, by file name (not run by AppTest)."""
    made = {}
    real = tables.audited

    def keep(make, file_name, rows=None):
        made[file_name] = (make, rows)
        return real(make, file_name, rows)

    monkeypatch.setattr(tables, "audited", keep)
    return made


def test_long_list_prepares_only_the_rows_on_screen(downloads):
    at = AppTest.from_function(_script, default_timeout=60).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == tables.MAX_SHOWN_ROWS
    assert list(table.columns) == ["社区", "姓名", "身份证号", "发放日期", "慰问金（元）"]
    assert table["姓名"].iloc[0] == "张*****" and table["身份证号"].iloc[0] == "1201**********0000"
    assert at.session_state["prepared_rows"] == [tables.MAX_SHOWN_ROWS]  # not the whole list
    caption = at.caption[0].value
    assert caption == f"共 {ROWS} 条，页面显示前 {tables.MAX_SHOWN_ROWS} 条，完整数据请下载；个人信息已脱敏"

    make_csv, rows = downloads["明细.csv"]
    assert rows == ROWS
    csv = pd.read_csv(io.BytesIO(make_csv()), encoding="utf-8-sig", dtype=str)
    assert at.session_state["prepared_rows"] == [tables.MAX_SHOWN_ROWS, ROWS]  # every row, on the click
    assert list(csv.columns) == list(table.columns)
    assert len(csv) == ROWS
    assert csv["姓名"].str.fullmatch(r"张\*{5}").all()
    assert csv["身份证号"].str.fullmatch(r"1201\*{10}\d{4}").all()
    assert csv["身份证号"].iloc[-1] == "1201**********3233"

    make_xlsx, rows = downloads["明细.xlsx"]
    assert rows == ROWS
    assert make_xlsx()[:2] == b"PK"  # a workbook (zip); its cells are checked in tests/test_export.py


def test_a_list_longer_than_an_excel_sheet_says_the_workbook_has_several(downloads, monkeypatch):
    from dashboard import export

    monkeypatch.setattr(export, "MAX_SHEET_ROWS", 1500)  # Excel's 1,048,575, made small: 3,234 rows = 3 sheets
    at = AppTest.from_function(_script, default_timeout=60).run()
    assert not at.exception
    assert at.caption[0].value.endswith("；Excel 每张工作表最多 1,500 行，下载的工作簿分 3 张表，CSV 为一个文件")
    assert "需要几秒钟" not in at.caption[0].value  # 3,234 rows: not slow
    book = openpyxl.load_workbook(io.BytesIO(downloads["明细.xlsx"][0]()))
    assert book.sheetnames == ["明细", "明细(续2)", "明细(续3)"]
    assert [book[name].max_row - 1 for name in book.sheetnames] == [1500, 1500, ROWS - 3000]


def test_a_long_list_says_its_downloads_take_a_few_seconds(downloads, monkeypatch):
    monkeypatch.setattr(tables, "SLOW_DOWNLOAD_ROWS", 3000)  # 100,000 in production; the list has 3,234
    at = AppTest.from_function(_script, default_timeout=60).run()
    assert not at.exception
    assert at.caption[0].value.endswith("；条数多，生成下载文件需要几秒钟")


def _partial_script():
    """A page that has fetched only the rows it shows of a longer list (db.run_rows) and how many."""
    import pandas as pd
    import streamlit as st

    from dashboard.aid import for_display
    from dashboard.ui.tables import data_table

    def rows(n):
        return pd.DataFrame({"community": ["东风社区"] * n, "recipient": [f"李{i:04d}" for i in range(n)]})

    fetched = st.session_state.setdefault("fetched", [])

    def fetch_all():
        fetched.append(5000)
        return rows(5000)

    data_table(rows(2000), total=5000, fetch_all=fetch_all, display=for_display, key="p", file_name="部分")


def test_a_partial_list_fetches_every_row_only_when_asked(downloads):
    at = AppTest.from_function(_partial_script, default_timeout=60).run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 2000
    assert at.session_state["fetched"] == []  # nothing more fetched to show the page
    assert at.caption[0].value == "共 5000 条，页面显示前 2000 条；点“准备下载”取全部 5000 条；个人信息已脱敏"
    assert "部分.csv" not in downloads  # no download offered over the 2,000 rows alone

    at.button(key="p_fetch").click().run()
    assert not at.exception
    assert at.session_state["fetched"] == [5000]
    make_csv, rows = downloads["部分.csv"]
    assert rows == 5000
    csv = pd.read_csv(io.BytesIO(make_csv()), encoding="utf-8-sig", dtype=str)
    assert len(csv) == 5000 and csv["姓名"].iloc[-1] == "李****"
    assert at.caption[0].value == "共 5000 条，页面显示前 2000 条，完整数据请下载；个人信息已脱敏"


def test_internal_keys_never_reach_a_table_or_its_downloads():
    """A frame that carries the stored keys (a console result, say) shows neither: person_key can be an
    aid recipient's ID number under a name no masker knows."""
    frame = pd.DataFrame(
        {"recipient": ["张三"], "person_key": ["110101199003071234"], "enterprise_key": ["91110000MA0000000A"]}
    )
    shown = tables.table_frame(frame)
    assert list(shown.columns) == ["recipient"]
    assert "110101199003071234" not in shown.to_string()
