"""The database module: migrations from an older schema, locking between processes, query files."""

import subprocess
import sys
import textwrap

import duckdb
import pytest

from dashboard import db
from tests.conftest import ROOT, add_batch


def test_fresh_database_is_at_latest_version(tmp_path):
    with db.connect(tmp_path / "a.duckdb") as con:
        assert db.schema_version(con) == max(v for v, _ in db.migration_files())


def test_database_from_an_older_release_is_migrated(tmp_path):
    path = tmp_path / "old.duckdb"
    # a release that only knew migration 0001: tables, no views
    con = duckdb.connect(str(path))
    con.execute("create table schema_version (version integer primary key, applied_at timestamp)")
    con.execute(db.migration_files()[0][1].read_text(encoding="utf-8"))
    con.execute("insert into schema_version values (1, current_timestamp)")
    con.close()
    with db.connect(path) as con:
        assert db.schema_version(con) == max(v for v, _ in db.migration_files())
        add_batch(con, "enterprises", [{"community": "东风社区", "name": "甲", "employees": 30}])
        assert con.execute("select count(*) from v_enterprises").fetchone()[0] == 1


def test_other_process_holding_the_file_gives_a_clear_busy_error(tmp_path):
    path = tmp_path / "locked.duckdb"
    with db.connect(path):
        pass
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import duckdb, sys, time
            con = duckdb.connect({str(path)!r})
            print("locked", flush=True)
            time.sleep(30)
        """),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(db.DatabaseBusy, match="占用"), db.connect(path, wait_seconds=0.5):
            pass
    finally:
        holder.kill()
        holder.wait()
    with db.connect(path) as con:  # free again once the other process is gone
        assert db.schema_version(con) >= 1


def test_run_query_binds_only_named_parameters(con):
    frame = db.run_query(con, "communities", {"year": 2026, "unused": "x"})
    assert list(frame.columns) == ["street", "community"]


def test_side_by_side_gives_every_result_by_name_and_closes_its_cursors(tmp_path):
    with db.connect(tmp_path / "t.duckdb") as con:
        con.execute("create table n as select range as i from range(1000)")
        calls = {
            f"q{k}": (lambda cur, k=k: cur.execute("select sum(i) % ? from n", [k + 2]).fetchone()[0]) for k in range(7)
        }
        expected = {name: fn(con) for name, fn in calls.items()}
        assert expected == {f"q{k}": 499500 % (k + 2) for k in range(7)}
        seen = []

        def spy(fn):
            def run(cur):
                seen.append(cur)
                return fn(cur)

            return run

        assert db.side_by_side(con, {n: spy(f) for n, f in calls.items()}, workers=3) == expected
        assert con not in seen and 1 <= len({id(c) for c in seen}) <= 3
        for cur in seen:  # closed afterwards
            with pytest.raises(duckdb.ConnectionException):
                cur.execute("select 1")
        assert db.side_by_side(con, calls, workers=1) == expected


def test_side_by_side_passes_a_failure_on(tmp_path):
    with db.connect(tmp_path / "t.duckdb") as con:
        calls = {
            "ok": lambda cur: cur.execute("select 1").fetchone()[0],
            "bad": lambda cur: cur.execute("select * from nowhere"),
        }
        with pytest.raises(duckdb.CatalogException):
            db.side_by_side(con, calls, workers=2)


def test_run_rows_keeps_the_querys_order_through_the_filter_and_the_limit(tmp_path, monkeypatch):
    """300,000 rows in several row groups, so DuckDB reads them in parallel: the rows a page is given are
    the first rows of the query's own ORDER BY, narrowed by `where`, and the total counts every match."""
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "numbers.sql").write_text(
        "-- a test query\nselect i, i % 7 as kind, $tag::varchar as tag from numbers\n"
        "order by (i::bigint * 7919) % 300000 desc, i;\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(db.config, "QUERIES_DIR", queries)
    with db.connect(tmp_path / "rows.duckdb") as con:
        con.execute("create table numbers as select range::integer as i from range(300000)")
        cur = con.cursor()
        every = db.run_query(cur, "numbers", {"tag": "x", "unused": 1})
        page = db.run_rows(cur, "numbers", {"tag": "x"}, where={"kind": 3, "tag": None}, limit=2000)
        expected = every[every["kind"] == 3].reset_index(drop=True)
        assert page.total == len(expected) == 42857  # i % 7 == 3 for i = 3, 10, ..., 299997
        assert page.frame.equals(expected.head(2000))
        whole = db.run_rows(cur, "numbers", {"tag": "x"}, where={"kind": 3})
        assert whole.total == 42857 and whole.frame.equals(expected)
        few = db.run_rows(cur, "numbers", {"tag": "x"}, where={"kind": 3, "i": 10}, limit=2000)
        assert few.total == 1 and few.frame["i"].tolist() == [10]
        with pytest.raises(ValueError):
            db.run_rows(cur, "numbers", {"tag": "x"}, where={'kind" or 1=1 --': 3})


def test_without_final_order_drops_only_the_statement_level_order_by():
    sql = (
        "-- rows (in ledger order) for the page\n"
        "with t as (select x, string_agg(y, ',' order by y) as ys from v group by x order by x)\n"
        "select *, 'a ) order by b' as s, row_number() over (order by x) as n from t /* order by z */\n"
        "order by ys desc, x"
    )
    assert db.without_final_order(sql) == sql[: sql.rindex("order by ys")]
    assert "order by ys" not in db.without_final_order(sql) and "over (order by x)" in db.without_final_order(sql)
    # nothing to drop, or an order that decides which rows a LIMIT keeps: unchanged
    assert db.without_final_order("select 1 as reorder_by") == "select 1 as reorder_by"
    assert db.without_final_order("select x from t order by x limit 5") == "select x from t order by x limit 5"
    assert db.without_final_order("select x from (select x from t order by x) q") == (
        "select x from (select x from t order by x) q"
    )


@pytest.mark.parametrize("query", ["aid_rows", "aid_repeat_in_campaign", "aid_many_campaigns", "disputes_rows"])
def test_every_row_list_counts_without_its_sort(query):
    """run_rows counts a list without its final ORDER BY (a sort of every row): each page list has one."""
    sql = db.read_query(query).strip().rstrip(";")
    stripped = db.without_final_order(sql)
    assert sql[len(stripped) :].lower().startswith("order by") and stripped.rstrip().endswith("from final")
