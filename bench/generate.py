"""Synthetic ledgers at street, district and city scale, written straight into a DuckDB file.

Run: .venv/bin/python bench/generate.py street|district|city [--out DIR] [--force]

The benchmarks need millions of rows that look like the five ledgers (the same vocabularies, skewed
enterprise sizes, agreements that lapse, grades over several years, aid around the festivals, disputes
that close or stay open) without going through Excel. Every row is computed inside DuckDB from
`range()` and a deterministic hash of the row number, so a scale builds in seconds to a minute and the
same scale always gives the same data. The schema comes from `db.connect` (the real migrations), and
each street is one row in import_batches, as if each street had uploaded one workbook.

Scales (plan year 2026, data from 2024-01-01 to 2026-11-20):
  street    2,000 enterprises,    20,000 aid rows,     4,000 disputes; 1 street, 10 communities
  district  100,000 enterprises,  1,000,000 aid rows,  200,000 disputes; 15 streets, 150 communities
  city      1,000,000 enterprises, 10,000,000 aid rows, 2,000,000 disputes; 150 streets, 1,500 communities
Wage agreements (~half the enterprises) and harmonious grades (~0.7 per enterprise) follow the registry.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard import db  # noqa: E402
from dashboard.ledgers import derived  # noqa: E402

GENERATOR_VERSION = 6  # bump when the generated data changes, so cached files are rebuilt
DEFAULT_DIR = Path("/tmp/union-bench")
PLAN_YEAR = 2026
AS_OF = "2026-11-20"


@dataclass(frozen=True)
class Scale:
    name: str
    enterprises: int
    aid: int
    disputes: int
    streets: int
    communities_per_street: int = 10

    @property
    def communities(self) -> int:
        return self.streets * self.communities_per_street


SCALES = {
    "street": Scale("street", 2_000, 20_000, 4_000, 1),
    "district": Scale("district", 100_000, 1_000_000, 200_000, 15),
    "city": Scale("city", 1_000_000, 10_000_000, 2_000_000, 150),
}

INDUSTRIES = [
    "制造业",
    "建筑业",
    "批发和零售业",
    "住宿和餐饮业",
    "交通运输、仓储和邮政业",
    "信息传输、软件和信息技术服务业",
    "租赁和商务服务业",
    "居民服务、修理和其他服务业",
]
# Vocabulary values as the importer stores them (the canonical words of dashboard/spec.py VOCABULARIES)
CAMPAIGNS = ["春送岗位", "夏送凉爽", "金秋助学", "冬送温暖", "节日慰问", "日常帮扶"]
CATEGORIES = ["困难职工", "农民工", "外来务工人员", "下岗失业人员", "劳模", "其他"]
FUNDING = ["上级工会", "街道工会", "企业", "社会捐助"]
DISPUTE_TYPES = ["劳动报酬", "解除/终止劳动合同", "社会保险", "工伤待遇", "经济补偿", "加班", "其他"]
LEVELS = ["企业", "社区", "街道"]


def _list(values: list[str]) -> str:
    """A DuckDB list literal of constant vocabulary words (never user input)."""
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _macros(con, scale: Scale) -> None:
    """Deterministic pseudo-random numbers and the attributes of enterprise number i, shared by every
    ledger so that agreements, grades and disputes point at enterprises that exist."""
    per_comm = scale.enterprises // scale.communities
    con.execute(f"""
        create or replace temp macro rnd(i, salt) as (hash(i * 7919 + salt) % 1000000)::bigint;
        create or replace temp macro comm_no(i) as least(i // {per_comm}, {scale.communities - 1});
        create or replace temp macro street_of(c) as
            '街道' || lpad((c // {scale.communities_per_street})::varchar, 3, '0');
        create or replace temp macro comm_of(c) as '社区' || lpad(c::varchar, 4, '0');
        create or replace temp macro ent_name(i) as '测试企业' || lpad(i::varchar, 7, '0') || '有限公司';
        -- 5 % of enterprises have no credit code and are matched by name within their community
        create or replace temp macro ent_uscc(i) as
            case when rnd(i, 1) % 20 = 0 then null else '91' || lpad(i::varchar, 16, '0') end;
    """)


def _enterprises(con) -> None:
    industries = _list(INDUSTRIES)
    con.execute(f"""
        insert into enterprises
        with base as (
            select range as i, rnd(range, 2) as r_size, rnd(range, 3) as r_status, rnd(range, 4) as r_union,
                   rnd(range, 5) as r_date, comm_no(range) as c
            from range((select n from gen_params))
        ),
        shaped as (
            select *,
                   case when r_size % 100 < 50 then 3 + r_size % 22          -- half are small (< 25 staff)
                        when r_size % 100 < 90 then 25 + r_size % 75
                        else 100 + r_size % 900 end as employees,
                   case when r_status % 100 < 85 then '正常经营'
                        when r_status % 100 < 90 then '停产'
                        when r_status % 100 < 95 then '歇业'
                        when r_status % 100 < 98 then '注销' else '迁出' end as status,
                   case when r_union % 100 < 62 then '独立建会'
                        when r_union % 100 < 78 then '联合建会' else '未建会' end as union_status
            from base
        )
        select c // (select cps from gen_params) + 1 as batch_id, street_of(c), comm_of(c),
               ent_name(i), ent_name(i), ent_uscc(i),
               {industries}[1 + rnd(i, 6) % {len(INDUSTRIES)}],
               status, employees, employees * (r_size % 40) // 100,
               union_status,
               case when union_status = '未建会' then null
                    else date '2010-01-01' + (r_date % 6160)::integer end,  -- up to 2026-11
               case when union_status = '未建会' then null else employees * (60 + r_date % 41) // 100 end,
               case when union_status = '未建会' then null else '主席' || i end,
               '1380000' || lpad((i % 10000)::varchar, 4, '0'),
               '企业名录', (i % 5000) + 3,
               null,  -- enterprise_key, stored by derived.rebuild below
               null  -- live, set by derived.rebuild below
        from shaped
    """)


def _wage_agreements(con) -> None:
    # Half the registry has an agreement; 20 % of those via an industry-wide or area-wide agreement
    # named per street. Terms of 1 or 3 years, so some lapse before the as-of date.
    con.execute("""
        insert into wage_agreements
        with base as (
            select e.*, substr(e.name, 5, 7)::bigint as i  -- the enterprise number, from its name
            from enterprises e
        ),
        picked as (
            select *, rnd(i, 11) as r, date '2023-06-01' + (rnd(i, 12) % 1260)::integer as signed
            from base
            where union_status <> '未建会' and rnd(i, 10) % 100 < 70
        )
        select batch_id, null, street, community, name, name_norm, uscc,
               case when r % 100 < 80 then '单独签订' when r % 100 < 95 then '行业性' else '区域性' end,
               case when r % 100 < 80 then null
                    when r % 100 < 95 then street || '制造业工资集体协议' else street || '区域工资集体协议' end,
               case when r % 10 < 4 then '新签' else '续签' end,
               signed,
               case when r % 3 = 0 then signed + interval 3 year - interval 1 day
                    else signed + interval 1 year - interval 1 day end,
               employees, (2 + r % 60 / 10.0)::decimal(6, 2), r % 5 <> 0, '工资协商', (i % 5000) + 3,
               null,  -- enterprise_key, stored by derived.rebuild below
               null  -- live, set by derived.rebuild below
        from picked
    """)


def _harmonious(con) -> None:
    con.execute("""
        insert into harmonious
        with base as (
            select e.*, substr(e.name, 5, 7)::bigint as i  -- the enterprise number, from its name
            from enterprises e
            where union_status = '独立建会'
        ),
        years as (select unnest([2024, 2025, 2026]) as year)
        select batch_id, null, street, community, name, name_norm, uscc, year,
               ['AAA', 'AA', 'A', 'A', '未达标', '申报中'][1 + rnd(i * 10 + year, 21) % 6],
               (60 + rnd(i * 10 + year, 22) % 40)::decimal(5, 1),
               make_date(year, 6 + (rnd(i, 23) % 6)::integer, 1 + (rnd(i, 24) % 28)::integer),
               '和谐企业', (i % 5000) + 3,
               null,  -- enterprise_key, stored by derived.rebuild below
               null  -- live, set by derived.rebuild below
        from base, years
        where rnd(i * 10 + year, 20) % 100 < 40
    """)


def _aid(con) -> None:
    campaigns, categories, funding = _list(CAMPAIGNS), _list(CATEGORIES), _list(FUNDING)
    con.execute(f"""
        insert into aid
        with base as (
            select range as i, rnd(range, 31) as r, rnd(range, 32) as d,
                   rnd(range, 33) % (select nc from gen_params) as c
            from range((select n_aid from gen_params))
        ),
        shaped as (
            select *, {campaigns}[1 + r % 6] as campaign,
                   date '2024-01-01' + (d % 1054)::integer as given_on,   -- to 2026-11-19
                   i % ((select n_aid from gen_params) // 3) as person  -- about three aid rows per person
            from base
        ),
        person as (
            select *,
                   '110101' || (1960 + person % 40)::varchar || '0101' || lpad((person % 10000)::varchar, 4, '0')
                   as id_number
            from shaped
        )
        select c // (select cps from gen_params) + 1, null, street_of(c), comm_of(c),
               '职工' || person,
               id_number,
               ent_name(person % (select n from gen_params)),
               {categories}[1 + r % 600 // 100],
               campaign,
               case when campaign = '节日慰问' then ['元旦', '春节', '端午', '中秋', '国庆'][1 + d % 5] end,
               given_on,
               (200 * (1 + r % 10))::decimal(14, 2),
               (100 * (r % 4))::decimal(14, 2),
               case when r % 4 > 0 then '米面油' end,
               case when campaign = '春送岗位' then (r % 5)::integer end,
               {funding}[1 + d % 4],
               '帮扶台账', (i % 5000) + 3,
               id_number,  -- person_key: every generated row has an ID number
               null  -- live, set by derived.rebuild below
        from person
    """)


def _disputes(con) -> None:
    types, levels = _list(DISPUTE_TYPES), _list(LEVELS)
    con.execute(f"""
        insert into disputes
        with base as (
            select range as i, rnd(range, 41) as r, rnd(range, 42) as d,
                   rnd(range, 43) % (select n from gen_params) as ent
            from range((select n_disputes from gen_params))
        ),
        shaped as (
            select *, comm_no(ent) as c,
                   date '2024-01-01' + (d % 1054)::integer as received_on,
                   case when r % 100 < 55 then '调解成功' when r % 100 < 70 then '调解不成'
                        when r % 100 < 75 then '撤回' else '调解中' end as outcome
            from base
        )
        select c // (select cps from gen_params) + 1, null, street_of(c), comm_of(c),
               'BENCH-' || lpad(i::varchar, 8, '0'), ent_name(ent), ent_name(ent), ent_uscc(ent),
               received_on, {types}[1 + r % 7],
               case when r % 100 < 3 then 10 + r % 30 else 1 + r % 4 end,      -- 3 % collective
               (1000 * (r % 50))::decimal(14, 2),
               {levels}[1 + d % 3],
               outcome,
               case when outcome = '调解中' then null else received_on + (5 + d % 60)::integer end,
               '争议台账', (i % 5000) + 3,
               null,  -- enterprise_key, stored by derived.rebuild below
               null  -- live, set by derived.rebuild below
        from shaped
    """)


def _batches(con, scale: Scale) -> None:
    # One import batch per street, as if each street had uploaded one workbook holding all five ledgers.
    con.execute(
        """
        insert into import_batches (batch_id, file_name, sha256, street, ledgers, communities, imported_at,
                                    imported_by, rows_added)
        select s + 1, '街道' || lpad(s::varchar, 3, '0') || '台账.xlsx', 'bench-' || s,
               '街道' || lpad(s::varchar, 3, '0'),
               ['enterprises', 'wage_agreements', 'harmonious', 'aid', 'disputes'], [],
               timestamp '2026-11-20 09:00:00', 'bench', 0
        from range($streets) t(s)
        """,
        {"streets": scale.streets},
    )
    # Advance the sequence past the generated batches so a real import afterwards gets a fresh id.
    con.execute(f"select nextval('batch_id_seq') from range({scale.streets})").fetchall()


def _parts(con) -> None:
    # What the importer stores per batch (import_batch_parts, 报送情况): one row per ledger and community the
    # batch holds rows of, every row counted as added.
    for ledger in ("enterprises", "wage_agreements", "harmonious", "aid", "disputes"):
        con.execute(
            f"""
            insert into import_batch_parts
            select batch_id, '{ledger}', street, community, count(*), 0, 0
            from {ledger} group by all
            """
        )


def build(scale: Scale, path: Path) -> dict[str, float]:
    """Create `path` from scratch at this scale; returns seconds per step."""
    if path.exists():
        path.unlink()
    timings: dict[str, float] = {}
    with db.connect(path) as con:
        con.execute(
            "create temp table gen_params as select $n as n, $n_aid as n_aid, $n_disputes as n_disputes, "
            "$nc as nc, $cps as cps",
            {
                "n": scale.enterprises,
                "n_aid": scale.aid,
                "n_disputes": scale.disputes,
                "nc": scale.communities,
                "cps": scale.communities_per_street,
            },
        )
        _macros(con, scale)
        steps = [
            ("import_batches", lambda: _batches(con, scale)),
            ("enterprises", lambda: _enterprises(con)),
            ("wage_agreements", lambda: _wage_agreements(con)),
            ("harmonious", lambda: _harmonious(con)),
            ("aid", lambda: _aid(con)),
            ("disputes", lambda: _disputes(con)),
            ("stored keys", lambda: derived.rebuild(con)),  # what the importer derives per batch
            ("batch parts", lambda: _parts(con)),  # and what each batch sent per ledger and community
        ]
        for name, step in steps:
            start = time.perf_counter()
            step()
            timings[name] = time.perf_counter() - start
        con.execute("create table bench_meta as select $scale as scale, $version as version", {
            "scale": scale.name, "version": GENERATOR_VERSION,
        })  # fmt: skip
        con.execute("checkpoint")
    return timings


def ensure(scale_name: str, out_dir: Path = DEFAULT_DIR, *, force: bool = False) -> Path:
    """The database file of a scale, built if missing or made by an older generator.

    Safe when several benchmarks start at once: one builds (under a lock file) while the others wait, and
    the file is built under another name and renamed when complete, so nobody opens a half-built one. A
    file another process has open is busy, not broken: that waits, it is never rebuilt.
    """
    scale = SCALES[scale_name]
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{scale.name}.duckdb"
    with _exclusive(out_dir / f".{scale.name}.lock"):
        if not force and _current(path, scale):
            return path
        building = path.with_name(f"{scale.name}.building.duckdb")
        for stale in (building, Path(f"{building}.wal")):
            stale.unlink(missing_ok=True)
        build(scale, building)
        Path(f"{path}.wal").unlink(missing_ok=True)  # a write-ahead log of the old file must not replay
        os.replace(building, path)
    return path


@contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    with open(lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _current(path: Path, scale: Scale) -> bool:
    if not path.exists():
        return False
    with db.connect(path, wait_seconds=600) as con:  # busy: wait (db.DatabaseBusy after 10 minutes)
        if not con.execute("select count(*) from duckdb_tables() where table_name = 'bench_meta'").fetchone()[0]:
            return False
        return con.execute("select scale, version from bench_meta").fetchone() == (scale.name, GENERATOR_VERSION)


def row_counts(path: Path) -> dict[str, int]:
    with db.connect(path) as con:
        tables = ["enterprises", "wage_agreements", "harmonious", "aid", "disputes"]
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scale", choices=SCALES)
    parser.add_argument("--out", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--force", action="store_true", help="rebuild even if the file exists")
    args = parser.parse_args()
    path = args.out / f"{args.scale}.duckdb"
    if args.force or not path.exists():
        args.out.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        timings = build(SCALES[args.scale], path)
        steps = ", ".join(f"{k} {v:.1f}s" for k, v in timings.items())
        print(f"built {path} in {time.perf_counter() - start:.1f} s: {steps}")
    else:
        ensure(args.scale, args.out)
    print(row_counts(path), f"{path.stat().st_size / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
