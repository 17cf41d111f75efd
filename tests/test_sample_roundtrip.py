"""End to end: the messy sample ledgers, imported by the real pipeline, give the same indicators as a
plain-pandas reading of the definitions over the generator's clean truth.

Two independent computations (SQL over parsed messy files vs pandas over clean rows) must agree; a
rejected row is expected only where the generator marked it `expect_rejected`.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from datetime import date

import pandas as pd
import pytest

from dashboard import config, db, metrics
from dashboard.filters import Filters
from dashboard.ledgers.load import import_files
from dashboard.sample import sample_files

YEAR, AS_OF = 2026, pd.Timestamp(2026, 11, 20)
A_GRADES = {"A", "AA", "AAA"}


@pytest.fixture(scope="module")
def truth():
    spec_ = importlib.util.spec_from_file_location("make_sample", config.DATA_DIR / "make_sample.py")
    module = importlib.util.module_from_spec(spec_)
    sys.modules["make_sample"] = module  # its dataclasses look their module up
    spec_.loader.exec_module(module)
    return {k: v[~v["expect_rejected"].astype(bool)].copy() for k, v in module.build_truth().items()}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sample")
    mp = pytest.MonkeyPatch()
    mp.setenv("UNION_DASHBOARD_ARCHIVE", str(tmp / "archive"))
    try:
        with db.connect(tmp / "sample.duckdb") as con:
            results = import_files(con, sample_files(), street="示例街道")
            ov = metrics.overview(con.cursor(), Filters(year=YEAR, as_of=AS_OF.date()), config.load_settings())
            counts = {
                t: con.execute(f"select count(*) from v_{t}").fetchone()[0]
                for t in ("enterprises", "wage_agreements", "harmonious", "aid", "disputes")
            }
    finally:
        mp.undo()
    return results, ov, counts


def _key(frame: pd.DataFrame, registry: pd.DataFrame) -> pd.Series:
    """Resolve rows to registry enterprises: by uscc, else by name within the community."""
    by_uscc = registry.dropna(subset=["uscc"]).set_index("uscc")["key"]
    by_name = registry.set_index(["community", "name"])["key"]
    keys = []
    for uscc, community, name in zip(frame["uscc"], frame["community"], frame["name"], strict=True):
        if isinstance(uscc, str) and uscc in by_uscc.index:
            keys.append(by_uscc[uscc])
        elif (community, name) in by_name.index:
            keys.append(by_name[(community, name)])
        else:
            keys.append(uscc if isinstance(uscc, str) else f"{community}|{name}")
    return pd.Series(keys, index=frame.index)


def _registry(truth) -> pd.DataFrame:
    e = truth["enterprises"].copy()
    e["key"] = [
        u if isinstance(u, str) else f"{c}|{n}" for u, c, n in zip(e["uscc"], e["community"], e["name"], strict=True)
    ]
    e["founded_ok"] = e["union_founded"].isna() | (e["union_founded"] <= AS_OF)
    return e


def test_every_file_imported_and_row_counts_match(truth, imported):
    results, _, counts = imported
    assert {r.status for r in results} == {"imported"}
    for ledger in ("enterprises", "wage_agreements", "harmonious", "aid", "disputes"):
        assert counts[ledger] == len(truth[ledger]), ledger


def test_union_rates_match_truth(truth, imported):
    _, ov, _ = imported
    e = _registry(truth)
    operating = e[e["status"] == "正常经营"]
    big = operating[operating["employees"] >= 25]
    u1 = (big["union_status"].eq("独立建会") & big["founded_ok"]).sum()
    u2 = (operating["union_status"].ne("未建会") & operating["founded_ok"]).sum()
    assert (ov.rates["U1"].numerator, ov.rates["U1"].denominator) == (u1, len(big))
    assert (ov.rates["U2"].numerator, ov.rates["U2"].denominator) == (u2, len(operating))
    assert ov.rates["U1"].gap == max(0, math.ceil(0.95 * len(big) - 1e-9) - u1)


def test_new_unions_per_community_match_truth(truth, imported):
    _, ov, _ = imported
    e = _registry(truth)
    new = e[e["union_status"].ne("未建会") & (e["union_founded"].dt.year == YEAR) & (e["union_founded"] <= AS_OF)]
    expected = new.groupby("community").size().reindex(sorted(e["community"].unique()), fill_value=0)
    got = ov.counts["U3"].set_index("community")["count"].sort_index()
    assert got.to_dict() == expected.to_dict()


def test_wage_signing_matches_truth(truth, imported):
    _, ov, _ = imported
    e = _registry(truth)
    a = truth["wage_agreements"].copy()
    a["key"] = _key(a, e)
    in_force = set(a.loc[(a["signed_on"] <= AS_OF) & (a["expires_on"] >= AS_OF), "key"])
    base = e[(e["status"] == "正常经营") & e["union_status"].ne("未建会") & e["founded_ok"]]
    assert (ov.rates["W1"].numerator, ov.rates["W1"].denominator) == (base["key"].isin(in_force).sum(), len(base))
    new = a[(a["sign_kind"] == "新签") & (a["signed_on"].dt.year == YEAR) & (a["signed_on"] <= AS_OF)]
    expected = new.groupby("community")["key"].nunique().reindex(sorted(e["community"].unique()), fill_value=0)
    assert ov.counts["W2"].set_index("community")["count"].sort_index().to_dict() == expected.to_dict()


def test_harmonious_matches_truth(truth, imported):
    _, ov, _ = imported
    e = _registry(truth)
    h = truth["harmonious"].copy()
    h["key"] = _key(h, e)
    latest = h[h["year"] <= YEAR].sort_values(["year", "assessed_on"]).groupby("key").tail(1).set_index("key")["grade"]
    base = e[(e["status"] == "正常经营") & (e["union_status"] == "独立建会") & e["founded_ok"]]
    numerator = base["key"].map(latest).isin(A_GRADES).sum()
    assert (ov.rates["H1"].numerator, ov.rates["H1"].denominator) == (numerator, len(base))
    first_a = h[h["grade"].isin(A_GRADES)].groupby(["community", "key"])["year"].min().reset_index()
    expected = first_a[first_a["year"] == YEAR].groupby("community").size()
    expected = expected.reindex(sorted(e["community"].unique()), fill_value=0)
    assert ov.counts["H2"].set_index("community")["count"].sort_index().to_dict() == expected.to_dict()


def test_aid_and_disputes_match_truth(truth, imported):
    _, ov, _ = imported
    aid = truth["aid"]
    aid = aid[(aid["given_on"].dt.year == YEAR) & (aid["given_on"] <= AS_OF)]
    by_campaign = aid.groupby("campaign").agg(people=("recipient", "size"), cash=("cash", "sum"))
    got = ov.aid.set_index("campaign")
    assert got["people"].to_dict() == by_campaign["people"].to_dict()
    assert {k: round(float(v), 2) for k, v in got["cash"].items()} == {
        k: round(float(v), 2) for k, v in by_campaign["cash"].items()
    }
    d = truth["disputes"]
    d = d[(d["received_on"].dt.year == YEAR) & (d["received_on"] <= AS_OF)]
    closed = d["outcome"].ne("调解中") & (d["closed_on"].isna() | (d["closed_on"] <= AS_OF))
    assert ov.disputes["cases"] == len(d)
    assert ov.disputes["closed"] == closed.sum()
    assert ov.disputes["success"] == (closed & d["outcome"].eq("调解成功")).sum()
    assert ov.disputes["collective"] == (d["workers"] >= 10).sum()


def test_story_is_realistic(imported):
    """The sample must show a street near its targets with some communities clearly behind."""
    _, ov, _ = imported
    assert 0.88 <= ov.rates["U1"].rate < 0.95
    assert (ov.rates_by_community["U1"]["rate"] < 0.9).sum() >= 2
    for code in ("U3", "W2", "H2"):
        assert (ov.counts[code]["short"] > 0).any(), code
    assert date(2026, 11, 20) == AS_OF.date()
