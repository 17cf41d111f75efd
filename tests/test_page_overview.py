"""总览 under AppTest: the 落后社区 list capped at district size, and the dispute spike alerts."""

from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.conftest import app_database
from tests.dispute_fixture import build_dispute_street
from tests.ledger_fixtures import ent

ROOT = Path(__file__).resolve().parent.parent
QUERY = {"year": "2026", "as_of": "2026-06-30"}


def build_twenty_communities(con):
    """社区01-社区20, all behind. 社区06-20: one 30-staff enterprise without a union (U1, U2 missed, and the
    three counts: 5 targets). 社区01-05: two enterprises unionized in March 2026 (U1, U2 and U3 met; W1 with
    no agreement, W2 and H2 missed: 4 targets)."""
    from tests.conftest import add_batch

    rows = [
        ent(f"社区{i:02d}", f"企业{i:02d}", f"U{i:02d}", union_status="未建会", union_founded=None)
        for i in range(6, 21)
    ]
    rows += [
        ent(f"社区{i:02d}", f"企业{i:02d}{k}", f"U{i:02d}{k}", union_founded=date(2026, 3, 1))
        for i in range(1, 6)
        for k in "ab"
    ]
    add_batch(con, "enterprises", rows)


def open_overview(query: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def behind_rows(at: AppTest) -> list[tuple[str, str]]:
    table = next(t.value for t in at.table if "未达标项数" in t.value.columns)
    return list(zip(table["社区"], table["未达标项数"].astype(str), strict=True))


def test_behind_shows_the_worst_fifteen_then_all(tmp_path, monkeypatch):
    app_database(tmp_path / "twenty.duckdb", build_twenty_communities, monkeypatch)
    at = open_overview(QUERY)
    assert not at.exception
    shown = behind_rows(at)
    # the fifteen with 5 targets missed, by name; 社区01-05 (4 missed) wait behind the toggle
    assert shown == [(f"社区{i:02d}", "5") for i in range(6, 21)]
    assert any("共 20 个社区未达标" in c.value and "前 15 个" in c.value for c in at.caption)
    toggle = at.toggle(key="ov_behind_all")
    assert toggle.label == "展开全部（20 个）" and not toggle.value
    toggle.set_value(True).run()
    assert not at.exception
    assert behind_rows(at) == shown + [(f"社区{i:02d}", "4") for i in range(1, 6)]


def test_a_short_list_has_no_toggle(small_db):
    at = open_overview(QUERY)
    assert not at.exception
    assert len(behind_rows(at)) <= 2  # the small street's two communities, whole
    assert not [t for t in at.toggle if t.key == "ov_behind_all"]
    assert not any("未达标，按未达标项数" in c.value for c in at.caption)


def test_spike_alerts_are_the_dispute_pages_spike_rows(tmp_path, monkeypatch):
    """The overview shows the spike months (disputes.spike_warnings), the same text as the old path (the
    spike rows of disputes.early_warnings), and the collective disputes as one count, not one by one."""
    from dashboard import db, disputes, scope
    from dashboard.config import load_settings
    from dashboard.filters import Filters

    path = app_database(tmp_path / "disputes.duckdb", build_dispute_street, monkeypatch)
    at = open_overview(QUERY)
    assert not at.exception
    with scope.using(scope.ALL), db.connect(path) as con:
        old = disputes.early_warnings(con.cursor(), Filters(year=2026, as_of=date(2026, 6, 30)), load_settings())
    spikes = list(old[old["kind"] == disputes.SPIKE]["message"])
    assert spikes == ["2026年6月受理劳动争议 3 件，超过前12个月平均 0.4 件加2倍标准差（预警线 1.4 件），请关注。"]
    warnings = [w.value for w in at.warning]
    assert [w for w in warnings if "超过前12个月平均" in w] == spikes
    assert "本年有集体争议 2 件，详见「劳动争议」页。" in warnings
    assert not any(w.startswith("集体争议：") for w in warnings)
