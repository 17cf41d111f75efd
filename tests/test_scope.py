"""Community scoping below the UI: TEMP views shadow the ledger tables on a cadre's connections, so every
v_* view, every query file and every cursor sees only the cadre's community."""

from datetime import date

import pytest

from dashboard import aid, benchmarks, db, disputes, metrics, scope
from dashboard.config import QUERIES_DIR, load_settings
from dashboard.filters import Filters
from dashboard.ledgers import derived
from tests.conftest import database_copy
from tests.small_street import C1, C2, build_small_street

OWN = scope.Scope((C1,))
VIEWS = (
    "v_enterprises",
    "v_enterprises_history",
    "v_current_registry",
    "v_wage_agreements",
    "v_harmonious",
    "v_disputes",
    "v_aid",
)
# Only 向阳社区 (C2) has these enterprises; 东风社区 (C1) has 甲一公司, 甲二公司, 丙公司, 丁公司, 戊公司, 己公司.
C2_ONLY_NAMES = {"甲公司", "乙公司", "庚公司", "旧公司", "撤销公司"}


def build_scope_street(con):
    build_small_street(con)
    con.execute(
        "insert into aid (batch_id, street, community, recipient, campaign, given_on, cash)"
        " select max(batch_id), '示例街道', ?, '向阳甲', '冬送温暖', date '2026-01-05', 300 from aid",
        [C2],
    )
    derived.rebuild(con)  # a row written by hand: derive what the importer would


@pytest.fixture
def street(tmp_path):
    yield database_copy(tmp_path / "s.duckdb", build_scope_street)
    scope.enforce(False)


def test_every_view_on_every_cursor_keeps_only_the_own_community(street):
    with scope.using(OWN), db.connect(street) as con:
        for source in (con, con.cursor(), con.cursor().cursor()):
            for view in VIEWS:
                got = source.execute(f"select distinct community from {view}").fetchall()
                assert got in ([(C1,)], []), (view, got)
    # the aid and wage views have C1 rows; the disputes are all C2's
    with scope.using(OWN), db.connect(street) as con:
        assert con.execute("select count(*) from v_disputes").fetchone()[0] == 0
        assert con.execute("select count(*) from v_aid").fetchone()[0] == 5
    with db.connect(street) as con:  # unscoped: both communities
        assert con.execute("select count(*) from v_disputes").fetchone()[0] == 6
        assert con.execute("select count(*) from v_aid").fetchone()[0] == 6


def test_views_built_on_v_enterprises_use_the_shadow_too(street):
    # v_key_by_uscc reads v_enterprises: U7 (乙公司) and U8 (庚公司) are C2's and must not resolve
    with scope.using(OWN), db.connect(street) as con:
        keys = {r[0] for r in con.execute("select uscc from v_key_by_uscc").fetchall()}
        assert keys == {"U1", "U2", "U3", "U4", "U5", "U6"}
        names = {r[0] for r in con.execute("select community from v_key_by_name").fetchall()}
        assert names == {C1}


def test_qualified_names_and_raw_tables_are_scoped(street):
    with scope.using(OWN), db.connect(street) as con:
        for sql in (
            "select distinct community from main.enterprises",
            "select distinct community from enterprises",
            "select distinct community from main.v_enterprises",
            "select distinct community from aid",
            "select distinct community from main.disputes",
        ):
            assert set(con.execute(sql).fetchall()) <= {(C1,)}, sql
        batches = con.execute("select communities from import_batches").fetchall()
        assert batches and all(C1 in r[0] for r in batches)


def _params() -> dict:
    """Every parameter any query file names, as the modules that run them build it."""
    s = load_settings()
    f = Filters(year=2026, as_of=date(2026, 6, 30))
    return {
        **benchmarks.params(C1, f, s),  # the cadre's own standing: aggregates, no community named
        **aid.params(f, s),
        **disputes.params(f, s),
        "grade_scale": list(s.rule("grade_scale")),
        "warning_days": 60,
        "band_bounds": [0, 25, 100],
        # the profile and search of a C2 enterprise (乙公司, U7): nothing of it may come back
        "key": "U7",
        "text": "乙公司",
        "text_norm": "乙公司",
        "digits": None,
        "limit": 50,
        # 报送情况: batches imported in the plan year
        "from_day": date(2026, 1, 1),
        "to_day": date(2027, 1, 1),
        # 报送情况 in brief: one period over, asked of the communities the cadre's scope lists (her own)
        "period_ledgers": ["enterprises"],
        "period_starts": [date(2026, 1, 1)],
        "period_ends": [date(2026, 1, 31)],
        "expected": [C1],
    }


def test_no_query_file_returns_a_row_of_another_community(street):
    """Every queries/*.sql run under the cadre's scope: no cell names the other community or one of its
    enterprises. This fails if any query read a table the scope does not shadow."""
    # import_diff_*: an upload's changes, over the stage_* tables of a preview's transaction; a cadre's
    # preview never names another community's row (tests/test_import_preview.py, test_page_import_preview.py)
    files = sorted(f for f in QUERIES_DIR.glob("*.sql") if not f.name.startswith("import_diff_"))
    assert len(files) > 40
    ran = 0
    with scope.using(OWN), db.connect(street) as con:
        cur = con.cursor()
        for f in files:
            try:
                frame = db.run_query(cur, f.stem, _params())
            except Exception as exc:  # a parameter this test does not know: say which
                raise AssertionError(f"{f.name}: {exc}") from exc
            ran += 1
            for col in frame.columns:
                values = {str(v) for v in frame[col].dropna().tolist()}
                assert C2 not in values, (f.name, col)
                assert not (values & C2_ONLY_NAMES), (f.name, col, values & C2_ONLY_NAMES)
                assert "向阳甲" not in values, (f.name, col)
    assert ran == len(files)


def test_unscoped_connection_refused_once_enforced(street):
    scope.enforce(True)
    with pytest.raises(scope.ScopeMissing), db.connect(street):
        pass
    with scope.using(scope.ALL), db.connect(street) as con:
        assert con.execute("select count(*) from v_disputes").fetchone()[0] == 6


def test_cadre_without_community_sees_nothing(street):
    viewer = scope.Viewer("x", "社区", None)
    with scope.using(viewer.scope, viewer), db.connect(street) as con:
        for view in VIEWS:
            assert con.execute(f"select count(*) from {view}").fetchone()[0] == 0


def test_scope_key_differs_between_scopes():
    assert scope.ALL.key() != OWN.key() != scope.Scope(()).key()
    assert scope.Viewer("a", "领导").scope is scope.ALL
    assert scope.Viewer("b", "社区", C2).scope == scope.Scope((C2,))


def test_the_overview_read_side_by_side_keeps_the_scope_on_every_worker(street):
    filters = Filters(year=2026, as_of=date(2026, 6, 30))
    settings = load_settings()
    with scope.using(OWN), db.connect(street) as con:
        together = metrics.overview(con.cursor(), filters, settings, workers=3).as_json()
        alone = metrics.overview(con.cursor(), filters, settings, workers=1).as_json()
    with db.connect(street) as con:
        everyone = metrics.overview(con.cursor(), filters, settings, workers=3).as_json()
    assert together == alone
    assert set(together["W2"]) == {C1}  # the community lists come from the shadowed registry parts
    assert set(everyone["W2"]) == {C1, C2}


def test_label_says_what_the_figures_cover():
    assert scope.label(("东风社区", "向阳社区"), scope.ALL) == "东风社区、向阳社区"  # chosen in the filter bar
    assert scope.label(None, scope.ALL) == "全部社区"
    assert scope.label(None, scope.Scope(("东风社区",))) == "东风社区"  # a cadre: their own, not 全部社区
    assert scope.label(None, scope.Scope(())) == "未指定社区"
    with scope.using(scope.Scope(("东风社区",))):
        assert scope.label(None) == "东风社区"  # the current viewer's scope when none is given
