"""Scoping by the database on PostgreSQL: a community cadre's connection (dashboard/pgscope.py) reads only
her community through row-level security, whatever SQL is sent on it; the app does no filtering."""

from __future__ import annotations

import psycopg
import pytest

from dashboard import config, db, metrics, pg, scope, unionization
from dashboard.filters import Filters
from tests.conftest import database_copy
from tests.small_street import C1, C2, build_small_street

HERS = scope.Scope((C1,))
LEDGERS = ("enterprises", "wage_agreements", "harmonious", "disputes", "registry_parts", "import_batch_parts")


@pytest.fixture(scope="module")
def street(tmp_path_factory, pg_cluster):
    """(DuckDB file, PostgreSQL URL) holding the small street: two communities."""
    path = database_copy(tmp_path_factory.mktemp("pgscope") / "small.duckdb", build_small_street)
    url = pg_cluster.new_database()
    with db.connect(url) as con, db.connect(path) as duck:
        pg.copy_from_duckdb(duck, con)
    return path, url


def communities_in(con, table: str) -> set[str]:
    return {r[0] for r in con.execute(f"select distinct community from {table}").fetchall()}


def test_the_owner_reads_both_communities(street):
    _, url = street
    with db.connect(url) as con:
        assert communities_in(con, "enterprises") == {C1, C2}
        assert communities_in(con, "v_enterprises") == {C1, C2}


def test_a_cadres_connection_reads_only_her_community_whatever_the_sql(street):
    _, url = street
    with scope.using(HERS), db.connect(url) as con:
        assert isinstance(con, pg.PgConnection) and scope.of(con) == HERS and scope.of(con.cursor()) == HERS
        assert con.execute("select current_user").fetchone()[0].endswith("_reader")
        for table in LEDGERS:
            assert communities_in(con, table) <= {C1}, table
            assert communities_in(con, f"public.{table}") <= {C1}, table
        assert communities_in(con, "v_enterprises") == {C1}
        assert communities_in(con, "public.v_wage_agreements") == {C1}
        # hand-written SQL around the rule: no count, join or setting shows another community's rows
        assert con.execute("select count(*) from public.enterprises where community = ?", [C2]).fetchone() == (0,)
        con.execute("set app.communities = '向阳社区'")
        assert con.execute("select count(*) from enterprises where community <> ?", [C1]).fetchone() == (0,)
        con.execute("set row_security = off")  # PostgreSQL then refuses the query rather than skip the policy
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute("select count(*) from enterprises")
        con.execute("reset row_security")
        # the batches: only those touching her community, naming only her community
        batches = con.execute("select communities from import_batches").fetchall()
        assert batches and all(c == [C1] for (c,) in batches)


@pytest.mark.parametrize(
    "sql",
    [
        "select * from _scope_sessions",
        "update _scope_sessions set communities = array['向阳社区']",
        "insert into _scope_sessions values (pg_backend_pid(), array['向阳社区'])",
        "select communities from public.import_batches",
        "select * from users",
        "select * from audit_log",
        "insert into enterprises (batch_id, street, community, name, name_norm) values (1, 's', 'c', 'n', 'n')",
        "delete from enterprises",
        "set role union_owner",
        "drop table enterprises",
    ],
)
def test_a_cadres_connection_cannot_widen_or_write(street, sql):
    _, url = street
    with scope.using(HERS), db.connect(url) as con, pytest.raises(psycopg.Error):
        con.execute(sql)
    with db.connect(url) as con:  # nothing changed
        assert communities_in(con, "enterprises") == {C1, C2}


def test_the_scope_row_goes_with_the_connection(street):
    _, url = street
    with scope.using(HERS), db.connect(url), scope.using(scope.ALL), db.connect(url) as owner:
        assert owner.execute("select count(*) from _scope_sessions").fetchone() == (1,)
    with db.connect(url) as owner:
        assert owner.execute("select count(*) from _scope_sessions").fetchone() == (0,)


def test_a_cadres_figures_on_postgres_are_her_figures_on_duckdb(street):
    path, url = street
    settings = config.load_settings()
    filters = Filters(year=2026)
    for fn in (metrics.union_coverage_25plus, unionization.union_rates, metrics.new_unions_by_community):
        with scope.using(HERS), db.connect(path) as duck, db.connect(url) as con:
            old, new = fn(duck.cursor(), filters, settings), fn(con.cursor(), filters, settings)
        assert str(new) == str(old), fn.__name__
    with db.connect(url) as con:  # and the street's differ, so the check could fail
        assert str(metrics.union_coverage_25plus(con, filters, settings)) != str(old_all(path, settings, filters))


def old_all(path, settings, filters):
    with scope.using(HERS), db.connect(path) as duck:
        return metrics.union_coverage_25plus(duck, filters, settings)


# ---- the street level (区 → 街道 → 社区, schema version 10) ------------------------------------------------


@pytest.fixture(scope="module")
def two_streets(tmp_path_factory, pg_cluster):
    """The two-street fixture (tests/two_streets.py) on PostgreSQL: 示例街道 and 河西街道, each with a 东风社区."""
    from tests.two_streets import build_two_streets

    path = database_copy(tmp_path_factory.mktemp("pgstreets") / "two.duckdb", build_two_streets)
    url = pg_cluster.new_database()
    with db.connect(url) as con, db.connect(path) as duck:
        pg.copy_from_duckdb(duck, con)
    return url


def pairs_in(con, table: str) -> set[tuple[str, str]]:
    return {tuple(r) for r in con.execute(f"select distinct street, community from {table}").fetchall()}


def test_a_street_leaders_connection_reads_only_her_street(two_streets):
    from tests.two_streets import S1, S2

    with db.connect(two_streets) as owner:
        everything = pairs_in(owner, "enterprises")
    assert {s for s, _ in everything} == {S1, S2}  # both streets are there, so the check could fail
    for street in (S1, S2):
        with scope.using(scope.Scope(None, (street,))), db.connect(two_streets) as con:
            assert con.execute("select current_user").fetchone()[0].endswith("_reader")
            for table in (*LEDGERS, "v_enterprises", "public.enterprises"):
                assert {s for s, _ in pairs_in(con, table)} <= {street}, (street, table)
            assert pairs_in(con, "enterprises") == {p for p in everything if p[0] == street}
            batches = con.execute("select distinct street from import_batches").fetchall()
            assert batches == [(street,)]


def test_a_cadre_of_a_repeated_community_name_reads_only_her_streets_one(two_streets):
    from tests.two_streets import C1, S1, S2

    with scope.using(scope.Scope((C1,), (S2,))), db.connect(two_streets) as con:
        assert pairs_in(con, "enterprises") == {(S2, C1)}
        assert pairs_in(con, "public.v_wage_agreements") <= {(S2, C1)}
        assert {c for (cs,) in con.execute("select communities from import_batches").fetchall() for c in cs} == {C1}
        assert con.execute("select count(*) from enterprises where street = ?", [S1]).fetchone() == (0,)


def test_the_reader_role_without_a_scope_row_reads_nothing(two_streets):
    from dashboard import pgscope

    raw = psycopg.connect(
        pgscope.role_url(two_streets, pgscope.READER_SUFFIX, "UNION_DASHBOARD_PG_READER_PASSWORD"), autocommit=True
    )
    try:
        for table in ("enterprises", "import_batches", "v_enterprises"):
            assert raw.execute(f"select count(*) from {table}").fetchone() == (0,), table
    finally:
        raw.close()
