"""Two app servers and a command-line import on one PostgreSQL database at once (issue 22, "Done means").

Two real `streamlit run` servers read the same PostgreSQL database of the test cluster (tests/pg.py). A
`python -m dashboard import` of a large community starts; once it holds the batch-write lock (the advisory
lock every batch write takes, dashboard/ledgers/derived.py), a user on each server confirms an upload of
another community in chromium, and browser-like sessions (Streamlit's websocket protocol) read pages off
both servers, while a reader connection in this process polls the counts throughout. Then: every batch is
stored (the two uploads queued behind the import instead of colliding), no reader ever saw part of a
batch (every count seen is the base plus some of the three batches whole), no page showed an error and
neither server's log holds a traceback.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import subprocess
import sys
import threading
import time

import pytest
from playwright.sync_api import sync_playwright

from dashboard import db, pg, scope
from dashboard.ledgers import load
from tests.browser import CHROMIUM, CHROMIUM_ARGS, ROOT, settle, streamlit_server
from tests.test_concurrency import assert_clean, read_page, write_community

pytestmark = pytest.mark.browser

COUNTS = (
    "select (select count(*) from import_batches), (select count(*) from v_enterprises),"
    " (select count(*) from v_wage_agreements)"
)
READ_PAGES = ["", "unionization", "wages", "disputes"]
SESSIONS = 2  # browser-like sessions per server, each reading two pages


def _counts(url: str) -> tuple[int, int, int]:
    with db.connect(url) as con:
        return tuple(con.execute(COUNTS).fetchone())


def _batch_lock_held(url: str) -> bool:
    with db.connect(url) as con:
        return (
            con.raw.execute(
                "select count(*) from pg_locks where locktype = 'advisory' and granted"
                " and database = (select oid from pg_database where datname = current_database())"
            ).fetchone()[0]
            > 0
        )


class Poller(threading.Thread):
    """A reader connection that reads the three counts, one statement each time, until stopped."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.seen, self.stop, self.error = url, [], threading.Event(), None

    def run(self) -> None:
        try:
            con = pg.PgConnection.open(self.url)
            try:
                while not self.stop.is_set():
                    self.seen.append(tuple(con.execute(COUNTS).fetchone()))
                    time.sleep(0.01)
            finally:
                con.close()
        except Exception as exc:  # reported by the test
            self.error = exc


async def _readers(bases: list[str], sessions: int) -> list[dict]:
    async def one(base: str, n: int) -> list[dict]:
        out = []
        for r in range(2):
            out.append(await read_page(base, READ_PAGES[(n + r) % len(READ_PAGES)]))
        return out

    tasks = [one(base, n) for base in bases for n in range(sessions)]
    return [r for rs in await asyncio.gather(*tasks) for r in rs]


def _in_thread(fn):
    """fn() in a thread of its own (playwright's sync API keeps an event loop running in this one)."""
    out = []
    worker = threading.Thread(target=lambda: out.append(fn()))
    worker.start()
    worker.join(timeout=180)
    return out[0]


def test_two_servers_and_a_cli_import_on_one_postgres_database(tmp_path, pg_url):
    archive = tmp_path / "archive"
    env = {load.ARCHIVE_ENV: str(archive), "UNION_DASHBOARD_NO_SAMPLE": "1", "UNION_DASHBOARD_DB": pg_url}
    base_files = [write_community(tmp_path / f"{c}.xlsx", c, 150) for c in ("东风社区", "向阳社区")]
    with scope.using(scope.ALL), db.connect(pg_url) as con:
        assert [r.status for r in load.import_files(con, base_files, archive=archive)] == ["imported"] * 2
    before = _counts(pg_url)
    assert before == (2, 300, 150)
    big = write_community(tmp_path / "新桥社区.xlsx", "新桥社区", 2000)
    uploads = [write_community(tmp_path / f"{c}.xlsx", c, n) for c, n in (("北苑社区", 200), ("南湖社区", 100))]
    # what each batch adds to the counts; a reader may see the base plus any of them, each whole
    adds = [(1, 2000, 1000), (1, 200, 100), (1, 100, 50)]
    allowed = {
        tuple(b + sum(a[i] for a in chosen) for i, b in enumerate(before))
        for k in range(4)
        for chosen in itertools.combinations(adds, k)
    }
    logs = [tmp_path / "server-a.log", tmp_path / "server-b.log"]
    poller = Poller(pg_url)
    with (
        streamlit_server(env, logs[0]) as one,
        streamlit_server(env, logs[1]) as two,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages = [browser.new_page(viewport={"width": 1280, "height": 1400}) for _ in uploads]
        for page, base in zip(pages, (one, two), strict=True):  # both servers at work side by side
            page.goto(f"{base}/data")
        for page, upload in zip(pages, uploads, strict=True):
            settle(page)
            page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(upload))
        for page in pages:
            page.wait_for_selector("text=导入预览", timeout=120_000)
            settle(page)
        poller.start()
        read = {}
        readers = threading.Thread(target=lambda: read.update(pages=asyncio.run(_readers([one, two], SESSIONS))))
        cli = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "import", "--db", pg_url, str(big)],
            cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            # the import is writing its batch (it holds the lock) when the two users confirm theirs
            held = False
            while not held and cli.poll() is None:
                held = _batch_lock_held(pg_url)
            readers.start()
            for page in pages:
                page.get_by_role("button", name="确认导入").click()
            for page, upload in zip(pages, uploads, strict=True):
                page.wait_for_selector(f"text={upload.name}：已导入批次", timeout=180_000)
                settle(page)
            out, err = cli.communicate(timeout=180)
            readers.join(timeout=180)
        finally:
            if cli.poll() is None:
                cli.kill()
            poller.stop.set()
            poller.join(timeout=30)
        shown = [page.inner_text("[data-testid='stMain']") for page in pages]
        exceptions = sum(page.locator("[data-testid='stException']").count() for page in pages)
        browser.close()
        assert cli.returncode == 0, err
        assert held, "the import ended before it was seen writing"
        assert "已导入批次" in out
        assert exceptions == 0
        for text, upload in zip(shown, uploads, strict=True):
            assert f"{upload.name}：已导入批次" in text, text[:2000]
        assert_clean(read["pages"])
        assert len(read["pages"]) == 2 * SESSIONS * 2
        after_pages = _in_thread(lambda: [asyncio.run(read_page(base, "")) for base in (one, two)])
        assert_clean(after_pages)
        for r in after_pages:  # each server shows every new community (the filter bar lists them)
            assert all(c.encode() in r["raw"] for c in ("新桥社区", "北苑社区", "南湖社区"))

    assert poller.error is None, poller.error
    after = _counts(pg_url)
    assert after == tuple(b + sum(a[i] for a in adds) for i, b in enumerate(before))
    with db.connect(pg_url) as con:
        batches = con.execute("select file_name, status from import_batches order by batch_id").fetchall()
    assert sorted(batches) == sorted([(f.name, "active") for f in [*base_files, big, *uploads]])
    assert batches[2] == (big.name, "active")  # the uploads waited for the import that held the lock
    seen = set(poller.seen)
    assert before in seen and after in seen
    assert seen <= allowed, f"a reader saw part of a batch: {seen - allowed}"
    for log in logs:
        text = log.read_text(errors="replace")
        assert "Traceback" not in text and "Error" not in text, text[-3000:]
