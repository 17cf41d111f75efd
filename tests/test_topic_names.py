"""One spelling per topic: every query file, dashboard module, page and chart module of a topic starts with
the topic's stem (unionization_, wages_, harmonious_, aid_, disputes_); anything else must be one of the
general names listed here, so a new `union_x.sql` or `dispute_charts.py` fails until it is named by stem
(or, if it really belongs to no topic, added below with the reason)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEMS = ("unionization", "wages", "harmonious", "aid", "disputes", "plan", "submissions")

# Queries that belong to no one topic: lookups, cross-topic reads and the one-enterprise profile.
GENERAL_QUERIES = {
    "available_years",
    "communities",
    "industries",
    "latest_import",
    "latest_import_by_ledger",  # each ledger's last import, for every indicator's 口径
    "search_enterprises",
    "community_standing",  # every topic's figures for a cadre's rank
    "street_standing",  # every topic's figures per street (区 level)
    "meeting_ledger_rows",  # the meeting pack's ledger rows, all topics
    "new_task_rows",  # U3 / W2 / H2 drill-down rows, three topics in one list
}
# 一企一档 (one enterprise across every ledger); an upload's changes, one query per ledger
GENERAL_QUERY_PREFIXES = ("profile_", "import_diff_")

# Modules of dashboard/ and pages of app_pages/ that belong to no one topic.
GENERAL_MODULES = {
    "__init__", "__main__", "assessment", "audit", "auth", "benchmarks", "charts", "community", "compare", "deck_fit",
    "compare_charts", "config", "console", "db", "explain", "export", "filters", "formatting", "highlights", "meeting",
    "meeting_facts", "metrics", "overview_rows", "pack", "privacy", "privileged", "profile", "progress", "rates",
    "report", "sample", "scope", "scoring", "spec",
    "pg", "pgscope", "streets", "streets_charts",  # PostgreSQL; the street level (stem: streets)
}  # fmt: skip
GENERAL_PAGES = {"admin", "assessment", "community", "console", "data", "enterprise", "meeting", "overview"}


def topical(name: str) -> bool:
    return name in STEMS or any(name.startswith(f"{stem}_") for stem in STEMS)


def test_every_query_file_starts_with_its_topic_stem_or_is_general():
    names = [p.name.removesuffix(".sql") for p in (ROOT / "queries").glob("*.sql")]
    assert len(names) > 60
    odd = sorted(
        n for n in names if not topical(n) and n not in GENERAL_QUERIES and not n.startswith(GENERAL_QUERY_PREFIXES)
    )
    assert odd == [], f"name these by topic stem {STEMS} or list them as general: {odd}"


def test_every_topic_module_and_page_uses_the_stem():
    modules = [p.stem for p in (ROOT / "dashboard").glob("*.py")]
    pages = [p.stem for p in (ROOT / "app_pages").glob("*.py")]
    assert not [m for m in modules if not topical(m) and m not in GENERAL_MODULES]
    assert not [p for p in pages if not topical(p) and p not in GENERAL_PAGES]
    # every topic has its module and page; every chart module but the general ones is a topic's
    assert set(STEMS) <= set(modules) and set(STEMS) <= set(pages)
    charts = {m for m in modules if m.endswith("_charts")} - {"compare_charts", "streets_charts"}  # across topics
    assert charts == {"unionization_charts", "wages_charts", "disputes_charts", "aid_charts"}


def test_the_general_lists_hold_no_topic_names():
    # a topic file listed as general (or an old spelling) would slip through the tests above
    old = ("union_", "unionisation", "coverage", "harmony", "dispute_", "wage_")
    for name in [*GENERAL_QUERIES, *GENERAL_MODULES, *GENERAL_PAGES]:
        assert not topical(name) and not name.startswith(old), name
    every = [p.stem for p in (ROOT / "queries").glob("*.sql")] + [p.stem for p in (ROOT / "dashboard").glob("*.py")]
    assert not [n for n in every if n.startswith(old)]
