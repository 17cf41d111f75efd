"""The 企业查询 page under AppTest on the hand-written street of tests/test_profile.py."""

from datetime import date
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ui.profile import profile_link, profile_links
from tests.conftest import app_database
from tests.test_profile import A, build_profile_street

ROOT = Path(__file__).resolve().parent.parent
PAGE = "app_pages/enterprise.py"


@pytest.fixture
def profile_db(tmp_path, monkeypatch):
    return app_database(tmp_path / "profile.duckdb", build_profile_street, monkeypatch)


def open_page(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    for k, v in (query or {}).items():  # what a link from another page carries
        at.query_params[k] = v
    return at.switch_page(PAGE).run()


def subheaders(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader]


def test_profile_links_are_profile_link_of_each_key():
    keys = ["K1", "91120101MA05ABCD1X", f"N:示例街道|{A}|乙厂", "a b", "x-y", "é1", "", None]
    assert profile_links(pd.Series(keys, dtype="object")) == [profile_link(k) for k in keys]
    assert profile_links(pd.Series(keys[:6], dtype="str")) == [profile_link(k) for k in keys[:6]]


def test_profile_link_is_relative_and_escaped():
    assert profile_link("K1") == "enterprise?ent=K1"
    link = profile_link(f"N:示例街道|{A}|乙厂")
    assert link.startswith("enterprise?ent=N%3A") and "|" not in link  # every reserved character escaped
    assert unquote(link.split("=", 1)[1]) == f"N:示例街道|{A}|乙厂"


def test_opens_profile_from_query_parameter(profile_db):
    at = open_page({"ent": "K1"})
    assert not at.exception
    assert "一企一档：甲新科技有限公司" in subheaders(at)
    facts = " ".join(m.value for m in at.markdown)
    assert "<div class='profile-label'>职工人数</div><div class='profile-value'>55 人</div>" in facts
    assert "2 件（未结 1 件）" in facts
    assert "30 人 · 54.5%" in facts  # members, 30 / 55
    assert at.query_params["ent"] == "K1"  # the URL still reproduces the view
    texts = " ".join(m.value for m in at.markdown)
    assert "张**" in texts and "138****5678" in texts  # chair and phone masked
    assert "张三丰" not in texts and "13812345678" not in texts
    aid = next(d.value for d in at.dataframe if "身份证号" in d.value.columns)
    assert list(aid["姓名"]) == ["王*", "李*"]
    assert list(aid["身份证号"]) == ["1201**********1234"] * 2


def test_query_parameter_with_name_key(profile_db):
    at = open_page({"ent": f"N:示例街道|{A}|乙厂"})
    assert not at.exception
    assert "一企一档：乙厂" in subheaders(at)


def test_unknown_key_says_so(profile_db):
    at = open_page({"ent": "NOPE"})
    assert not at.exception
    assert any("没有找到这家企业" in w.value for w in at.warning)


def test_search_then_open(profile_db):
    at = open_page()
    assert any("请在上方输入关键词" in i.value for i in at.info)
    at.text_input(key="ent_search").input("厂").run()
    assert not at.exception
    results = at.dataframe[0].value
    assert list(results["企业名称"]) == ["乙厂", "甲新科技有限公司", "旧厂"]
    assert list(results["联系电话"].fillna("")) == ["", "138****5678", ""]
    # a single match opens at once
    at.text_input(key="ent_search").input("4321").run()
    assert "一企一档：甲新科技有限公司" in subheaders(at)
    at.text_input(key="ent_search").input("没有这家").run()
    assert any("没有找到与「没有这家」相符的企业" in i.value for i in at.info)


def test_gone_enterprise_and_as_of_filter(profile_db):
    at = open_page({"ent": "K9"})
    assert any("已不在所属社区最新上传的企业名录中" in w.value for w in at.warning)
    at = open_page({"ent": "K1"})
    at.selectbox(key="f_year").set_value(2026).run()
    at.date_input(key="f_as_of_2026").set_value(date(2026, 7, 1)).run()
    assert not at.exception
    # on 7-01 the agreement signed that day is in force until 2027-06-30
    assert "有效至 2027-06-30" in " ".join(m.value for m in at.markdown)
    assert at.query_params["ent"] == "K1"
