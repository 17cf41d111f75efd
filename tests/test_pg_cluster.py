"""The test cluster (tests/pg.py): a real PostgreSQL server on a unix socket only, one per test process."""

from __future__ import annotations

import psycopg


def test_the_cluster_serves_on_its_socket_only(pg_cluster, pg_url):
    with psycopg.connect(pg_url) as con:
        assert con.execute("show listen_addresses").fetchone()[0] == ""
        assert con.execute("show server_version_num").fetchone()[0] >= "150000"
        assert con.execute("select current_user").fetchone()[0] == "union_owner"
    assert (pg_cluster.folder / ".s.PGSQL.5432").exists()


def test_each_database_is_new(pg_cluster):
    one, two = pg_cluster.new_database(), pg_cluster.new_database()
    assert one != two
    with psycopg.connect(one) as con:
        con.execute("create table t (x integer)")
    with psycopg.connect(two) as con:
        assert con.execute("select to_regclass('t')").fetchone()[0] is None
