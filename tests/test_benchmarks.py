"""A community cadre's standing among all communities (dashboard/benchmarks.py, queries/community_standing.sql):
her real rank and the street's real figure, the very ones a leader is shown, and nothing else of any other
community. Expected values are worked out by hand in each test's comments.

Two streets: tests/small_street.py (东风社区, 向阳社区; plan year 2026, as-of 30 June; figures worked out in
tests/test_community.py and tests/test_assessment.py), and FIVE below, written for ranks with ties.
"""

import copy
from dataclasses import replace
from datetime import date

import pytest

from dashboard import assessment, benchmarks, community, db, meeting, meeting_facts, scope, scoring
from dashboard.config import Settings, load_settings
from dashboard.filters import Filters
from tests.conftest import add_batch, database_copy
from tests.small_street import AS_OF, C1, C2, build_small_street

F = Filters(year=2026, as_of=AS_OF)
C2_ONLY = {C2, "甲公司", "乙公司", "庚公司", "旧公司"}


def with_settings(weights: dict | None = None, **targets) -> Settings:
    raw = copy.deepcopy(load_settings().raw)
    if weights is not None:
        raw["assessment"] = weights
    raw["targets"].update(targets)
    return Settings(raw)


@pytest.fixture
def small(tmp_path):
    yield database_copy(tmp_path / "small.duckdb", build_small_street)
    scope.enforce(False)


@pytest.fixture
def cadre_con(small):
    """A cursor of 东风社区's cadre: it reads only 东风社区's rows."""
    with scope.using(scope.Scope((C1,))), db.connect(small) as con:
        yield con.cursor()


def test_a_cadres_ranks_and_street_figures_are_the_streets(small, cadre_con):
    """东风 against 向阳: U1 1/4 vs 2/3 -> 2nd, street 3/7; U2 3/5 vs 2/3 -> 2nd, street 5/8; W1 2/3 vs 1/2
    -> 1st, street 3/5; H1 1/2 vs 1/2 -> tied 1st, street 2/4; U3 2 vs 0 -> 1st, street 2; W2 2 vs 1 -> 1st,
    street 3; H2 1 vs 1 -> tied 1st, street 2. Each of two communities."""
    s = benchmarks.standing(cadre_con, C1, F, load_settings())
    assert {c: (p.rank, p.of) for c, p in s.places.items()} == {
        "U1": (2, 2),
        "U2": (2, 2),
        "W1": (1, 2),
        "H1": (1, 2),
        "U3": (1, 2),
        "W2": (1, 2),
        "H2": (1, 2),
    }
    assert s.street_values["U1"] == pytest.approx(3 / 7)
    assert s.street_values["U2"] == pytest.approx(5 / 8)
    assert s.street_values["W1"] == pytest.approx(3 / 5)
    assert s.street_values["H1"] == pytest.approx(1 / 2)
    assert (s.street_values["U3"], s.street_values["W2"], s.street_values["H2"]) == (2, 3, 2)
    # 考核评比: 东风 53.3, 向阳 47.8 (tests/test_assessment.py, the duties scored 0): first of two
    assert (s.score, s.score_place.rank, s.score_place.of) == (pytest.approx(53.314608, abs=1e-6), 1, 2)


def test_the_other_cadre_sees_her_own_rank(small):
    with scope.using(scope.Scope((C2,))), db.connect(small) as con:
        s = benchmarks.standing(con.cursor(), C2, F, load_settings())
    assert (s.places["U1"].rank, s.places["W1"].rank, s.places["H1"].rank) == (1, 2, 1)
    assert (s.score, s.score_place.rank, s.score_place.of) == (pytest.approx(47.773634, abs=1e-6), 2, 2)


def test_the_cadres_standing_equals_what_a_leader_is_shown(small):
    settings = load_settings()
    with db.connect(small) as con:  # the leader's view of each community, as 社区画像 and 考核评比 compute it
        ranking = assessment.assessment_ranking(con.cursor(), F, settings).set_index("community")
        leader = {
            c: community.community_indicators(con.cursor(), replace(F, communities=(c,)), settings) for c in (C1, C2)
        }
    for name in (C1, C2):
        with scope.using(scope.Scope((name,))), db.connect(small) as con:
            s = benchmarks.standing(con.cursor(), name, F, settings)
        for row in leader[name].itertuples():
            assert (s.places[row.code].rank, s.places[row.code].of) == (int(row.rank), int(row.ranked)), row.code
            assert s.street_values[row.code] == row.street_value, row.code
        assert s.score == pytest.approx(float(ranking.loc[name, "score"]), abs=1e-8)
        assert s.score_place.rank == int(ranking.loc[name, "rank"])


def test_the_return_holds_no_other_community(small, cadre_con):
    s = benchmarks.standing(cadre_con, C1, F, load_settings())
    text = repr(s)
    assert not [name for name in C2_ONLY if name in text]
    # the query itself returns numbers per indicator code only: no community column, no name in a cell
    with scope.using(scope.ALL), db.connect(small) as con:
        frame = db.run_query(con, benchmarks.QUERY, benchmarks.params(C1, F, load_settings()))
    assert list(frame.columns) == benchmarks.COLUMNS
    assert frame["code"].tolist() == list(scoring.CODES)  # the score is ranked in Python (scoring.py)
    cells = {str(v) for v in frame.drop(columns="code").to_numpy().ravel()}
    assert not cells & C2_ONLY and not any(C2 in c for c in cells)


def test_another_communitys_standing_is_refused(cadre_con):
    with pytest.raises(PermissionError, match="只能查看本社区的排名"):
        benchmarks.standing(cadre_con, C2, F, load_settings())


def test_other_filters_apply_to_the_comparison(cadre_con):
    # 25–99 staff only: U1 东风 1/3, 向阳 1/2 -> second of two, street 2/5 (tests/test_community.py)
    s = benchmarks.standing(cadre_con, C1, replace(F, size_bands=(25,)), load_settings())
    assert (s.places["U1"].rank, s.places["U1"].of) == (2, 2)
    assert s.street_values["U1"] == pytest.approx(2 / 5)


def test_community_indicators_of_a_cadre_rank_her_among_all(small, cadre_con):
    """社区画像's data as a cadre reads it: before, she was '在 1 个社区中排第 1' and the street was her own 25 %."""
    d = community.community_indicators(cadre_con, replace(F, communities=(C1,)), load_settings()).set_index("code")
    assert (d.loc["U1", "rank"], d.loc["U1", "ranked"]) == (2, 2)
    assert d.loc["U1", "street_value"] == pytest.approx(3 / 7)
    assert community.rank_text(d.loc["U1", "rank"], d.loc["U1", "ranked"]) == "在 2 个社区中排第 2"
    assert (d.loc["U1", "numerator"], d.loc["U1", "denominator"]) == (1, 4)  # her own figures as before
    assert d.loc["W2", "street_value"] == 3


def test_community_indicators_outside_the_scope_give_no_street_figure(cadre_con):
    d = community.community_indicators(cadre_con, replace(F, communities=(C2,)), load_settings()).set_index("code")
    assert d["rank"].isna().all() and (d["ranked"] == 0).all() and d["street_value"].isna().all()


def test_assessment_of_a_cadre_ranks_her_among_all(small):
    """考核评比 as 向阳社区's cadre: her row only, 47.77, second of two (before: first of one)."""
    with scope.using(scope.Scope((C2,))), db.connect(small) as con:
        frame = assessment.assessment_ranking(con.cursor(), F, load_settings())
        own = assessment.own_place(con.cursor(), F, load_settings())
    assert frame["community"].tolist() == [C2]
    assert (frame.loc[0, "rank"], frame.loc[0, "score"]) == (2, pytest.approx(47.773634, abs=1e-6))
    assert own == {"community": C2, "score": pytest.approx(47.773634, abs=1e-6), "rank": 2, "of": 2}
    assert assessment.place_text(own) == "第2名/共2个社区"


def test_a_leader_has_no_own_place(small):
    with db.connect(small) as con:
        assert assessment.own_place(con.cursor(), F, load_settings()) is None


# ---- FIVE: five communities, every enterprise 30 staff and operating; ranks with ties ----------------

FIVE = {  # community: (enterprises, independent unions, of which founded in 2026)
    "甲社区": (4, 4, 2),
    "乙社区": (4, 3, 1),
    "丙社区": (2, 1, 0),
    "丁社区": (4, 3, 0),
    "戊社区": (5, 1, 0),
}


def build_five(con) -> None:
    for name, (n, unions, new) in FIVE.items():
        rows = []
        for i in range(n):
            founded = None if i >= unions else date(2026, 3, 1) if i < new else date(2020, 1, 1)
            rows.append(
                dict(
                    community=name,
                    name=f"{name}{i}号企业",
                    uscc=f"{name}{i}",
                    employees=30,
                    union_status="独立建会" if i < unions else "未建会",
                    union_founded=founded,
                    status="正常经营",
                )
            )
        add_batch(con, "enterprises", rows)


@pytest.fixture
def five(tmp_path):
    yield database_copy(tmp_path / "five.duckdb", build_five)
    scope.enforce(False)


def standing_of(path, name, settings, filters=F):
    with scope.using(scope.Scope((name,))), db.connect(path) as con:
        return benchmarks.standing(con.cursor(), name, filters, settings)


def test_five_communities_ranks_with_ties(five):
    """U1: 甲 4/4, 乙 3/4, 丁 3/4, 丙 1/2, 戊 1/5 -> 丁 ties 乙 for 2nd of 5; street 12/19.
    U3: 甲 2, 乙 1, 丙 丁 戊 0 -> 丁 ties for 3rd of 5; street 3."""
    s = standing_of(five, "丁社区", load_settings())
    assert (s.places["U1"].rank, s.places["U1"].of) == (2, 5)
    assert s.street_values["U1"] == pytest.approx(12 / 19)
    assert (s.places["U3"].rank, s.places["U3"].of, s.street_values["U3"]) == (3, 5, 3)
    assert standing_of(five, "戊社区", load_settings()).places["U1"].rank == 5


def test_five_communities_scores(five):
    """Weights U1 = U3 = 1 (targets 95 %, 2): 甲 (1 + 1) / 2 -> 100; 乙 (0.75/0.95 = 0.789474 + 0.5) / 2 ->
    64.4737; 丁 0.789474 / 2 -> 39.4737; 丙 (0.5/0.95 = 0.526316) / 2 -> 26.3158; 戊 (0.2/0.95 = 0.210526) / 2
    -> 10.5263. 丁 is 3rd of 5."""
    settings = with_settings({"U1": 1, "U3": 1})
    got = {name: standing_of(five, name, settings) for name in FIVE}
    assert {n: s.score for n, s in got.items()} == pytest.approx({"甲社区": 100.0, "乙社区": 64.473684,
                                                     "丙社区": 26.315789, "丁社区": 39.473684, "戊社区": 10.526316},
                                                    abs=1e-6)  # fmt: skip
    assert {n: s.score_place.rank for n, s in got.items()} == {"甲社区": 1, "乙社区": 2, "丙社区": 4, "丁社区": 3,
                                                               "戊社区": 5}  # fmt: skip
    assert all(s.score_place.of == 5 for s in got.values())
    with db.connect(five) as con:  # the leader's table says the same
        ranking = assessment.assessment_ranking(con.cursor(), F, settings)
    assert ranking["community"].tolist() == ["甲社区", "乙社区", "丁社区", "丙社区", "戊社区"]
    assert ranking["rank"].tolist() == [1, 2, 3, 4, 5]
    assert ranking["score"].tolist() == pytest.approx([100.0, 64.473684, 39.473684, 26.315789, 10.526316], abs=1e-6)


def test_scores_equal_the_leaders_table(five):
    """U3 alone with a target of 16: 甲 2/16 -> 12.5; 乙 1/16 -> 6.25 (unrounded, as the leader's table
    ranks). 丙 丁 戊 0 -> tied 3rd."""
    settings = with_settings({"U3": 1}, U3=16)
    got = {name: standing_of(five, name, settings) for name in FIVE}
    assert (got["甲社区"].score, got["乙社区"].score, got["丁社区"].score) == (12.5, 6.25, 0.0)
    assert [got[n].score_place.rank for n in FIVE] == [1, 2, 3, 3, 3]
    with db.connect(five) as con:
        ranking = assessment.assessment_ranking(con.cursor(), F, settings).set_index("community")
    assert {n: float(ranking.loc[n, "score"]) for n in FIVE} == pytest.approx({n: s.score for n, s in got.items()})


def test_invalid_weights_still_give_ranks(five):
    s = standing_of(five, "丁社区", with_settings({"U1": -1}))
    assert s.places["U1"].rank == 2 and s.score is None and s.score_place.rank is None


def test_an_empty_street(tmp_path):
    with scope.using(scope.Scope((C1,))), db.connect(tmp_path / "empty.duckdb") as con:
        s = benchmarks.standing(con.cursor(), C1, F, load_settings())
    assert all(p == benchmarks.Place(None, 0) for p in s.places.values())
    assert s.street_values["U1"] is None and s.street_values["U3"] == 0
    assert s.score is None and s.score_place == benchmarks.Place(None, 0)


# ---- what the meeting deck and the downloads say they cover ----------------------------------------


def test_a_cadres_deck_names_her_community(small):
    from dashboard import pack, report

    month = meeting_facts.month_filters(2026, 3, today=date(2026, 11, 1))
    with scope.using(scope.Scope((C1,))), db.connect(small) as con:
        deck = meeting.meeting_deck(con.cursor(), month, load_settings())
    assert deck.title == f"示例街道 {C1}工会工作2026年3月例会"
    assert report.file_name(deck) == f"示例街道{C1}2026年3月工会工作例会.pptx"
    assert pack.meeting_pack_name(deck) == f"示例街道{C1}2026年3月例会数据.xlsx"
    prs = report.build_presentation(deck)
    texts = [shape.text_frame.text for shape in prs.slides[0].shapes if shape.has_text_frame]
    assert f"{C1} · 2026年3月 · 目标完成情况" in texts
    assert any(t.startswith(f"示例街道 {C1} · 2026年3月") for t in texts)
    with db.connect(small) as con:  # a leader's deck is the street's, as before
        street_deck = meeting.meeting_deck(con.cursor(), month, load_settings())
    assert street_deck.title == "示例街道工会工作2026年3月例会" and street_deck.community is None


def test_a_cadres_annual_workbook_names_her_community(small):
    import io
    import zipfile

    from dashboard import pack

    with scope.using(scope.Scope((C1,))), db.connect(small) as con:
        data = pack.annual_pack(con.cursor(), F, load_settings())
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names == [f"示例街道{C1}2026年度大统计.xlsx", f"{C1}2026年度大统计.xlsx"]


def test_standing_reads_the_cursors_own_database_file(small, tmp_path, monkeypatch):
    monkeypatch.setenv("UNION_DASHBOARD_DB", str(tmp_path / "elsewhere.duckdb"))  # not the one read
    with scope.using(scope.Scope((C1,))), db.connect(small) as con:
        assert db.path_of(con.cursor()) == small
        assert benchmarks.standing(con.cursor(), C1, F, load_settings()).places["U1"] == benchmarks.Place(2, 2)


# ---- the sample street: ten communities, the restated definitions against the leader's ---------------


@pytest.fixture(scope="module")
def sample_street(tmp_path_factory, sample_template):
    from tests.conftest import sample_copy

    return sample_copy(sample_template, tmp_path_factory.mktemp("sample") / "sample.duckdb")


def test_every_sample_community_stands_where_the_leader_sees_it(sample_street):
    """Not worked out by hand: the ten communities' ranks, street figures and scores, each as its cadre is
    given them, equal the leader's 社区画像 and 考核评比 (queries/community_standing.sql restates the
    indicator files; this catches the two drifting apart on realistic data)."""
    settings, filters = load_settings(), Filters(year=2026, as_of=date(2026, 6, 30))
    with db.connect(sample_street) as con:
        names = db.run_query(con, "communities")["community"].tolist()
        ranking = assessment.assessment_ranking(con.cursor(), filters, settings).set_index("community")
        leader = {
            n: community.community_indicators(con.cursor(), replace(filters, communities=(n,)), settings) for n in names
        }
    assert len(names) == 10
    for name in names:
        s = standing_of(sample_street, name, settings, filters)
        for row in leader[name].itertuples():
            assert (s.places[row.code].rank, s.places[row.code].of) == (int(row.rank), int(row.ranked)), (name, row)
            assert s.street_values[row.code] == row.street_value, (name, row.code)
        assert (s.score, s.score_place.rank, s.score_place.of) == (
            pytest.approx(float(ranking.loc[name, "score"]), abs=1e-8),
            int(ranking.loc[name, "rank"]),
            len(ranking),
        ), name
