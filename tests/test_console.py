"""The SQL console: reads the caller's scoped views, and every escape attempt fails."""

from datetime import date

import pytest

from dashboard import console, db, scope
from tests.small_street import C1, C2, build_small_street


@pytest.fixture(scope="module")
def street(tmp_path_factory):
    path = tmp_path_factory.mktemp("console") / "c.duckdb"
    with db.connect(path) as con:
        build_small_street(con)
    return path


@pytest.fixture(scope="module")
def tables(street):
    with db.connect(street) as con:
        return console.snapshot(con)


@pytest.fixture(scope="module")
def cadre_tables(street):
    with scope.using(scope.Scope((C1,))), db.connect(street) as con:
        return console.snapshot(con)


def test_select_runs_on_the_views(tables):
    r = console.run(tables, "select community, count(*) as n from v_enterprises group by all order by community;")
    # 东风社区 has 6 current enterprises, 向阳社区 3 (its latest active batch)
    assert r.frame.to_dict("records") == [{"community": C1, "n": 6}, {"community": C2, "n": 3}]
    assert not r.truncated


def test_runs_on_the_callers_scope(cadre_tables):
    r = console.run(cadre_tables, "select distinct community from v_enterprises_history")
    assert r.frame["community"].tolist() == [C1]
    assert console.run(cadre_tables, "select count(*) as n from v_disputes").frame["n"].tolist() == [0]


def test_schema_explains_columns(tables):
    s = console.schema(tables)
    ent = s["v_enterprises"].set_index("列名")["含义"]
    assert ent["name"] == "企业名称" and ent["enterprise_key"].startswith("企业唯一键")


ESCAPES = {
    "write": "insert into v_aid (recipient) values ('x')",
    "delete": "delete from v_enterprises",
    "create": "create table t as select 1",
    "attach": "attach '/tmp/escape.duckdb' as x",
    "attach_memory": "attach ':memory:' as x",
    "install": "install httpfs",
    "load": "load httpfs",
    "copy_to": "copy v_aid to '/tmp/escape.csv'",
    "copy_from": "copy v_aid from '/etc/passwd'",
    "export": "export database '/tmp/escape_dir'",
    "set": "set enable_external_access = true",
    "reset": "reset lock_configuration",
    "pragma": "pragma database_list",
    "call": "call pragma_version()",
    "two_statements": "select 1; drop table v_aid",
    "read_csv": "select * from read_csv('/etc/passwd')",
    "read_text": "select * from read_text('/etc/passwd')",
    "read_parquet": "select * from read_parquet('/tmp/*.parquet')",
    "glob": "select * from glob('/etc/*')",
    "file_literal": "select * from '/etc/passwd'",
    "query_fn_write": "select * from query('create table t as select 1')",
    "main_db": "select * from users",
    "audit": "select * from audit_log",
    "python_scan": "select * from tables",
}


@pytest.mark.parametrize("name", list(ESCAPES))
def test_escape_fails(tables, tmp_path, name):
    with pytest.raises(console.ConsoleError):
        console.run(tables, ESCAPES[name])


def test_no_file_was_written():
    import os

    assert not os.path.exists("/tmp/escape.csv") and not os.path.exists("/tmp/escape_dir")


def test_configuration_stays_locked_inside_a_select(tables):
    # a SELECT that tries to read a file after a setting change in a CTE still cannot
    with pytest.raises(console.ConsoleError):
        console.run(tables, "with x as (select * from read_csv_auto('/etc/hostname')) select * from x")
    r = console.run(tables, "select current_setting('enable_external_access') as ext")
    assert r.frame["ext"].tolist() == [False]


def test_long_query_is_stopped(tables):
    with pytest.raises(console.ConsoleError, match="已停止"):
        console.run(tables, "select count(*) from range(100000000000) a", timeout_s=0.5)


def test_huge_result_is_capped(tables):
    r = console.run(tables, "select * from range(10000000)", max_rows=1000)
    assert len(r.frame) == 1000 and r.truncated
    r = console.run(tables, "select * from range(10)", max_rows=10)
    assert len(r.frame) == 10 and not r.truncated


def test_saved_queries(tmp_path):
    with db.connect(tmp_path / "q.duckdb") as con:
        console.save_query(con, "ana", "各社区企业数", "select 1")
        console.save_query(con, "ana", "各社区企业数", "select 2")  # saving again replaces
        console.save_query(con, "bob", "x", "select 3")
        got = console.saved_queries(con, "ana")
        assert got[["name", "sql"]].to_dict("records") == [{"name": "各社区企业数", "sql": "select 2"}]
        console.delete_query(con, "ana", "各社区企业数")
        assert console.saved_queries(con, "ana").empty
        with pytest.raises(console.ConsoleError):
            console.save_query(con, "ana", " ", "select 1")


def test_dates_survive_the_copy(tables):
    r = console.run(tables, "select min(signed_on) as d from v_wage_agreements")
    assert r.frame["d"].iloc[0].date() == date(2025, 1, 1)


def test_sandbox_itself_refuses_even_without_the_statement_check(tables):
    """Second line of defence: the sandbox connection refuses settings, files and extensions on its own."""
    import duckdb

    box = console._sandbox(tables)
    try:
        for sql in (
            "set enable_external_access = true",
            "select * from read_csv('/etc/passwd')",
            "copy v_aid to '/tmp/escape2.csv'",
            "attach '/tmp/escape2.duckdb' as x",
            "install httpfs",
            "load httpfs",
        ):
            with pytest.raises(duckdb.Error):
                box.execute(sql)
    finally:
        box.close()


def test_the_stored_person_key_stays_out_of_the_sandbox(tables):
    """aid.person_key is an ID number under a name no masker knows: the console never gets it."""
    assert "person_key" not in tables["v_aid"].column_names
    assert "id_number" in tables["v_aid"].column_names  # the field itself, which the result table masks
    with pytest.raises(console.ConsoleError):
        console.run(tables, "select person_key from v_aid")
