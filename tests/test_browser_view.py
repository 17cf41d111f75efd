"""What a reader sees, in Debian's chromium on the small street (one server, one browser for the module):
a drill-down, a tab and the meeting slide live in the URL and come back in a fresh browser; a leader's
phone (390×844) reads the overview and the meeting slides without zooming, the sidebar out of the way;
nothing is clipped at 1280 and 1920 wide; and every page is screenshotted at 1280×720, 1920×1080 and
390×844 into test-artifacts/view-<page>-<size>.png (a "-tall" one holds the whole page)."""

from __future__ import annotations

import itertools
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import sync_playwright

from dashboard.ui import nav
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, settle, streamlit_server
from tests.conftest import database_copy
from tests.small_street import build_small_street

pytestmark = pytest.mark.browser
QUERY = "year=2026&as_of=2026-06-30"
SIZES = ((1280, 720), (1920, 1080), (390, 844))
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """(base URL, browser): one server and one chromium for every test of the module."""
    tmp = tmp_path_factory.mktemp("view")
    db_path = database_copy(tmp / "view.duckdb", build_small_street)
    ARTIFACTS.mkdir(exist_ok=True)
    env = {"UNION_DASHBOARD_DB": str(db_path), "UNION_DASHBOARD_NO_SAMPLE": "1"}
    with streamlit_server(env, tmp / "server.log") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield base, browser
        browser.close()


def open_page(context, url: str, ready: str = "[data-testid='stMain'] h1, .ms"):
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(ready, timeout=180_000)
    settle(page)
    return page


def shoot(page, name: str) -> None:
    """The screen as it is, and the whole page (the viewport stretched to the page's height)."""
    size = page.viewport_size
    tag = f"{size['width']}x{size['height']}"
    page.screenshot(path=str(ARTIFACTS / f"view-{name}-{tag}.png"))
    tall = page.evaluate("() => document.querySelector('[data-testid=stMain]')?.scrollHeight || 0")
    if tall > size["height"] + 10:
        page.set_viewport_size({"width": size["width"], "height": min(tall + 40, 12_000)})
        page.wait_for_timeout(1200)
        page.screenshot(path=str(ARTIFACTS / f"view-{name}-{tag}-tall.png"))
        page.set_viewport_size(size)
        page.wait_for_timeout(300)


def click_bar(page, bar) -> None:
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0, page.url


# ticks of every plotly chart that stick out of the chart (what was cut at the bottom of 总览's charts)
CUT_TICKS = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(plot => {
  const box = plot.querySelector('svg.main-svg').getBoundingClientRect();
  return [...plot.querySelectorAll('.xtick text, .ytick text')].filter(t => {
    const r = t.getBoundingClientRect();
    return r.width > 0 && (r.bottom > box.bottom + 1 || r.top < box.top - 1 || r.left < box.left - 1
                           || r.right > box.right + 1);
  }).map(t => t.textContent);
})"""


def test_drill_tab_and_slide_survive_a_fresh_browser(app):
    base, browser = app
    first = browser.new_context(viewport={"width": 1280, "height": 900})
    page = open_page(first, f"{base}/unionization?{QUERY}")
    page.wait_for_selector(".js-plotly-plot .bars path", timeout=60_000)
    click_bar(page, page.locator(".js-plotly-plot").first.locator(".bars path").nth(0))
    settle(page)
    page.wait_for_selector("text=下面的表格只显示", timeout=60_000)
    note = page.locator("[data-testid='stAlert']", has_text="下面的表格只显示").inner_text()
    picked = note.split("只显示")[1].split("（")[0].strip()
    assert picked in ("东风社区", "向阳社区")
    page.get_by_role("tab", name="按规模").click()
    settle(page)
    page.wait_for_function("() => new URLSearchParams(location.search).get('unionization_tab') === '按规模'")
    query = parse_qs(urlparse(page.url).query)
    assert query["u_pick"] == [picked] and query["year"] == ["2026"]
    link = page.url
    first.close()

    fresh = browser.new_context(viewport={"width": 1280, "height": 900})  # no cookies, no session
    page = open_page(fresh, link)
    page.wait_for_selector("text=下面的表格只显示", timeout=60_000)
    assert picked in page.locator("[data-testid='stAlert']", has_text="下面的表格只显示").inner_text()
    caption = page.locator("[data-testid='stCaptionContainer']", has_text="共 ").first.inner_text()
    assert caption.startswith("共 1 条")  # the 各社区 table holds the one community
    assert page.get_by_role("tab", name="按规模").get_attribute("aria-selected") == "true"
    no_exception(page)
    shoot(page, "link-opened")
    page.get_by_role("button", name="显示全部社区").click()  # the pick leaves the link
    settle(page)
    page.wait_for_function("() => !new URLSearchParams(location.search).has('u_pick')")

    page = open_page(fresh, f"{base}/meeting?year=2026&month=6&slide=3", ".ms")
    page.keyboard.press("ArrowRight")
    settle(page)
    page.wait_for_function("() => new URLSearchParams(location.search).get('slide') === '4'")
    shown = page.locator(".ms").get_attribute("data-slide")
    link = page.url
    fresh.close()
    other = browser.new_context(viewport={"width": 1280, "height": 720})
    page = open_page(other, link, ".ms")
    assert page.locator(".ms").get_attribute("data-slide") == shown
    assert page.get_by_text("4 / ").count() >= 1
    other.close()


def test_a_tab_whose_label_counts_keeps_its_link_when_the_count_changes(app):
    """集体协商's tabs say how many rows they hold (到期未续签（1）): the link names the tab by a stable id, so a
    link copied at one date opens the same tab at another date, where the count differs."""
    base, browser = app
    first = browser.new_context(viewport={"width": 1280, "height": 900})
    page = open_page(first, f"{base}/wages?{QUERY}")
    tab = page.get_by_role("tab", name="到期未续签（1）")  # 甲二公司's agreement expired on 29 June
    tab.click()
    settle(page)
    page.wait_for_function("() => new URLSearchParams(location.search).get('wages_tab') === 'expired'")
    assert tab.get_attribute("aria-selected") == "true"
    link = page.url.replace("as_of=2026-06-30", "as_of=2026-12-31")  # a later date: two expired agreements
    page.get_by_role("tab", name="即将到期（1）").click()  # the first tab: the URL stays clean
    settle(page)
    page.wait_for_function("() => !new URLSearchParams(location.search).has('wages_tab')")
    first.close()

    fresh = browser.new_context(viewport={"width": 1280, "height": 900})
    page = open_page(fresh, link)
    assert page.get_by_role("tab", name="到期未续签（2）").get_attribute("aria-selected") == "true"
    no_exception(page)
    page = open_page(fresh, f"{base}/wages?{QUERY}&wages_tab=到期未续签（1）")  # an old label-style link
    assert page.get_by_role("tab", name="即将到期（1）").get_attribute("aria-selected") == "true"
    page.wait_for_function("() => !new URLSearchParams(location.search).has('wages_tab')")  # dropped
    fresh.close()


def test_a_leaders_phone(app):
    base, browser = app
    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = open_page(phone, f"{base}/?{QUERY}")
    no_exception(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    box = sidebar.bounding_box()
    assert box is None or box["x"] + box["width"] <= 1, box  # collapsed: it covers nothing
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width  # nothing wider than the phone
    cards = [page.locator("[data-testid='stMetric']").nth(i).bounding_box() for i in range(4)]
    for a, b in itertools.pairwise(cards):
        assert a["y"] + a["height"] <= b["y"] + 1, (a, b)  # stacked, one under the other
    assert all(c["x"] >= 0 and c["x"] + c["width"] <= PHONE["width"] for c in cards)
    value_px = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('[data-testid=stMetricValue]')).fontSize)"
    )
    assert value_px >= 24  # read without zooming
    assert page.evaluate(CUT_TICKS) == []
    table = page.locator("[data-testid='stTable']").first  # 落后社区: each community's name on one line
    lines = table.locator("tbody tr td:first-child").evaluate_all(
        """tds => tds.map(td => { const walk = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
             const tops = new Set();
             for (let n = walk.nextNode(); n; n = walk.nextNode()) { const r = document.createRange();
               r.selectNodeContents(n); for (const b of r.getClientRects()) tops.add(Math.round(b.top)); }
             return tops.size; })"""
    )
    assert lines and set(lines) == {1}, lines
    shoot(page, "phone-overview")

    page = open_page(phone, f"{base}/community?{QUERY}&community=东风社区")
    no_exception(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(CUT_TICKS) == []
    shoot(page, "phone-community")

    page = open_page(phone, f"{base}/meeting?year=2026&month=6&slide=1", ".ms")
    for i in range(10):  # every slide of the deck (dashboard/meeting.py build_deck)
        m = page.evaluate(
            """() => { const ms = document.querySelector('.ms').getBoundingClientRect();
                 const nav = document.querySelector('.st-key-m_prev').getBoundingClientRect();
                 const next = document.querySelector('.st-key-m_next').getBoundingClientRect();
                 const h1 = parseFloat(getComputedStyle(document.querySelector('.ms-title h1')).fontSize);
                 return {doc: document.documentElement.scrollWidth, msBottom: ms.bottom, navTop: nav.top,
                         sameRow: Math.abs(nav.top - next.top) < 4, h1}; }"""
        )
        assert m["doc"] <= PHONE["width"], (i, m)
        assert m["msBottom"] <= m["navTop"] + 1, (i, m)  # the page-turn buttons below the slide
        assert m["sameRow"] and m["h1"] >= 24, (i, m)
        shoot(page, f"phone-meeting-{i + 1}")
        page.keyboard.press("ArrowRight")
        settle(page)
    no_exception(page)
    phone.close()


# charts whose legend runs into their title or their axis' tick labels (what a phone showed on 劳动争议's
# trend and 和谐企业's grade chart, the legend wrapping above the plot onto the title)
LEGEND_OVERLAPS = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(plot => {
  const legend = plot.querySelector('.legend'); const title = plot.querySelector('.gtitle');
  if (!legend || !title) return [];
  const b = legend.getBoundingClientRect();
  const hits = (r) => r.width > 0 && r.left < b.right && b.left < r.right && r.top < b.bottom && b.top < r.bottom;
  const others = [title, ...plot.querySelectorAll('.xtick text, .ytick text, .g-xtitle, .g-ytitle')];
  return others.filter(el => hits(el.getBoundingClientRect())).map(el => title.textContent + ' / ' + el.textContent);
})"""


# value labels of bars and text traces that run past the chart's edge (人均953元 cut on a phone)
CUT_LABELS = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(plot => {
  const box = plot.querySelector('svg.main-svg').getBoundingClientRect();
  return [...plot.querySelectorAll('.textpoint text, text.bartext')].filter(t => {
    const r = t.getBoundingClientRect();
    return r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1);
  }).map(t => t.textContent);
})"""


@pytest.mark.parametrize("path", ["disputes", "harmonious", "aid", "wages", "unionization"])
def test_a_phones_charts_keep_legends_off_titles_and_labels(app, path):
    base, browser = app
    phone = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = open_page(phone, f"{base}/{path}?{QUERY}")
    page.wait_for_selector(".js-plotly-plot .legend", state="attached", timeout=60_000)
    page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTo(0, 100000)")
    page.wait_for_timeout(1500)  # charts further down are drawn when they come into view
    assert page.evaluate(LEGEND_OVERLAPS) == []
    assert page.evaluate(CUT_TICKS) == []
    assert page.evaluate(CUT_LABELS) == []
    no_exception(page)
    phone.close()


def test_a_slides_definitions_open_on_a_tap(app):
    """A phone has no hover: the slide's 口径 (what its title's tooltip says, with the ledgers' last
    imports) opens from the 口径说明 button on a tap, inside the screen; a slide without figures has none."""
    base, browser = app
    phone = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = open_page(phone, f"{base}/meeting?year=2026&month=6&slide=2", ".ms")
    title = page.locator(".ms-title h1").get_attribute("title")
    assert title.startswith("口径 · 25人以上企业独立建会率（U1）") and "最近导入：企业名录及建会台账 " in title
    page.get_by_role("button", name="口径说明").tap()
    body = page.locator("[data-testid='stPopoverBody']")
    body.get_by_text("最近导入：企业名录及建会台账", exact=False).first.wait_for(timeout=30_000)
    page.wait_for_timeout(600)
    shown = body.inner_text()
    for line in title.split("\n"):  # the same words as the tooltip (and the PowerPoint's notes)
        assert line.strip() in shown, line
    box = body.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, box
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "view-phone-meeting-about-390x844.png"))
    page.keyboard.press("Escape")
    page.goto(f"{base}/meeting?year=2026&month=6&slide=10")  # 本月要点: sentences, no indicator
    page.wait_for_selector(".ms", timeout=120_000)
    settle(page)
    assert page.get_by_role("button", name="口径说明").count() == 0
    phone.close()


@pytest.mark.parametrize("width,height", [(1280, 720), (1920, 1080)])
def test_nothing_clipped(app, width, height):
    base, browser = app
    context = browser.new_context(viewport={"width": width, "height": height})
    page = open_page(context, f"{base}/?{QUERY}")
    page.set_viewport_size({"width": width, "height": 3000})  # every chart drawn
    page.wait_for_timeout(1500)
    assert page.evaluate(CUT_TICKS) == []  # 年度任务 and 帮扶 charts' x-axis numbers
    behind = page.locator("[data-testid='stTable']").first  # 落后社区: every column in view, H2 too
    assert "H2" in behind.inner_text()
    assert behind.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    page.set_viewport_size({"width": width, "height": height})

    page = open_page(context, f"{base}/unionization?{QUERY}")
    badges = page.locator(".stMarkdownBadge")
    assert badges.count() >= 3
    assert badges.evaluate_all("els => els.every(e => e.scrollWidth <= e.clientWidth + 1)")  # no "…"

    page = open_page(context, f"{base}/meeting?year=2026&month=6&slide=2", ".ms")
    for _ in range(3):  # slides 2–4: the dashed target line runs behind the labels, each on its background
        labels = page.evaluate(
            """() => [...document.querySelectorAll('.ms-val')].map(v => ({z: +getComputedStyle(v).zIndex,
                 bg: getComputedStyle(v).backgroundColor}))"""
        )
        line_z = page.evaluate("() => +getComputedStyle(document.querySelector('.ms-target')).zIndex")
        assert labels and all(v["z"] > line_z and v["bg"] not in ("rgba(0, 0, 0, 0)", "transparent") for v in labels)
        page.keyboard.press("ArrowRight")
        settle(page)
    page.keyboard.press("End")  # the last slide, 本月要点: the list's numbers have room at the left
    settle(page)
    room = page.evaluate(
        """() => { const ol = document.querySelector('ol.ms-lines'); const cs = getComputedStyle(ol);
             const ms = document.querySelector('.ms').getBoundingClientRect();
             return {pad: parseFloat(cs.paddingLeft), font: parseFloat(cs.fontSize),
                     inside: ol.getBoundingClientRect().left >= ms.left}; }"""
    )
    assert room["pad"] >= 1.8 * room["font"] and room["inside"], room
    # 7 未达标社区: the footnote above the navigation, also with many more rows
    page = open_page(context, f"{base}/meeting?year=2026&month=6&slide=7", ".ms")
    footnote = """(extra) => { const t = document.querySelector('table.ms-table.matrix'); const body = t.tBodies[0];
        for (let i = 0; i < extra; i++) body.appendChild(body.rows[0].cloneNode(true));
        t.style.setProperty('--rows', body.rows.length);
        const note = document.querySelector('.ms-tnote').getBoundingClientRect();
        return note.bottom <= document.querySelector('.st-key-m_prev').getBoundingClientRect().top; }"""
    assert page.evaluate(footnote, 0)
    page.screenshot(path=str(ARTIFACTS / f"view-meeting-7-{width}x{height}.png"))
    assert page.evaluate(footnote, 10)  # a district of a dozen communities behind
    no_exception(page)
    context.close()


# a metric or badge whose words end in "…" (工作计划's "8 个…", 组建工会's 时间进度 badge)
TRUNCATED = """() => [...document.querySelectorAll('[data-testid=stMetricValue] *, .stMarkdownBadge')]
  .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"""


@pytest.mark.parametrize("path", [path for path, _, _ in nav.PAGES], ids=lambda path: Path(path).stem)
def test_every_page_at_three_sizes(app, path):
    """Every page at 1280×720 and 1920×1080 (one load, the window widened: the layout is CSS and plotly's
    own resize, so a load per size measured nothing more and took a third of the time), and on a phone
    (its own context: the sidebar starts collapsed only on a load at that width). One test per page, so
    the pages are shared out between the xdist workers."""
    base, browser = app

    def check(page, name: str, width: int) -> None:
        no_exception(page)
        assert page.evaluate(TRUNCATED) == [], (name, width)
        if width < 700:
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width, name
        shoot(page, name)

    (w1, h1), (w2, h2), (w3, h3) = SIZES
    desktop = browser.new_context(viewport={"width": w1, "height": h1})
    phone = browser.new_context(viewport={"width": w3, "height": h3})
    ready = "[data-testid='stMain'] h1, .ms, [data-testid='stMain'] button"
    name = Path(path).stem
    url = f"{base}/{'' if path == nav.PAGES[0][0] else name}?{QUERY}"
    page = open_page(desktop, url, ready)
    check(page, name, w1)
    page.set_viewport_size({"width": w2, "height": h2})
    page.wait_for_timeout(1200)  # plotly redraws on the window's resize
    check(page, name, w2)
    page.close()
    page = open_page(phone, url, ready)
    check(page, name, w3)
    page.close()
    desktop.close()
    phone.close()
