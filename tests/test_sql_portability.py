"""queries/*.sql and the schema views stay portable: a district or city deployment on a server engine
(PostgreSQL) must be able to run the same SQL after a mechanical translation.

Each file is parsed as DuckDB SQL and written as PostgreSQL with sqlglot; the output must parse again
as PostgreSQL, and the only construct sqlglot cannot express is one we have checked by hand. Every
DuckDB-only construct the queries use must be listed in docs/deployment.md, so a new one cannot slip
in without someone writing down what a port would do with it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlglot
from sqlglot.dialects.postgres import Postgres
from sqlglot.errors import ErrorLevel

ROOT = Path(__file__).resolve().parent.parent
SQL_FILES = sorted((ROOT / "queries").glob("*.sql")) + sorted((ROOT / "dashboard" / "migrations").glob("*.sql"))
DEPLOYMENT_DOC = ROOT / "docs" / "deployment.md"

# sqlglot reads DuckDB's any_value() as "any_value ignoring nulls" and PostgreSQL has no IGNORE NULLS
# clause; PostgreSQL 16's any_value() skips nulls anyway, so the translation means the same thing.
ACCEPTED_UNSUPPORTED = {"PostgreSQL does not support IGNORE NULLS."}

# DuckDB-only constructs (or ones whose translation needs a look), each with the pattern that finds it.
# The name is what docs/deployment.md must mention.
DUCKDB_CONSTRUCTS = {
    "$param": r"\$[a-z_]+",
    "::type": r"::\s*[a-z]",
    "list_contains": r"\blist_contains\s*\(",
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


def test_there_are_queries_to_check():
    assert len(SQL_FILES) > 40


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: p.name)
def test_transpiles_from_duckdb_to_postgres(path):
    statements, unsupported = to_postgres(path.read_text(encoding="utf-8"))
    assert statements
    assert unsupported <= ACCEPTED_UNSUPPORTED
    for statement in statements:
        sqlglot.parse_one(statement, read="postgres", error_level=ErrorLevel.RAISE)


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: p.name)
def test_bound_parameters_become_driver_placeholders(path):
    # `$year` binding is DuckDB's; psycopg wants %(year)s. No `$` may survive the translation.
    statements, _ = to_postgres(path.read_text(encoding="utf-8"))
    names = set(re.findall(r"\$([a-z_]+)", _strip_comments(path.read_text(encoding="utf-8"))))
    joined = "\n".join(statements)
    assert "$" not in re.sub(r"'[^']*'", "", joined)
    for name in names:
        assert f"%({name})s" in joined


def test_every_duckdb_construct_used_is_documented():
    doc = DEPLOYMENT_DOC.read_text(encoding="utf-8").lower()
    used = set()
    for path in SQL_FILES:
        sql = _strip_comments(path.read_text(encoding="utf-8")).lower()
        used |= {name for name, pattern in DUCKDB_CONSTRUCTS.items() if re.search(pattern, sql)}
    assert {"$param", "list_contains", "qualify", "filter (where"} <= used
    missing = sorted(name for name in used if name.lower() not in doc)
    assert not missing, f"DuckDB constructs used in queries but not discussed in docs/deployment.md: {missing}"


def test_the_translation_of_a_bound_list_filter_keeps_its_meaning():
    # The most common DuckDB idiom in queries/: an optional list filter. In PostgreSQL it must become
    # `= any(cast(... as text[]))` with the null-list case intact.
    sql = "select * from t where ($c::varchar[] is null or list_contains($c::varchar[], community))"
    (statement,), _ = to_postgres(sql)
    assert "CAST(%(c)s AS TEXT[]) IS NULL" in statement
    assert "community = ANY(CAST(%(c)s AS TEXT[]))" in statement
