"""The sample street: deterministic files, the story the truth tells, and the importer reading it back."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest
from stdnum.cn import ric, uscc

from dashboard import spec
from dashboard.ledgers.parse import parse_file

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "data" / "sample"
TODAY = pd.Timestamp("2026-11-20")
A_OR_ABOVE = ("A", "AA", "AAA")


def _load_generator():
    path = ROOT / "data" / "make_sample.py"
    mod_spec = importlib.util.spec_from_file_location("make_sample", path)
    module = importlib.util.module_from_spec(mod_spec)
    sys.modules["make_sample"] = module
    mod_spec.loader.exec_module(module)
    return module


ms = _load_generator()


@pytest.fixture(scope="module")
def truth() -> dict[str, pd.DataFrame]:
    return ms.build_truth()


@pytest.fixture(scope="module")
def kept(truth) -> dict[str, pd.DataFrame]:
    """What the dashboard should hold: the truth less the rows the importer must reject."""
    return {k: df[~df["expect_rejected"]].reset_index(drop=True) for k, df in truth.items()}


def _sha(paths) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


# --- determinism -------------------------------------------------------------------------------


def test_two_runs_write_identical_files(tmp_path, truth):
    first = ms.write_sample(tmp_path / "a", truth)
    second = ms.write_sample(tmp_path / "b", ms.build_truth())
    assert len(first) == 15  # 14 files of the five ledgers and 工作计划台账.xlsx
    assert _sha(first) == _sha(second)


def test_committed_sample_is_what_the_script_makes(tmp_path, truth):
    made = _sha(ms.write_sample(tmp_path, truth))
    committed = _sha(sorted(SAMPLE_DIR.glob("*.xlsx")))
    assert committed == made, "data/sample is stale: run python data/make_sample.py and commit"


def test_sample_is_small():
    assert sum(p.stat().st_size for p in SAMPLE_DIR.glob("*.xlsx")) < 2 * 1024 * 1024


# --- counts, dates, codes ----------------------------------------------------------------------


def test_sizes_and_communities(truth):
    ent = truth["enterprises"]
    assert 1400 <= len(ent) <= 1600
    assert ent["community"].nunique() == 10
    assert all(c.endswith("社区") for c in ent["community"].unique())
    assert 2800 <= len(truth["aid"]) <= 3200
    assert 550 <= len(truth["disputes"]) <= 650
    for name, df in truth.items():
        assert list(df.columns[: len(spec.LEDGERS[name].columns)]) == spec.LEDGERS[name].columns
        assert "community" in df.columns and "expect_rejected" in df.columns


def test_nothing_is_dated_after_today(truth):
    dates = {
        "enterprises": ["union_founded"],
        "wage_agreements": ["signed_on"],
        "harmonious": ["assessed_on"],
        "aid": ["given_on"],
        "disputes": ["received_on", "closed_on"],
    }
    for ledger, cols in dates.items():
        for c in cols:
            assert truth[ledger][c].max() <= TODAY, (ledger, c)
    for ledger, c in (("aid", "given_on"), ("disputes", "received_on"), ("wage_agreements", "signed_on")):
        assert truth[ledger][c].min() >= pd.Timestamp("2024-01-01")
        assert set(truth[ledger][c].dt.year) == {2024, 2025, 2026}
    assert set(truth["harmonious"]["year"]) == {2024, 2025, 2026}
    w = truth["wage_agreements"]
    assert (w["expires_on"] >= w["signed_on"]).all()
    d = truth["disputes"].dropna(subset=["closed_on"])
    assert (d["closed_on"] >= d["received_on"]).all()


def test_codes_are_valid_except_the_planted_bad_ones(truth):
    ent = truth["enterprises"]
    bad = ent["expect_problem"].isin([ms.BAD_USCC_CHECK, ms.BAD_USCC_LENGTH])
    assert bad.sum() == 4
    codes = ent.loc[~bad, "uscc"].dropna()
    assert codes.map(uscc.is_valid).all()
    assert not ent.loc[bad, "uscc"].map(uscc.is_valid).any()
    assert ent["uscc"].dropna().is_unique
    assert truth["aid"]["id_number"].map(ric.is_valid).all()
    assert ent["expect_rejected"].sum() == 4  # two 职工人数 in words, two codes of the wrong length


# --- the story ---------------------------------------------------------------------------------


def _normal(ent: pd.DataFrame) -> pd.DataFrame:
    return ent[ent["status"] == "正常经营"]


def test_union_coverage_story(kept):
    normal = _normal(kept["enterprises"])
    big = normal[normal["employees"] >= 25]
    own = big["union_status"] == "独立建会"
    assert 0.91 <= own.mean() <= 0.94
    by_community = own.groupby(big["community"]).mean()
    assert (by_community >= 0.95).sum() >= 6
    behind = by_community[by_community < 0.86]
    assert 2 <= len(behind) <= 3
    assert (behind >= 0.80).all()
    u2 = (normal["union_status"] != "未建会").mean()
    assert 0.93 <= u2 <= 0.96
    assert (normal[normal["employees"] < 25]["union_status"] == "联合建会").sum() > 100
    assert (big["employees"] == 25).any()


def _per_community(counts: pd.Series, communities) -> pd.Series:
    return counts.reindex(sorted(communities), fill_value=0)


def _short_of_two(counts: pd.Series) -> int:
    assert (counts >= 2).sum() >= 6
    return int((counts <= 1).sum())


def test_new_unions_agreements_and_harmonious_per_community(kept):
    ent = kept["enterprises"]
    communities = ent["community"].unique()
    u3 = ent[ent["union_founded"].dt.year == 2026].groupby("community").size()
    w = kept["wage_agreements"]
    w2 = w[(w["sign_kind"] == "新签") & (w["signed_on"].dt.year == 2026)].groupby("community")["name"].nunique()
    h = kept["harmonious"]
    good = h[h["grade"].isin(A_OR_ABOVE)]
    first_good = good.groupby(["community", "name"])["year"].min()
    h2 = first_good[first_good == 2026].groupby(level="community").size()
    for counts in (u3, w2, h2):
        assert 2 <= _short_of_two(_per_community(counts, communities)) <= 3


def test_agreement_coverage_story(kept):
    normal = _normal(kept["enterprises"])
    unionised = normal[normal["union_status"] != "未建会"]
    w = kept["wage_agreements"]
    in_force = w[(w["signed_on"] <= TODAY) & (w["expires_on"] >= TODAY)]
    by_code = set(in_force["uscc"].dropna())
    by_name = set(zip(in_force["community"], in_force["name"], strict=True))
    covered = [
        (u in by_code) if isinstance(u, str) else ((c, n) in by_name)
        for u, c, n in zip(unionised["uscc"], unionised["community"], unionised["name"], strict=True)
    ]
    assert 0.86 <= sum(covered) / len(covered) <= 0.90
    assert set(w["agreement_type"]) == {"单独签订", "行业性", "区域性"}
    assert ms.CATERING_AGREEMENT in set(in_force["agreement_name"].dropna())
    shared = in_force[in_force["agreement_type"] != "单独签订"].groupby("agreement_name")["name"].nunique()
    assert (shared >= 10).sum() >= 3  # industry and area agreements cover many small firms
    soon = in_force["expires_on"] <= TODAY + pd.Timedelta(days=60)
    assert 10 <= soon.sum() <= 150
    latest = w.sort_values("signed_on").groupby("name").tail(1)
    assert (latest["expires_on"] < TODAY).sum() >= 20  # expired without renewal
    assert w["wage_increase_pct"].between(3, 8).all()
    assert set(w["sign_kind"]) == {"新签", "续签"}


def test_harmonious_story(kept):
    normal = _normal(kept["enterprises"])
    own = normal[normal["union_status"] == "独立建会"]
    h = kept["harmonious"]
    latest = h.sort_values("year").groupby(["community", "name"]).tail(1)
    good = {
        (c, n) for c, n, g in zip(latest["community"], latest["name"], latest["grade"], strict=True) if g in A_OR_ABOVE
    }
    share = sum((c, n) in good for c, n in zip(own["community"], own["name"], strict=True)) / len(own)
    assert 0.35 <= share <= 0.42
    assert set(h["grade"]) == {"AAA", "AA", "A", "未达标", "申报中"}
    grades = h.pivot_table(index="name", columns="year", values="grade", aggfunc="first")
    rank = {"未达标": 0, "A": 1, "AA": 2, "AAA": 3}
    moves = grades[[2024, 2025]].dropna().map(rank.get)
    assert (moves[2025] > moves[2024]).any() and (moves[2025] < moves[2024]).any()


def test_aid_is_seasonal(kept):
    aid = kept["aid"]
    month = aid["given_on"].dt.month
    by_campaign = aid.groupby("campaign")["given_on"].agg(lambda s: set(s.dt.month))
    assert by_campaign["夏送凉爽"] <= {7, 8}
    assert by_campaign["春送岗位"] <= {2, 3, 4}
    assert by_campaign["冬送温暖"] <= {12, 1, 2}
    assert by_campaign["金秋助学"] <= {8, 9}
    assert (aid.loc[aid["campaign"] == "春送岗位", "jobs_offered"] > 0).all()
    assert aid.loc[aid["campaign"] != "春送岗位", "jobs_offered"].isna().all()
    per_month = aid.groupby(month).size() / aid.groupby(month)["given_on"].apply(lambda s: s.dt.year.nunique())
    winter = per_month[[12, 1, 2]].mean()
    spring = per_month[[3, 4, 5, 6]].mean()
    assert winter > 3 * spring
    assert {"元旦", "春节", "中秋"} <= set(aid["festival"].dropna())
    assert {"农民工", "外来务工人员"} <= set(aid["category"])
    assert (aid["cash"] > 0).any() and (aid["goods_value"] > 0).any()
    twice = aid.assign(y=aid["given_on"].dt.year).duplicated(["id_number", "campaign", "y"])
    assert twice.sum() >= 3


def test_disputes_spike_and_outcomes(kept):
    d = kept["disputes"]
    monthly = d.groupby(d["received_on"].dt.to_period("M")).size()
    spikes = [
        p
        for i, p in enumerate(monthly.index)
        if i >= 12 and monthly[p] >= monthly.iloc[i - 12 : i].mean() + 2 * monthly.iloc[i - 12 : i].std()
    ]
    assert pd.Period("2026-01", "M") in spikes
    assert d["case_no"].is_unique
    assert (d["workers"] >= 10).sum() >= 10
    assert set(d["level"]) == {"企业", "社区", "街道"}
    assert set(d["dispute_type"]) == set(spec.VOCABULARIES["dispute_type"])
    open_cases = d[d["outcome"] == "调解中"]
    assert open_cases["closed_on"].isna().all() and d.loc[d["outcome"] != "调解中", "closed_on"].notna().all()
    ages = (TODAY - open_cases["received_on"]).dt.days
    assert ages.min() <= 15 and ages.max() >= 60


# --- the importer reads the messy files back as the truth ---------------------------------------

NATURAL_KEYS = {
    "enterprises": ("community", "name"),
    "wage_agreements": ("community", "name", "signed_on"),
    "harmonious": ("community", "name", "year"),
    "aid": ("id_number", "campaign", "given_on"),
    "disputes": ("case_no",),
}


def _plain(v):
    """One comparable Python value for a cell of either frame."""
    if v is None or v is pd.NA or (not isinstance(v, str) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp | dt.datetime):
        return v.date()
    if isinstance(v, decimal.Decimal):
        v = float(v)
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float):
        return int(v) if v.is_integer() else round(v, 4)
    return v


def _rows(df: pd.DataFrame, ledger: str, columns: list[str]) -> dict[tuple, tuple]:
    key = NATURAL_KEYS[ledger]
    out = {}
    for rec in df.to_dict("records"):
        out[tuple(_plain(rec[k]) for k in key)] = tuple(_plain(rec[c]) for c in columns)
    assert len(out) == len(df), f"{ledger}: the natural key repeats"
    return out


@pytest.fixture(scope="module")
def parsed() -> dict[str, list]:
    return {p.name: parse_file(p.read_bytes(), p.name) for p in sorted(SAMPLE_DIR.glob("*.xlsx"))}


def test_every_sample_file_parses(parsed):
    assert len(parsed) == 15
    for name, pf in parsed.items():
        assert pf.fatal is None, (name, pf.fatal)
        assert pf.ledger_sheets, name
    skipped = [s.note for s in parsed["帮扶救助台账.xlsx"].sheets if s.ledger is None]
    assert len(skipped) == 1  # the 说明 sheet


def test_communities_come_from_the_column_or_the_title(parsed, truth):
    for plan in ms.COMMUNITIES:
        pf = parsed[f"企业建会台账_{plan.name}.xlsx"]
        (sheet,) = pf.ledger_sheets
        assert set(sheet.frame["community"]) == {plan.name}
        assert (sheet.community_source == "column") == ms.LAYOUTS[plan.name]["column"]


def test_imported_rows_are_the_truth(parsed, kept, truth):
    frames: dict[str, list[pd.DataFrame]] = {}
    errors = 0
    for name, pf in parsed.items():
        if name == ms.PLAN_FILE:  # the duty ledgers: test_plan_file_holds_every_duty_ledger
            continue
        errors += sum(p.severity == "error" for p in pf.all_problems)
        for s in pf.ledger_sheets:
            frames.setdefault(s.ledger, []).append(s.frame)
    assert sum(pf.rows_rejected for pf in parsed.values()) == sum(df["expect_rejected"].sum() for df in truth.values())
    assert errors >= 4
    for ledger, parts in frames.items():
        got = pd.concat(parts, ignore_index=True)
        columns = spec.LEDGERS[ledger].columns + (["festival"] if ledger == "aid" else [])
        want = kept[ledger]
        assert len(got) == len(want), ledger
        got_rows, want_rows = _rows(got, ledger, columns), _rows(want, ledger, columns)
        assert got_rows.keys() == want_rows.keys(), ledger
        wrong = [(k, got_rows[k], want_rows[k]) for k in want_rows if got_rows[k] != want_rows[k]]
        assert not wrong, (ledger, len(wrong), wrong[:3])


def test_plan_file_holds_every_duty_ledger(parsed, truth):
    """工作计划台账.xlsx: a sheet per duty ledger, every row of build_plan_truth read back, none rejected."""
    pf = parsed[ms.PLAN_FILE]
    assert not [p for p in pf.all_problems if p.severity == "error"]
    want = ms.build_plan_truth(truth)
    got = {s.ledger: s.frame for s in pf.ledger_sheets}
    assert set(got) == {lg.name for lg in spec.PLAN_LEDGERS}
    for ledger, rows in want.items():
        assert len(got[ledger]) == len(rows) > 0, ledger
    funds = got["union_funds"]
    assert float(funds["due"].sum()) == sum(r["due"] for r in want["union_funds"])
