"""The template databases of tests/conftest.py (database_copy): a copy is the database its builder makes.

Every test that asks for a small street gets a copy of one built once per run; if a copy differed from
a fresh build (a sequence restarting, a write-ahead log left behind, a view missing), every such test
would be testing something else.
"""

import pytest

from dashboard import db
from tests.aid_fixture import build_aid_street
from tests.conftest import database_copy
from tests.dispute_fixture import build_dispute_street, build_trend_street
from tests.small_street import build_small_street


def contents(path) -> dict:
    """Every table's and view's rows (timestamps of when it was built left out) and the next batch id."""
    with db.connect(path) as con:
        names = [r[0] for r in con.execute("select table_name from information_schema.tables order by 1").fetchall()]
        out = {}
        for name in names:
            columns = [
                r[0]
                for r in con.execute(
                    "select column_name from information_schema.columns where table_name = ?"
                    " and data_type not like 'TIMESTAMP%' order by ordinal_position",
                    [name],
                ).fetchall()
            ]
            select = ", ".join(f'"{c}"' for c in columns)
            out[name] = sorted(map(repr, con.execute(f'select {select} from "{name}"').fetchall()))
        out["next batch id"] = con.execute("select nextval('batch_id_seq')").fetchone()[0]
    return out


@pytest.mark.parametrize(
    "build", [None, build_small_street, build_aid_street, build_dispute_street, build_trend_street]
)
def test_a_copy_is_what_the_builder_makes(tmp_path, build):
    fresh = tmp_path / "fresh.duckdb"
    with db.connect(fresh) as con:
        if build is not None:
            build(con)
    first, second = database_copy(tmp_path / "a.duckdb", build), database_copy(tmp_path / "b.duckdb", build)
    assert not (tmp_path / "a.duckdb.wal").exists()
    assert contents(first) == contents(fresh)
    with db.connect(first) as con:  # a test may change its copy: the next copy is as before
        con.execute("delete from import_batches")
    assert contents(second) == contents(fresh)
    assert contents(database_copy(tmp_path / "c.duckdb", build)) == contents(fresh)
