"""The size-band and enterprise-status filters: what they do to the indicators and lists (SQL, on the
hand-written street of tests/small_street.py), and how the filter bar keeps them in the URL and across
pages (AppTest).

Staff counts in the street: 东风社区 甲一 25, 甲二 24, 丙 100, 丁 30, 戊 50 (停产), 己 40 (union founded
after the as-of date); 向阳社区 甲 200, 乙 26, 庚 30. Bands by lower bound: 0 (<25), 25 (25–99),
100 (100–499), 500 (500+). Plan year 2026, as-of 2026-06-30.
"""

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import disputes, metrics, unionization, wages
from dashboard.config import load_settings
from dashboard.filters import Filters
from tests.conftest import connect_copy
from tests.small_street import AS_OF, C1, C2, build_small_street

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def street(tmp_path):
    with connect_copy(tmp_path / "test.duckdb", build_small_street) as con:
        yield con


@pytest.fixture
def settings():
    return load_settings()


BASE = Filters(year=2026, as_of=AS_OF)


def by_comm(frame):
    return {r.community: (int(r.numerator), int(r.denominator)) for r in frame.itertuples()}


def test_params_bind_band_lower_bounds_and_statuses(settings):
    p = replace(BASE, size_bands=(25, 100), statuses=("停产",)).params(settings)
    assert p["size_bands"] == [25, 100]
    assert p["band_lowers"] == [0, 25, 100, 500]
    assert p["statuses"] == ["停产"]
    assert BASE.params(settings)["size_bands"] is None and BASE.params(settings)["statuses"] is None


def test_band_25_to_99_narrows_u1_and_u2(street, settings):
    f = replace(BASE, size_bands=(25,))
    # 东风: 甲一 (own union), 丁 (none), 己 (founded after as-of) -> 1/3; 向阳: 乙 (own), 庚 (none) -> 1/2
    assert by_comm(metrics.union_coverage_25plus(street, f, settings)) == {C1: (1, 3), C2: (1, 2)}
    # U2 over the same operating enterprises: the same counts (no joint union in the band)
    assert by_comm(metrics.union_coverage_operating(street, f, settings)) == {C1: (1, 3), C2: (1, 2)}


def test_band_below_25_holds_only_the_24_staff_enterprise(street, settings):
    f = replace(BASE, size_bands=(0,))
    assert by_comm(metrics.union_coverage_operating(street, f, settings)) == {C1: (1, 1)}  # 甲二, founded March
    assert metrics.union_coverage_25plus(street, f, settings).empty  # no enterprise of 25+ in the band


def test_two_bands_together(street, settings):
    f = replace(BASE, size_bands=(0, 100))
    # 东风: 甲二 (24, own union) and 丙 (100, joint) -> both unionised; 向阳: 甲 (200, own)
    assert by_comm(metrics.union_coverage_operating(street, f, settings)) == {C1: (2, 2), C2: (1, 1)}


def test_band_100_narrows_w1_and_h1(street, settings):
    f = replace(BASE, size_bands=(100,))
    # unionised operating 100+: 丙 (区域协议 in force) and 甲 (signed 2026-02-01) -> 1/1 each
    assert by_comm(metrics.wage_agreement_signing(street, f, settings)) == {C1: (1, 1), C2: (1, 1)}
    # H1's base is own-union operating: only 甲 (latest grade up to 2026 is 申报中) -> 0/1
    assert by_comm(metrics.harmonious_a_or_above(street, f, settings)) == {C2: (0, 1)}


def test_band_narrows_the_lists(street, settings):
    todo = unionization.unionisation_todo(street, replace(BASE, size_bands=(100,)), settings)
    assert list(todo["name"]) == ["丙公司"]  # the joint union of 100 staff; 丁/己/庚 are 25–99
    unsigned = wages.unsigned_enterprises(street, replace(BASE, size_bands=(25,)), settings)
    # unionised operating 25–99 with nothing in force on 30 June: 己 is not unionised yet by then; 乙 none
    assert sorted(unsigned["name"]) == ["乙公司"]


def test_status_filter(street, settings):
    stopped = replace(BASE, statuses=("停产",))
    # the rates count only 正常经营 enterprises: nothing left under 停产
    assert metrics.union_coverage_25plus(street, stopped, settings).empty
    assert unionization.unionisation_todo(street, stopped, settings).empty
    # U3 counts any status: 戊 (停产) founded its union on 2026-02-01
    u3 = metrics.new_unions_by_community(street, stopped, settings)
    assert dict(zip(u3["community"], u3["count"], strict=True)) == {C1: 1}
    operating = replace(BASE, statuses=("正常经营",))
    assert by_comm(metrics.union_coverage_25plus(street, operating, settings)) == {C1: (1, 4), C2: (2, 3)}


def test_band_narrows_disputes_by_employer(street, settings):
    # every case is 甲公司's (200 staff): kept under 100–499, gone under 25–99
    rows_big = disputes.dispute_rows(street, replace(BASE, size_bands=(100,)), settings)
    rows_small = disputes.dispute_rows(street, replace(BASE, size_bands=(25,)), settings)
    assert len(rows_big) == len(disputes.dispute_rows(street, BASE, settings)) > 0
    assert rows_small.empty


DISPUTE_COUNTS = {  # function -> its total of cases on the small street, worked out in tests/small_street.py
    "dispute_kpis": 4,  # received in 2026 by the as-of date
    "disputes_by_community": 4,
    "disputes_by_type": 4,
    "mediation_levels": 4,
    "disputes_by_month": 5,  # 2025 and 2026: one more, received in 2025
    "dispute_spikes": 4,
    "open_cases_by_age": 2,  # open on the as-of date
}


@pytest.mark.parametrize("name", DISPUTE_COUNTS)
def test_registry_filters_narrow_every_dispute_count(street, settings, name):
    """The dispute queries join the registry only when one of its filters is set; set, it narrows them:
    every case is 甲公司's (200 staff), so all of them under 100–499, none under 25–99 or 停产."""
    fn = getattr(disputes, name)
    assert int(fn(street, BASE, settings)["cases"].sum()) == DISPUTE_COUNTS[name]
    assert int(fn(street, replace(BASE, size_bands=(100,)), settings)["cases"].sum()) == DISPUTE_COUNTS[name]
    for narrowed in (replace(BASE, size_bands=(25,)), replace(BASE, statuses=("停产",))):
        assert int(fn(street, narrowed, settings)["cases"].sum()) == 0, narrowed


# ---- the filter bar under AppTest ----------------------------------------------------------------


def run_app(query: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def test_url_band_and_status_seed_the_bar_and_narrow_u1(small_db):
    at = run_app({"year": "2026", "as_of": "2026-06-30", "band": "25", "st": "正常经营"})
    assert not at.exception
    assert at.multiselect(key="f_size_bands").value == [25]
    assert at.multiselect(key="f_statuses").value == ["正常经营"]
    assert {m.label: m.value for m in at.metric}["25人以上企业独立建会率（U1）"] == "40.0%"  # 2/5, see above
    assert any("职工规模" in c.value for c in at.sidebar.caption)  # the bar says what each filter does


def test_band_and_status_written_to_url_and_kept_across_pages(small_db):
    at = run_app({"year": "2026", "as_of": "2026-06-30"})
    at.multiselect(key="f_size_bands").set_value([100, 25]).run()
    at.multiselect(key="f_statuses").set_value(["正常经营"]).run()
    assert at.query_params["band"] == "25,100"
    assert at.query_params["st"] == "正常经营"
    at.switch_page("app_pages/unionization.py").run()
    assert not at.exception
    assert at.multiselect(key="f_size_bands").value == [100, 25]
    assert at.date_input(key="f_as_of_2026").value == date(2026, 6, 30)
    at.multiselect(key="f_size_bands").set_value([]).run()
    assert "band" not in at.query_params  # cleared filters leave the link


def test_bad_url_values_are_ignored(small_db):
    at = run_app({"year": "2026", "band": "7,abc,500", "st": "不存在"})
    assert not at.exception
    assert at.multiselect(key="f_size_bands").value == [500]
    assert at.multiselect(key="f_statuses").value == []
