"""The same numbers on PostgreSQL as on DuckDB: the sample street loaded into DuckDB the normal way (the
importer), every table copied to a PostgreSQL database of the test cluster (tests/pg.py), then every
function the pages call run on both engines under several filter sets, and the results compared.

Where the engines legitimately differ, only the dtype of a numeric column is let go (values must still be
equal, floats to 1e-12 relative):
- DuckDB's sum() of integers is a 128-bit HUGEINT, which DuckDB's .df() gives as float64; PostgreSQL's is
  a bigint (int64);
- DuckDB's date - date is a BIGINT (int64); PostgreSQL's an integer (int32);
- floating sums and standard deviations may differ in the last bit (the engines add in another order).
Text, dates, booleans, lists and the order of rows and columns must be the same.
"""

from __future__ import annotations

import dataclasses
import inspect
import math
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pytest

from dashboard import (
    aid,
    assessment,
    benchmarks,
    community,
    compare,
    config,
    db,
    disputes,
    harmonious,
    meeting_facts,
    metrics,
    overview_rows,
    pg,
    plan,
    profile,
    scoring,
    submissions,
    unionization,
    wages,
)
from dashboard.filters import Filters
from dashboard.sample import ensure_sample_loaded

MODULES = [
    metrics,
    unionization,
    wages,
    harmonious,
    aid,
    disputes,
    plan,
    community,
    compare,
    submissions,
    assessment,
    scoring,
    meeting_facts,
    overview_rows,
]
TODAY = date(2026, 11, 20)
EXTRA = {"show_personal": False, "today": TODAY, "community": "东风社区"}


def page_functions():
    """Every public function of the page modules that reads through a cursor and filters (the list of
    tests/test_db_frames.py, and the work plan, submissions, assessment, community and meeting modules)."""
    out = []
    for module in MODULES:
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            params = list(inspect.signature(fn).parameters)
            mine = fn.__module__ == module.__name__ and not name.startswith("_")
            if mine and params[:2] == ["cur", "filters"] and set(params[2:]) <= {"settings", *EXTRA}:
                out.append(pytest.param(fn, id=f"{module.__name__.rsplit('.', 1)[-1]}.{name}"))
    return out


FILTER_SETS = {
    "plan year": Filters(year=2026, as_of=date(2026, 11, 20)),
    "one community, an industry": Filters(year=2026, communities=("东风社区",), industries=("制造业",)),
    "a year without data": Filters(year=2019, as_of=date(2019, 6, 30)),
}
# and, for the topic modules' own functions (the plan, scoring and assessment functions combine them),
LAST_YEAR = Filters(year=2025, as_of=date(2025, 12, 31), communities=("东风社区", "和平里社区"))
TOPICS = {metrics, unionization, wages, harmonious, aid, disputes}


def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)


def alike(new, old, where: str) -> None:
    """new (PostgreSQL) equals old (DuckDB), numeric dtypes let go as the module's docstring says."""
    assert type(new) is type(old), (where, type(new), type(old))
    if isinstance(old, pd.DataFrame):
        assert list(new.columns) == list(old.columns), where
        assert len(new) == len(old), where
        for column in old.columns:
            alike(new[column].reset_index(drop=True), old[column].reset_index(drop=True), f"{where}.{column}")
        assert list(new.index) == list(old.index), where
    elif isinstance(old, pd.Series):
        if _numeric(old) and _numeric(new):
            a = new.astype("float64").to_numpy()
            b = old.astype("float64").to_numpy()
            assert np.allclose(a, b, rtol=1e-12, atol=0, equal_nan=True), (where, new.tolist()[:5], old.tolist()[:5])
        else:
            assert new.dtype == old.dtype, (where, new.dtype, old.dtype)
            pd.testing.assert_series_equal(new, old, check_exact=True, obj=where)
    elif isinstance(old, dict):
        assert list(new) == list(old), where
        for key in old:
            alike(new[key], old[key], f"{where}[{key!r}]")
    elif isinstance(old, (list, tuple)):
        assert len(new) == len(old), where
        for i, (a, b) in enumerate(zip(new, old, strict=True)):
            alike(a, b, f"{where}[{i}]")
    elif dataclasses.is_dataclass(old):
        for field in dataclasses.fields(old):
            alike(getattr(new, field.name), getattr(old, field.name), f"{where}.{field.name}")
    elif isinstance(old, float):
        assert math.isclose(new, old, rel_tol=1e-12) or (math.isnan(old) and math.isnan(new)), (where, new, old)
    else:
        assert new == old, (where, new, old)


@pytest.fixture(scope="module")
def engines(tmp_path_factory, pg_cluster):
    """(DuckDB file, PostgreSQL URL) holding the same sample street."""
    path = tmp_path_factory.mktemp("parity") / "sample.duckdb"
    mp = pytest.MonkeyPatch()
    mp.setenv("UNION_DASHBOARD_ARCHIVE", str(path.parent / "archive"))
    try:
        assert ensure_sample_loaded(path)
    finally:
        mp.undo()
    url = pg_cluster.new_database()
    with db.connect(url) as con, db.connect(path) as duck:
        copied = pg.copy_from_duckdb(duck, con)
    assert copied["enterprises"] > 1000 and copied["aid"] > 1000
    return path, url


def _columns(con, sql: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for table, column in con.execute(sql).fetchall():
        out.setdefault(table, []).append(column)
    return out


def test_the_schema_has_duckdbs_tables_and_views_column_for_column(engines):
    path, url = engines
    sql = (
        "select table_name, column_name from information_schema.columns where table_schema = {schema}"
        " order by table_name, ordinal_position"
    )
    with db.connect(path) as duck, db.connect(url) as con:
        # every DuckDB migration has its PostgreSQL counterpart: both stand at the newest version
        latest = db.migration_files()[-1][0]
        assert db.pg_migration_files()[-1][0] == latest
        assert db.schema_version(duck) == latest
        assert con.execute("select max(version), count(*) from schema_version").fetchone() == (latest, latest)
        on_postgres = _columns(con, sql.format(schema="'public'"))
        scoping = ["pid", "communities", "opened_at", "streets"]  # PostgreSQL's scoping
        assert on_postgres.pop("_scope_sessions") == scoping
        assert on_postgres == _columns(duck, sql.format(schema="'main'"))


def test_the_page_functions_are_many():
    assert len(page_functions()) >= 90


@pytest.mark.parametrize("fn", page_functions())
def test_each_page_function_gives_the_same_on_postgres(fn, engines):
    path, url = engines
    settings = config.load_settings()
    wanted = [p for p in inspect.signature(fn).parameters if p in EXTRA]
    with db.connect(path) as duck, db.connect(url) as con:
        assert isinstance(con, pg.PgConnection) and isinstance(duck, duckdb.DuckDBPyConnection)
        sets = dict(FILTER_SETS)
        if inspect.getmodule(fn) in TOPICS:
            sets["two communities, last year"] = LAST_YEAR
        for label, filters in sets.items():
            extra = {k: EXTRA[k] for k in wanted}
            extra["settings"] = settings if "settings" in inspect.signature(fn).parameters else None
            extra = {k: v for k, v in extra.items() if v is not None}
            old = fn(duck.cursor(), filters, **extra)
            new = fn(con.cursor(), filters, **extra)
            alike(new, old, f"{fn.__name__} ({label})")


def test_the_enterprise_search_and_profile_give_the_same_on_postgres(engines):
    path, url = engines
    settings = config.load_settings()
    with db.connect(path) as duck, db.connect(url) as con:
        for text in ("东风", "有限公司", "91", "%", "_"):
            alike(
                profile.search_enterprises(con, text, settings), profile.search_enterprises(duck, text, settings), text
            )
        keys = duck.execute("select enterprise_key from v_enterprises order by enterprise_key limit 3").fetchall()
        for (key,) in keys:
            for as_of in (date(2026, 11, 20), date(2025, 6, 30)):
                alike(
                    profile.enterprise_profile(con, key, settings, as_of),
                    profile.enterprise_profile(duck, key, settings, as_of),
                    key,
                )


def test_a_cadres_standing_gives_the_same_on_postgres(engines):
    path, url = engines
    settings = config.load_settings()
    with db.connect(path) as duck, db.connect(url) as con:
        for filters in list(FILTER_SETS.values())[:2]:
            alike(
                benchmarks.standing(con, "东风社区", filters, settings),
                benchmarks.standing(duck, "东风社区", filters, settings),
                "standing",
            )


# ---- the translation itself -----------------------------------------------------------------------


def test_percent_signs_and_parameters_survive_the_translation(pg_url):
    with db.connect(pg_url) as con:
        row = con.execute("select 7 % 3, 'a%b' like '%\\%%' escape '\\', $x::integer + 1", {"x": 41}).fetchone()
        assert row == (1, True, 42)
        assert con.execute("select ? || '%s'", ["x"]).fetchone() == ("x%s",)


def test_duckdb_only_constructs_mean_the_same_on_postgres(pg_url):
    sql = """
        with t(g, v, k, s) as (values (1, 'a', 1, 'xyz'), (1, 'b', 3, 'y'), (1, null, 9, 'q'), (2, 'c', 2, 'z'))
        select g, arg_max(v, (k, g)) as top, max(make_date(2026, g, 1)) as d,
               list_position(['z', 'y', 'x'], max(s)) as pos, bool_or(contains(s, 'y')) as has_y,
               len(['a', 'b']) as n
        from t group by all order by g
    """
    duck = duckdb.connect().execute(sql).fetchall()
    with db.connect(pg_url) as con:
        assert con.execute(sql).fetchall() == duck
    assert duck[0][1] == "b"  # the largest key with a value: arg_max skips a NULL value


def test_insert_or_replace_becomes_an_upsert(pg_url):
    with db.connect(pg_url) as con:
        for sql in ("select 1", "select 2"):
            con.execute(
                "insert or replace into saved_queries (username, name, sql, saved_at)"
                " values (?, ?, ?, current_timestamp)",
                ["li", "q", sql],
            )
        assert con.execute("select sql from saved_queries").fetchall() == [("select 2",)]


# ---- accounts, the audit log and the CLI on PostgreSQL ---------------------------------------------------


def test_accounts_and_the_audit_log_work_on_postgres(pg_url):
    from dashboard import audit, auth

    with db.connect(pg_url) as con:
        auth.add_user(con, "张主任", "secret-pass", auth.LEADER)
        auth.add_user(con, "管理员", "secret-pass", auth.ADMIN)
        assert auth.has_accounts(con)
        assert set(auth.list_users(con)["username"]) == {"张主任", "管理员"}
        auth.set_password(con, "张主任", "another-pass")
        assert auth.authenticate(con, "张主任", "another-pass").viewer.role == auth.LEADER
        assert auth.authenticate(con, "张主任", "secret-pass").viewer is None
        assert con.execute("select failed_logins from users where username = ?", ["张主任"]).fetchone() == (1,)
        audit.record(con, "张主任", "login", "测试 100%")
        assert con.execute("select detail from audit_log").fetchall() == [("测试 100%",)]
        auth.remove_user(con, "张主任")
        assert list(auth.list_users(con)["username"]) == ["管理员"]


def test_pg_copy_fills_an_empty_database_once(engines, pg_url, capsys):
    from dashboard.__main__ import main

    path, _ = engines
    assert main(["pg-copy", "--from", str(path), "--to", pg_url]) == 0
    assert "enterprises" in capsys.readouterr().out
    with db.connect(pg_url) as con, db.connect(path) as duck:
        for table in ("enterprises", "aid", "import_batches"):
            n = f"select count(*) from {table}"
            assert con.execute(n).fetchone() == duck.execute(n).fetchone()
    assert main(["pg-copy", "--from", str(path), "--to", pg_url]) == 1
    assert "已有数据" in capsys.readouterr().err


def test_a_registered_frame_reads_as_on_duckdb(pg_url):
    """register() (the importer's stage input): a temp table typed from the frame, its rows copied in."""
    frame = pd.DataFrame(
        {
            "n": pd.array([1, None, 3], dtype="Int64"),
            "x": [1.5, float("nan"), 2.0],
            "s": pd.array(["甲", None, "it's 100%"], dtype="string"),
            "d": [date(2026, 1, 2), None, date(2025, 12, 31)],
            "b": [True, False, None],
            "mixed": [1, "二", None],  # Arrow cannot type it: read as text
            "l": [["a", "b"], None, []],
            "t": pd.to_datetime(["2026-01-02 03:04:05", None, "2025-12-31 00:00:00"]),
        }
    )
    sql = "select n, x, s, cast(d as date) as d, b, cast(mixed as varchar) as mixed, l, t from incoming order by n"
    duck = duckdb.connect()
    duck.register("incoming", frame.astype({"mixed": "string"}))
    with db.connect(pg_url) as con:
        con.register("incoming", frame)
        con.register("incoming", frame)  # replaces the one of that name
        alike(con.execute(sql).df(), duck.execute(sql).df(), "registered")
        con.unregister("incoming")
        with pytest.raises(Exception, match="incoming"):
            con.execute("select * from incoming")


def test_the_importers_duckdb_statements_run_on_postgres(pg_url):
    with db.connect(pg_url) as con:
        con.execute("create or replace temp table t as select 1 as k, 'a' as v union all select 2, 'b'")
        con.execute("create or replace temp table t as select * from main.schema_version limit 0")
        assert con.execute("select count(*) from t").fetchone() == (0,)
        row = con.execute(
            "select arg_min(v, k), arg_max(v, k) from (values (2, 'b'), (1, 'a'), (3, null)) q(k, v)"
        ).fetchone()
        assert (
            row
            == ("a", "b")
            == duckdb.connect()
            .execute("select arg_min(v, k), arg_max(v, k) from (values (2, 'b'), (1, 'a'), (3, null)) q(k, v)")
            .fetchone()
        )
    # the importer's column list (names, DuckDB's type names, defaults) as DuckDB's duckdb_columns() gives it
    from dashboard import spec
    from dashboard.ledgers import load

    def plain(default):
        return default if default is None else default.removesuffix("::text").lower()

    with db.connect(pg_url) as con, db.connect(":memory:") as duck:
        for table in [*spec.LEDGERS, "import_batches"]:
            on_pg, on_duck = pg.table_columns(con, table), load._table_columns(duck, table)
            assert [(n, k, plain(d)) for n, k, d in on_pg] == [(n, k, plain(d)) for n, k, d in on_duck], table
        assert ("cash", "DECIMAL(14,2)", "0") in pg.table_columns(con, "aid")


def test_a_server_that_cannot_be_reached_is_told_in_chinese(tmp_path):
    with (
        pytest.raises(db.DatabaseBusy, match="无法连接 PostgreSQL"),
        db.connect(f"postgresql://nobody@/x?host={tmp_path}"),
    ):
        pass
