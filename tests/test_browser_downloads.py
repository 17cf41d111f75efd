"""Every role × every page × every download button, in Debian's chromium against a real `streamlit run`.

The server (one for the module's walks) is first used in single-user mode (both zip downloads built and
kept for the whole street), then the accounts are added while it runs, as the README says to. Each role
then logs in, opens every page it may, and clicks every download button on it, immediate and deferred
(the 督办清单 and 年度大统计 zips are built on the click, in a server thread). Every file is opened
(xlsx, csv, zip of xlsx, pptx) and read cell by cell: a 东风社区 cadre's pages and files never hold a
name, enterprise or case of 向阳社区; the leader's walk does find them, so the check can fail.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import sync_playwright
from pptx import Presentation

from dashboard import auth, db
from dashboard.ui import nav
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, settle, streamlit_server
from tests.conftest import database_copy
from tests.small_street import C1
from tests.test_roles_matrix import C2_ONLY, PASSWORD, USERS, build_roles_street

pytestmark = pytest.mark.browser
QUERY = "year=2026&as_of=2026-06-30"
TITLES = {path: title for path, title, _ in nav.PAGES}


def file_texts(name: str, blob: bytes) -> list[str]:
    """Every text a person could read in a downloaded file."""
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            out = list(z.namelist())
            for member in z.namelist():
                out += file_texts(member, z.read(member))
            return out
    if name.endswith(".xlsx"):
        book = openpyxl.load_workbook(io.BytesIO(blob), read_only=True)
        out = list(book.sheetnames)
        for sheet in book.worksheets:
            out += [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
        return out
    if name.endswith(".pptx"):
        deck = Presentation(io.BytesIO(blob))
        return [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
    return [blob.decode("utf-8-sig")]


def leaks(texts) -> set[str]:
    return {t for t in C2_ONLY if any(t == x or (len(t) > 2 and t in x) for x in texts)}


# Each button's widget key (its container's st-key-* class), or its place and label: one round trip for all.
KEYS_OF = """bs => bs.map((b, i) => { const c = b.closest("[class*='st-key-']");
    const k = c ? [...c.classList].find(k => k.startsWith("st-key-")) : null;
    return k || `#${i}:${b.innerText}`; })"""
# An open popover's content is drawn: its element containers are there and none still waits for its
# widget's code (React.lazy: a container shows stSkeleton until the chunk has loaded).
POPOVER_DRAWN = """() => { const body = document.querySelector("[data-testid='stPopoverBody']");
    return body !== null && body.querySelector("[data-testid='stElementContainer']") !== null
        && body.querySelector("[data-testid='stSkeleton']") === null; }"""


def download_visible(page, seen: dict[str, list[str]], done: set[str], found: set[str], limit: int = 99) -> int:
    """Click (up to `limit`) visible download buttons not clicked yet; each file's texts go into `seen`.
    Every button in the page's DOM is noted in `found`."""
    buttons = page.locator("[data-testid='stDownloadButton'] button")
    clicked = 0
    # every download is on_click="ignore" (no rerun): the buttons stay where they are while clicked
    for i, key in enumerate(buttons.evaluate_all(KEYS_OF)):
        button = buttons.nth(i)
        found.add(key)
        if key in done or clicked >= limit or not button.is_visible():
            continue
        with page.expect_download(timeout=120_000) as info:
            button.click()
        download = info.value
        blob = Path(download.path()).read_bytes()
        assert blob, download.suggested_filename
        seen[download.suggested_filename] = file_texts(download.suggested_filename, blob)
        done.add(key)
        clicked += 1
    return clicked


def open_expanders(page) -> None:
    """Open every closed expander in view (those inside another tab open when their tab is shown)."""
    closed = page.locator("[data-testid='stExpander'] details:not([open]) > summary")
    for _ in range(30):  # each click opens one
        visible = [c for c in closed.all() if c.is_visible()]
        if not visible:
            break
        visible[0].click()


def download_all(page, seen: dict[str, list[str]]) -> int:
    """Every download button of the page, in every tab, expander and popover; returns how many."""
    done: set[str] = set()
    found: set[str] = set()
    open_expanders(page)
    download_visible(page, seen, done, found)
    popovers = page.locator("[data-testid='stPopoverButton']")
    for i in range(popovers.count()):
        for _ in range(10):  # a download closes the popover: open it again for the next one
            if popovers.nth(i).get_attribute("aria-expanded") != "true":
                popovers.nth(i).click()
            page.wait_for_function(POPOVER_DRAWN, timeout=60_000)  # its content is drawn a moment after it opens
            inside = page.locator("[data-testid='stPopoverBody'] [data-testid='stDownloadButton'] button")
            if inside.count() == 0:
                break  # a popover without downloads
            inside.first.wait_for(state="visible", timeout=60_000)
            if not download_visible(page, seen, done, found, limit=1):
                break
        page.keyboard.press("Escape")
    for tab in page.locator("[data-testid='stTabs'] [role='tab']").all():
        tab.click()
        page.wait_for_timeout(150)  # most tabs only show; 管理员's rerun the page
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=120_000)
        open_expanders(page)
        download_visible(page, seen, done, found)
    assert done == found, (page.url, sorted(found - done))  # none left unclicked
    return len(done)


def open_page(page, base: str, path: str) -> None:
    """Through the sidebar's link, as a person would (a new URL would start a new session: a new login).
    Dispatched, not clicked: 会议模式 folds the sidebar away."""
    page.locator("[data-testid='stSidebarNav'] a", has_text=TITLES[path]).first.dispatch_event("click")
    settle(page)


def login(page, base: str, name: str) -> None:
    page.goto(f"{base}/?{QUERY}")
    settle(page)
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("text=当前用户", timeout=120_000)
    settle(page)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server for the module's walks (per xdist worker): used in single-user mode first (both zips
    built for the whole street), then the accounts are added while it runs; each walk then logs in, in a
    browser context of its own (a new session). Yields (base URL, browser, the single-user files, the
    server log's path); the log is checked once more, whole, after the server stopped."""
    tmp = tmp_path_factory.mktemp("downloads")
    db_path = database_copy(tmp / "downloads.duckdb", build_roles_street)
    log_path = tmp / "server.log"
    ARTIFACTS.mkdir(exist_ok=True)
    # unbuffered: each walk reads the log while the server runs
    env = {"UNION_DASHBOARD_DB": str(db_path), "UNION_DASHBOARD_NO_SAMPLE": "1", "PYTHONUNBUFFERED": "1"}
    with streamlit_server(env, log_path) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        single = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
        page = single.new_page()
        single_files: dict[str, list[str]] = {}
        first_widget = {"meeting": "stPopoverButton", "assessment": "stDownloadButton"}
        for path, drawn in first_widget.items():
            page.goto(f"{base}/{path}?{QUERY}")
            # a cold server's first page can report "not running" before its script starts: wait for the widgets
            page.wait_for_selector(f"[data-testid='{drawn}']", timeout=180_000)
            settle(page)
            before = len(single_files)
            download_all(page, single_files)
            assert len(single_files) - before >= 2, (path, sorted(single_files))
        single.close()

        with db.connect(db_path) as con:  # the README's order: accounts added while the server is up
            for name, r in USERS.items():
                auth.add_user(con, name, PASSWORD, r, C1 if r == auth.CADRE else None)
        yield base, browser, single_files, log_path
        browser.close()
    log = log_path.read_text(encoding="utf-8")
    assert "无法确认当前用户的数据范围" not in log
    assert "Error executing deferred callable" not in log


def walk_as(user: str, server) -> dict:
    """`user` logs in on the module's server and walks every page they may open, clicking every download."""
    base, browser, single_files, log_path = server
    role = USERS[user]
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, base, user)
    walk = {"single": single_files, "pages": {}, "files": {}, "buttons": 0, "exceptions": 0}
    for path, _, _ in nav.PAGES:
        if role not in nav.PAGE_ROLES.get(path, (role,)):
            assert page.locator("[data-testid='stSidebarNav'] a", has_text=TITLES[path]).count() == 0
            continue
        open_page(page, base, path)
        walk["pages"][path] = page.inner_text("[data-testid='stMain']")
        walk["buttons"] += download_all(page, walk["files"])
        walk["exceptions"] += page.locator("[data-testid='stException']").count()
    page.screenshot(path=str(ARTIFACTS / f"downloads-{user}-last-page.png"), full_page=True)
    context.close()
    walk["log"] = log_path.read_text(encoding="utf-8")
    return walk


def check_common(walk: dict) -> None:
    zips = [n for n in walk["single"] if n.endswith(".zip")]
    assert len(walk["single"]) >= 4 and len(zips) == 2  # PPTX, Excel and both zips, in single-user mode
    assert all(leaks(walk["single"][n]) for n in zips)  # built for the whole street
    assert walk["exceptions"] == 0
    assert "无法确认当前用户的数据范围" not in walk["log"]
    assert "Error executing deferred callable" not in walk["log"]
    assert any(n.endswith("督办清单.zip") for n in walk["files"]), sorted(walk["files"])
    assert any(n.endswith("大统计.zip") for n in walk["files"]), sorted(walk["files"])


def test_cadre_pages_and_every_download_hold_only_their_community(server):
    walk = walk_as("cadre", server)
    check_common(walk)
    assert set(walk["pages"]) == {p for p, _, _ in nav.PAGES} - {"app_pages/console.py", "app_pages/admin.py"}
    assert walk["buttons"] >= 20
    for path, text in walk["pages"].items():
        assert not leaks([text]), (path, leaks([text]))
    for name, texts in walk["files"].items():
        assert not leaks(texts), (name, leaks(texts))


@pytest.mark.parametrize("user", ["leader", "analyst", "admin"])
def test_other_roles_get_every_file_for_the_whole_street(server, user):
    walk = walk_as(user, server)
    check_common(walk)
    zips = [n for n in walk["files"] if n.endswith(".zip")]
    assert all(leaks(walk["files"][n]) for n in zips), zips
    assert any(leaks([t]) for t in walk["pages"].values())
