"""Stored enterprise keys and registry parts (dashboard/ledgers/derived.py) stay in step with imports and
undo, and say the same as resolving from scratch. Every expected key below was worked out by hand from
the rule: a ledger row takes the key of the current registry enterprise with its uscc, else with its name
in its community, else its own uscc, else "N:street|community|name"."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard import db
from dashboard.ledgers import derived, load, undo
from tests.conftest import add_batch, connect_copy, database_at_version
from tests.ledger_fixtures import STREET, agreement, dispute, ent, parsed, sheet

U_A = "91110000MA0000000A"
U_B = "91110000MA0000000B"
U_C = "91110000MA0000000C"


def name_key(community: str, name: str) -> str:
    return f"N:{STREET}|{community}|{name}"


@pytest.fixture
def con(tmp_path, monkeypatch):
    monkeypatch.setenv(load.ARCHIVE_ENV, str(tmp_path / "archive"))
    with connect_copy(tmp_path / "t.duckdb") as c:
        yield c


def keys(con, ledger: str) -> dict[str, str]:
    """name (or case number) -> stored key, for the current rows of a ledger."""
    label = "case_no" if ledger == "disputes" else "name"
    return dict(con.execute(f"select {label}, enterprise_key from v_{ledger} order by 1").fetchall())


def agreements_first():
    return parsed(
        sheet(
            "wage_agreements",
            [
                agreement("东风社区", "甲公司", None, date(2026, 3, 5)),
                agreement("东风社区", "乙公司", U_B, date(2026, 4, 1)),
            ],
            "协商",
        ),
        salt="agreements",
    )


def registry_rows() -> list[dict]:
    return [ent("东风社区", "甲公司", U_A), ent("东风社区", "乙公司"), ent("西湖社区", "丙公司", U_C)]


def registry(salt: str = "registry"):
    return parsed(
        sheet("enterprises", registry_rows()),
        salt=salt,
    )


def test_rows_imported_before_any_registry_keep_their_own_keys(con):
    load.import_parsed(con, agreements_first(), street=STREET)
    assert keys(con, "wage_agreements") == {"乙公司": U_B, "甲公司": name_key("东风社区", "甲公司")}


def test_a_registry_import_resolves_earlier_rows_and_undo_puts_them_back(con):
    load.import_parsed(con, agreements_first(), street=STREET)
    reg = load.import_parsed(con, registry(), street=STREET)
    assert reg.status == "imported"
    # 甲公司 has no uscc in the agreement: found by name, takes the registry's uscc.
    # 乙公司's uscc is not in the registry: found by name, takes the registry row's own key (no uscc there).
    assert keys(con, "wage_agreements") == {"乙公司": name_key("东风社区", "乙公司"), "甲公司": U_A}
    assert keys(con, "enterprises") == {"丙公司": U_C, "乙公司": name_key("东风社区", "乙公司"), "甲公司": U_A}
    assert con.execute("select batch_id, community from registry_parts order by 2").fetchall() == [
        (reg.batch_id, "东风社区"),
        (reg.batch_id, "西湖社区"),
    ]

    undo.undo_batch(con, reg.batch_id, "管理员")
    assert keys(con, "wage_agreements") == {"乙公司": U_B, "甲公司": name_key("东风社区", "甲公司")}
    assert con.execute("select count(*) from registry_parts").fetchone()[0] == 0
    assert con.execute("select count(*) from v_enterprises").fetchone()[0] == 0


def test_uscc_resolves_across_communities_but_a_name_only_within_its_own(con):
    load.import_parsed(con, registry(), street=STREET)
    load.import_parsed(
        con,
        parsed(
            sheet(
                "disputes",
                [
                    dispute("东风社区", "D-1", "丙公司", date(2026, 5, 1), uscc=U_C),
                    dispute("东风社区", "D-2", "丙公司", date(2026, 5, 2)),
                    dispute("西湖社区", "D-3", "丙公司", date(2026, 5, 3)),
                ],
                "争议",
            ),
            salt="disputes",
        ),
        street=STREET,
    )
    assert keys(con, "disputes") == {"D-1": U_C, "D-2": name_key("东风社区", "丙公司"), "D-3": U_C}


def test_a_later_registry_snapshot_of_one_community_moves_only_what_it_changes(con):
    load.import_parsed(con, registry(), street=STREET)
    load.import_parsed(con, agreements_first(), street=STREET)
    assert keys(con, "wage_agreements") == {"乙公司": name_key("东风社区", "乙公司"), "甲公司": U_A}
    # 东风社区 re-files its registry: 乙公司 now with uscc U_B, 甲公司 gone. 西湖社区 keeps its registry.
    newer = load.import_parsed(
        con, parsed(sheet("enterprises", [ent("东风社区", "乙公司", U_B)]), salt="newer"), street=STREET
    )
    assert keys(con, "wage_agreements") == {"乙公司": U_B, "甲公司": name_key("东风社区", "甲公司")}
    assert keys(con, "enterprises") == {"丙公司": U_C, "乙公司": U_B}
    undo.undo_batch(con, newer.batch_id, "管理员")
    assert keys(con, "wage_agreements") == {"乙公司": name_key("东风社区", "乙公司"), "甲公司": U_A}


def test_the_stored_key_is_never_a_reason_to_call_a_row_changed(con):
    load.import_parsed(con, registry(), street=STREET)
    again = load.import_parsed(con, registry(salt="the same rows again"), street=STREET)
    assert again.status == "imported"
    assert (again.rows_added, again.rows_changed, again.rows_removed) == (0, 0, 0)


def test_rebuilding_from_scratch_gives_the_same_as_keeping_in_step(con):
    load.import_parsed(con, agreements_first(), street=STREET)
    load.import_parsed(con, registry(), street=STREET)
    load.import_parsed(con, parsed(sheet("enterprises", [ent("东风社区", "乙公司", U_B)]), salt="newer"), street=STREET)
    tables = ("registry_parts", "enterprises", "wage_agreements")
    kept = {t: con.execute(f"select * from {t} order by all").fetchall() for t in tables}
    con.execute("update wage_agreements set enterprise_key = null")
    con.execute("update enterprises set enterprise_key = null")
    con.execute("delete from registry_parts")
    derived.rebuild(con)
    assert {t: con.execute(f"select * from {t} order by all").fetchall() for t in tables} == kept


def test_upgrading_a_database_from_before_stored_keys_derives_them_for_its_data(tmp_path):
    """Version 4 fills keys and registry parts for data a version-3 release stored."""
    path = tmp_path / "old.duckdb"
    with database_at_version(path, 3) as old:
        reg = add_batch(
            old,
            "enterprises",
            registry_rows(),
            derive=False,
        )
        add_batch(
            old,
            "wage_agreements",
            [
                agreement("东风社区", "甲公司", None, date(2026, 3, 5)),
                agreement("东风社区", "乙公司", U_B, date(2026, 4, 1)),
                agreement("东风社区", "丁公司", None, date(2026, 4, 2)),
            ],
            derive=False,
        )
        assert db.schema_version(old) == 3
    with db.connect(path) as con:  # migrates to the newest version
        assert keys(con, "wage_agreements") == {
            "丁公司": name_key("东风社区", "丁公司"),  # not in the registry: its own name key
            "乙公司": name_key("东风社区", "乙公司"),
            "甲公司": U_A,
        }
        assert con.execute("select batch_id, community from registry_parts order by 2").fetchall() == [
            (reg, "东风社区"),
            (reg, "西湖社区"),
        ]
        assert con.execute("select count(*) from v_enterprises").fetchone()[0] == 3


def test_upgrading_a_database_from_before_person_keys_fills_them_for_its_aid_rows(tmp_path):
    """Version 6 stores each aid row's person for rows a version-5 release stored."""
    path = tmp_path / "old.duckdb"
    with database_at_version(path, 5) as old:
        add_batch(
            old,
            "aid",
            [
                {
                    "community": "东风社区",
                    "recipient": "张三",
                    "id_number": "110101199003071234",
                    "campaign": "冬送温暖",
                    "given_on": date(2026, 1, 10),
                },
                {
                    "community": "西湖社区",
                    "recipient": "李四",
                    "campaign": "冬送温暖",
                    "given_on": date(2026, 1, 11),
                },
            ],
            derive=False,
        )
        assert db.schema_version(old) == 5
    with db.connect(path) as con:  # migrates to the newest version
        assert con.execute("select recipient, person_key from aid order by recipient").fetchall() == [
            ("张三", "110101199003071234"),
            ("李四", "P:西湖社区|李四"),
        ]


def test_a_registry_change_in_one_community_reaches_rows_of_another_through_their_uscc(con):
    # 东风社区's registry knows 乙公司 without a uscc; its dispute carries uscc U_B and resolves by name.
    load.import_parsed(con, parsed(sheet("enterprises", [ent("东风社区", "乙公司")]), salt="east"), street=STREET)
    load.import_parsed(
        con,
        parsed(sheet("disputes", [dispute("东风社区", "D-9", "乙公司", date(2026, 5, 1), uscc=U_B)], "争议"), salt="d"),
        street=STREET,
    )
    assert keys(con, "disputes") == {"D-9": name_key("东风社区", "乙公司")}
    # 西湖社区 files a registry holding U_B: the 东风 dispute now resolves by uscc, though its community
    # was not part of the upload; undoing the upload puts it back.
    west = load.import_parsed(
        con, parsed(sheet("enterprises", [ent("西湖社区", "戊公司", U_B)]), salt="west"), street=STREET
    )
    assert keys(con, "disputes") == {"D-9": U_B}
    kept = con.execute("select * from disputes order by all").fetchall()
    derived.rebuild(con)
    assert con.execute("select * from disputes order by all").fetchall() == kept
    undo.undo_batch(con, west.batch_id, "管理员")
    assert keys(con, "disputes") == {"D-9": name_key("东风社区", "乙公司")}


def live_rows(con, table: str, label: str) -> set[tuple]:
    return set(con.execute(f"select {label}, batch_id from {table} where live").fetchall())


def same_as_rebuilt(con) -> bool:
    """The stored `live` flags equal what derived.rebuild works out from scratch."""
    tables = ("registry_parts", "enterprises", "wage_agreements")
    kept = {t: con.execute(f"select * from {t} order by all").fetchall() for t in tables}
    for t in tables:
        con.execute(f"update {t} set live = null")
    derived.rebuild(con)
    return {t: con.execute(f"select * from {t} order by all").fetchall() for t in tables} == kept


def test_live_follows_imports_supersession_and_undo(con):
    """`live` (schema 7) is what the v_* views show: worked out by hand at every step."""
    first = load.import_parsed(con, agreements_first(), street=STREET).batch_id
    assert live_rows(con, "wage_agreements", "name") == {("甲公司", first), ("乙公司", first)}
    # a second file re-files 乙公司's agreement (same uscc and date): the first batch's row is superseded
    second = load.import_parsed(
        con,
        parsed(
            sheet(
                "wage_agreements",
                [agreement("东风社区", "乙公司", U_B, date(2026, 4, 1), wage_increase_pct=5.0)],
                "协商",
            ),
            salt="b",
        ),
        street=STREET,
    ).batch_id
    assert live_rows(con, "wage_agreements", "name") == {("甲公司", first), ("乙公司", second)}
    assert same_as_rebuilt(con)
    undo.undo_batch(con, second, "管理员")
    assert live_rows(con, "wage_agreements", "name") == {("甲公司", first), ("乙公司", first)}
    assert same_as_rebuilt(con)

    # registries: a community's newer snapshot replaces its older one; the other community keeps its own
    r1 = load.import_parsed(con, registry(), street=STREET).batch_id
    r2 = load.import_parsed(
        con, parsed(sheet("enterprises", [ent("东风社区", "乙公司", U_B)]), salt="newer"), street=STREET
    ).batch_id
    assert live_rows(con, "registry_parts", "community") == {("东风社区", r2), ("西湖社区", r1)}
    assert live_rows(con, "enterprises", "name") == {("乙公司", r2), ("丙公司", r1)}
    assert same_as_rebuilt(con)
    undo.undo_batch(con, r2, "管理员")
    assert live_rows(con, "registry_parts", "community") == {("东风社区", r1), ("西湖社区", r1)}
    assert live_rows(con, "enterprises", "name") == {("甲公司", r1), ("乙公司", r1), ("丙公司", r1)}
    assert same_as_rebuilt(con)
