"""A page run keeps the database open from setup() to its end (dashboard.ui.data.hold_database), so its
loads do not each open the file; when the run is over the file is free for another process."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard import db
from dashboard.ui import data

ROOT = Path(__file__).resolve().parent.parent

# Another process opening the file read-write, as a command-line import does; prints "free" or "held".
OPEN_ELSEWHERE = textwrap.dedent("""
    import sys, duckdb
    try:
        duckdb.connect(sys.argv[1]).close()
        print("free")
    except duckdb.IOException as exc:
        print("held" if "lock" in str(exc).lower() else exc)
""")


def elsewhere(path: Path) -> str:
    done = subprocess.run([sys.executable, "-c", OPEN_ELSEWHERE, str(path)], capture_output=True, text=True)
    return done.stdout.strip() or done.stderr


def _script():
    import streamlit as st

    from dashboard import metrics
    from dashboard.ui import data
    from dashboard.ui.page import setup

    filters = setup()
    held = getattr(data._this_run, "held", None)
    st.session_state["held_path"] = str(held.path) if held is not None else None
    st.metric("communities", len(data.load(metrics.union_coverage_25plus, filters)))


def test_held_during_the_run_and_released_after_it(small_db):
    at = AppTest.from_function(_script, default_timeout=60)
    at.query_params["year"] = "2026"
    at.query_params["as_of"] = "2026-06-30"
    at.run()
    assert not at.exception
    assert at.session_state["held_path"] == str(small_db)
    assert elsewhere(small_db) == "free"  # the run is over: nothing of it holds the file
    with db.connect(small_db):
        assert elsewhere(small_db) == "held"  # the check above can fail
    at.run()  # a rerun holds it afresh
    assert at.session_state["held_path"] == str(small_db)
    assert elsewhere(small_db) == "free"


def test_every_page_leaves_the_file_free(small_db):
    for page in ("overview", "wages", "aid", "disputes"):
        at = AppTest.from_file(str(ROOT / "app_pages" / f"{page}.py"), default_timeout=60)
        at.query_params["year"] = "2026"
        at.query_params["as_of"] = "2026-06-30"
        at.run()
        assert not at.exception, page
        assert elsewhere(small_db) == "free", page


def test_nothing_held_outside_a_script_run(small_db):
    data.hold_database()  # the test's own thread is no script run
    assert getattr(data._this_run, "held", None) is None
    assert elsewhere(small_db) == "free"
