"""A preview's parsed frames are let go when the upload is confirmed, given up or replaced, left idle or its
session ends (issue 16 item 5): before, every parsed file stayed in st.session_state for the rest of
the session (a 1,000,000-row preview left the server at 1.75 GB). The memory itself is measured by
bench/bench_preview_memory.py."""

from __future__ import annotations

import gc
import hashlib
import io
import weakref
from pathlib import Path

import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from dashboard.ledgers import load
from dashboard.ledgers.model import ParsedFile
from dashboard.ui import previews
from dashboard.ui.data_widgets import TEST_UPLOADS
from tests.ledger_fixtures import ent, parsed, sheet

ROOT = Path(__file__).resolve().parent.parent


# ---- the store -------------------------------------------------------------------------------------


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def ledger(n: int, name: str = "甲") -> ParsedFile:
    return parsed(sheet("enterprises", [ent("东风社区", f"{name}{i}公司") for i in range(n)]))


def store(**kwargs) -> tuple[previews.PreviewStore, Clock, list]:
    clock, released = Clock(), []
    s = previews.PreviewStore(clock=clock, release=lambda: released.append(1), **kwargs)
    s._start_sweeper = lambda: None  # the tests sweep themselves
    return s, clock, released


def test_the_store_is_bounded_by_files_and_rows_oldest_first():
    s, clock, released = store(max_entries=2, max_rows=10)
    for i, sha in enumerate(("a", "b", "c")):
        clock.now = i
        s.put("s1", sha, "v", ledger(3))
    assert s.entry_keys() == [("s1", "b"), ("s1", "c")] and released  # the oldest went, memory handed back
    s.get("s1", "b", "v")  # used: now the newest
    s.put("s2", "d", "v", ledger(6))  # 3 + 3 + 6 rows > 10: the least recently used goes
    assert s.entry_keys() == [("s1", "b"), ("s2", "d")]
    s.put("s2", "e", "v", ledger(50))  # bigger than the bound alone: kept, everything else goes
    assert s.entry_keys() == [("s2", "e")]


def test_the_store_lets_idle_previews_and_ended_sessions_go():
    s, clock, released = store(idle_seconds=100)
    s.put("s1", "a", "v", ledger(1))
    s.put("s2", "b", "v", ledger(1))
    s.put("gone", "c", "v", ledger(1))
    clock.now = 60
    s.get("s1", "a", "v")
    assert s.sweep(lambda session: session != "gone") == 1  # the session that ended
    clock.now = 120
    assert s.sweep() == 1 and s.entry_keys() == [("s1", "a")]  # s2 idle for 120 s; s1 used at 60
    clock.now = 160
    assert s.sweep() == 1 and len(s) == 0 and len(released) == 3


def test_a_new_parse_of_the_same_file_replaces_the_old_one():
    s, _, released = store()
    first = ledger(2)
    frame = weakref.ref(first.sheets[0].frame)
    s.put("s1", "a", ("东风社区", ""), first)
    assert s.get("s1", "a", ("向阳社区", "")) is None  # parsed with another community: dropped
    del first
    gc.collect()
    assert frame() is None and s.entry_keys() == [] and released


def test_the_sweeper_runs_while_previews_are_kept_and_stops_after(monkeypatch):
    monkeypatch.setattr(previews, "SWEEP_SECONDS", 0.05)
    s = previews.PreviewStore(idle_seconds=0.1, release=lambda: None)
    s.put("s1", "a", "v", ledger(1))
    sweeper = s._sweeper
    sweeper.join(timeout=10)
    assert not sweeper.is_alive() and len(s) == 0  # expired without anyone asking, then the thread ended


def test_release_memory_runs_without_glibc(monkeypatch):
    monkeypatch.setattr(previews, "_LIBC", None)
    previews.release_memory()


# ---- the page --------------------------------------------------------------------------------------


def upload(name: str, rows: int = 50) -> tuple[str, bytes]:
    wb = Workbook()
    ws = wb.active
    ws.append(["东风社区企业建会情况台账"])
    ws.append(["序号", "企业名称", "职工人数（人）", "建会情况"])
    for i in range(rows):
        ws.append([i + 1, f"{name}{i}公司", 30, "否"])
    buf = io.BytesIO()
    wb.save(buf)
    return (f"{name}.xlsx", buf.getvalue())


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(tmp_path / "page.duckdb"))
    monkeypatch.setenv("UNION_DASHBOARD_NO_SAMPLE", "1")
    monkeypatch.setenv(load.ARCHIVE_ENV, str(tmp_path / "archive"))


def open_page(files) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages" / "data.py"), default_timeout=60)
    at.session_state[TEST_UPLOADS] = files
    return at.run()


def kept(data: bytes) -> list[previews.Entry]:
    return [previews.STORE.peek(*k) for k in previews.STORE.entry_keys() if k[1] == sha(data)]


def _parsed_files(value):
    if isinstance(value, ParsedFile):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _parsed_files(v)
    elif isinstance(value, (list, tuple, set)):
        for v in value:
            yield from _parsed_files(v)


def parsed_in_session_state(at: AppTest) -> list[str]:
    state = at.session_state._state.filtered_state  # every key the page keeps
    return [k for k, v in state.items() if any(True for _ in _parsed_files(v))]


def frames_of(at: AppTest, data: bytes) -> list[weakref.ref]:
    """Weak references to the frames of every parse of `data` the app keeps, wherever it keeps them."""
    files = [e.parsed for e in kept(data)]
    files += [p for v in at.session_state._state.filtered_state.values() for p in _parsed_files(v)]
    files = [p for p in files if p.sha256 == sha(data)]
    assert files, "no preview of the file is kept"
    return [weakref.ref(s.frame) for p in files for s in p.sheets if s.frame is not None]


def assert_let_go(refs: list[weakref.ref], data: bytes, at: AppTest) -> None:
    gc.collect()
    assert kept(data) == []
    assert [r for r in refs if r() is not None] == []  # nothing else holds the frames either
    assert parsed_in_session_state(at) == []


@pytest.mark.parametrize("button", ["data_commit_", "data_dismiss_"])
def test_confirming_or_giving_up_lets_the_parsed_frames_go(env, button):
    name, data = upload("甲")
    at = open_page([(name, data)])
    assert not at.exception
    refs = frames_of(at, data)
    at.button(key=f"{button}{sha(data)[:12]}").click().run()
    assert not at.exception
    assert_let_go(refs, data, at)


def test_a_new_upload_replaces_the_preview_of_the_file_removed_from_the_uploader(env):
    first, second = upload("甲"), upload("乙")
    at = open_page([first])
    refs = frames_of(at, first[1])
    at.session_state[TEST_UPLOADS] = [second]  # the user removed 甲 from the uploader and chose 乙
    at.run()
    assert not at.exception
    assert_let_go(refs, first[1], at)
    assert kept(second[1]) and [s.value for s in at.subheader] == ["乙.xlsx"]


def test_a_preview_left_idle_is_let_go(env, monkeypatch):
    name, data = upload("甲")
    at = open_page([(name, data)])
    refs = frames_of(at, data)
    clock = Clock()
    monkeypatch.setattr(previews.STORE, "_clock", clock)
    for entry in kept(data):
        entry.used = 0.0  # last used long ago
    del entry
    clock.now = previews.STORE.idle_seconds + 1
    previews.STORE.sweep()  # what the sweeper thread does every minute
    assert_let_go(refs, data, at)
    at.run()  # the user comes back: the file is parsed again
    assert not at.exception and kept(data)


def test_an_ended_session_s_previews_are_let_go(env):
    name, data = upload("甲")
    at = open_page([(name, data)])
    refs = frames_of(at, data)
    previews.STORE.sweep(lambda session: False)  # the server no longer runs that session
    assert_let_go(refs, data, at)
