"""db.fetch_frame (Arrow) gives the very DataFrames DuckDB's own .df() gives: the same columns, dtypes and
values, for every kind of column and for every function the pages call, on the sample street. (The lists
use it, the aggregates db.small_frame, which is .df(); the test runs every query through both.)"""

from __future__ import annotations

import dataclasses
import inspect
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pytest

from dashboard import aid, config, db, disputes, harmonious, metrics, unionization, wages
from dashboard.filters import Filters
from tests.conftest import sample_copy


def legacy(cur, sql, params=None):
    return cur.execute(sql, params or {}).df()


def same(new, old, where: str) -> None:
    """new and old are equal, DataFrames in dtypes too, whatever the result's shape."""
    assert type(new) is type(old), where
    if isinstance(old, pd.DataFrame):
        pd.testing.assert_frame_equal(new, old, check_exact=True, obj=where)
        for column in old.columns:  # str over Arrow storage both ways, not merely equal values
            assert new[column].dtype == old[column].dtype, (where, column)
    elif isinstance(old, pd.Series):
        pd.testing.assert_series_equal(new, old, check_exact=True, obj=where)
    elif isinstance(old, dict):
        assert list(new) == list(old), where
        for key in old:
            same(new[key], old[key], f"{where}[{key!r}]")
    elif isinstance(old, (list, tuple)):
        assert len(new) == len(old), where
        for i, (a, b) in enumerate(zip(new, old, strict=True)):
            same(a, b, f"{where}[{i}]")
    elif dataclasses.is_dataclass(old):
        for field in dataclasses.fields(old):
            same(getattr(new, field.name), getattr(old, field.name), f"{where}.{field.name}")
    elif isinstance(old, float) and np.isnan(old):
        assert np.isnan(new), where
    else:
        assert new == old, where


KINDS = """
select
    s, n, i, ni, b, nb, f, d, nd, dec, h, l, st, ts, tsz, iv, ti, ub, k
from (
    select
        case when k % 3 = 0 then null else '社区' || k end as s,
        null::varchar as n,
        k::integer as i,
        case when k % 2 = 0 then k end::integer as ni,
        k % 2 = 0 as b,
        case when k % 3 = 0 then null else k % 2 = 0 end as nb,
        case when k = 1 then null else k / 3 end::double as f,
        date '2026-01-01' + k::integer as d,
        case when k = 2 then null else date '2026-01-01' + k::integer end as nd,
        (k * 1.25)::decimal(10, 2) as dec,
        sum(k::bigint) over () as h,
        [k, k + 1] as l,
        {'a': k} as st,
        timestamp '2026-01-01 08:00' + to_seconds(k::bigint) as ts,
        timestamptz '2026-01-01 08:00+00' + to_seconds(k::bigint) as tsz,
        to_days(k::integer) as iv,
        k::tinyint as ti,
        k::ubigint as ub,
        k
    from range(5) t(k)
) x
where k >= $from_k
"""


@pytest.mark.parametrize("from_k", [0, 1, 99], ids=["with nulls", "other rows", "no rows"])
def test_every_kind_of_column_as_df_gives_it(from_k):
    con = duckdb.connect()
    same(db.fetch_frame(con, KINDS, {"from_k": from_k}), legacy(con, KINDS, {"from_k": from_k}), "kinds")


def test_only_nulls_in_a_text_column_is_an_object_column_as_df_gives_it():
    con = duckdb.connect()
    sql = "select null::varchar as v, 'x' as w from range(3)"
    frame = db.fetch_frame(con, sql)
    same(frame, legacy(con, sql), "nulls")
    assert frame["v"].dtype == object and frame["v"].tolist() == [None, None, None]
    assert frame["w"].tolist() == ["x", "x", "x"]


def test_repeated_column_names_are_made_unique_as_df_makes_them():
    con = duckdb.connect()
    sql = "select 1 as a, 2 as a, 3 as a, 4 as a_1, 5 as A"
    assert db.fetch_frame(con, sql).columns.tolist() == ["a", "a_1", "a_2", "a_1_1", "A_3"]
    same(db.fetch_frame(con, sql), legacy(con, sql), "names")
    sql = "select 4 as a_1, 1 as a, 2 as a"
    assert db.fetch_frame(con, sql).columns.tolist() == ["a_1", "a", "a_2"]


def test_a_result_left_half_read_does_not_block_the_next_query():
    con = duckdb.connect()
    con.execute("select * from range(10)").fetchone()
    assert db.fetch_frame(con, "select 42 as x")["x"].tolist() == [42]


def test_text_comes_through_arrow_without_a_python_string_per_cell():
    # what makes fetch_frame fast: the text column is the result's own Arrow storage
    frame = db.fetch_frame(duckdb.connect(), "select '社区' || k as s from range(3) t(k)")
    assert str(frame["s"].dtype) == "str" and frame["s"].dtype.storage == "pyarrow"
    assert frame["s"].tolist() == ["社区0", "社区1", "社区2"]


# ---- every function the pages call, both ways, on the sample street -------------------------------

MODULES = [metrics, unionization, wages, harmonious, aid, disputes]


def page_functions():
    out = []
    for module in MODULES:
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            mine = fn.__module__ == module.__name__ and not name.startswith("_")
            if mine and list(inspect.signature(fn).parameters) == ["cur", "filters", "settings"]:
                out.append(pytest.param(fn, id=f"{module.__name__.rsplit('.', 1)[-1]}.{name}"))
    return out


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory, sample_template):
    return sample_copy(sample_template, tmp_path_factory.mktemp("frames") / "sample.duckdb")


FILTER_SETS = {
    "plan year": Filters(year=2026, as_of=date(2026, 11, 20)),
    "one community, an industry": Filters(year=2026, communities=("东风社区",), industries=("制造业",)),
    "a year without data": Filters(year=2019, as_of=date(2019, 6, 30)),
}


def test_the_page_functions_are_many():
    assert len(page_functions()) >= 60


@pytest.mark.parametrize("fn", page_functions())
def test_each_page_function_gives_what_df_gave(fn, sample_db, monkeypatch):
    settings = config.load_settings()
    with db.connect(sample_db) as con:
        cur = con.cursor()
        for label, filters in FILTER_SETS.items():
            with monkeypatch.context() as m:
                m.setattr(db, "small_frame", db.fetch_frame)  # every query through Arrow, not only the lists
                new = fn(cur, filters, settings)
            with monkeypatch.context() as m:
                m.setattr(db, "fetch_frame", legacy)
                m.setattr(db, "small_frame", legacy)
                old = fn(cur, filters, settings)
            same(new, old, f"{fn.__name__} ({label})")
