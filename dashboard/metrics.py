"""One function per indicator of the work plan (U1…D1): (cursor, filters, settings) -> DataFrame.

Each runs the queries/*.sql file of the same name. Rates come back per community with numerator and
denominator; dashboard.rates turns counts into the rate, the gap to target in enterprises and the
red/amber/green status that pages and the CLI show (dashboard.filters holds the Filters they take).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from dashboard import spec
from dashboard.config import Settings
from dashboard.db import run_query, side_by_side
from dashboard.filters import Filters
from dashboard.rates import AMBER, RED, RateResult, count_by_community, rate_by_community, summarise_rate

Cursor = duckdb.DuckDBPyConnection

# the names of the indicators, as spec.INDICATORS (the 口径 beside them) writes them
RATE_LABELS = {code: spec.INDICATORS[code].name for code in ("U1", "U2", "W1", "H1")}
COUNT_LABELS = {code: spec.INDICATORS[code].name for code in ("U3", "W2", "H2")}


# ---- U: union coverage ----------------------------------------------------------------------------


def union_coverage_25plus(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """U1 per community: numerator, denominator."""
    return run_query(cur, "unionization_coverage_25plus", filters.params(settings))


def union_coverage_operating(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """U2 per community."""
    return run_query(cur, "unionization_coverage_operating", filters.params(settings))


def new_unions_by_community(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """U3 per community: count."""
    return run_query(cur, "unionization_new_by_community", filters.params(settings))


# ---- W: wage agreements --------------------------------------------------------------------------


def wage_agreement_signing(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """W1 per community."""
    return run_query(cur, "wages_agreement_signing", filters.params(settings))


def new_wage_agreements_by_community(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """W2 per community: count."""
    return run_query(cur, "wages_new_agreements_by_community", filters.params(settings))


def industry_agreements(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """W3: industry-wide and area-wide agreements in force with enterprises and employees covered."""
    return run_query(cur, "wages_industry_agreements", filters.params(settings))


# ---- H: harmonious enterprises -------------------------------------------------------------------


def harmonious_a_or_above(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """H1 per community."""
    return run_query(cur, "harmonious_a_or_above", filters.params(settings))


def new_harmonious_by_community(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """H2 per community: count."""
    return run_query(cur, "harmonious_new_by_community", filters.params(settings))


# ---- A, D: aid and disputes ----------------------------------------------------------------------


def aid_by_campaign(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """A1: people (rows), distinct people, cash, goods, jobs per campaign."""
    return run_query(cur, "aid_by_campaign", filters.params(settings))


D1_KEYS = ("cases", "closed", "success", "collective", "open_this_year")
# what the overview, the CLI and the 劳动争议 page call each D1 figure (dashboard.spec defines the open ones)
D1_LABELS = {
    "cases": "本年受理",
    "closed": "已结案",
    "success": "调解成功",
    "collective": "集体争议",
    "open_this_year": spec.OPEN_THIS_YEAR,
}


def dispute_summary(cur: Cursor, filters: Filters, settings: Settings) -> dict:
    """D1: cases received in the year, closed, success, collective, open_this_year (本年受理未结: this
    year's cases still open at the as-of date), and the success rate."""
    row = run_query(cur, "disputes_summary", filters.params(settings)).iloc[0]
    out = {k: int(row[k]) for k in D1_KEYS}
    out["success_rate"] = out["success"] / out["closed"] if out["closed"] else None
    return out


def latest_import(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """When the data was last imported (one row: last_imported_at, batches)."""
    return run_query(cur, "latest_import", filters.params(settings))


RATE_FUNCTIONS = {
    "U1": union_coverage_25plus,
    "U2": union_coverage_operating,
    "W1": wage_agreement_signing,
    "H1": harmonious_a_or_above,
}
COUNT_FUNCTIONS = {
    "U3": new_unions_by_community,
    "W2": new_wage_agreements_by_community,
    "H2": new_harmonious_by_community,
}


@dataclass
class Overview:
    """Everything the overview page and `python -m dashboard metrics` show."""

    filters: Filters
    rates: dict[str, RateResult]
    rates_by_community: dict[str, pd.DataFrame]
    counts: dict[str, pd.DataFrame]
    aid: pd.DataFrame
    disputes: dict

    def as_json(self) -> dict:
        def count_map(frame: pd.DataFrame) -> dict[str, int]:
            return {str(c): int(n) for c, n in zip(frame["community"], frame["count"], strict=True)}

        aid = {
            str(r.campaign): {"people": int(r.people), "cash": float(r.cash or 0), "goods": float(r.goods or 0)}
            for r in self.aid.itertuples()
        }
        return {
            "year": self.filters.year,
            "as_of": self.filters.as_of_date.isoformat(),
            **{k: v.as_dict() for k, v in self.rates.items()},
            **{k: count_map(v.sort_values("community")) for k, v in self.counts.items()},
            "A1": aid,
            "D1": {k: self.disputes[k] for k in D1_KEYS},
        }


def overview(cur: Cursor, filters: Filters, settings: Settings, workers: int = 0) -> Overview:
    """Every indicator of the overview. The queries are independent, so they run side by side
    (db.side_by_side; workers=1 runs them one after another)."""
    band = settings.amber_band_pct
    calls = {key: fn for key, fn in (RATE_FUNCTIONS | COUNT_FUNCTIONS).items()}
    calls |= {"A1": aid_by_campaign, "D1": dispute_summary}
    results = side_by_side(cur, {k: (lambda c, fn=fn: fn(c, filters, settings)) for k, fn in calls.items()}, workers)
    rates, by_comm, counts = {}, {}, {}
    for key in RATE_FUNCTIONS:
        target = float(settings.target(key, filters.year))
        rates[key] = summarise_rate(results[key], target, band)
        by_comm[key] = rate_by_community(results[key], target, band)
    for key in COUNT_FUNCTIONS:
        counts[key] = count_by_community(results[key], int(settings.target(key, filters.year)))
    return Overview(
        filters=filters,
        rates=rates,
        rates_by_community=by_comm,
        counts=counts,
        aid=results["A1"],
        disputes=results["D1"],
    )


def community_scorecard(ov: Overview) -> pd.DataFrame:
    """One row per community: each rate with its gap, each count against its target, and how many
    targets the community misses; worst first. This is the 'who is behind' table of the overview."""
    frames = []
    for key, frame in ov.rates_by_community.items():
        part = frame.set_index("community")[["rate", "gap", "status"]]
        part.columns = [f"{key}_rate", f"{key}_gap", f"{key}_status"]
        frames.append(part)
    for key, frame in ov.counts.items():
        part = frame.set_index("community")[["count", "short"]]
        part.columns = [f"{key}", f"{key}_short"]
        frames.append(part)
    if not frames:
        return pd.DataFrame()
    out = pd.concat(frames, axis=1)
    status_cols = [f"{k}_status" for k in ov.rates_by_community]
    short_cols = [f"{k}_short" for k in ov.counts]
    missed = (out[status_cols].isin([AMBER, RED])).sum(axis=1) + (out[short_cols].fillna(0) > 0).sum(axis=1)
    out["targets_missed"] = missed.astype(int)
    out = out.reset_index().rename(columns={"index": "community"})
    return out.sort_values(["targets_missed", "community"], ascending=[False, True], ignore_index=True)
