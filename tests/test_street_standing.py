"""Streets ranked side by side (queries/street_standing.sql, dashboard/streets.py) on the two-street fixture
(tests/two_streets.py). 示例街道's figures are the small street's, worked out in tests/test_benchmarks.py
(U1 3/7, U2 5/8, W1 3/5, H1 2/4 — 甲一公司 AA and 乙公司 A of 甲一 甲二 甲公司 乙公司 —, U3 2, W2 3,
H2 2; two communities); 河西街道's in tests/two_streets.py
(U1 2/3, U2 3/4, W1 1/3, H1 1/2, U3 2, W2 1, H2 1; two communities)."""

from dataclasses import replace

import pandas as pd
import pytest

from dashboard import db, metrics, scope, scoring, streets
from dashboard.config import load_settings
from dashboard.filters import Filters
from tests.conftest import database_copy
from tests.small_street import build_small_street
from tests.two_streets import AS_OF, S1, S2, build_two_streets

F = Filters(year=2026, as_of=AS_OF)

EXPECTED = {  # code: {street: (numerator, denominator, rank)}
    "U1": {S1: (3, 7, 2), S2: (2, 3, 1)},  # 0.43 < 0.67
    "U2": {S1: (5, 8, 2), S2: (3, 4, 1)},  # 0.625 < 0.75
    "W1": {S1: (3, 5, 1), S2: (1, 3, 2)},  # 0.6 > 0.33
    "H1": {S1: (2, 4, 1), S2: (1, 2, 1)},  # 0.5 = 0.5: a tie shares the rank
    "U3": {S1: (2, None, 1), S2: (2, None, 1)},  # a tie
    "W2": {S1: (3, None, 1), S2: (1, None, 2)},
    "H2": {S1: (2, None, 1), S2: (1, None, 2)},
    # shown, not ranked: A1's 人次 (示例: 1-10 700元, 1-12 500元, 3-01 0元; 河西: 1-08 300元), D1's cases
    # received by 30 June (示例: D1 to D4; 河西: HXD1)
    "A1": {S1: (3, None, None), S2: (1, None, None)},
    "D1": {S1: (4, None, None), S2: (1, None, None)},
}
AMOUNTS = {S1: 1200.0, S2: 300.0}  # A1's value: 500 + 200 + 500 + 0; 300


@pytest.fixture
def two(tmp_path):
    yield database_copy(tmp_path / "two.duckdb", build_two_streets)
    scope.enforce(False)


def _whole(v):
    return None if pd.isna(v) else int(v)


def test_every_streets_figure_and_rank_by_hand(two):
    with db.connect(two) as con:
        frame = streets.standing(con, F, load_settings())
    assert frame["code"].drop_duplicates().tolist() == [*scoring.CODES, "A1", "D1"]
    got = {(r.code, r.street): (_whole(r.numerator), _whole(r.denominator), _whole(r.rank)) for r in frame.itertuples()}
    want = {(code, s): v for code, by in EXPECTED.items() for s, v in by.items()}
    assert got == want
    ranked = frame[frame["code"].isin(scoring.CODES)]
    assert set(ranked["ranked"]) == {2} and set(frame["communities"]) == {2}
    assert frame[frame["code"].isin(["A1", "D1"])]["ranked"].isna().all()
    a1 = frame[frame["code"] == "A1"].set_index("street")["value"]
    assert a1.to_dict() == AMOUNTS
    u1 = frame[(frame["code"] == "U1") & (frame["street"] == S2)].iloc[0]
    assert u1["value"] == pytest.approx(2 / 3)


def test_each_streets_figures_are_that_streets_overview(two):
    """The street's rate is the overview's over that street alone; a count is its communities' counts summed."""
    settings = load_settings()
    with db.connect(two) as con:
        wide = streets.table(streets.standing(con, F, settings)).set_index("street")
        for s in (S1, S2):
            ov = metrics.overview(con, replace(F, streets=(s,)), settings)
            for code, r in ov.rates.items():
                assert (wide.loc[s, f"{code}_numerator"], wide.loc[s, f"{code}_denominator"]) == (
                    r.numerator,
                    r.denominator,
                ), (s, code)
            for code, frame in ov.counts.items():
                assert wide.loc[s, f"{code}_numerator"] == frame["count"].sum(), (s, code)
            assert wide.loc[s, "A1_numerator"] == ov.aid["people"].sum(), s
            assert wide.loc[s, "A1_value"] == pytest.approx(float(ov.aid["cash"].sum() + ov.aid["goods"].sum())), s
            assert wide.loc[s, "D1_numerator"] == ov.disputes["cases"], s


def test_the_streets_filter_narrows_the_ranking(two):
    with db.connect(two) as con:
        frame = streets.standing(con, replace(F, streets=(S2,)), load_settings())
    frame = frame[frame["code"].isin(scoring.CODES)]  # A1 and D1 are not ranked
    assert set(frame["street"]) == {S2} and set(frame["rank"]) == {1} and set(frame["ranked"]) == {1}


def test_a_street_leader_is_given_her_street_alone(two):
    with scope.using(scope.Viewer("街道甲", "领导", street=S1).scope), db.connect(two) as con:
        frame = streets.standing(con, F, load_settings())
        assert not streets.many_streets(con, F, load_settings())
    assert set(frame["street"]) == {S1}
    u1 = frame[frame["code"] == "U1"].iloc[0]
    assert (u1["numerator"], u1["denominator"]) == (3, 7)


def test_the_display_table(two):
    with db.connect(two) as con:
        shown = streets.for_display(streets.table(streets.standing(con, F, load_settings())))
    assert shown["街道"].tolist() == [S2, S1]  # by name: 河 before 示
    assert shown.loc[0, "U1 独立建会率"] == "66.7%（2/3） 第1名"
    assert shown.loc[1, "W2 新增建制"] == "3家 第1名"
    assert shown.loc[1, "A1 帮扶救助"] == "1,200元（3人次）" and shown.loc[0, "D1 劳动争议"] == "受理1件"
    assert "考核得分" not in shown.columns  # no scores given


def test_one_street_loaded_is_not_many(tmp_path):
    path = database_copy(tmp_path / "small.duckdb", build_small_street)
    with db.connect(path) as con:
        assert not streets.many_streets(con, F, load_settings())
    with db.connect(database_copy(tmp_path / "two.duckdb", build_two_streets)) as con:
        assert streets.many_streets(con, F, load_settings())
