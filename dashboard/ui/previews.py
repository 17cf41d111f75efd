"""Parsed uploads waiting for a decision on 数据管理: a bounded store that gives their memory back.

A parsed file is the whole ledger as DataFrames: a 1,000,000-row file took the server from 314 MB to
2.47 GB and, kept in st.session_state for the rest of the session, left it at 1.75 GB. The store here
keeps each session's parsed files outside session_state, process-wide, and drops a file's entry
when the upload is confirmed or given up (mark_done), replaced by another upload, idle for
IDLE_SECONDS, or its session has ended, and the oldest entries once more than MAX_ENTRIES files or
MAX_ROWS accepted rows are kept (a dropped file is parsed again if its session comes back to it).
After dropping, release_memory() runs the cycle collector and hands freed memory back to the OS
(glibc's malloc_trim, and Arrow's pool, which holds pandas' text columns), since neither allocator
returns it on its own.

No Streamlit here except the session id and the running sessions, passed in by the callers.
"""

from __future__ import annotations

import ctypes
import gc
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from dashboard.ledgers.model import ParsedFile, Problem

IDLE_SECONDS = 15 * 60
MAX_ENTRIES = 8
MAX_ROWS = 2_000_000
SWEEP_SECONDS = 60


def rows_of(parsed: ParsedFile) -> int:
    """Accepted rows held by a parsed file: the measure of its memory the bound counts."""
    return sum(len(s.frame) for s in parsed.sheets if s.frame is not None)


@dataclass
class Entry:
    variant: Hashable  # what the file was parsed with (community, saved mappings): another is a new parse
    parsed: ParsedFile
    rows: int
    used: float
    problems: list[Problem] | None = None  # the preview's problems, for the annotated download


class PreviewStore:
    """{(session id, file sha256): Entry}, least recently used first. Thread-safe: sessions run in
    threads of their own, and the sweeper in another."""

    def __init__(
        self,
        *,
        max_entries: int = MAX_ENTRIES,
        max_rows: int = MAX_ROWS,
        idle_seconds: float = IDLE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        release: Callable[[], None] | None = None,
    ):
        self.max_entries, self.max_rows, self.idle_seconds = max_entries, max_rows, idle_seconds
        self._clock = clock
        self._release = release if release is not None else release_memory
        self._entries: OrderedDict[tuple[str, str], Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._sweeper: threading.Thread | None = None
        self.is_live: Callable[[str], bool] | None = None  # set by the app: whether a session still runs

    # ---- reading and writing ----------------------------------------------------------------------

    def get(self, session: str, sha: str, variant: Hashable) -> ParsedFile | None:
        """The file parsed with `variant`, marked as just used; None when not kept (or kept as parsed
        with another variant, which is then dropped: the caller parses anew)."""
        with self._lock:
            entry = self._entries.get((session, sha))
            if entry is None:
                return None
            if entry.variant != variant:
                del self._entries[(session, sha)]
                stale = entry
            else:
                entry.used = self._clock()
                self._entries.move_to_end((session, sha))
                return entry.parsed
        del stale
        self._release()
        return None

    def put(self, session: str, sha: str, variant: Hashable, parsed: ParsedFile) -> None:
        """Keep a parsed file (replacing the session's earlier parse of the same file), then drop the
        oldest entries beyond the bounds; never the one just kept."""
        with self._lock:
            old = self._entries.pop((session, sha), None)
            self._entries[(session, sha)] = Entry(variant, parsed, rows_of(parsed), self._clock())
            evicted = self._evict_locked(keep=(session, sha))
        if old is not None or evicted:
            del old, evicted
            self._release()
        self._start_sweeper()

    def set_problems(self, session: str, sha: str, problems: list[Problem]) -> None:
        with self._lock:
            entry = self._entries.get((session, sha))
            if entry is not None:
                entry.problems = problems

    def peek(self, session: str, sha: str) -> Entry | None:
        """The entry without marking it used (a download after the run)."""
        with self._lock:
            return self._entries.get((session, sha))

    # ---- dropping ---------------------------------------------------------------------------------

    def drop(self, session: str, sha: str, *, release: bool = True) -> bool:
        """Forget one file of a session (confirmed, given up, replaced); True when it was kept.
        release=False: the caller still holds the parsed file and releases memory once it has let go."""
        with self._lock:
            entry = self._entries.pop((session, sha), None)
        if entry is None:
            return False
        del entry
        if release:
            self._release()
        return True

    def drop_session(self, session: str) -> int:
        with self._lock:
            gone = [self._entries.pop(k) for k in [k for k in self._entries if k[0] == session]]
        if gone:
            del gone[:]
            self._release()
        return len(gone)

    def sweep(self, is_live: Callable[[str], bool] | None = None) -> int:
        """Drop entries idle for idle_seconds, and those of sessions is_live says have ended."""
        now = self._clock()
        with self._lock:
            dead = [
                k
                for k, e in self._entries.items()
                if now - e.used >= self.idle_seconds or (is_live is not None and not is_live(k[0]))
            ]
            gone = [self._entries.pop(k) for k in dead]
        if gone:
            del gone[:]
            self._release()
        return len(dead)

    def _evict_locked(self, keep: tuple[str, str]) -> list[Entry]:
        evicted = []
        while len(self._entries) > 1 and (
            len(self._entries) > self.max_entries or sum(e.rows for e in self._entries.values()) > self.max_rows
        ):
            oldest = next(k for k in self._entries if k != keep)
            evicted.append(self._entries.pop(oldest))
        return evicted

    # ---- looking ----------------------------------------------------------------------------------

    def entry_keys(self, session: str | None = None) -> list[tuple[str, str]]:
        with self._lock:
            return [k for k in self._entries if session is None or k[0] == session]

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    # ---- the sweeper ------------------------------------------------------------------------------

    def _start_sweeper(self) -> None:
        """A daemon thread that sweeps every SWEEP_SECONDS while anything is kept, so an abandoned
        preview is let go although nobody opens 数据管理 again; it ends when the store is empty."""
        with self._lock:
            if self._sweeper is not None and self._sweeper.is_alive():
                return
            self._sweeper = threading.Thread(target=self._sweep_loop, name="preview-sweeper", daemon=True)
            self._sweeper.start()

    def _sweep_loop(self) -> None:
        while True:
            time.sleep(min(SWEEP_SECONDS, max(self.idle_seconds / 4, 1)))
            self.sweep(self.is_live)
            with self._lock:
                if not self._entries:
                    self._sweeper = None
                    return


_LIBC = None
try:  # glibc: malloc_trim hands the free parts of the heap back to the OS
    _LIBC = ctypes.CDLL("libc.so.6")
    _LIBC.malloc_trim.argtypes = [ctypes.c_size_t]
except (OSError, AttributeError):
    _LIBC = None


def release_memory() -> None:
    """Collect cycles, then give freed memory back to the OS: Arrow's pool (pandas' text columns) and,
    with glibc, the C heap (the row objects parsing made). Neither does it by itself, so RSS stayed
    high after a large preview was gone."""
    gc.collect()
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except (ImportError, AttributeError):
        pass
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


STORE = PreviewStore()
