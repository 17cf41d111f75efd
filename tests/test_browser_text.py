"""What a person sees in Debian's chromium against a real `streamlit run`, in Chinese and offline:

- a 社区 cadre who opens /console or /admin (a bookmark, a colleague's link) is told 无权限 and why, where
  Streamlit fell back to 总览 without a word;
- an upload over the app's cap, and one over Streamlit's own cap, is refused in Chinese, never with
  Streamlit's "File must be 50.0MB or smaller."; and what a screen reader says on 数据管理 (aria-labels,
  titles, placeholders, the uploader's hidden words) is Chinese too;
- the SQL console explains DuckDB's errors in Chinese;
- a leader visiting every page and the meeting mode makes the browser ask nothing of any address but the
  app's own (an intranet has no fonts.gstatic.com).

Screenshots go to test-artifacts/text-*.png.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

from dashboard import auth, db
from dashboard.ui import nav
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, settle, streamlit_server
from tests.conftest import database_copy
from tests.small_street import C1, build_small_street

pytestmark = pytest.mark.browser
PASSWORD = "a-long-password"
QUERY = "year=2026&as_of=2026-06-30"
# What the page and the style sheet draw instead of Streamlit's English, read from the browser.
PSEUDO = "(el) => ({size: getComputedStyle(el).fontSize, after: getComputedStyle(el, '::after').content})"


def build_accounts_street(con) -> None:
    """The small street with a cadre of 东风社区, an analyst and a leader."""
    build_small_street(con)
    auth.add_user(con, "东风干部", PASSWORD, auth.CADRE, C1)
    auth.add_user(con, "分析员甲", PASSWORD, auth.ANALYST)
    auth.add_user(con, "街道领导", PASSWORD, auth.LEADER)


@pytest.fixture(scope="module")
def browser():
    """One chromium for the module; each test opens pages (each its own context: a new session) in it."""
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def accounts_server(tmp_path_factory):
    """One server on the street with accounts for the tests that log in and read (they change no data;
    each logs in from a page of its own, a new session); yields its base URL."""
    tmp = tmp_path_factory.mktemp("text-accounts")
    db_path = database_copy(tmp / "accounts.duckdb", build_accounts_street)
    env = {"UNION_DASHBOARD_DB": str(db_path), "UNION_DASHBOARD_NO_SAMPLE": "1"}
    with streamlit_server(env, tmp / "server.log") as base:
        yield base


def log_in(page, name: str) -> None:
    """Log in on the page that is open (the form shows at any URL); the same URL opens after."""
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.locator("[data-testid='stSidebar']").get_by_text(f"当前用户：{name}").wait_for(timeout=180_000)
    settle(page)


def test_refused_pages_say_no_access_and_console_errors_read_in_chinese(accounts_server, browser):
    base = accounts_server
    for url, title, allowed in (("console", "数据查询", "分析员、管理员"), ("admin", "管理员", "管理员")):
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(f"{base}/{url}?{QUERY}")  # a fresh browser: the login form, then this URL
        settle(page)
        log_in(page, "东风干部")
        main = page.locator("[data-testid='stMain']")
        main.get_by_text("无权限", exact=True).wait_for(timeout=60_000)
        settle(page)
        page.screenshot(path=str(ARTIFACTS / f"text-no-access-{url}-1280x720.png"))
        shown = main.inner_text()
        sidebar = page.locator("[data-testid='stSidebarNav']").inner_text()
        assert page.url.split("?")[0].endswith(f"/{url}"), page.url  # not sent to 总览
        assert f"「{title}」只对{allowed}角色开放，您当前的角色是社区" in shown, shown
        assert "请联系看板管理员" in shown
        assert "25人以上企业独立建会率" not in shown  # 总览 is not what opened
        assert title not in sidebar.split("\n")  # still out of the cadre's menu
        assert page.locator("[data-testid='stException']").count() == 0
        page.close()

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/console?{QUERY}")
    settle(page)
    log_in(page, "分析员甲")
    page.get_by_label("SQL 查询").fill("select community, nam\nfrom v_enterprises")
    page.get_by_role("button", name="运行查询").click()
    settle(page)
    alert = page.locator("[data-testid='stAlert']", has_text="列不存在").first
    alert.wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "text-console-error-1280x900.png"), full_page=True)
    message = alert.inner_text()
    assert "列不存在：nam。" in message and "（出错位置：第 1 行）" in message, message
    assert "Binder" not in page.locator("[data-testid='stMain']").inner_text()
    page.close()


# Every word a screen reader says or a hover shows that is not on the screen: attributes, and the accessible
# tree of the main area (which holds the uploader's hidden English, "Upload" and "1GB per file").
SPOKEN = """() => [...document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')].flatMap(
  el => ['aria-label', 'title', 'placeholder', 'alt'].map(a => el.getAttribute(a)).filter(Boolean))"""


SNAPSHOT_LINE = re.compile(r'^(?:- )?([a-z]+)(?: "((?:[^"\\]|\\.)*)")?(?: \[[^\]]*\])*:? ?(.*)$')


def snapshot_words(snapshot: str) -> list[str]:
    """The names and texts of playwright's aria snapshot (YAML: '- button "选择文件": text'), without its
    role words and link targets."""
    out = []
    for line in snapshot.splitlines():
        line = line.strip()
        if line.startswith("- /url:") or line.startswith("/url:"):
            continue
        found = SNAPSHOT_LINE.match(line)
        if found:
            out += [w for w in found.group(2, 3) if w]
        elif line:
            out.append(line.lstrip("- "))
    return out


def spoken_english(page, extra: tuple[str, ...] = ()) -> dict[str, str]:
    """English words among what a screen reader says on the page (outside user_text.ALLOWED and `extra`)."""
    from tests.user_text import english

    said = page.evaluate(SPOKEN) + snapshot_words(page.locator("[data-testid='stMain']").aria_snapshot())
    return english(said, extra=extra)


def test_oversize_uploads_are_refused_in_chinese(tmp_path, browser):
    db_path = tmp_path / "upload.duckdb"
    with db.connect(db_path) as con:
        build_small_street(con)
    settings = tmp_path / "settings.toml"
    settings.write_text("[import]\nmax_upload_mb = 1\n", encoding="utf-8")
    over_app = tmp_path / "东风社区大台账.xlsx"  # over the app's 1 MB: reaches the app, refused in Chinese
    over_app.write_bytes(b"PK\x03\x04" + os.urandom(2 * 2**20))
    over_streamlit = tmp_path / "超大台账.xlsx"  # over Streamlit's own cap, set to 3 MB here
    over_streamlit.write_bytes(b"PK\x03\x04" + os.urandom(4 * 2**20))
    other_kind = tmp_path / "通知.pdf"
    other_kind.write_bytes(b"%PDF-1.4\n")
    ARTIFACTS.mkdir(exist_ok=True)
    env = {
        "UNION_DASHBOARD_DB": str(db_path),
        "UNION_DASHBOARD_NO_SAMPLE": "1",
        "UNION_DASHBOARD_SETTINGS": str(settings),
        "UNION_DASHBOARD_ARCHIVE": str(tmp_path / "archive"),
        "STREAMLIT_SERVER_MAX_UPLOAD_SIZE": "3",
    }
    with streamlit_server(env, tmp_path / "server.log") as base:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"{base}/data")
        settle(page)
        # Streamlit's uploader says "file upload", "Upload", "1GB per file", "Help for …": all in Chinese
        page.locator("[data-testid='stFileUploaderDropzoneInput'][aria-label='选择文件']").wait_for(
            state="attached", timeout=30_000
        )
        assert spoken_english(page) == {}
        uploader = page.locator("[data-testid='stFileUploader']").aria_snapshot()
        assert 'button "选择文件"' in uploader and "或把文件拖到这里" in uploader, uploader
        files = [str(over_app), str(over_streamlit), str(other_kind)]
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(files)
        main = page.locator("[data-testid='stMain']")
        main.get_by_text("超过了每个文件 1 MB 的上限").wait_for(timeout=120_000)
        settle(page)
        page.screenshot(path=str(ARTIFACTS / "text-upload-oversize-1280x800.png"))
        refused = " ".join(page.locator("[data-testid='stAlert']").all_inner_texts())
        assert "「东风社区大台账.xlsx」有 2.0 MB，超过了每个文件 1 MB 的上限，没有读取" in refused, refused
        assert "「通知.pdf」不是台账文件" in refused, refused
        assert "导入预览" not in main.inner_text()  # neither was read

        # the file over Streamlit's cap: its English note is drawn at size 0, a Chinese one after it
        chip_note = page.locator("[data-testid='stFileChip'][aria-invalid='true'] [role='alert']")
        assert chip_note.count() == 1
        drawn = chip_note.evaluate(PSEUDO)
        assert drawn["size"] == "0px" and "未能上传：文件超过 3 MB" in drawn["after"], drawn
        page.locator("[data-testid='stFileChip'][aria-invalid='true']").hover()
        tip = page.locator("[data-testid='stTooltipErrorContent']")
        tip.wait_for(timeout=10_000)
        page.wait_for_timeout(800)  # the tooltip fades in: the screenshot shows it whole
        page.screenshot(path=str(ARTIFACTS / "text-upload-over-streamlit-cap-1280x800.png"))
        drawn = tip.evaluate(PSEUDO)
        assert drawn["size"] == "0px" and "未能上传：文件超过 3 MB" in drawn["after"], drawn
        # the chips' "Remove …" buttons, sizes and Streamlit's English note: Chinese for a screen reader too
        assert spoken_english(page, extra=("pdf", "B")) == {}  # 通知.pdf is the user's file, 9.0B its size
        chips = page.locator("[data-testid='stFileChipDeleteBtn'] button")
        assert chips.first.get_attribute("aria-label").startswith("移除 "), chips.first.get_attribute("aria-label")
        assert page.locator("[data-testid='stException']").count() == 0


def test_every_page_and_the_meeting_mode_ask_only_the_app(accounts_server, browser):
    """Every request the browser makes (documents, scripts, fonts, images, the favicon, the websocket)
    while a leader visits every page and turns the meeting slides goes to the app's own address."""
    base = accounts_server
    own = urlsplit(base).netloc
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.set_default_timeout(180_000)  # a loaded machine: a page's first run of its queries is slow
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.on("websocket", lambda ws: asked.append(ws.url))
    page.goto(f"{base}/?{QUERY}")
    settle(page)
    log_in(page, "街道领导")
    visited = []
    for path, title, _ in nav.PAGES:
        if auth.LEADER not in nav.PAGE_ROLES.get(path, (auth.LEADER,)):
            continue
        link = page.locator("[data-testid='stSidebarNav'] a", has_text=title).first
        if path.endswith("meeting.py"):  # the meeting mode hides the sidebar: visited last
            continue
        link.dispatch_event("click")
        settle(page)
        assert page.locator("[data-testid='stException']").count() == 0, title
        visited.append(title)
    page.locator("[data-testid='stSidebarNav'] a", has_text="会议模式").first.dispatch_event("click")
    page.wait_for_selector(".ms", timeout=180_000)
    settle(page)
    for _ in range(8):  # every slide
        page.keyboard.press("ArrowRight")
        settle(page)
    visited.append("会议模式")
    page.screenshot(path=str(ARTIFACTS / "text-offline-meeting-last-1280x720.png"))
    favicon = page.evaluate("() => document.querySelector(\"link[rel='shortcut icon']\").href")
    page.close()
    assert len(visited) == len(nav.PAGES) - 3  # all but 数据管理, 数据查询 and 管理员
    assert asked and any(u.startswith("ws://") for u in asked)  # the recording saw the websocket too
    elsewhere = sorted({u for u in asked if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != own})
    assert not elsewhere, elsewhere
    assert urlsplit(favicon).netloc == own and "/media/" in favicon, favicon  # the repo's icon, served here
