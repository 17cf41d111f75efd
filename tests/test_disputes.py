"""D1 劳动争议 on the hand-written ledgers of tests/dispute_fixture.py; expected values worked out by hand.

Cases received 2026-01-01 … 2026-06-30: K1-K6 (K9 came after the as-of date, K7, K8, K10 last year).
Closed at the as-of date: K1, K2, K6 (K3 closed on 10 July, so it was open on 30 June).
"""

import math
from datetime import date

import pandas as pd
import pytest

from dashboard import disputes, metrics
from dashboard.config import Settings, load_settings
from dashboard.filters import Filters
from tests.conftest import connect_copy
from tests.dispute_fixture import AS_OF, C1, C2, C3, build_dispute_street, build_trend_street


@pytest.fixture
def settings():
    return load_settings()


@pytest.fixture
def filters():
    return Filters(year=2026, as_of=AS_OF)


@pytest.fixture
def cur(tmp_path):
    with connect_copy(tmp_path / "test.duckdb", build_dispute_street) as con:
        yield con.cursor()


@pytest.fixture
def trend(tmp_path):
    with connect_copy(tmp_path / "test.duckdb", build_trend_street) as con:
        yield con.cursor()


def with_rules(settings: Settings, **rules) -> Settings:
    return Settings({**settings.raw, "rules": {**settings.raw["rules"], **rules}})


def test_kpis(cur, filters, settings):
    k = disputes.dispute_kpis(cur, filters, settings).iloc[0]
    assert (k["cases"], k["cases_last"]) == (6, 2)  # last year's 1 Jan - 30 Jun: K8, K10
    assert k["collective"] == 2  # K1 (12 workers) and K4 (exactly 10)
    assert k["workers"] == 28  # 12 + 1 + 3 + 10 + 1 + 1
    assert (k["closed"], k["success"]) == (3, 1)
    assert k["success_rate"] == pytest.approx(1 / 3)
    assert k["median_days"] == 21.5  # K1 15 days, K2 28 days; K6 has no closing date
    assert (k["open_now"], k["overdue_now"]) == (4, 3)  # K3, K4, K5, K8 open; K5 is exactly 15 days
    assert k["open_this_year"] == 3  # K3, K4, K5: K8 was received in 2025
    assert (k["wage_cases"], k["wage_workers"], k["wage_amount"]) == (3, 25, 59000)


def test_collective_threshold_is_configurable(cur, filters, settings):
    k = disputes.dispute_kpis(cur, filters, with_rules(settings, collective_dispute_workers=11)).iloc[0]
    assert k["collective"] == 1  # only K1's 12 workers


def test_by_month_with_moving_average(cur, filters, settings):
    frame = disputes.disputes_by_month(cur, filters, settings)
    assert len(frame) == 24
    busy = frame[frame["cases"].fillna(0) > 0]
    got = {(r.year, r.month): r.cases for r in busy.itertuples()}
    assert got == {(2025, 3): 1, (2025, 6): 1, (2025, 12): 1, (2026, 1): 1, (2026, 2): 1, (2026, 5): 1, (2026, 6): 3}
    by = frame.set_index(["year", "month"])
    assert by.loc[(2026, 1), "ma3"] == pytest.approx(2 / 3)  # Nov 0, Dec 1, Jan 1
    assert by.loc[(2026, 6), "ma3"] == pytest.approx(4 / 3)  # Apr 0, May 1, Jun 3
    assert by.loc[(2026, 6), "collective"] == 1 and by.loc[(2026, 1), "collective"] == 1
    later = frame[frame["after_as_of"]]
    assert list(later["month"]) == [7, 8, 9, 10, 11, 12] and later["cases"].isna().all()


def test_by_type(cur, filters, settings):
    frame = disputes.disputes_by_type(cur, filters, settings).set_index("dispute_type")
    assert list(frame.index) == ["劳动报酬", "解除/终止劳动合同", "社会保险", "工伤待遇", "经济补偿", "加班", "其他"]
    cols = ["cases", "collective", "workers", "amount", "closed", "success"]
    assert frame.loc["劳动报酬", cols].tolist() == [3, 2, 25, 59000, 1, 1]
    assert frame.loc["劳动报酬", "success_rate"] == 1.0
    assert frame.loc["解除/终止劳动合同", "success_rate"] == 0.0
    assert math.isnan(frame.loc["社会保险", "success_rate"])  # nothing closed: no rate
    assert frame.loc["工伤待遇", "cases"] == 0


def test_by_industry_joins_the_registry(cur, filters, settings):
    frame = disputes.disputes_by_industry(cur, filters, settings)
    assert frame[["industry", "cases", "workers"]].values.tolist() == [
        ["住宿和餐饮业", 2, 13],
        ["制造业", 2, 13],
        ["未匹配企业名录", 2, 2],
    ]


def test_by_community(cur, filters, settings):
    frame = disputes.disputes_by_community(cur, filters, settings)
    cols = ["community", "cases", "collective", "workers", "amount", "open_now", "overdue_now"]
    # cases, collective, workers, amount: this year's (K1-K6); open_now, overdue_now: every case open on 30 June,
    # as on the page's 全部未结（含往年） card: 向阳 K3, K4, K5 (K5 exactly 15 days, not overdue); 东风 K8 of 2025
    assert frame[cols].values.tolist() == [
        [C2, 4, 1, 15, 10000, 3, 2],
        [C1, 2, 1, 13, 58000, 1, 1],
        [C3, 0, 0, 0, 0, 0, 0],
    ]


def test_three_level_mediation(cur, filters, settings):
    frame = disputes.mediation_levels(cur, filters, settings).set_index("level")
    assert list(frame.index) == ["企业", "社区", "街道"]
    cols = ["cases", "closed", "success", "failed", "withdrawn", "open"]
    assert frame.loc["企业", cols].tolist() == [3, 2, 0, 1, 1, 1]
    assert frame.loc["社区", cols].tolist() == [2, 0, 0, 0, 0, 2]
    assert frame.loc["街道", cols].tolist() == [1, 1, 1, 0, 0, 0]
    assert frame.loc["企业", "success_rate"] == 0.0
    assert math.isnan(frame.loc["社区", "success_rate"])
    assert frame.loc["街道", "success_rate"] == 1.0
    assert frame.loc["街道", "share_of_settled"] == 1.0


def test_open_cases_by_age_and_overdue(cur, filters, settings):
    frame = disputes.open_cases(cur, filters, settings)
    assert frame[["case_no", "age_days", "age_band", "overdue"]].values.tolist() == [
        ["K8", 477, "90天以上", True],
        ["K3", 60, "31–60天", True],  # closed after the as-of date: open on it
        ["K4", 29, "16–30天", True],
        ["K5", 15, "15天以内", False],  # exactly 15 days: not yet overdue
    ]
    bands = disputes.open_cases_by_age(cur, filters, settings)
    assert bands[["age_band", "cases", "overdue"]].values.tolist() == [
        ["15天以内", 1, 0],
        ["16–30天", 1, 1],
        ["31–60天", 1, 1],
        ["61–90天", 0, 0],
        ["90天以上", 1, 1],
    ]
    longer = disputes.open_cases(cur, filters, with_rules(settings, mediation_overdue_days=30))
    assert longer["overdue"].tolist() == [True, True, False, False]


def test_wage_arrears(cur, filters, settings):
    frame = disputes.wage_arrears_by_community(cur, filters, settings)
    assert frame[["community", "cases", "workers", "amount", "collective", "open"]].values.tolist() == [
        [C1, 1, 12, 50000, 1, 0],
        [C2, 2, 13, 9000, 1, 2],
    ]


def test_repeat_employers_in_rolling_twelve_months(cur, filters, settings):
    frame = disputes.repeat_employers(cur, filters, settings)
    # window 2025-07-01 … 2026-06-30: 甲厂 K7, K1, K2 (K8 too old); 乙店 K3, K4 (K10 exactly 12 months back)
    assert frame[["name", "cases", "workers"]].values.tolist() == [["甲厂", 3, 15], ["乙店", 2, 13], ["无名店", 2, 2]]
    assert frame.iloc[0]["types"] == "劳动报酬、解除/终止劳动合同"
    assert frame.iloc[0]["case_nos"] == "K7、K1、K2"
    three = disputes.repeat_employers(cur, filters, with_rules(settings, repeat_employer_cases=3))
    assert three["name"].tolist() == ["甲厂"]


def test_rows_for_drill_down(cur, filters, settings):
    rows = disputes.dispute_rows(cur, filters, settings)
    assert sorted(rows["case_no"]) == sorted(["K1", "K2", "K3", "K4", "K5", "K6", "K7", "K8", "K10"])
    k3 = rows.set_index("case_no").loc["K3"]
    assert k3["outcome"] == "调解中" and k3["closed_on"] != k3["closed_on"]  # its state on the as-of date
    assert sorted(disputes.drill(rows, year=2026, month=6)["case_no"]) == ["K4", "K5", "K6"]
    assert disputes.drill(rows, collective=True, year=2026)["case_no"].tolist() == ["K4", "K1"]


def test_a_page_of_cases_and_their_count(cur, filters, settings):
    """The page narrows the cases in the database: the same cases as the drill over every row, in the
    same order (received_on descending), the first `limit` of them, and how many there are."""
    rows = disputes.dispute_rows(cur, filters, settings)
    june = disputes.dispute_rows_page(cur, filters, settings, where={"year": 2026, "month": 6, "level": None})
    assert june.frame.equals(disputes.drill(rows, year=2026, month=6))
    assert june.total == 3
    collective = disputes.dispute_rows_page(cur, filters, settings, where={"collective": True, "year": 2026}, limit=1)
    assert collective.frame["case_no"].tolist() == ["K4"] and collective.total == 2
    with pytest.raises(ValueError):
        disputes.dispute_rows_page(cur, filters, settings, where={"year; drop table x": 1})


def test_industry_filter(cur, settings):
    f = Filters(year=2026, as_of=AS_OF, industries=("制造业",))
    k = disputes.dispute_kpis(cur, f, settings).iloc[0]
    assert (k["cases"], k["open_now"]) == (2, 1)  # K1, K2; K8 still open
    assert k["open_this_year"] == 0  # K1 and K2 are closed


def test_d1_summary_names_this_years_open_cases_and_follows_every_filter(cur, filters, settings):
    """The overview's D1 counts what the 劳动争议 page counts: 本年受理未结 is this year's open cases (K3, K4,
    K5), not K8 of 2025, which is in 全部未结（含往年） only; the industry filter narrows both alike."""
    d = metrics.dispute_summary(cur, filters, settings)
    assert {k: d[k] for k in metrics.D1_KEYS} == {
        "cases": 6,
        "closed": 3,
        "success": 1,
        "collective": 2,
        "open_this_year": 3,
    }
    k = disputes.dispute_kpis(cur, filters, settings).iloc[0]
    assert (k["cases"], k["open_this_year"], k["open_now"]) == (6, 3, 4)
    made = Filters(year=2026, as_of=AS_OF, industries=("制造业",))  # 甲厂: K1, K2 this year, K8 of 2025
    d = metrics.dispute_summary(cur, made, settings)
    assert (d["cases"], d["closed"], d["success"], d["collective"], d["open_this_year"]) == (2, 2, 1, 1, 0)
    assert d["success_rate"] == 0.5  # K1 success, K2 failed
    small = Filters(year=2026, as_of=AS_OF, statuses=("停产",))  # no registry entry is 停产
    assert metrics.dispute_summary(cur, small, settings)["cases"] == 0


def test_community_filter(cur, settings):
    f = Filters(year=2026, as_of=AS_OF, communities=(C1,))
    assert disputes.dispute_kpis(cur, f, settings).iloc[0]["cases"] == 2
    assert disputes.disputes_by_community(cur, f, settings)["community"].tolist() == [C1]


def test_spike_rule_mean_plus_two_sd(trend, filters, settings):
    frame = disputes.dispute_spikes(trend, filters, settings).set_index("month")
    # January 2026 looks at Jan-Dec 2025 = 7,1,7,1,6,2,4,4,4,4,4,4: mean 48/12 = 4, squared deviations
    # 9+9+9+9+4+4 = 44, sample sd = sqrt(44/11) = 2, so the line is 4 + 2*2 = 8; 8 cases is not above it.
    assert frame.loc[1, "mean_prev"] == 4 and frame.loc[1, "sd_prev"] == pytest.approx(2)
    assert frame.loc[1, "threshold"] == pytest.approx(8)
    assert frame.loc[1, "cases"] == 8 and not frame.loc[1, "spike"]
    # March 2026 looks at Mar 2025-Feb 2026 = 7,1,6,2,4,4,4,4,4,4,8,0: mean 4, squared deviations
    # 9+9+4+4+16+16 = 58, sd = sqrt(58/11) = 2.296, line 8.59; 9 cases is above it.
    assert frame.loc[3, "sd_prev"] == pytest.approx(math.sqrt(58 / 11))
    assert frame.loc[3, "threshold"] == pytest.approx(4 + 2 * math.sqrt(58 / 11))
    assert frame.loc[3, "spike"]
    assert frame["spike"].tolist() == [False, False, True, False, False, False]


def test_no_spike_judged_without_twelve_months_of_history(trend, settings):
    frame = disputes.dispute_spikes(trend, Filters(year=2025), settings)
    assert not frame["judged"].any() and not frame["spike"].any()  # the ledger starts in January 2025


def test_early_warnings_trend(trend, filters, settings):
    w = disputes.early_warnings(trend, filters, settings)
    assert w["kind"].tolist() == [disputes.SPIKE]
    assert w.iloc[0]["cases"] == 9
    assert w.iloc[0]["message"].startswith(
        "2026年3月受理劳动争议 9 件，超过前12个月平均 4.0 件加2倍标准差（预警线 8.6 件）"
    )


def test_early_warnings_spike_and_collective(cur, filters, settings):
    # June 2026 (3 cases) against Jun 2025-May 2026 (five months of 1, seven of 0): mean 5/12, sample sd
    # sqrt((5*(7/12)^2 + 7*(5/12)^2)/11) = 0.515, line 1.45 -> spike. Earlier months are judged only from
    # March 2026 (the ledger starts in March 2025) and stay under their lines.
    spikes = disputes.dispute_spikes(cur, filters, settings).set_index("month")
    assert spikes.loc[6, "threshold"] == pytest.approx(
        5 / 12 + 2 * math.sqrt((5 * (7 / 12) ** 2 + 7 * (5 / 12) ** 2) / 11)
    )
    assert spikes["judged"].tolist() == [False, False, True, True, True, True]
    w = disputes.early_warnings(cur, filters, settings)
    assert w["kind"].tolist() == [disputes.SPIKE, disputes.COLLECTIVE, disputes.COLLECTIVE]
    assert w["case_no"].tolist()[1:] == ["K4", "K1"]  # newest first
    assert w.iloc[1]["message"] == "集体争议：向阳社区 乙店，劳动报酬，涉及 10 人，2026-06-01 受理，尚未结案（K4）。"
    assert "涉及金额 5.00万元" in w.iloc[2]["message"] and "调解成功" in w.iloc[2]["message"]


def _spike_rows(c, filters, settings) -> list:
    both = disputes.early_warnings(c, filters, settings)
    return both[both["kind"] == disputes.SPIKE][disputes.SPIKE_COLUMNS].values.tolist()


def test_spike_warnings_are_the_spike_months_alone(cur, filters, settings):
    """总览's alerts: the spike months only. June 2026's 3 cases against a mean of 5/12 = 0.417 and a line of
    0.417 + 2 * 0.515 = 1.446 (worked out above); the two collective disputes are not among them."""
    w = disputes.spike_warnings(cur, filters, settings)
    assert w.columns.tolist() == disputes.SPIKE_COLUMNS
    assert w["kind"].tolist() == [disputes.SPIKE] and w.iloc[0]["cases"] == 3
    assert w.iloc[0]["date"] == pd.Timestamp("2026-06-01")
    assert w.iloc[0]["message"] == (
        "2026年6月受理劳动争议 3 件，超过前12个月平均 0.4 件加2倍标准差（预警线 1.4 件），请关注。"
    )
    assert w.values.tolist() == _spike_rows(cur, filters, settings)  # the page's early warnings, spike rows
    assert disputes.spike_warnings(cur, Filters(year=2020), settings).empty


def test_spike_warnings_on_the_trend(trend, filters, settings):
    # March 2026: 9 cases against 4 + 2 * sqrt(58/11) = 8.59 (test_spike_rule_mean_plus_two_sd)
    w = disputes.spike_warnings(trend, filters, settings)
    assert w["cases"].tolist() == [9] and w.iloc[0]["threshold"] == pytest.approx(4 + 2 * math.sqrt(58 / 11))
    assert w.values.tolist() == _spike_rows(trend, filters, settings)


def test_empty_year_has_no_warnings(cur, settings):
    f = Filters(year=2020)
    assert disputes.early_warnings(cur, f, settings).empty
    k = disputes.dispute_kpis(cur, f, settings).iloc[0]
    assert k["cases"] == 0 and math.isnan(k["success_rate"])


def test_a_collective_dispute_without_a_type_says_so(con, settings):
    """Two collective cases, one with no type: its message reads 未填类型 (it read "nan" when the column
    held a type elsewhere, a pandas string column's missing value being truthy)."""
    from tests.conftest import add_batch
    from tests.dispute_fixture import case

    add_batch(
        con,
        "disputes",
        [
            case("C-1", C1, "某公司", None, date(2026, 5, 1), None, 12, None, "街道", "调解中"),
            case("C-2", C1, "某公司", None, date(2026, 5, 2), "加班", 12, None, "街道", "调解中"),
        ],
    )
    w = disputes.early_warnings(con.cursor(), Filters(year=2026, as_of=date(2026, 6, 30)), settings)
    messages = dict(zip(w["case_no"], w["message"], strict=True))
    assert messages["C-1"] == "集体争议：东风社区 某公司，未填类型，涉及 12 人，2026-05-01 受理，尚未结案（C-1）。"
    assert "，加班，" in messages["C-2"]


def test_a_repeat_employer_is_named_as_on_its_latest_case(con, settings):
    """Three cases of one employer (uscc U9); the last two on the same day under different names: the
    higher case number, K-3, names it, for name and community alike."""
    from tests.conftest import add_batch
    from tests.dispute_fixture import case

    add_batch(
        con,
        "disputes",
        [
            case("K-1", C1, "旧名厂", "U9", date(2026, 3, 1), "加班", 1, None, "企业", "调解中"),
            case("K-2", C1, "旧名厂", "U9", date(2026, 5, 1), "加班", 1, None, "企业", "调解中"),
            case("K-3", C2, "新名厂", "U9", date(2026, 5, 1), "加班", 1, None, "企业", "调解中"),
        ],
    )
    frame = disputes.repeat_employers(con.cursor(), Filters(year=2026, as_of=date(2026, 6, 30)), settings)
    row = frame.iloc[0]
    assert (row["name"], row["community"], row["cases"], row["case_nos"]) == ("新名厂", C2, 3, "K-1、K-2、K-3")
