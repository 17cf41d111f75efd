"""dashboard/ui/tables.data_table with `cap`: a long list shows `cap` rows, "展开全部" every row; the
downloads hold every row either way."""

from streamlit.testing.v1 import AppTest

from dashboard.ui import tables


def capped_page():
    import pandas as pd

    from dashboard.ui.tables import data_table

    data_table(pd.DataFrame({"社区": [f"社区{i}" for i in range(12)]}), key="t", file_name="t", cap=5)
    data_table(pd.DataFrame({"社区": ["甲", "乙"]}), key="short", file_name="s", cap=5)


def test_a_long_list_is_capped_until_expanded():
    at = AppTest.from_function(capped_page, default_timeout=60).run()
    assert not at.exception
    assert [t.label for t in at.toggle] == ["展开全部（共 12 条）"]  # the short list has none
    assert len(at.dataframe[0].value) == 12  # every row is there to sort and scroll
    assert any("共 12 条" in c.value for c in at.caption)
    at.toggle[0].set_value(True).run()
    assert not at.exception and at.toggle[0].value is True


def test_the_heights_of_capped_and_expanded_lists():
    assert tables.rows_height(5) == 35 * 6 + 3  # 5 rows and the header
    assert tables.rows_height(12) == 35 * 13 + 3
    assert tables.rows_height(500) == 35 * (tables.MAX_EXPANDED_ROWS + 1) + 3  # the rest scroll
