"""Many readers and an importer at once, against a real `streamlit run` server on 127.0.0.1.

Twenty sessions talk to the server the way the browser does (Streamlit's websocket protocol: a rerun
request, then the page's elements until the script finishes) and read pages while
`python -m dashboard import` adds a community in another process. A third process polls the database
throughout. Nothing may show an error, and no reader may ever see part of the imported batch.

DuckDB allows one process at a time to hold the file; the app opens it only for the length of a query
and retries while the importer holds it (db.connect), the importer retries likewise (--wait). The
second test holds the file from this process, as an import in progress would, and checks that a CLI
import either waits for it or says in Chinese why it cannot proceed, with nothing lost.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import websockets
import xlsxwriter
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from dashboard import db
from dashboard.ledgers import load
from tests.browser import ROOT, streamlit_server

SESSIONS = 20
PAGES = ["", "unionization", "wages", "harmonious", "aid", "disputes"]  # "" is the default page, 总览
QUERY = "year=2026&as_of=2026-11-20"
NEW_COMMUNITY = "新桥社区"


def write_community(path: Path, community: str, n: int) -> Path:
    """A community's own workbook: a registry of n enterprises and an agreement for every other one."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("企业名录")
    ws.write_row(0, 0, [f"{community}企业建会情况台账"])
    ws.write_row(1, 0, ["企业名称", "职工人数", "经营状态", "建会情况", "建会时间"])
    ag = wb.add_worksheet("工资协商")
    ag.write_row(0, 0, [f"{community}工资集体协商台账"])
    ag.write_row(1, 0, ["企业名称", "签订日期", "签订类型", "覆盖职工人数"])
    for i in range(n):
        union = "是" if i % 3 else "否"
        ws.write_row(i + 2, 0, [f"{community}企业{i:05d}", 20 + i % 40, "正常经营", union, "2021-05-01"])
        if i % 2:
            ag.write_row(i // 2 + 2, 0, [f"{community}企业{i:05d}", "2026-03-05", "新签", 20 + i % 40])
    wb.close()
    return path


def cli_import(db_path: Path, file: Path, env: dict, *, wait: float) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "import", "--db", str(db_path), "--wait", str(wait), str(file)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def base_database(tmp_path: Path, env: dict) -> Path:
    db_path = tmp_path / "live.duckdb"
    for community in ("东风社区", "向阳社区"):
        done = cli_import(db_path, write_community(tmp_path / f"{community}.xlsx", community, 300), env, wait=10)
        assert done.returncode == 0, done.stderr
    return db_path


def snapshot(db_path: Path) -> tuple[int, int, int]:
    with db.connect(db_path) as con:
        return con.execute(
            "select (select count(*) from import_batches), (select count(*) from v_enterprises),"
            " (select count(*) from v_wage_agreements)"
        ).fetchone()


# A separate process that reads the same three counts as often as it can until told to stop.
POLLER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from dashboard import db
    path, out, stop = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    seen = []
    while not stop.exists():
        try:
            with db.connect(path, wait_seconds=0) as con:
                seen.append(con.execute(
                    "select (select count(*) from import_batches), (select count(*) from v_enterprises),"
                    " (select count(*) from v_wage_agreements)").fetchone())
        except db.DatabaseBusy:
            seen.append("busy")
        time.sleep(0.02)
    out.write_text(json.dumps(seen))
""")


async def read_page(base: str, page: str) -> dict:
    """One browser-like session: ask for a page, collect its elements until the script finishes."""
    out = {"page": page, "errors": [], "finished": None, "raw": b""}
    async with websockets.connect(base.replace("http", "ws") + "/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None) as ws:  # fmt: skip
        msg = BackMsg()
        msg.rerun_script.query_string = QUERY
        msg.rerun_script.page_name = page
        await ws.send(msg.SerializeToString())
        while True:
            raw = await asyncio.wait_for(ws.recv(), timeout=90)
            out["raw"] += raw
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            kind = fm.WhichOneof("type")
            if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                element = fm.delta.new_element
                if element.WhichOneof("type") == "exception":
                    out["errors"].append(f"exception: {element.exception.type} {element.exception.message}")
                elif element.WhichOneof("type") == "alert" and element.alert.format == element.alert.ERROR:
                    out["errors"].append(f"error box: {element.alert.body}")
            if kind == "script_finished" and fm.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                out["finished"] = fm.script_finished
                return out


async def reader(base: str, n: int, rounds: int) -> list[dict]:
    """A user reading pages one after another, with a moment between them."""
    results = []
    for r in range(rounds):
        results.append(await read_page(base, PAGES[(n + r) % len(PAGES)]))
        await asyncio.sleep(0.2)
    return results


def assert_clean(results: list[dict]) -> None:
    for r in results:
        assert r["finished"] == ForwardMsg.FINISHED_SUCCESSFULLY, r["page"]
        assert not r["errors"], (r["page"], r["errors"])


def test_twenty_readers_while_a_ledger_is_imported(tmp_path):
    env = {**os.environ, load.ARCHIVE_ENV: str(tmp_path / "archive"), "UNION_DASHBOARD_NO_SAMPLE": "1"}
    db_path = base_database(tmp_path, env)
    before = snapshot(db_path)
    assert before == (2, 600, 300)
    new_file = write_community(tmp_path / f"{NEW_COMMUNITY}.xlsx", NEW_COMMUNITY, 3000)
    seen_file, stop = tmp_path / "seen.json", tmp_path / "stop"

    with streamlit_server({**env, "UNION_DASHBOARD_DB": str(db_path)}, tmp_path / "server.log") as base:
        poller = subprocess.Popen([sys.executable, "-c", POLLER, str(db_path), str(seen_file), str(stop)], cwd=ROOT)

        async def scenario():
            readers = [asyncio.create_task(reader(base, n, rounds=2)) for n in range(SESSIONS)]
            await asyncio.sleep(1.0)  # the readers are under way
            started = time.monotonic()
            done = await asyncio.to_thread(cli_import, db_path, new_file, env, wait=60)
            import_seconds = time.monotonic() - started
            return done, import_seconds, await asyncio.gather(*readers)

        try:
            done, import_seconds, per_reader = asyncio.run(asyncio.wait_for(scenario(), timeout=150))
        finally:
            stop.touch()
            poller.wait(timeout=30)
        assert done.returncode == 0, done.stderr
        results = [r for rs in per_reader for r in rs]
        assert len(results) == SESSIONS * 2
        assert_clean(results)
        # After the import a new session shows the new community (the filter bar lists every community).
        after_page = asyncio.run(read_page(base, ""))
        assert_clean([after_page])
        assert NEW_COMMUNITY.encode() in after_page["raw"]

    after = snapshot(db_path)
    assert after == (3, 3600, 1800)
    seen = json.loads(seen_file.read_text())
    values = {tuple(v) for v in seen if v != "busy"}
    assert tuple(before) in values and tuple(after) in values, (values, import_seconds)
    assert values <= {tuple(before), tuple(after)}, f"a reader saw part of the batch: {values}"


def test_cli_import_waits_for_the_app_or_says_why_it_cannot(tmp_path):
    env = {**os.environ, load.ARCHIVE_ENV: str(tmp_path / "archive"), "UNION_DASHBOARD_NO_SAMPLE": "1"}
    db_path = base_database(tmp_path, env)
    before = snapshot(db_path)
    new_file = write_community(tmp_path / f"{NEW_COMMUNITY}.xlsx", NEW_COMMUNITY, 200)

    with streamlit_server({**env, "UNION_DASHBOARD_DB": str(db_path)}, tmp_path / "server.log") as base:
        assert_clean([asyncio.run(read_page(base, ""))])
        with db.connect(db_path):  # the database is busy, as during another import
            refused = cli_import(db_path, new_file, env, wait=1)
        assert refused.returncode == 3
        assert "数据库正被另一个程序" in refused.stderr and "请稍候再试" in refused.stderr
        assert "Traceback" not in refused.stderr
        assert snapshot(db_path) == before

        async def both():
            # The file is held for 2 s while a CLI import (waiting up to 30 s) and a page both want it.
            holder = db.connect(db_path)
            holder.__enter__()
            cli = asyncio.create_task(asyncio.to_thread(cli_import, db_path, new_file, env, wait=30))
            page = asyncio.create_task(read_page(base, "disputes"))
            await asyncio.sleep(2.0)
            holder.__exit__(None, None, None)
            return await cli, await page

        waited, page = asyncio.run(asyncio.wait_for(both(), timeout=90))
        assert waited.returncode == 0, waited.stderr
        assert_clean([page])
        assert_clean([asyncio.run(read_page(base, ""))])

    assert snapshot(db_path) == (before[0] + 1, before[1] + 200, before[2] + 100)
