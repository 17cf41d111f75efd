"""Names written as Markdown and HTML, for the tests that check the app shows them as text.

A community, enterprises, a person, a union chair and a dispute named with a link, bold, a tag and
LaTeX, added to the small street (tests/small_street.py). Test data only: the sample street shipped to
users (data/sample) has none of this.
"""

from __future__ import annotations

import re
from datetime import date

from tests.conftest import add_batch
from tests.small_street import build_small_street

LINK = "[点此](http://x)"
PHISH_FILE = "[点此重新登录](http://127.0.0.1:9/phish) .xlsx"
BOLD = "**粗**"
TAG = "<b>x</b>"
MATH = "$x$"

COMMUNITY = f"{LINK}社区"
ENTERPRISES = {
    "todo": f"{BOLD}公司",  # 30 employees, no union: on the 应建未建 lists
    "new_union": f"{TAG}公司",  # union founded this year: counted in U3
    "math": f"{MATH}公司",
    "dispute": f"{LINK}公司",  # a collective dispute: in the early warnings
    "status": f"{MATH}{TAG}公司",  # its union status (建会情况) is a tag: on its profile, in HTML
}


def build_marked_street(con) -> None:
    """The small street plus one community whose every name is Markdown or HTML."""
    build_small_street(con)

    def ent(name, employees, union_status, founded=None, **extra):
        return dict(
            community=COMMUNITY,
            name=name,
            employees=employees,
            union_status=union_status,
            union_founded=founded,
            status="正常经营",
            industry=f"{TAG}业",
            **extra,
        )

    add_batch(
        con,
        "enterprises",
        [
            ent(ENTERPRISES["todo"], 30, "未建会", phone="13800001111"),
            ent(ENTERPRISES["new_union"], 40, "独立建会", date(2026, 3, 1), union_chair=TAG),
            ent(ENTERPRISES["math"], 60, "独立建会", date(2019, 1, 1), union_chair=f"{BOLD}{MATH}"),
            ent(ENTERPRISES["dispute"], 80, "独立建会", date(2018, 1, 1), union_chair=LINK),
            ent(ENTERPRISES["status"], 20, TAG),
        ],
    )
    add_batch(
        con,
        "harmonious",
        [dict(community=COMMUNITY, name=ENTERPRISES["math"], year=2026, grade="未达标", score=70.0)],
    )
    add_batch(
        con,
        "wage_agreements",
        [
            dict(
                community=COMMUNITY,
                name=ENTERPRISES["new_union"],
                signed_on=date(2025, 7, 1),
                expires_on=date(2026, 7, 15),  # expiring soon after the as-of date
                sign_kind="新签",
                agreement_type="单独签订",
                agreement_name=f"{LINK}协议",
            )
        ],
    )
    add_batch(
        con,
        "aid",
        [
            dict(
                community=COMMUNITY,
                recipient=f"{BOLD}张",
                campaign="冬送温暖",
                given_on=date(2026, 1, 15),
                cash=300,
                goods_value=0,
                employer=ENTERPRISES["math"],
            )
        ],
    )
    add_batch(
        con,
        "disputes",
        [
            dict(
                community=COMMUNITY,
                name=ENTERPRISES["dispute"],
                case_no=f"{TAG}-1",
                received_on=date(2026, 4, 1),
                outcome="调解中",
                workers=15,  # collective
                dispute_type="劳动报酬",
            )
        ],
    )


# What would render as markup if it reached Markdown unescaped. A backslash-escaped character is text,
# so escaped pairs are removed before looking.
_ESCAPED = re.compile(r"\\.", re.S)
_LIVE_MARKDOWN = [
    re.compile(r"\]\((?:http|javascript)"),  # [text](http://…): a link
    re.compile(r"\*\*粗"),  # bold
    re.compile(r"<b>|<a\s", re.I),  # an inline tag
    re.compile(r"\$x\$"),  # LaTeX
    re.compile(r"https?://|www\.", re.I),  # GFM makes a bare URL a link
]
_LIVE_HTML = re.compile(r"<b>x|<a\s", re.I)  # a tag of ours would be <b style=…> or <div…>


def live_markup(text: str, *, html_block: bool = False) -> list[str]:
    """The pieces of `text` (as given to a Markdown element) that would be rendered as markup rather
    than shown as written. html_block: the text is an HTML block (unsafe_allow_html, starting with a
    tag, or st.html), where Markdown is not parsed and only tags matter."""
    if html_block:
        return _LIVE_HTML.findall(text)
    bare = _ESCAPED.sub("", text)
    return [m.group(0) for pattern in _LIVE_MARKDOWN for m in pattern.finditer(bare)]


MARKDOWN_TYPES = {"markdown", "caption", "error", "warning", "info", "success", "title", "header", "subheader"}
MARKDOWN_TYPES |= {"toast", "progress", "metric"}


def markup_texts(at) -> list[tuple[str, str, bool]]:
    """Every text an AppTest run rendered as Markdown or HTML: (element type, text, is an HTML block).
    Bodies of Markdown elements and alerts, headings, toasts; labels and help of widgets, tabs,
    expanders, metrics and progress bars; st.html bodies."""
    found: list[tuple[str, str, bool]] = []

    def visit(node) -> None:
        for child in getattr(node, "children", {}).values():
            visit(child)
        kind = getattr(node, "type", "")
        proto = getattr(node, "proto", None)
        if proto is None:
            return
        if kind == "html":
            found.append((kind, proto.body, True))
            return
        if kind in MARKDOWN_TYPES - {"metric", "progress"} and hasattr(proto, "body"):
            html_block = bool(getattr(proto, "allow_html", False)) and proto.body.lstrip().startswith("<")
            found.append((kind, proto.body, html_block))
        for field in ("label", "help", "text"):
            value = getattr(proto, field, None)
            if isinstance(value, str) and value and not (kind in ("markdown", "caption") and field == "text"):
                found.append((f"{kind}.{field}", value, False))

    visit(at._tree)
    return found


def assert_no_live_markup(at, *, expect: tuple[str, ...] = ()) -> None:
    """No rendered text of the run shows a name as markup; and each text in `expect` (escaped as
    dashboard.ui.text.md writes it) is on the page, so the check looked at the names at all."""
    texts = markup_texts(at)
    bad = [(kind, text) for kind, text, html_block in texts if live_markup(text, html_block=html_block)]
    assert not bad, bad
    for wanted in expect:
        assert any(wanted in text for _, text, _ in texts), (wanted, [t for _, t, _ in texts])
