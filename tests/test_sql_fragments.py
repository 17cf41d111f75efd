"""Query fragments (queries/_fragments/) and vocabulary words (spec.QUERY_WORDS), expanded by db.read_query:
the filter bar's filters are defined once, no query copies them or writes a vocabulary word, and the
DuckDB flavour of a fragment gives every query the rows its portable flavour gives."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from dashboard import aid, benchmarks, config, db, disputes, metrics, spec
from tests.conftest import sample_copy

QUERY_FILES = sorted(config.QUERIES_DIR.glob("*.sql"))
FRAGMENT_FILES = sorted((config.QUERIES_DIR / db.FRAGMENTS).glob("*.sql"))
_LITERAL_OR_COMMENT = re.compile(r"'(?:[^']|'')*'|--[^\n]*")


def code_of(sql: str) -> str:
    """`sql` without its comments."""
    return _LITERAL_OR_COMMENT.sub(lambda m: "" if m[0].startswith("--") else m[0], sql)


def literals_of(sql: str) -> list[str]:
    return [m[0][1:-1].replace("''", "'") for m in _LITERAL_OR_COMMENT.finditer(sql) if m[0].startswith("'")]


# ---- no query copies the filters or writes a word -------------------------------------------------

# What only a fragment may say: the filter bar's filter conditions and the size-band arithmetic.
# ($industries may appear in a guard `$industries::varchar[] is null`: industry_agreements applies the
# industries filter alone, through {{industry_filter}} in a subquery.)
INLINE_FILTER = {
    "street filter": r"\$street\b",
    "communities filter": r"\$communities\b",
    "industries filter": r"\$industries\b(?!::varchar\[\] is null\b)|list_contains\(\s*\$industries\b",
    "size-band filter": r"\$size_bands\b|\$band_lowers\b|\$band_bounds\b",
    "status filter": r"\$statuses\b",
    "list lambda": r"\blist_filter\s*\(|\blist_max\s*\(|\blambda\b",
}
VOCABULARY_WORDS = {word: vocabulary for vocabulary, words in spec.VOCABULARIES.items() for word in words}


def test_there_are_queries_and_fragments():
    assert len(QUERY_FILES) > 40
    names = {p.name for p in FRAGMENT_FILES}
    assert {"registry_filter.sql", "place_filter.sql", "size_band_filter.sql", "size_band_filter.duckdb.sql"} <= names


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_no_query_writes_a_filter_inline(path):
    code = code_of(path.read_text(encoding="utf-8"))
    found = {what for what, pattern in INLINE_FILTER.items() if re.search(pattern, code)}
    assert not found, f"{path.name} writes {sorted(found)} itself: name the fragment instead (README, Queries)"


@pytest.mark.parametrize("path", QUERY_FILES + FRAGMENT_FILES, ids=lambda p: p.name)
def test_no_query_or_fragment_writes_a_vocabulary_word(path):
    words = sorted({w for w in literals_of(code_of(path.read_text(encoding="utf-8"))) if w in VOCABULARY_WORDS})
    assert not words, f"{path.name} writes {words}: use {{{{vocabulary.name}}}} from spec.QUERY_WORDS"


def test_the_filters_are_written_once_in_the_fragments():
    # each condition in exactly one fragment file per flavour (the lambda only in the DuckDB flavours)
    texts = {p.name: code_of(p.read_text(encoding="utf-8")) for p in FRAGMENT_FILES}
    where = {
        pattern: sorted(name for name, text in texts.items() if re.search(pattern, text))
        for pattern in (r"= \$street::varchar", r"list_contains\(\$communities", r"list_contains\(\$industries")
    }
    assert where == {
        r"= \$street::varchar": ["street_filter.sql"],
        r"list_contains\(\$communities": ["community_filter.sql"],
        r"list_contains\(\$industries": ["industry_filter.sql"],
    }
    lambdas = sorted(name for name, text in texts.items() if re.search(INLINE_FILTER["list lambda"], text))
    assert lambdas == ["size_band_filter.duckdb.sql", "size_band_number.duckdb.sql"]


def test_every_query_word_is_a_canonical_word_and_used():
    used = set()
    for path in QUERY_FILES + FRAGMENT_FILES:
        used |= set(re.findall(r"\{\{\s*([a-z_]+\.[a-z_]+)\s*\}\}", code_of(path.read_text(encoding="utf-8"))))
    named = {f"{v}.{k}" for v, words in spec.QUERY_WORDS.items() for k in words}
    assert used == named
    for vocabulary, words in spec.QUERY_WORDS.items():
        assert set(words.values()) <= set(spec.VOCABULARIES[vocabulary]), vocabulary


# ---- the expansion ---------------------------------------------------------------------------------


@pytest.fixture
def queries(tmp_path, monkeypatch):
    """An empty queries folder with a fragments folder, in place of queries/."""
    (tmp_path / db.FRAGMENTS).mkdir()
    monkeypatch.setattr(db.config, "QUERIES_DIR", tmp_path)
    return tmp_path


def test_a_fragment_is_written_out_in_parentheses_with_its_alias(queries):
    (queries / db.FRAGMENTS / "big.sql").write_text(
        "-- staff {alias.}employees, in {alias}\n{alias.}employees >= $size -- inline comment\n", encoding="utf-8"
    )
    assert db.expand("select * from t e where {{big(e)}} and {{ big }}") == (
        "select * from t e where (e.employees >= $size) and (employees >= $size)"
    )


def test_fragments_nest_and_name_words(queries):
    (queries / db.FRAGMENTS / "operating.sql").write_text("{alias.}status = {{status.operating}}", encoding="utf-8")
    (queries / db.FRAGMENTS / "both.sql").write_text("({{operating({alias})}} or {{operating}})", encoding="utf-8")
    assert db.expand("where {{both(r)}}") == "where ((r.status = '正常经营') or (status = '正常经营'))"


def test_the_dialect_picks_the_flavour_of_a_fragment(queries):
    (queries / db.FRAGMENTS / "f.sql").write_text("portable", encoding="utf-8")
    (queries / db.FRAGMENTS / "f.duckdb.sql").write_text("duck", encoding="utf-8")
    assert db.DIALECT == "duckdb"
    assert db.expand("{{f}}") == "(duck)"
    assert db.expand("{{f}}", "postgres") == "(portable)"
    assert db.fragment_path("f", "postgres").name == "f.sql"


def test_comments_and_literals_keep_their_braces(queries):
    sql = "select '{{status.operating}}' as x -- {{no_such_fragment}}\n"
    assert db.expand(sql) == sql


@pytest.mark.parametrize(
    "sql, message",
    [
        ("where {{no_such_fragment}}", "no query fragment"),
        ("where s = {{status.no_such_word}}", "no word"),
        ("where s = {{status.operating(e)}}", "takes no alias"),
        ("where {{registry_filter(e.)}}", "not a placeholder"),
    ],
)
def test_a_placeholder_that_names_nothing_is_an_error(queries, sql, message):
    with pytest.raises(ValueError, match=message):
        db.expand(sql)


def test_a_fragment_that_names_itself_is_an_error(queries):
    (queries / db.FRAGMENTS / "loop.sql").write_text("{{loop}}", encoding="utf-8")
    with pytest.raises(ValueError, match="nested"):
        db.expand("{{loop}}")


def test_run_query_binds_the_parameters_a_fragment_names(queries, con):
    (queries / db.FRAGMENTS / "over.sql").write_text("n > $least::integer", encoding="utf-8")
    (queries / "q.sql").write_text("select count(*) as n from range(10) t(n) where {{over(t)}}", encoding="utf-8")
    assert db.run_query(con, "q", {"least": 6, "unused": 1})["n"].tolist() == [3]


# ---- both flavours, the same rows ------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory, sample_template):
    return sample_copy(sample_template, tmp_path_factory.mktemp("fragments") / "sample.duckdb")


BASE = metrics.Filters(year=2026, as_of=date(2026, 11, 20))
FILTER_SETS = {
    "no filter": BASE,
    "one size band": replace(BASE, size_bands=(25,)),
    "two size bands, a status, an industry": replace(
        BASE, size_bands=(0, 500), statuses=("正常经营", "停产"), industries=("制造业", "批发和零售业")
    ),
}


def _params(filters: metrics.Filters) -> dict:
    settings = config.load_settings()
    return {
        **benchmarks.params("东风社区", filters, settings),
        **aid.params(filters, settings),
        **disputes.params(filters, settings),
        "grade_scale": list(settings.rule("grade_scale")),
        "warning_days": int(settings.rule("expiry_warning_days")),
        "band_bounds": [25, 100, 500],
        "key": "none",
        "text": "公司",
        "text_norm": "公司",
        "digits": None,
        "limit": 50,
    }


FLAVOURED = [p.stem for p in QUERY_FILES if db.read_query(p.stem) != db.read_query(p.stem, "postgres")]


def test_many_queries_have_a_duckdb_flavour():
    assert len(FLAVOURED) > 40


@pytest.mark.parametrize("name", FLAVOURED)
def test_the_duckdb_flavour_gives_the_rows_of_the_portable_one(name, sample_db, monkeypatch):
    with db.connect(sample_db) as con:
        cur = con.cursor()
        for label, filters in FILTER_SETS.items():
            params = _params(filters)
            duck = db.run_query(cur, name, params)
            monkeypatch.setattr(db, "DIALECT", "postgres")
            portable = db.run_query(cur, name, params)
            monkeypatch.setattr(db, "DIALECT", "duckdb")
            pd.testing.assert_frame_equal(duck, portable, check_exact=True, obj=f"{name} ({label})")


def test_read_query_writes_a_query_out_again_when_a_fragment_changes(queries):
    (queries / db.FRAGMENTS / "f.sql").write_text("1", encoding="utf-8")
    (queries / "q.sql").write_text("select {{f}} as x", encoding="utf-8")
    assert db.read_query("q") == "select (1) as x"
    assert db.read_query("q") == "select (1) as x"  # kept
    (queries / db.FRAGMENTS / "f.sql").write_text("22", encoding="utf-8")
    assert db.read_query("q") == "select (22) as x"
    (queries / "q.sql").write_text("select {{f}} as y", encoding="utf-8")
    assert db.read_query("q") == "select (22) as y"
