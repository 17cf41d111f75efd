"""和谐企业 tables and lists on a hand-written street; every expected value is worked out by hand below.

Plan year 2026, as-of 2026-06-30, grade scale AAA > AA > A > 未达标 > 申报中, A or above = A, AA, AAA.
"""

from datetime import date

import pytest

from dashboard import harmonious, metrics
from dashboard.config import load_settings
from dashboard.filters import Filters
from tests.conftest import add_batch, connect_copy

C1, C2 = "东风社区", "向阳社区"
AS_OF = date(2026, 6, 30)


def ent(community, key, name, union_status="独立建会", founded=date(2010, 1, 1), status="正常经营", employees=50):
    return dict(
        community=community,
        name=name,
        uscc=key,
        employees=employees,
        union_status=union_status,
        union_founded=founded,
        status=status,
        industry="制造业",
    )


def grade(community, key, name, year, g, score=None, assessed=None):
    return dict(community=community, name=name, uscc=key, year=year, grade=g, score=score, assessed_on=assessed)


def build_harmony_street(con):
    add_batch(
        con,
        "enterprises",
        [
            ent(C1, "H1", "甲"),
            ent(C1, "H2", "乙"),
            ent(C1, "H3", "丙"),
            ent(C1, "H4", "丁", employees=80),  # never graded: 待创建 as 未参评
            ent(C1, "H5", "戊", union_status="联合建会"),  # joint union: not in H1's base
            ent(C1, "H6", "己", status="停产"),  # not operating: not in the base
            ent(C1, "H7", "庚", founded=date(2026, 9, 1)),  # own union only after the as-of date
        ],
    )
    add_batch(
        con,
        "enterprises",
        [ent(C2, "H8", "辛", employees=30), ent(C2, "H9", "壬"), ent(C2, "H10", "癸")],
    )
    add_batch(
        con,
        "harmonious",
        [
            grade(C1, "H1", "甲", 2025, "A"),
            grade(C1, "H1", "甲", 2026, "A", 80, date(2026, 3, 1)),
            grade(C1, "H1", "甲", 2026, "AA", 88, date(2026, 5, 1)),  # later in the same year: this one
            grade(C1, "H2", "乙", 2025, "AA"),
            grade(C1, "H2", "乙", 2026, "A"),
            grade(C1, "H3", "丙", 2025, "AAA"),  # not re-graded in 2026: lapsed, but its AAA carries for H1
            grade(C1, "H5", "戊", 2026, "未达标", 55),
            grade(C1, "H6", "己", 2025, "A"),
            grade(C1, "H6", "己", 2026, "A"),
            grade(C2, "H8", "辛", 2025, "未达标", 60),
            grade(C2, "H8", "辛", 2026, "申报中"),
            grade(C2, "H9", "壬", 2026, "A", 75),  # first A: new
            grade(C2, "H10", "癸", 2025, "A"),
            grade(C2, "H10", "癸", 2026, "未达标", 58.5),  # A -> 未达标: downgraded
            grade(C2, "H9", "壬", 2027, "AAA"),  # after the plan year: ignored everywhere
        ],
    )
    return con


@pytest.fixture
def street(tmp_path):
    with connect_copy(tmp_path / "test.duckdb", build_harmony_street) as con:
        yield con


@pytest.fixture
def settings():
    return load_settings()


@pytest.fixture
def filters():
    return Filters(year=2026, as_of=AS_OF)


def test_grade_distribution_per_community_and_year(street, filters, settings):
    frame = harmonious.harmonious_grade_distribution(street, filters, settings)
    scale = harmonious.grade_scale(settings)
    by_year = harmonious.grade_table(frame, scale, "year")
    # 2025: 甲 A, 乙 AA, 丙 AAA, 己 A, 辛 未达标, 癸 A; 2026: 甲 AA (once), 乙 A, 戊 未达标, 己 A, 辛 申报中,
    # 壬 A, 癸 未达标; 2027 not shown
    assert by_year.values.tolist() == [[2025, 1, 1, 3, 1, 0, 6], [2026, 0, 1, 3, 2, 1, 7]]
    assert list(by_year.columns) == ["year", "AAA", "AA", "A", "未达标", "申报中", "total"]
    this_year = harmonious.grade_table(frame[frame["year"] == 2026], scale, "community")
    assert this_year.values.tolist() == [[C1, 0, 1, 2, 1, 0, 4], [C2, 0, 0, 1, 1, 1, 3]]


def test_grade_table_of_nothing_has_the_scale_columns(settings):
    empty = harmonious.grade_table(
        harmonious.pd.DataFrame(columns=["community", "year", "grade", "enterprises"]),
        harmonious.grade_scale(settings),
        "community",
    )
    assert list(empty.columns) == ["community", "AAA", "AA", "A", "未达标", "申报中", "total"] and empty.empty


def test_movements_between_years(street, filters, settings):
    frame = harmonious.harmonious_movements(street, filters, settings)

    def g(v):
        return None if harmonious.pd.isna(v) else v

    got = {r.name: (g(r.previous_grade), g(r.grade), r.movement) for r in frame.itertuples()}
    assert got == {
        "甲": ("A", "AA", "upgraded"),
        "乙": ("AA", "A", "downgraded"),
        "丙": ("AAA", None, "lapsed"),
        "戊": (None, "未达标", "other"),
        "己": ("A", "A", "unchanged"),
        "辛": ("未达标", "申报中", "other"),  # still under assessment: no movement yet
        "壬": (None, "A", "new"),
        "癸": ("A", "未达标", "downgraded"),
    }
    summary = harmonious.movement_summary(frame)
    assert summary.values.tolist() == [[C1, 1, 1, 1, 0, 1, 1], [C2, 0, 1, 0, 1, 0, 1]]


def test_movements_follow_a_custom_scale(street, filters, settings):
    # a region whose scale puts A above AA (nonsense, but shows the order comes from the settings)
    raw = {**settings.raw, "rules": {**settings.raw["rules"], "grade_scale": ["AAA", "A", "AA", "未达标", "申报中"]}}
    frame = harmonious.harmonious_movements(street, filters, type(settings)(raw))
    got = dict(zip(frame["name"], frame["movement"], strict=True))
    assert got["甲"] == "downgraded" and got["乙"] == "upgraded"


def test_todo_list_membership_and_order(street, filters, settings):
    frame = harmonious.harmonious_todo(street, filters, settings)
    # base: operating with own union by as-of: 甲乙丙丁 (C1), 辛壬癸 (C2); A or above now: 甲 AA, 乙 A, 丙 AAA
    # (carried from 2025), 壬 A. Left: 癸 (未达标 58.5), 丁 (未参评, 80 staff), 辛 (申报中, 30 staff).
    # 戊 (joint union, 未达标) and 庚 (union after as-of) are not in the base. Highest score first.
    assert list(frame["name"]) == ["癸", "丁", "辛"]
    assert list(frame["latest_grade"]) == ["未达标", "未参评", "申报中"]
    assert frame["grade_year"].isna().tolist() == [False, True, False]
    assert float(frame.loc[0, "score"]) == 58.5
    h1 = metrics.harmonious_a_or_above(street, filters, settings)
    assert len(frame) == int(h1["denominator"].sum() - h1["numerator"].sum())  # 7 - 4


def test_pace_and_projection(street, filters, settings):
    pace = harmonious.harmonious_pace(street, filters, settings)
    # start (grades up to 2025): C1 甲 A, 乙 AA, 丙 AAA = 3 of 甲乙丙丁; C2 癸 A = 1 of 辛壬癸
    # now (up to 2026): C1 甲乙丙 = 3; C2 壬 = 1 (癸 fell to 未达标)
    assert pace[["community", "start", "now", "denominator"]].values.tolist() == [[C1, 3, 3, 4], [C2, 1, 1, 3]]
    proj = harmonious.harmonious_projection(street, filters, settings).iloc[0]
    # 4 -> 4, no pace: 4 of 7 at year end = 57.1 % >= 40 %: nothing short
    assert (proj["projected"], proj["shortfall"]) == (4, 0)
    assert proj["projected_rate"] == pytest.approx(4 / 7)


def test_new_harmonious_against_time_progress(street, filters, settings):
    frame = harmonious.new_harmonious_progress(street, filters, settings)
    # first A-or-above year 2026: C1 none (甲乙丙己 first got A in 2025), C2 壬 = 1 of 2
    # time share 181/365 = 49.6 %: C1 0 % behind, C2 50 % not behind
    assert frame[["community", "count", "behind", "short"]].values.tolist() == [[C1, 0, True, 2], [C2, 1, False, 1]]


def test_community_filter(street, settings):
    f = Filters(year=2026, as_of=AS_OF, communities=(C2,))
    assert set(harmonious.harmonious_movements(street, f, settings)["community"]) == {C2}
    assert list(harmonious.harmonious_todo(street, f, settings)["name"]) == ["癸", "辛"]


def test_by_community_puts_h1_beside_h2(street, filters, settings):
    frame = harmonious.harmonious_by_community(street, filters, settings)
    # C1 H1 3/4: 40 % of 4 needs ceil(1.6)=2 -> gap 0; C2 1/3 needs 2 -> gap 1. H2: C1 0 (short 2), C2 1 (short 1)
    cols = ["community", "numerator", "denominator", "h1_gap", "count", "short"]
    assert frame[cols].values.tolist() == [[C2, 1, 3, 1, 1, 1], [C1, 3, 4, 0, 0, 2]]


def test_an_enterprise_graded_a_before_in_another_community_is_not_new(con):
    """U5 was graded A in 2025 in 向阳社区 and AA in 2026 in 东风社区 (it moved): it had an A grade in an
    earlier year, so it is not new in 2026 anywhere. U6, first graded A in 2026 in 东风社区, is new there.
    Before, the first A year was taken per community, and U5 counted as new in 东风社区."""
    from dashboard import overview_rows

    add_batch(con, "enterprises", [ent(C1, "U5", "迁入公司"), ent(C1, "U6", "新创公司"), ent(C2, "U7", "别家")])
    add_batch(
        con,
        "harmonious",
        [
            grade(C2, "U5", "迁入公司", 2025, "A"),
            grade(C1, "U5", "迁入公司", 2026, "AA"),
            grade(C1, "U6", "新创公司", 2026, "A", assessed=date(2026, 5, 1)),
        ],
    )
    settings = load_settings()
    f = Filters(year=2026, as_of=AS_OF)
    counts = metrics.new_harmonious_by_community(con, f, settings)
    assert dict(zip(counts["community"], counts["count"], strict=True)) == {C1: 1, C2: 0}
    only_c1 = Filters(year=2026, as_of=AS_OF, communities=(C1,))
    assert metrics.new_harmonious_by_community(con, only_c1, settings)["count"].tolist() == [1]
    for filters in (f, only_c1):
        rows = overview_rows.new_task_rows(con, filters, settings)
        h2 = rows[rows["code"] == "H2"]
        assert h2["name"].tolist() == ["新创公司"] and h2["community"].tolist() == [C1]
        assert h2["happened_on"].dt.date.tolist() == [date(2026, 5, 1)]
    assert metrics.new_harmonious_by_community(con, Filters(year=2025, as_of=date(2025, 12, 31)), settings)[
        "count"
    ].tolist() == [0, 1]  # 2025: U5 new in 向阳社区 (东风社区 first in the sorted list)


@pytest.mark.parametrize(
    "name", ["new_harmonious_by_community", "harmonious_grade_distribution", "harmonious_movements"]
)
def test_registry_filters_narrow_the_grading_lists(street, name):
    """These join the registry only when one of its filters is set. Every registry enterprise of the street
    is 制造业: under 制造业 the result is the unfiltered one, under 建筑业 nothing is left."""
    fn = getattr(harmonious, name, None) or getattr(metrics, name)
    settings = load_settings()
    f = Filters(year=2026, as_of=AS_OF)
    every = fn(street, f, settings)
    manufacturing = Filters(year=2026, as_of=AS_OF, industries=("制造业",))
    assert len(every) and fn(street, manufacturing, settings).equals(every)
    none = fn(street, Filters(year=2026, as_of=AS_OF, industries=("建筑业",)), settings)
    counted = [c for c in ("count", "enterprises") if c in none.columns]
    assert none.empty or all(int(none[c].sum()) == 0 for c in counted)
    if counted:
        assert int(every[counted[0]].sum()) > 0
