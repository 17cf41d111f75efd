"""The 集体协商 page under AppTest on the hand-written wage street of tests/test_wages.py."""

import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import audit, db
from tests.conftest import add_batch, app_database
from tests.test_wages import build_wage_street

ROOT = Path(__file__).resolve().parent.parent
PAGE = "app_pages/wages.py"


@pytest.fixture
def wage_db(tmp_path, monkeypatch):
    return app_database(tmp_path / "wages.duckdb", build_wage_street, monkeypatch)


def open_page(year: int = 2026, as_of: date = date(2026, 6, 30), communities: list[str] | None = None) -> AppTest:
    """Start the app, switch to the page, then set the shared filters with their widgets (the way a user
    does; seeding them from the URL is the filter bar's own test)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page(PAGE).run()
    at.selectbox(key="f_year").set_value(year).run()
    at.date_input(key=f"f_as_of_{year}").set_value(as_of).run()
    if communities:
        at.multiselect(key="f_communities").set_value(communities).run()
    return at


def metrics_by_label(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def frames(at: AppTest) -> list:
    return [d.value for d in at.dataframe]


def find_frame(at: AppTest, column: str):
    return next(f for f in frames(at) if column in f.columns)


def test_wages_page_shows_w1_lists_and_progress(wage_db):
    at = open_page()
    assert not at.exception
    m = metrics_by_label(at)
    assert m["建会企业工资集体协商签约率（W1）"] == "71.4%"  # 5 / 7
    assert m["新增建制未完成社区（W2）"] == "2 个"
    assert m["行业性、区域性协议（W3）"] == "2 份"
    assert m["W1 年末预测"] == "42.9%"  # 3 / 7, worked out in test_wages
    assert m["60 天内到期"] == "2 家"
    assert m["到期未续签"] == "2 家"
    texts = " ".join(md.value for md in at.markdown)
    assert "还差 2 家" in texts  # W1 card: 90 % of 7 needs 7
    assert "按目前进度年末还差 4 家" in texts
    unsigned = find_frame(at, "情况")
    assert list(unsigned["企业名称"]) == ["丙厂", "庚厂"]
    expiring = find_frame(at, "剩余天数")
    assert list(expiring["企业名称"]) == ["甲厂", "辛厂"]
    assert list(expiring["档案"]) == ["enterprise?ent=K1", "enterprise?ent=K8"]
    assert "剩余天数" in expiring.columns and "工会主席" in expiring.columns
    assert any(title.label.startswith("即将到期") for title in at.tabs)
    assert len(at.get("download_button")) >= 2  # expiry lists and unsigned list are exportable


def test_signing_rows_behind_the_calendar_and_histogram(wage_db):
    """Before a click the 签约明细 list holds this year's signings (a click on the calendar or histogram
    narrows it through dashboard.wages.rows_for_signing_pick, tested in tests/test_wages.py)."""
    at = open_page()
    assert not at.exception
    rows = find_frame(at, "工资增幅（%）")
    assert list(rows["企业名称"]) == ["丁厂", "乙厂"]  # 1-01 行业性 5.0 %, 6-29 renewal 3.5 %
    assert list(rows["工资增幅（%）"]) == [5.0, 3.5]
    assert any("点击上方柱条可只看某月" in c.value for c in at.caption)
    at.multiselect(key="f_communities").set_value(["向阳社区"]).run()
    assert not at.exception
    assert any("本年度还没有签约记录" in i.value for i in at.info)  # 向阳 signed only in 2025


def test_personal_data_masked_in_lists(tmp_path, monkeypatch, wage_db):
    with db.connect(wage_db) as con:
        con.execute("update enterprises set union_chair = '张三丰', phone = '13812345678' where uscc = 'K1'")
    at = open_page()
    expiring = find_frame(at, "剩余天数")
    row = expiring[expiring["企业名称"] == "甲厂"].iloc[0]
    assert (row["工会主席"], row["联系电话"]) == ("张**", "138****5678")


def test_list_downloads_built_on_click_are_masked(wage_db, monkeypatch):
    """The expiry and unsigned downloads are built only when clicked (AppTest never clicks): their
    builders, run here, give every row of the lists with personal data masked."""
    from streamlit.delta_generator import DeltaGenerator

    with db.connect(wage_db) as con:
        con.execute("update enterprises set union_chair = '张三丰', phone = '13812345678' where uscc = 'K1'")
    builders = {}
    real = DeltaGenerator.download_button

    def keep(self, label, data, file_name=None, *args, **kwargs):
        builders[file_name] = data
        return real(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", keep)
    at = open_page()
    assert not at.exception
    expiry_csv = builders["即将到期_2026-06-30.csv"]  # as of the date open_page sets last
    assert callable(expiry_csv)
    expiring = pd.read_csv(io.BytesIO(expiry_csv()), encoding="utf-8-sig", dtype=str)
    assert list(expiring["企业名称"]) == ["甲厂", "辛厂"]
    row = expiring[expiring["企业名称"] == "甲厂"].iloc[0]
    assert (row["工会主席"], row["联系电话"]) == ("张**", "138****5678")
    workbook = builders["即将到期_2026-06-30.xlsx"]()
    sheets = pd.read_excel(io.BytesIO(workbook), sheet_name=None, dtype=str, engine="openpyxl")
    (sheet,) = sheets.values()
    assert "张三丰" not in sheet.to_string() and "张**" in set(sheet["工会主席"])
    assert "档案" not in sheet.columns  # the profile link is for the screen only
    assert {"到期未续签_2026-06-30.xlsx", "到期提醒按社区汇总_2026-06-30.xlsx"} <= set(builders)
    unsigned_csv = builders["未签约名单_2026-06-30.csv"]
    assert list(pd.read_csv(io.BytesIO(unsigned_csv()), encoding="utf-8-sig", dtype=str)["企业名称"]) == [
        "丙厂",
        "庚厂",
    ]
    # each download that was built (as a click would) left an export entry in the audit log
    with db.connect(wage_db) as con:
        exported = set(audit.entries(con, actions=["export"])["detail"])
    assert {"即将到期_2026-06-30.csv（2 行）", "未签约名单_2026-06-30.csv（2 行）"} <= exported
    assert "即将到期_2026-06-30.xlsx（2 行）" in exported


def test_lists_unmasked_for_a_role_allowed_personal_data(wage_db, monkeypatch):
    """The lists go through the shared table: a role named in [auth] personal_roles sees names and
    phones, as on every other page (the page's own helpers masked them for everyone)."""
    from dashboard import privacy

    with db.connect(wage_db) as con:
        con.execute("update enterprises set union_chair = '张三丰', phone = '13812345678' where uscc = 'K1'")
    monkeypatch.setattr(privacy, "can_see_personal", lambda viewer: True)
    from dashboard.ui import tables

    monkeypatch.setattr(tables, "can_see_personal", lambda viewer: True)
    at = open_page()
    expiring = find_frame(at, "剩余天数")
    row = expiring[expiring["企业名称"] == "甲厂"].iloc[0]
    assert (row["工会主席"], row["联系电话"]) == ("张三丰", "13812345678")


def test_community_filter_narrows_page(wage_db):
    at = open_page()
    at.multiselect(key="f_communities").set_value(["向阳社区"]).run()
    assert not at.exception
    m = metrics_by_label(at)
    assert m["建会企业工资集体协商签约率（W1）"] == "100.0%"  # 辛, 壬 both covered
    assert m["60 天内到期"] == "1 家"  # 辛厂
    assert any("所选范围内建会企业都已签订有效协议" in i.value for i in at.info)
    assert at.query_params["c"] == "向阳社区"


def test_as_of_change_recomputes(wage_db):
    at = open_page()
    at.date_input(key="f_as_of_2026").set_value(date(2026, 7, 1)).run()
    assert not at.exception
    # on 7-01 甲厂's agreement has lapsed (expired list) and 庚厂's is in force: W1 still 5 / 7
    m = metrics_by_label(at)
    assert m["到期未续签"] == "3 家"  # 丙, 外厂, 甲
    assert m["60 天内到期"] == "2 家"  # 辛厂 8-29 is 59 days on, 壬厂 8-30 now exactly 60
    assert m["建会企业工资集体协商签约率（W1）"] == "71.4%"


@pytest.fixture
def with_blank_community(wage_db):
    # a 2023 grade for a community that has no enterprises and no agreements: the year and the
    # community become selectable, and neither has anything for this page
    with db.connect(wage_db) as con:
        add_batch(con, "harmonious", [dict(community="空白社区", name="某厂", year=2023, grade="A")])
    return wage_db


def test_year_without_data_says_so(with_blank_community):
    at = open_page(2023, date(2023, 12, 31))
    assert not at.exception
    assert any("数据管理" in i.value for i in at.info)


def test_community_without_enterprises_says_so(with_blank_community):
    at = open_page(communities=["空白社区"])
    assert not at.exception
    assert any("数据管理" in i.value for i in at.info)


def test_empty_database(tmp_path, monkeypatch):
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert any("数据管理" in i.value for i in at.info)


def test_shared_link_reproduces_view(wage_db):
    # a browser opening /wages?year=2026&as_of=2026-06-30&c=向阳社区 runs the page first
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=60)
    for k, v in {"year": "2026", "as_of": "2026-06-30", "c": "向阳社区"}.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    assert metrics_by_label(at)["建会企业工资集体协商签约率（W1）"] == "100.0%"
    assert metrics_by_label(at)["60 天内到期"] == "1 家"


def test_long_lists_show_their_first_rows_and_say_so(wage_db, monkeypatch):
    """With room for one row, the unsigned list (丙厂, 庚厂) shows 丙厂 and says the downloads hold both
    (the shared table's wording, as on every page)."""
    from dashboard.ui import tables

    monkeypatch.setattr(tables, "MAX_SHOWN_ROWS", 1)
    at = open_page()
    assert not at.exception
    assert list(find_frame(at, "情况")["企业名称"]) == ["丙厂"]
    assert any(c.value.startswith("共 2 条，页面显示前 1 条，完整数据请下载") for c in at.caption)


def test_w2_target_comes_from_the_settings(wage_db, tmp_path, monkeypatch):
    """The W2 task (每社区每年新签不少于 N 家) is the settings' target, not a number of the page."""
    path = tmp_path / "settings.toml"
    path.write_text("[targets.2026]\nW2 = 5\n", encoding="utf-8")
    monkeypatch.setenv("UNION_DASHBOARD_SETTINGS", str(path))
    at = open_page()
    assert not at.exception
    card = next(m for m in at.metric if m.label == "新增建制未完成社区（W2）")
    assert "本年目标：每社区每年不少于 5 家" in card.help  # beside W2's 口径 (tests/test_explain.py)
    # both communities sign fewer than 5 this year, as they signed fewer than 2 (the page's default test)
    assert card.value == "2 个"
