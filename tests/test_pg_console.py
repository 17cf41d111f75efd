"""The SQL console on PostgreSQL: read-only by the database's own rights (dashboard/console.py, the console
role of dashboard/migrations/postgres/0009_schema.sql), with a statement timeout and a row cap; every
refusal in Chinese."""

from __future__ import annotations

import re

import pytest

from dashboard import console, db, pg
from tests.conftest import database_copy
from tests.small_street import build_small_street


@pytest.fixture(scope="module")
def street(tmp_path_factory, pg_cluster):
    path = database_copy(tmp_path_factory.mktemp("pgconsole") / "small.duckdb", build_small_street)
    url = pg_cluster.new_database()
    with db.connect(url) as con, db.connect(path) as duck:
        pg.copy_from_duckdb(duck, con)
    return path, url


@pytest.fixture(scope="module")
def tables(street):
    _, url = street
    with db.connect(url) as con:
        return console.snapshot(con)


def test_the_console_lists_the_views_without_personal_columns(street, tables):
    path, _ = street
    assert isinstance(tables, console.PostgresTables) and set(tables) == set(console.VIEWS)
    assert "phone" not in tables["v_enterprises"].column_names
    assert "union_chair" not in tables["v_enterprises"].column_names
    with db.connect(path) as duck:
        assert tables["v_enterprises"].num_rows == duck.execute("select count(*) from v_enterprises").fetchone()[0]
    assert not {"recipient", "id_number", "person_key"} & set(tables["v_aid"].column_names)
    assert set(console.schema(tables)) == set(console.VIEWS)


def test_a_select_runs_on_the_server(street, tables):
    path, _ = street
    result = console.run(tables, "select community, count(*) as n from v_enterprises group by community order by 1")
    with db.connect(path) as duck:
        want = duck.execute("select community, count(*) as n from v_enterprises group by 1 order by 1").fetchall()
    assert list(result.frame.itertuples(index=False, name=None)) == want
    assert not result.truncated


@pytest.mark.parametrize(
    "sql",
    [
        "insert into v_enterprises (community) values ('x')",
        "insert into public.enterprises (batch_id, street, community, name, name_norm) values (1, 's', 'c', 'n', 'n')",
        "delete from public.enterprises",
        "update public.users set role = '管理员'",
        "drop table public.enterprises",
        "drop view v_enterprises",
        "create table t (x integer)",
        "set default_transaction_read_only = off",
    ],
)
def test_writes_are_refused_by_the_database_in_chinese(street, tables, sql):
    _, url = street
    with pytest.raises(console.ConsoleError) as refused:
        console.run(tables, sql)
    assert str(refused.value) == console.READ_ONLY_MESSAGE
    assert refused.value.detail  # the server's own words, for the log: it was PostgreSQL that refused
    with db.connect(url) as con:  # nothing changed
        assert con.execute("select count(*) from enterprises").fetchone()[0] > 0
        assert con.execute("select to_regclass('console.t')").fetchone()[0] is None


@pytest.mark.parametrize(
    ("sql", "says"),
    [
        ("select * from public.users", "不能读取账号"),
        ("select * from audit_log", "表或视图不存在：audit_log"),
        ("select nonsense from v_enterprises", "列不存在：nonsense"),
        ("select 1; drop table public.enterprises", "一次只能运行一条"),
        ("set statement_timeout = 0; select pg_sleep(60)", "一次只能运行一条"),
        ("selec 1", "SQL 语法错误"),
        ("", "请输入"),
    ],
)
def test_other_refusals_are_told_in_chinese(tables, sql, says):
    with pytest.raises(console.ConsoleError) as refused:
        console.run(tables, sql)
    assert says in str(refused.value)
    told = re.sub(r"“[^”]*”|audit_log|nonsense", "", str(refused.value))  # the user's own words may be quoted
    assert not any("a" <= ch.lower() <= "z" for ch in told.replace("SELECT", "").replace("SQL", "")), told


def test_the_row_cap_and_the_timeout(tables):
    sql = "select x, x % 7 as r from generate_series(1, 100) as g(x) where '%' like '%'"
    result = console.run(tables, sql, max_rows=10)
    assert result.truncated and result.frame["x"].tolist() == list(range(1, 11))
    with pytest.raises(console.ConsoleError, match="秒仍未完成"):
        console.run(tables, "select pg_sleep(3)", timeout_s=0.3)
