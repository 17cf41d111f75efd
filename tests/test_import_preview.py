"""The upload preview names what changes: rows added, removed and changed (field old -> new), the
indicator impact computed on the staged batch, the mass-removal confirmation, and scoping."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard import db, privileged, scope
from dashboard.ledgers import diff, load
from tests.conftest import connect_copy, database_copy
from tests.ledger_fixtures import STREET, dispute, ent, parsed, sheet

C1, C2 = "东风社区", "向阳社区"
WHERE = diff.ImpactScope(2026, date(2026, 6, 30), (C1,))


def first_registry():
    # 东风社区 before: 甲 17 人未建会; 乙 30 人独立建会; 丙 40 人联合建会; 丁 50 人独立建会
    return parsed(
        sheet(
            "enterprises",
            [
                ent(C1, "甲公司", "UA", 17, union_status="未建会", union_founded=None),
                ent(C1, "乙公司", "UB", 30),
                ent(C1, "丙公司", "UC", 40, union_status="联合建会", union_founded=date(2019, 5, 1)),
                ent(C1, "丁公司", "UD", 50),
            ],
        ),
        file_name="东风名录.xlsx",
    )


def reupload():
    # 甲 17 -> 40 人; 乙 独立建会 -> 联合建会; 丙 removed; 丁 unchanged; 己 26 人独立建会 added
    return parsed(
        sheet(
            "enterprises",
            [
                ent(C1, "甲公司", "UA", 40, union_status="未建会", union_founded=None),
                ent(C1, "乙公司", "UB", 30, union_status="联合建会"),
                ent(C1, "丁公司", "UD", 50),
                ent(C1, "己公司", "UF", 26, union_founded=date(2025, 3, 1)),
            ],
        ),
        file_name="东风名录（更新）.xlsx",
    )


def build_street(con):
    load.import_parsed(con, first_registry(), street=STREET)
    load.import_parsed(con, parsed(sheet("enterprises", [ent(C2, "向阳厂", "UX", 80)])), street=STREET)
    case = dispute(C2, "XY-001", "向阳厂", date(2026, 3, 1))
    load.import_parsed(con, parsed(sheet("disputes", [case])), street=STREET)


@pytest.fixture
def con(tmp_path):
    with connect_copy(tmp_path / "street.duckdb", build_street) as c:
        yield c


def lines(frame):
    return {(r.change, r.name, r.field, r.old_value, r.new_value) for r in frame.itertuples()}


def test_registry_reupload_names_every_added_removed_and_changed_row(con):
    preview = load.preview(con, reupload(), STREET)
    assert lines(preview.diff) == {
        ("added", "己公司", None, None, None),
        ("removed", "丙公司", None, None, None),
        ("changed", "甲公司", "employees", "17", "40"),
        ("changed", "乙公司", "union_status", "独立建会", "联合建会"),
    }
    # the counts of the same staging agree with the lists: 1 added, 2 changed, 1 removed, 1 unchanged (丁)
    row = preview.plan[preview.plan["community"] == C1].iloc[0]
    assert (row.added, row.changed, row.removed, row.unchanged) == (1, 2, 1, 1)
    shown = diff.records(preview.diff)
    assert set(shown["修改内容"]) == {"", "职工人数：17 → 40", "建会情况：独立建会 → 联合建会"}
    assert set(shown["变化"]) == {"新增", "移除", "修改"}
    # nothing was stored by the preview
    assert con.execute("select count(*) from import_batches").fetchone()[0] == 3


def test_the_impact_runs_the_indicators_on_the_staged_batch(con):
    preview = load.preview(con, reupload(), STREET, impact=WHERE)
    impact = preview.impact.set_index("indicator")
    # U1 (25人以上, operating, independent union founded by 2026-06-30), 东风社区:
    #   before: 乙30 丙40 丁50 have 25+ (甲 17 does not) -> 3; independent: 乙 丁 -> 2/3
    #   after:  甲40 乙30 丁50 己26 -> 4; independent: 丁 己 (乙 now joint) -> 2/4
    assert (impact.loc["U1", "before"], impact.loc["U1", "before_den"]) == (2, 3)
    assert (impact.loc["U1", "after"], impact.loc["U1", "after_den"]) == (2, 4)
    assert bool(impact.loc["U1", "changed"])
    # U2 (operating enterprises with any union): before 甲乙丙丁 4, unionised 乙丙丁 3 -> 3/4;
    #   after 甲乙丁己 4, unionised 乙丁己 3 -> 3/4: fed by the registry, shown, unchanged
    assert (impact.loc["U2", "before"], impact.loc["U2", "before_den"]) == (3, 4)
    assert (impact.loc["U2", "after"], impact.loc["U2", "after_den"]) == (3, 4)
    assert not bool(impact.loc["U2", "changed"])
    assert diff.impact_text(impact.loc["U1"].to_dict() | {"before_den": 3, "after_den": 4}) == (
        "2/3（66.7%）",
        "2/4（50.0%）",
    )
    # rolled back: the stored registry still gives 2/3
    assert con.execute("select count(*) from import_batches").fetchone()[0] == 3
    assert load.preview(con, reupload(), STREET, impact=WHERE).impact.set_index("indicator").loc["U1", "before"] == 2


def test_removing_more_than_the_share_needs_a_confirmation(con, tmp_path):
    # 丙 removed of 4 stored: 1/4 = 25 % > 10 %
    preview = load.preview(con, reupload(), STREET)
    assert preview.removals.to_dict("records") == [{"community": C1, "removed": 1, "registered": 4}]
    assert "东风社区移除 1 家（现有 4 家）" in diff.removal_message(preview.removals, 0.10)
    refused = load.import_parsed(con, reupload(), street=STREET, raw=b"re", archive=tmp_path, confirm_removals=False)
    assert refused.status == "refused" and not refused.ok
    assert "超过现有名录的 10%" in refused.message
    assert con.execute("select count(*) from import_batches").fetchone()[0] == 3
    assert not list(tmp_path.glob("*.xlsx"))  # nothing archived either
    done = load.import_parsed(con, reupload(), street=STREET, confirm_removals=True)
    assert done.status == "imported" and done.rows_removed == 1


def test_a_higher_share_in_the_settings_lets_the_same_upload_through(con, tmp_path, monkeypatch):
    settings = tmp_path / "settings.toml"
    settings.write_text("[import]\nmax_removal_share = 0.30\n", encoding="utf-8")
    monkeypatch.setenv("UNION_DASHBOARD_SETTINGS", str(settings))
    assert load.preview(con, reupload(), STREET).removals.empty  # 25 % is not above 30 %
    assert load.import_parsed(con, reupload(), street=STREET, confirm_removals=False).status == "imported"


def test_upsert_changes_and_masked_people(con):
    upload = parsed(
        sheet(
            "disputes",
            [dispute(C2, "XY-001", "向阳厂", date(2026, 3, 1), outcome="调解成功", closed_on=date(2026, 3, 20))],
        )
    )
    preview = load.preview(con, upload, STREET)
    assert lines(preview.diff) == {
        ("changed", "XY-001", "outcome", "调解中", "调解成功"),
        ("changed", "XY-001", "closed_on", "（空）", "2026-03-20"),
    }
    as_json = diff.as_json(preview.diff)
    assert as_json["added"] == [] and as_json["removed"] == []
    first = as_json["changed"][0]["fields"][0]
    assert first == {"field": "outcome", "label": "调解结果", "old": "调解中", "new": "调解成功"}


def test_a_cadre_never_sees_another_communitys_row(tmp_path, monkeypatch):
    path = database_copy(tmp_path / "scoped.duckdb", build_street)
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(path))
    with scope.using(scope.ALL), db.connect(path) as con:
        from dashboard import auth

        auth.add_user(con, "东风小王", "pw-123456789", "社区", C1)
    cadre = scope.Viewer("东风小王", "社区", C1)
    # a 东风 dispute file reusing 向阳's case number: the stored row is 向阳's
    upload = parsed(sheet("disputes", [dispute(C1, "XY-001", "东风店", date(2026, 4, 1))]))
    preview = privileged.preview_upload(cadre, upload, STREET, year=2026, as_of=date(2026, 6, 30))
    cells = {str(v) for v in preview.diff.astype(str).to_numpy().ravel()}
    assert preview.plan["changed"].sum() == 1 and not preview.diff.empty
    assert not {c for c in cells if C2 in c or "向阳厂" in c}
    assert diff.HIDDEN_VALUE in set(preview.diff["old_value"])
    # the registry re-upload: only 东风's rows named; the impact is 东风's alone (U1 2/3, not 向阳's 1/1 added)
    mine = privileged.preview_upload(cadre, reupload(), STREET, year=2026, as_of=date(2026, 6, 30))
    assert set(mine.diff["community"]) == {C1}
    u1 = mine.impact.set_index("indicator").loc["U1"]
    assert (u1["before"], u1["before_den"]) == (2, 3)


def test_people_are_masked_in_the_lists_unless_the_role_may_see_them(con, tmp_path, monkeypatch):
    from tests.ledger_fixtures import aid

    first = parsed(sheet("aid", [aid(C1, "张三丰", "120101199001011234", "冬送温暖", date(2026, 1, 10))]))
    load.import_parsed(con, first, street=STREET)
    again = parsed(
        sheet(
            "aid",
            [
                aid(C1, "张三丰", "120101199001011234", "冬送温暖", date(2026, 1, 10), cash=800.0),
                aid(C1, "李四", "120101199202023456", "冬送温暖", date(2026, 1, 10)),
            ],
        )
    )
    raw = load.preview(con, again, STREET).diff
    assert lines(raw) == {
        ("changed", "张三丰", "cash", "500.00", "800.00"),
        ("added", "李四", None, None, None),
    }
    masked = diff.for_viewer(raw, scope.Viewer("王", "社区", C1), C1)
    assert set(masked["name"]) == {"张**", "李*"}
    cells = [str(c) for c in masked.to_numpy().ravel()]
    assert not [c for c in cells if "120101199001011234" in c or "三丰" in c]
    # a role listed in personal_roles sees them whole
    settings = tmp_path / "settings.toml"
    settings.write_text('[auth]\npersonal_roles = ["社区"]\n', encoding="utf-8")
    monkeypatch.setenv("UNION_DASHBOARD_SETTINGS", str(settings))
    assert set(diff.for_viewer(raw, scope.Viewer("王", "社区", C1), C1)["name"]) == {"张三丰", "李四"}


def test_a_changed_union_chair_is_masked_field_by_field(con):
    again = parsed(
        sheet(
            "enterprises",
            [
                ent(C1, "甲公司", "UA", 17, union_status="未建会", union_founded=None, union_chair="王小明"),
                ent(C1, "乙公司", "UB", 30),
                ent(C1, "丙公司", "UC", 40, union_status="联合建会", union_founded=date(2019, 5, 1)),
                ent(C1, "丁公司", "UD", 50),
            ],
        )
    )
    shown = diff.for_viewer(load.preview(con, again, STREET).diff)
    assert lines(shown) == {("changed", "甲公司", "union_chair", "（空）", "王**")}


def test_agreements_and_grades_are_named_with_their_key(con):
    from tests.ledger_fixtures import agreement, grade

    load.import_parsed(
        con, parsed(sheet("wage_agreements", [agreement(C1, "乙公司", "UB", date(2026, 2, 1))])), street=STREET
    )
    load.import_parsed(con, parsed(sheet("harmonious", [grade(C1, "乙公司", "UB", 2025, "A")])), street=STREET)
    again = parsed(
        sheet("wage_agreements", [agreement(C1, "乙公司", "UB", date(2026, 2, 1), covered_employees=28, filed=False)]),
        sheet("harmonious", [grade(C1, "乙公司", "UB", 2025, "AA"), grade(C1, "丁公司", "UD", 2026, "A")], "评级"),
    )
    found = load.preview(con, again, STREET).diff
    assert lines(found) == {
        ("changed", "乙公司", "covered_employees", "30", "28"),
        ("changed", "乙公司", "filed", "是", "否"),
        ("changed", "乙公司", "grade", "A", "AA"),
        ("added", "丁公司", None, None, None),
    }
    assert set(found.loc[found["ledger"] == "harmonious", "detail"]) == {"2025", "2026"}
    rows = diff.field_rows(found)  # the Excel download: one line per changed field
    assert ["工资集体协商台账", "修改", C1, "乙公司", "2026-02-01", "覆盖职工人数", "30", "28"] in rows.values.tolist()
    assert diff.records(found)["修改内容"].tolist()[0] == "覆盖职工人数：30 → 28；是否审查备案：是 → 否"


def test_the_excel_download_holds_every_changed_field(con):
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(diff.excel(load.preview(con, reupload(), STREET).diff)))
    rows = [list(r) for r in book["变化明细"].iter_rows(values_only=True)]
    assert rows[0] == ["台账", "变化", "社区", "名称", "说明", "字段", "原值", "新值"]
    body = {(r[1], r[3], r[5], r[6], r[7]) for r in rows[1:]}
    assert body == {
        ("修改", "甲公司", "职工人数", "17", "40"),
        ("修改", "乙公司", "建会情况", "独立建会", "联合建会"),
        # an added or removed row has no field: those cells are blank (no cell at all, as in the CSV)
        ("新增", "己公司", None, None, None),
        ("移除", "丙公司", None, None, None),
    }


def test_the_lists_agree_with_the_counts_for_every_ledger(tmp_path):
    """Seeded random edits over all five ledgers: each list has exactly as many rows of each kind as the
    preview's counts (the same staging pairs both), and a changed row lists at least one field."""
    import random

    from tests.ledger_fixtures import agreement, aid, grade

    rng = random.Random(17)
    names = [f"企业{i:02d}" for i in range(40)]

    def rows(edit: bool):
        def pick(value, other):
            return other if edit and rng.random() < 0.3 else value

        kept = [n for n in names if not (edit and rng.random() < 0.1)] + (["新企业"] if edit else [])
        return [
            sheet(
                "enterprises",
                [ent(C1, n, f"U{n}", pick(30, 31), union_status=pick("独立建会", "联合建会")) for n in kept],
            ),
            sheet(
                "wage_agreements",
                [agreement(C1, n, f"U{n}", date(2026, 2, 1), covered_employees=pick(30, 9)) for n in kept],
                "协商",
            ),
            sheet("harmonious", [grade(C1, n, f"U{n}", 2026, pick("A", "AA")) for n in kept], "评级"),
            sheet(
                "aid",
                [aid(C1, f"人{n}", None, "冬送温暖", date(2026, 1, 9), cash=pick(500.0, 600.0)) for n in kept],
                "帮扶",
            ),
            sheet("disputes", [dispute(C1, f"C-{n}", n, date(2026, 3, 1), workers=pick(1, 3)) for n in kept], "争议"),
        ]

    with connect_copy(tmp_path / "random.duckdb") as con:
        load.import_parsed(con, parsed(*rows(False)), street=STREET)
        preview = load.preview(con, parsed(*rows(True)), STREET)
        items = preview.diff.drop_duplicates(["ledger", "item"])
        for ledger, group in preview.plan.groupby("ledger"):
            mine = items[items["ledger"] == ledger]
            for change in (diff.ADDED, diff.CHANGED, diff.REMOVED):
                assert (mine["change"] == change).sum() == group[change].sum(), (ledger, change)
        assert preview.plan["changed"].sum() > 20 and preview.plan["removed"].sum() > 0  # the edits happened
        changed = preview.diff[preview.diff["change"] == diff.CHANGED]
        assert changed["field"].notna().all() and (changed["old_value"] != changed["new_value"]).all()


def _preview_beside_import(path, monkeypatch) -> tuple[str, list]:
    """A preview with the impact paused after writing its batch, and an import of the same file meanwhile."""
    import threading
    import time

    real = diff.figures
    calls = {"n": 0}
    written = threading.Event()

    def slow(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # after the staged batch is written, inside the preview's transaction
            written.set()
            time.sleep(1.0)
        return real(*args, **kwargs)

    monkeypatch.setattr(diff, "figures", slow)
    errors: list = []

    def previewing():
        try:
            with scope.using(scope.ALL), db.connect(path) as c:
                load.preview(c, reupload(), STREET, impact=WHERE)
        except Exception as exc:  # reported below
            errors.append(exc)

    thread = threading.Thread(target=previewing)
    thread.start()
    assert written.wait(30)
    with scope.using(scope.ALL), db.connect(path) as c:
        try:
            status = load.import_parsed(c, reupload(), street=STREET).status
        except Exception as exc:  # what DuckDB says when two writers meet
            status = f"failed: {exc}"
    thread.join(30)
    return status, errors


def test_a_preview_writing_its_batch_never_makes_an_import_fail(tmp_path, monkeypatch):
    path = database_copy(tmp_path / "both.duckdb", build_street)
    status, errors = _preview_beside_import(path, monkeypatch)
    assert status == "imported" and not errors  # the import waited for the preview's rollback
    with scope.using(scope.ALL), db.connect(path) as c:
        assert c.execute("select count(*) from v_enterprises where community = ?", [C1]).fetchone()[0] == 4


def test_without_the_lock_the_same_two_writers_meet(tmp_path, monkeypatch):
    # what derived.BATCH_WRITES prevents: DuckDB fails the later writer of the same rows
    import contextlib

    from dashboard.ledgers import derived

    monkeypatch.setattr(derived, "BATCH_WRITES", contextlib.nullcontext())
    status, _ = _preview_beside_import(database_copy(tmp_path / "both.duckdb", build_street), monkeypatch)
    assert status.startswith("failed") and "Conflict" in status
