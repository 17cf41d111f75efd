"""queries/*.sql and the schema views stay portable: a district or city deployment on a server engine
(PostgreSQL) must be able to run the same SQL after a mechanical translation.

What is checked is the SQL as it runs: each query as db.read_query gives it, its fragments
(queries/_fragments/) and words expanded, in the portable flavour a PostgreSQL deployment would run
(dialect "postgres": every fragment's <name>.sql, none of the <name>.duckdb.sql DuckDB runs instead);
and the migrations as they are. Each is parsed as DuckDB SQL and written as PostgreSQL with sqlglot,
and the output must:

- parse again as PostgreSQL;
- raise no "unsupported" message from sqlglot but the one accepted below (IGNORE NULLS);
- keep no `$` binding: every parameter becomes a psycopg placeholder `%(name)s`;
- contain nothing PostgreSQL would refuse (postgres_problems): a function PostgreSQL 16 does not have
  (POSTGRES_FUNCTIONS lists the built-ins accepted, by the name sqlglot writes: DuckDB's list_max comes
  out as ARRAY_MAX, make_date as DATE_FROM_PARTS), length() of a list, a lambda, `* exclude` or
  `group by all`. The only such constructs accepted are the ones KNOWN_LEFTOVERS lists, in the files it
  names; the fragments have none.

Every DuckDB-only construct the queries use (in the flavour DuckDB runs) must be listed in
docs/deployment.md, so a new one cannot slip in without someone writing down what a port does with it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp
from sqlglot.dialects.postgres import Postgres
from sqlglot.errors import ErrorLevel

from dashboard import db

ROOT = Path(__file__).resolve().parent.parent
QUERIES = sorted(p.stem for p in (ROOT / "queries").glob("*.sql"))
MIGRATIONS = sorted((ROOT / "dashboard" / "migrations").glob("*.sql"))
FRAGMENTS_DIR = ROOT / "queries" / db.FRAGMENTS
FRAGMENTS = sorted(p.stem for p in FRAGMENTS_DIR.glob("*.sql") if "." not in p.stem)
DEPLOYMENT_DOC = ROOT / "docs" / "deployment.md"
PORTABLE = "postgres"  # the dialect whose fragments are the portable <name>.sql files

# sqlglot reads DuckDB's any_value() as "any_value ignoring nulls" and PostgreSQL has no IGNORE NULLS
# clause; PostgreSQL 16's any_value() skips nulls anyway, so the translation means the same thing.
ACCEPTED_UNSUPPORTED = {"PostgreSQL does not support IGNORE NULLS."}

# Functions (and function-like syntax) of PostgreSQL 16 that the translated SQL may call, by the name
# sqlglot writes. A name not here fails the test: look it up in PostgreSQL's manual before adding it.
POSTGRES_FUNCTIONS = {
    *("ABS", "ANY", "ANY_VALUE", "ARRAY", "ARRAY_LENGTH", "ARRAY_POSITION", "AVG", "BOOL_AND", "BOOL_OR"),
    *("CARDINALITY", "CAST", "COALESCE", "COUNT", "DATE_TRUNC", "EXISTS", "EXTRACT", "FLOOR", "GREATEST"),
    *("GENERATE_SERIES", "LEAST", "LENGTH", "LOWER", "MAKE_DATE", "MAX", "MIN", "NEXTVAL", "NULLIF"),
    *("PERCENTILE_CONT", "POSITION", "REGEXP_REPLACE", "ROUND", "ROW_NUMBER", "STDDEV_SAMP", "STRING_AGG"),
    *("STRPOS", "SUM", "TO_CHAR", "UNNEST", "UPPER"),
    "NOT",  # `NOT (...)`: not a function, but written like one
}

# What PostgreSQL would refuse in today's translation (postgres_problems), file by file, each with the construct of
# docs/deployment.md that says what a port does with it. Nothing else may appear anywhere, and an entry
# that no longer applies must go (the test compares exactly).
LEFTOVER_CONSTRUCTS = {
    "ARG_MAX": "arg_max",
    "DATE_FROM_PARTS": "make_date",
    "LIST_POSITION": "list_position",
    "CONTAINS": "contains(",
    "LENGTH(list)": "len(list)",
    "* EXCLUDE": "exclude",
    "GROUP BY ALL": "group by all",
}
KNOWN_LEFTOVERS = {
    # queries, by name
    "aid_by_funding": {"LIST_POSITION"},
    "aid_by_month": {"DATE_FROM_PARTS", "GROUP BY ALL"},
    "aid_campaigns": {"DATE_FROM_PARTS", "LIST_POSITION"},
    "aid_rows": {"* EXCLUDE"},
    "aid_totals": {"DATE_FROM_PARTS"},
    "community_standing": {"ARG_MAX"},
    "disputes_kpis": {"DATE_FROM_PARTS"},
    "disputes_rows": {"DATE_FROM_PARTS"},
    "disputes_spikes": {"DATE_FROM_PARTS"},
    "disputes_by_industry": {"GROUP BY ALL"},
    "disputes_by_month": {"DATE_FROM_PARTS"},
    "disputes_by_type": {"GROUP BY ALL"},
    "street_standing": {"ARG_MAX"},
    "wages_expired_without_renewal": {"GROUP BY ALL"},
    "wages_expiring_agreements": {"GROUP BY ALL"},
    "harmonious_a_or_above": {"ARG_MAX"},
    "harmonious_grade_distribution": {"GROUP BY ALL"},
    "harmonious_movements": {"LENGTH(list)", "LIST_POSITION"},
    "harmonious_pace": {"ARG_MAX"},
    "disputes_mediation_levels": {"GROUP BY ALL"},
    "disputes_repeat_employers": {"ARG_MAX"},
    "search_enterprises": {"CONTAINS"},
    "wages_signings_by_month": {"GROUP BY ALL"},
    "unionization_trend_monthly": {"DATE_FROM_PARTS"},
    "wages_coverage_by_type": {"GROUP BY ALL"},
    "wages_increase_distribution": {"GROUP BY ALL"},
    # migrations, by file
    "0002_views.sql": {"GROUP BY ALL"},
    "0004_stored_keys.sql": {"GROUP BY ALL"},
    "0005_current_registry.sql": {"GROUP BY ALL"},
    "0007_live_rows.sql": {"* EXCLUDE"},
    "0008_plan_ledgers.sql": {"* EXCLUDE"},
}

# DuckDB-only constructs (or ones whose translation needs a look), each with the pattern that finds it.
# The name is what docs/deployment.md must mention.
DUCKDB_CONSTRUCTS = {
    "$param": r"\$[a-z_]+",
    "::type": r"::\s*[a-z]",
    "list_contains": r"\blist_contains\s*\(",
    "list_filter": r"\blist_filter\s*\(",
    "list_max": r"\blist_max\s*\(",
    "lambda": r"\blambda\b",
    "list_position": r"\blist_position\s*\(",
    "list_sort": r"\blist_sort\s*\(",
    "len(list)": r"\blen\s*\(",
    "contains(": r"(?<![_.\w])contains\s*\(",
    "exclude": r"\*\s*exclude\b",
    "qualify": r"\bqualify\b",
    "filter (where": r"\bfilter\s*\(\s*where\b",
    "group by all": r"\bgroup\s+by\s+all\b",
    "any_value": r"\bany_value\s*\(",
    "arg_max": r"\barg_max\s*\(",
    "range(": r"\brange\s*\(",
    "make_date": r"\bmake_date\s*\(",
    "year(": r"\byear\s*\(",
    "month(": r"\bmonth\s*\(",
    "datediff": r"\bdate_?diff\s*\(",
    "quantile_cont": r"\bquantile_cont\s*\(",
    "median": r"\bmedian\s*\(",
    "strftime": r"\bstrftime\s*\(",
    "string_agg": r"\bstring_agg\s*\(",
    "regexp_replace": r"\bregexp_replace\s*\(",
    "last_day": r"\blast_day\s*\(",
    "unnest": r"\bunnest\s*\(",
    "create or replace view": r"\bcreate\s+or\s+replace\s+view\b",
    "varchar[]": r"varchar\s*\[\s*\]",
}


def _strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def to_postgres(sql: str) -> tuple[list[str], set[str]]:
    """PostgreSQL statements for a DuckDB script, and the messages of constructs sqlglot could not map."""
    out, unsupported = [], set()
    for expression in sqlglot.parse(sql, read="duckdb", error_level=ErrorLevel.RAISE):
        if expression is None:
            continue
        generator = Postgres().generator(unsupported_level=ErrorLevel.IGNORE, comments=False)
        out.append(generator.generate(expression))
        unsupported |= set(generator.unsupported_messages)
    return out, unsupported


def postgres_problems(statements: list[str]) -> set[str]:
    """What PostgreSQL would refuse in translated statements (see the module's docstring)."""
    problems: set[str] = set()
    for statement in statements:
        tree = sqlglot.parse_one(statement, read="postgres", error_level=ErrorLevel.RAISE)
        for node in tree.find_all(exp.Func):
            called = re.match(r"([A-Za-z_]\w*)\s*\(", node.sql("postgres"))
            if called and called[1].upper() not in POSTGRES_FUNCTIONS:
                problems.add(called[1].upper())
        for node in tree.find_all(exp.Length):  # PostgreSQL's length() takes text, not an array
            arg = node.this
            if isinstance(arg, exp.Array) or (isinstance(arg, exp.Cast) and arg.to.sql("postgres").endswith("]")):
                problems.add("LENGTH(list)")
        if any(True for _ in tree.find_all(exp.Lambda)):
            problems.add("lambda")
        if any(star.args.get("except_") or star.args.get("except") for star in tree.find_all(exp.Star)):
            problems.add("* EXCLUDE")
        if any(group.args.get("all") for group in tree.find_all(exp.Group)):
            problems.add("GROUP BY ALL")
    return problems


def portable_sql(name: str) -> str:
    """queries/<name>.sql as a PostgreSQL deployment would run it (before the translation)."""
    return db.read_query(name, PORTABLE)


def check_translation(sql: str) -> set[str]:
    """Translate `sql`, check what every file must pass, and return its postgres_problems."""
    statements, unsupported = to_postgres(sql)
    assert statements
    assert unsupported <= ACCEPTED_UNSUPPORTED
    for statement in statements:
        sqlglot.parse_one(statement, read="postgres", error_level=ErrorLevel.RAISE)
    joined = "\n".join(statements)
    assert "$" not in re.sub(r"'[^']*'", "", joined)  # `$year` is DuckDB's; psycopg wants %(year)s
    for name in set(re.findall(r"\$([a-z_]+)", _strip_comments(sql))):
        assert f"%({name})s" in joined
    return postgres_problems(statements)


def test_there_are_queries_and_fragments_to_check():
    assert len(QUERIES) > 40
    assert {"registry_filter", "place_filter", "registry_filter_set", "size_band_filter"} <= set(FRAGMENTS)


@pytest.mark.parametrize("name", QUERIES)
def test_each_query_as_it_runs_translates_to_postgres(name):
    sql = portable_sql(name)
    assert "{{" not in _strip_comments(sql)
    assert check_translation(sql) == KNOWN_LEFTOVERS.get(name, set())


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda p: p.name)
def test_each_migration_translates_to_postgres(path):
    assert check_translation(path.read_text(encoding="utf-8")) == KNOWN_LEFTOVERS.get(path.name, set())


@pytest.mark.parametrize("name", FRAGMENTS)
def test_each_fragment_is_wholly_portable(name):
    # alone, with and without an alias: nothing PostgreSQL would refuse, not even a known leftover
    for call in (f"{{{{{name}}}}}", f"{{{{{name}(e)}}}}"):
        sql = db.expand(f"select {call} as x from v_enterprises e", PORTABLE)
        assert check_translation(sql) == set(), call


def test_the_check_catches_the_duckdb_only_filter_it_replaced():
    # The registry filter as ~45 query files used to copy it; the old test passed it because sqlglot
    # writes list_filter's lambda as an ARRAY(SELECT ...) PostgreSQL can run and list_max as ARRAY_MAX,
    # which PostgreSQL does not have.
    old = (
        "select * from v_enterprises where ($size_bands::integer[] is null or list_contains($size_bands::"
        "integer[], list_max(list_filter($band_lowers::integer[], lambda b: b <= employees))))"
    )
    assert "ARRAY_MAX" in check_translation(old)
    band = "select len(list_filter($band_bounds::integer[], lambda b: b <= employees)) from v_enterprises"
    assert check_translation(band) == {"LENGTH(list)"}
    # and the DuckDB flavours of the fragments, which are DuckDB's alone
    for path in sorted(FRAGMENTS_DIR.glob(f"*.{db.DIALECT}.sql")):
        name = path.name.split(".")[0]
        sql = db.expand(f"select {{{{{name}}}}} as x from v_enterprises", db.DIALECT)
        assert check_translation(sql), path.name


def test_known_leftovers_name_documented_constructs():
    assert {p for problems in KNOWN_LEFTOVERS.values() for p in problems} <= set(LEFTOVER_CONSTRUCTS)
    assert set(LEFTOVER_CONSTRUCTS.values()) <= set(DUCKDB_CONSTRUCTS)
    assert set(KNOWN_LEFTOVERS) <= set(QUERIES) | {path.name for path in MIGRATIONS}


def test_every_duckdb_construct_used_is_documented():
    # named in the document's code spans (`…`), not merely somewhere in its prose
    doc = " ".join(re.findall(r"`([^`]+)`", DEPLOYMENT_DOC.read_text(encoding="utf-8"))).lower()
    texts = [db.read_query(name) for name in QUERIES]  # as DuckDB runs them: the DuckDB flavours too
    texts += [path.read_text(encoding="utf-8") for path in MIGRATIONS]
    used = set()
    for text in texts:
        sql = _strip_comments(text).lower()
        used |= {name for name, pattern in DUCKDB_CONSTRUCTS.items() if re.search(pattern, sql)}
    assert {"$param", "list_contains", "list_filter", "qualify", "filter (where"} <= used
    missing = sorted(name for name in used | set(LEFTOVER_CONSTRUCTS.values()) if name.lower() not in doc)
    assert not missing, f"DuckDB constructs used in queries but not discussed in docs/deployment.md: {missing}"


def test_the_translation_of_a_bound_list_filter_keeps_its_meaning():
    # The most common DuckDB idiom in queries/: an optional list filter. In PostgreSQL it must become
    # `= any(cast(... as text[]))` with the null-list case intact.
    sql = "select * from t where ($c::varchar[] is null or list_contains($c::varchar[], community))"
    (statement,), _ = to_postgres(sql)
    assert "CAST(%(c)s AS TEXT[]) IS NULL" in statement
    assert "community = ANY(CAST(%(c)s AS TEXT[]))" in statement


def test_the_portable_size_band_filter_translates_to_a_subquery_over_the_bounds():
    sql = db.expand("select * from v_enterprises e where {{size_band_filter(e)}}", PORTABLE)
    (statement,), _ = to_postgres(sql)
    assert "CAST(%(size_bands)s AS INT[]) IS NULL" in statement
    assert "FROM UNNEST(CAST(%(band_lowers)s AS INT[])) AS band_lowers(band_lower)" in statement
    assert "WHERE band_lower <= e.employees" in statement
