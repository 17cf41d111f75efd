"""One function per indicator of the work plan (U1…D1): (cursor, filters, settings) -> DataFrame.

Each runs the queries/*.sql file of the same name. Rates come back per community with numerator and
denominator; `summarise_rate` turns counts into the rate, the gap to target in enterprises and the
red/amber/green status that pages and the CLI show.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

import duckdb
import pandas as pd

from dashboard import spec
from dashboard.config import Settings
from dashboard.db import run_query, side_by_side

Cursor = duckdb.DuckDBPyConnection

GREEN, AMBER, RED, NO_DATA = "green", "amber", "red", "none"
STATUS_LABELS = {GREEN: "达标", AMBER: "接近", RED: "落后", NO_DATA: "无数据"}

RATE_LABELS = {
    "U1": "25人以上企业独立建会率",
    "U2": "正常经营企业建会率",
    "W1": "建会企业工资集体协商签约率",
    "H1": "A级以上和谐企业占比",
}
COUNT_LABELS = {"U3": "新增建会", "W2": "新增建制", "H2": "新创建和谐企业"}


def default_as_of(year: int, today: date | None = None) -> date:
    """The end of the plan year, or today while the year is under way."""
    today = today or date.today()
    end = date(year, 12, 31)
    return today if date(year, 1, 1) <= today < end else end


@dataclass(frozen=True)
class Filters:
    year: int
    as_of: date | None = None
    street: str | None = None
    communities: tuple[str, ...] | None = None
    industries: tuple[str, ...] | None = None
    # lower bounds of the staff-size bands kept (0, 25, 100, 500 by default; see coverage.size_bands)
    size_bands: tuple[int, ...] | None = None
    statuses: tuple[str, ...] | None = None  # 经营状态 kept (正常经营, 停产, …)

    @property
    def as_of_date(self) -> date:
        return self.as_of or default_as_of(self.year)

    def params(self, settings: Settings) -> dict:
        from dashboard.coverage import size_bands  # coverage imports this module

        return {
            "year": self.year,
            # The plan year as a date range: `d >= $year_start and d < $next_year_start` lets DuckDB skip
            # row groups by their min/max dates, and binds in a fraction of `year(d) = $year` (whose
            # rewrite cost 3-5 ms per query in DuckDB 2.0 before any row was read).
            "year_start": date(self.year, 1, 1),
            "next_year_start": date(self.year + 1, 1, 1),
            "last_year_start": date(self.year - 1, 1, 1),
            "as_of": self.as_of_date,
            "street": self.street,
            "communities": list(self.communities) if self.communities else None,
            "industries": list(self.industries) if self.industries else None,
            "size_bands": [int(b) for b in self.size_bands] if self.size_bands else None,
            "band_lowers": [0, *size_bands(settings)],
            "statuses": list(self.statuses) if self.statuses else None,
            "size_threshold": int(settings.rule("size_threshold")),
            "grades": list(settings.rule("grades_a_or_above")),
            "collective_workers": int(settings.rule("collective_dispute_workers")),
        }


@dataclass(frozen=True)
class RateResult:
    numerator: int
    denominator: int
    target: float  # a fraction, 0.95
    rate: float | None = None  # a fraction; None when the denominator is 0
    gap: int = 0  # the fewest more enterprises in the numerator that reach the target
    status: str = NO_DATA
    extra: dict = field(default_factory=dict)

    @property
    def rate_pct(self) -> float | None:
        return None if self.rate is None else round(self.rate * 100, 2)

    def as_dict(self) -> dict:
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "rate": self.rate_pct,
            "target": round(self.target * 100, 2),
            "gap": self.gap,
        }


def gap_to_target(numerator: int, denominator: int, target: float) -> int:
    """Smallest k >= 0 with (numerator + k) / denominator >= target, computed exactly.

    The target is taken as the decimal it is written as (0.95 is 95/100, not its binary float).
    """
    if denominator <= 0:
        return 0
    t = Fraction(str(target))
    needed = math.ceil(t * denominator)
    return max(0, min(needed, denominator) - numerator)


def rate_status(rate: float | None, target: float, amber_band_pct: float) -> str:
    if rate is None:
        return NO_DATA
    if Fraction(str(rate)) >= Fraction(str(target)) or math.isclose(rate, target):
        return GREEN
    if (target - rate) * 100 <= amber_band_pct + 1e-9:
        return AMBER
    return RED


def summarise_rate(frame: pd.DataFrame, target: float, amber_band_pct: float) -> RateResult:
    """Street (or filtered) total of a per-community rate frame."""
    num = int(frame["numerator"].sum()) if len(frame) else 0
    den = int(frame["denominator"].sum()) if len(frame) else 0
    rate = num / den if den else None
    return RateResult(
        numerator=num,
        denominator=den,
        target=target,
        rate=rate,
        gap=gap_to_target(num, den, target),
        status=rate_status(rate, target, amber_band_pct),
    )


def rate_by_community(frame: pd.DataFrame, target: float, amber_band_pct: float) -> pd.DataFrame:
    """Adds rate, gap and status to each community's row; worst first (largest gap, then lowest rate)."""
    out = frame.copy()
    out["rate"] = [n / d if d else None for n, d in zip(out["numerator"], out["denominator"], strict=True)]
    out["gap"] = [
        gap_to_target(int(n), int(d), target) for n, d in zip(out["numerator"], out["denominator"], strict=True)
    ]
    out["status"] = [rate_status(r, target, amber_band_pct) for r in out["rate"]]
    return out.sort_values(["gap", "rate", "community"], ascending=[False, True, True], ignore_index=True)


def count_by_community(frame: pd.DataFrame, target: int) -> pd.DataFrame:
    """Per-community count against a per-community target; short communities first."""
    out = frame.copy()
    out["target"] = target
    out["short"] = (target - out["count"]).clip(lower=0).astype(int)
    return out.sort_values(["short", "community"], ascending=[False, True], ignore_index=True)


# ---- U: union coverage ----------------------------------------------------------------------------


def union_coverage_25plus(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """U1 per community: numerator, denominator."""
    return run_query(cur, "union_coverage_25plus", filters.params(settings))


def union_coverage_operating(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """U2 per community."""
    return run_query(cur, "union_coverage_operating", filters.params(settings))


def new_unions_by_community(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """U3 per community: count."""
    return run_query(cur, "new_unions_by_community", filters.params(settings))


# ---- W: wage agreements --------------------------------------------------------------------------


def wage_agreement_signing(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """W1 per community."""
    return run_query(cur, "wage_agreement_signing", filters.params(settings))


def new_wage_agreements_by_community(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """W2 per community: count."""
    return run_query(cur, "new_wage_agreements_by_community", filters.params(settings))


def industry_agreements(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """W3: industry-wide and area-wide agreements in force with enterprises and employees covered."""
    return run_query(cur, "industry_agreements", filters.params(settings))


# ---- H: harmonious enterprises -------------------------------------------------------------------


def harmonious_a_or_above(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """H1 per community."""
    return run_query(cur, "harmonious_a_or_above", filters.params(settings))


def new_harmonious_by_community(cur: Cursor, filters: Filters, settings: Settings) -> pd.DataFrame:
    """H2 per community: count."""
    return run_query(cur, "new_harmonious_by_community", filters.params(settings))


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
    row = run_query(cur, "dispute_summary", filters.params(settings)).iloc[0]
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
