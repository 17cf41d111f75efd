"""The one reader of a chart click (dashboard.ui.tables.clicked_points) and the readers built on it, on
selections shaped as Streamlit hands them to a page (event.selection["points"])."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import streamlit as st

from dashboard.charts import plot_text
from dashboard.ui import tables

EVIL = "<b>东风</b>&lt;社区"  # markup plotly would render, and an entity written as text


def event(*points: dict):
    return SimpleNamespace(selection={"points": list(points)})


NOTHING = [None, SimpleNamespace(), SimpleNamespace(selection={}), event()]


@pytest.mark.parametrize("ev", NOTHING)
def test_no_click_reads_as_nothing(ev):
    assert tables.clicked_points(ev) == []
    assert tables.clicked_point(ev) is None
    assert tables.community_from_selection(ev) is None
    assert tables.communities_picked(ev) == set()
    assert tables.point_value(ev, "y") is None


def test_points_come_back_as_the_ledger_wrote_them():
    ev = event({"y": plot_text(EVIL), "x": 3}, {"y": "向阳社区", "x": 1})
    assert [p["y"] for p in tables.clicked_points(ev)] == [EVIL, "向阳社区"]  # unescaped, first first
    assert tables.clicked_point(ev) == {"y": EVIL, "x": 3}
    assert tables.community_from_selection(ev) == EVIL  # no customdata: the bar's y
    assert tables.communities_picked(ev) == {EVIL, "向阳社区"}  # every bar clicked
    assert tables.point_value(ev, "x") == "3"
    assert tables.point_value(ev, "y") == EVIL


def test_customdata_names_the_community_and_its_first_item_is_the_value():
    ev = event({"y": "ignored", "customdata": ["向阳社区", 7]})
    assert tables.community_from_selection(ev) == "向阳社区"
    assert tables.point_value(ev, "customdata") == "向阳社区"
    assert tables.community_from_selection(event({"x": 1, "customdata": "东风社区"})) == "东风社区"


def test_take_pick_fills_the_selector_only_on_a_new_click(monkeypatch):
    state: dict = {}
    monkeypatch.setattr(st, "session_state", state)
    click = event({"customdata": ["工资", "ignored"]})
    tables.take_pick(click, "drill")
    assert state["drill"] == "工资"
    state["drill"] = "社保"  # the user changes the selector by hand; the same click (a rerun) keeps it
    tables.take_pick(click, "drill")
    assert state["drill"] == "社保"
    tables.take_pick(event({"customdata": ["a", "b"]}), "drill", index=1)  # a new click: its 2nd item
    assert state["drill"] == "b"
    tables.take_pick(event(), "drill")  # the click cleared: the selector keeps its value
    assert state["drill"] == "b"
