"""Every kept result is keyed by who is asking, and a deferred download runs as the session that drew it.

The failure this guards against: the 督办清单 zip was built once for the whole street in single-user
mode, accounts were added while the server ran, and a 社区 cadre's download was then served the kept
whole-street file. And with accounts, every deferred download failed: it ran in a server thread with no
scope. (dashboard/ui/data.py: scoped_cache, deferred.)
"""

from __future__ import annotations

import io
import re
import threading
import zipfile
from pathlib import Path

import pytest

from dashboard import auth, db, pack, scope
from dashboard.filters import Filters
from dashboard.ui import data
from tests.small_street import C1, C2

ROOT = Path(__file__).resolve().parent.parent
CADRE = scope.Viewer("东风干部", auth.CADRE, C1)


@pytest.fixture(autouse=True)
def _fresh():
    data._kept.clear()
    yield
    scope.enforce(False)
    data._kept.clear()


def in_thread(fn):
    """fn() in a new thread (no scope, no session: as Streamlit runs a deferred download's data)."""
    out = {}

    def target():
        try:
            out["value"] = fn()
        except Exception as exc:
            out["error"] = exc

    t = threading.Thread(target=target)
    t.start()
    t.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


def zip_names(blob: bytes) -> list[str]:
    return sorted(zipfile.ZipFile(io.BytesIO(blob)).namelist())


def test_no_page_or_module_keeps_results_outside_the_scoped_cache():
    allowed = {
        ("dashboard/ui/data.py", "_kept"),
        ("dashboard/ui/page.py", "_bootstrap_lock"),  # a lock, no data
        ("dashboard/ledgers/columns.py", "match_header"),  # pure functions of header text and settings
        ("dashboard/ledgers/columns.py", "_alias_index"),
        ("dashboard/deck_fit.py", "_font"),  # the font files found on this machine: no data
        ("dashboard/deck_fit.py", "_run_em"),  # a pure function of a run of text and a font
        ("dashboard/pg.py", "translate"),  # SQL text to PostgreSQL's SQL text: no data, no scope
    }
    found = set()
    for path in [ROOT / "app.py", *(ROOT / "dashboard").rglob("*.py"), *(ROOT / "app_pages").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(
            r"@(?:st\.cache_data|st\.cache_resource|functools\.(?:cache|lru_cache)|lru_cache|cache)\b"
            r"[^\n]*\n(?:@[^\n]*\n)*def (\w+)",
            text,
        ):
            found.add((path.relative_to(ROOT).as_posix(), m.group(1)))
    assert found == allowed


def test_a_lookup_is_kept_per_scope(small_db):
    assert sorted(data.lookup("communities")["community"]) == sorted([C1, C2])
    scope.enforce(True)
    with scope.using(scope.Scope((C1,)), CADRE):
        assert list(data.lookup("communities")["community"]) == [C1]
    with scope.using(scope.ALL):
        assert sorted(data.lookup("communities")["community"]) == sorted([C1, C2])


def test_a_kept_call_without_scope_is_refused_once_enforced(small_db):
    data.lookup("communities")  # kept for the whole street in single-user mode
    scope.enforce(True)
    with pytest.raises(scope.ScopeMissing):
        in_thread(lambda: data.lookup("communities"))


def test_deferred_zip_after_single_user_use_holds_only_the_cadres_community(small_db):
    filters = Filters(year=2026)
    street = data.load(pack.follow_up_zip, filters)  # single-user mode: the whole street, kept
    assert zip_names(street) == sorted([f"{C1}督办清单.xlsx", f"{C2}督办清单.xlsx"])
    with scope.using(scope.ALL), db.connect(small_db) as con:  # accounts added while the server runs
        auth.add_user(con, CADRE.name, "a-long-password", auth.CADRE, C1)
    scope.enforce(True)
    with scope.using(CADRE.scope, CADRE):  # the cadre's run draws the button
        make = data.deferred(lambda: data.load(pack.follow_up_zip, filters))
    blob = in_thread(make)  # clicked: built in a server thread
    assert zip_names(blob) == [f"{C1}督办清单.xlsx"]
    with scope.using(scope.ALL), db.connect(small_db) as con:
        leader = scope.Viewer("书记", auth.LEADER)
        auth.add_user(con, leader.name, "a-long-password", auth.LEADER)
    with scope.using(leader.scope, leader):
        make = data.deferred(lambda: data.load(pack.follow_up_zip, filters))
    assert in_thread(make) == street


def test_deferred_download_refused_when_the_account_changed_or_was_drawn_before_accounts(small_db):
    filters = Filters(year=2026)
    with scope.using(scope.ALL, auth.LOCAL_USER):  # drawn in single-user mode
        drawn_local = data.deferred(lambda: data.load(pack.follow_up_zip, filters))
    with scope.using(scope.ALL), db.connect(small_db) as con:
        auth.add_user(con, CADRE.name, "a-long-password", auth.CADRE, C1)
    scope.enforce(True)
    with pytest.raises(scope.ScopeMissing, match="账号或权限已变更"):
        in_thread(drawn_local)
    with scope.using(CADRE.scope, CADRE):
        drawn = data.deferred(lambda: data.load(pack.follow_up_zip, filters))
    with scope.using(scope.ALL), db.connect(small_db) as con:
        auth.remove_user(con, CADRE.name)
        auth.add_user(con, CADRE.name, "a-long-password", auth.CADRE, C2)  # moved to another community
    with pytest.raises(scope.ScopeMissing, match="账号或权限已变更"):
        in_thread(drawn)
