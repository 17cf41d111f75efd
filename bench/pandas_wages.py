"""Plain-pandas versions of dashboard/wages.py's functions, for bench/bench_queries.py (see bench/pandas_common.py)."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
from pandas_common import check, founded_by, in_year

from dashboard import progress, wages
from dashboard.rates import rate_by_community, summarise_rate

TYPE_ORDER = {"单独签订": 1, "行业性": 2, "区域性": 3}  # anything else (合计) sorts 4th, as in the SQL
OPERATING = "正常经营"


def _no_filters(p: dict) -> None:
    """The benchmark filters by plan year and as-of date only."""
    assert all(p[k] is None for k in ("street", "communities", "industries", "size_bands", "statuses"))


def _in_force(w: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Agreement rows in force on the as-of date (one expiring that day still is)."""
    return w[(w["signed_on"] <= as_of) & (w["expires_on"] >= as_of)]


def _signed_this_year(w: pd.DataFrame, p: dict) -> pd.DataFrame:
    """Rows signed in the plan year up to the as-of date."""
    return w[in_year(w["signed_on"], p["year"]) & (w["signed_on"] <= p["as_of"])]


def _signed_two_years(w: pd.DataFrame, p: dict) -> pd.DataFrame:
    """Rows signed from the start of last year to the as-of date (within the plan year)."""
    signed = w["signed_on"]
    return w[(signed <= p["as_of"]) & (signed >= p["last_year_start"]) & (signed < p["next_year_start"])]


def _latest_expiry(w: pd.DataFrame) -> pd.DataFrame:
    """One row per enterprise: the whole row of its agreement that expires last; ties go to the later
    signing, then the later batch, then the later source row (blanks count as earliest), as the SQL's
    row_number() in wages_expiring_agreements.sql and wages_expired_without_renewal.sql orders them."""
    order = ["expires_on", "signed_on", "batch_id", "source_row"]
    ranked = w.sort_values(order, kind="stable", na_position="first")
    return ranked.drop_duplicates("enterprise_key", keep="last")


def _registry(e: pd.DataFrame, keys: pd.Series) -> pd.DataFrame:
    """The SQL's `registry` CTE for the given enterprises: one row per enterprise_key (any_value of the
    text columns, the largest headcount), indexed by enterprise_key."""
    e = e[e["enterprise_key"].isin(keys)]
    return e.groupby("enterprise_key", sort=False).agg(
        industry=("industry", "first"),
        status=("status", "first"),
        union_status=("union_status", "first"),
        employees=("employees", "max"),
        union_chair=("union_chair", "first"),
        phone=("phone", "first"),
    )


def _unionised(e: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """W1's denominator: operating enterprises with a union founded by the as-of date."""
    return e[(e["status"] == OPERATING) & (e["union_status"] != "未建会") & founded_by(e, as_of)]


def _w1(f: dict, as_of: pd.Timestamp) -> pd.DataFrame:
    """queries/wages_agreement_signing.sql: per community, unionised enterprises (denominator) and those
    with an agreement in force (numerator)."""
    u = _unionised(f["enterprises"], as_of)
    keys = _in_force(f["wage_agreements"], as_of)["enterprise_key"].unique()
    hit = u["enterprise_key"].isin(keys)
    out = hit.groupby(u["community"], sort=True).agg(numerator="sum", denominator="size")
    return out.reset_index()


def coverage_by_type(f, p, settings):
    _no_filters(p)
    w = _in_force(f["wage_agreements"], p["as_of"])
    by_type = (
        w.groupby(["community", "agreement_type", "enterprise_key"], sort=False)["covered_employees"]
        .max()
        .reset_index()
    )
    # the largest covered count on the rows in force, else the registry headcount, else 0
    headcount = f["enterprises"].groupby("enterprise_key")["employees"].max()
    by_type["employees"] = by_type["covered_employees"].fillna(by_type["enterprise_key"].map(headcount)).fillna(0)
    by_enterprise = by_type.groupby(["community", "enterprise_key"], sort=False)["employees"].max().reset_index()

    # (community, type) groups hold each enterprise once, so their size is the distinct count
    typed = by_type.groupby(["community", "agreement_type"]).agg(
        enterprises=("enterprise_key", "size"), employees=("employees", "sum")
    )
    street_typed = by_type.groupby("agreement_type").agg(
        enterprises=("enterprise_key", "nunique"), employees=("employees", "sum")
    )
    totals = by_enterprise.groupby("community").agg(
        enterprises=("enterprise_key", "size"), employees=("employees", "sum")
    )
    parts = [
        typed.reset_index(),
        street_typed.reset_index().assign(community=wages.ALL_COMMUNITIES),
        totals.reset_index().assign(agreement_type="合计"),
    ]
    if len(by_enterprise):  # no street total when nothing is in force
        parts.append(
            pd.DataFrame(
                {
                    "community": [wages.ALL_COMMUNITIES],
                    "agreement_type": ["合计"],
                    "enterprises": [by_enterprise["enterprise_key"].nunique()],
                    "employees": [by_enterprise["employees"].sum()],
                }
            )
        )
    out = pd.concat(parts, ignore_index=True)
    out["employees"] = out["employees"].astype("int64")
    out["_street"] = out["community"] == wages.ALL_COMMUNITIES
    out["_type"] = out["agreement_type"].map(TYPE_ORDER).fillna(4)
    out = out.sort_values(["_street", "community", "_type"], ignore_index=True)
    return out[["community", "agreement_type", "enterprises", "employees"]]


def expiring_agreements(f, p, settings):
    _no_filters(p)
    as_of = p["as_of"]
    warning_days = int(settings.rule("expiry_warning_days"))
    c = _latest_expiry(_in_force(f["wage_agreements"], as_of))
    c = c[c["expires_on"] <= as_of + pd.Timedelta(days=warning_days)]
    r = _registry(f["enterprises"], c["enterprise_key"])
    out = c.join(r, on="enterprise_key")
    out = out[out["status"].isna() | (out["status"] == OPERATING)]
    out = out.assign(
        days_left=(out["expires_on"] - as_of).dt.days,
        covered_employees=out["covered_employees"].fillna(out["employees"]),
    )
    out = out.sort_values(["expires_on", "community", "name"], ignore_index=True)
    columns = ["community", "name", "uscc", "industry", "agreement_type", "agreement_name", "signed_on", "expires_on"]
    return out[[*columns, "days_left", "covered_employees", "union_chair", "phone", "enterprise_key"]]


def expired_without_renewal(f, p, settings):
    _no_filters(p)
    as_of = p["as_of"]
    w = f["wage_agreements"]
    known = w[w["signed_on"] <= as_of]
    in_force_keys = known.loc[known["expires_on"] >= as_of, "enterprise_key"].unique()
    last = _latest_expiry(known[~known["enterprise_key"].isin(in_force_keys)])
    out = last.join(_registry(f["enterprises"], last["enterprise_key"]), on="enterprise_key")
    out = out[out["status"].isna() | (out["status"] == OPERATING)]
    out = out.assign(days_overdue=(as_of - out["expires_on"]).dt.days)
    out = out.sort_values(["community", "expires_on", "name"], ascending=[True, False, True], ignore_index=True)
    columns = ["community", "name", "uscc", "industry", "union_status", "employees", "agreement_type"]
    columns += ["agreement_name", "signed_on", "expires_on", "days_overdue", "union_chair", "phone", "enterprise_key"]
    return out[columns]


def unsigned_enterprises(f, p, settings):
    _no_filters(p)
    as_of = p["as_of"]
    u = _unionised(f["enterprises"], as_of)
    w = f["wage_agreements"]
    known = w[w["signed_on"] <= as_of]
    in_force_keys = known.loc[known["expires_on"] >= as_of, "enterprise_key"].unique()
    u = u[~u["enterprise_key"].isin(in_force_keys)]
    history = known.groupby("enterprise_key")["expires_on"].max().rename("last_expires_on")
    out = u.join(history, on="enterprise_key")
    out["situation"] = np.where(out["last_expires_on"].isna(), "从未签订", "到期未续签")
    out = out.sort_values(
        ["community", "employees", "name"], ascending=[True, False, True], na_position="last", ignore_index=True
    )
    columns = ["community", "name", "uscc", "industry", "employees", "union_status", "union_founded"]
    columns += ["last_expires_on", "situation", "union_chair", "phone", "enterprise_key"]
    return out[columns]


def signings_by_month(f, p, settings):
    _no_filters(p)
    signed = _signed_two_years(f["wage_agreements"], p)
    keys = [
        signed["signed_on"].dt.year.rename("year"),
        signed["signed_on"].dt.month.rename("month"),
        signed["sign_kind"].fillna("未注明"),
    ]
    return signed.groupby(keys).size().reset_index(name="agreements")


def wage_increase_distribution(f, p, settings):
    _no_filters(p)
    pct = _signed_this_year(f["wage_agreements"], p)["wage_increase_pct"].dropna().astype("float64")
    band = np.floor(pct).astype("int64").rename("band_low")
    return band.groupby(band).size().reset_index(name="agreements")


def signed_agreement_rows(f, p, settings):
    _no_filters(p)
    s = _signed_two_years(f["wage_agreements"], p)
    pct = s["wage_increase_pct"].astype("float64")
    out = pd.DataFrame(
        {
            "year": s["signed_on"].dt.year,
            "month": s["signed_on"].dt.month,
            "community": s["community"],
            "name": s["name"],
            "agreement_type": s["agreement_type"],
            "agreement_name": s["agreement_name"].fillna(""),
            "sign_kind": s["sign_kind"].fillna("未注明"),
            "signed_on": s["signed_on"],
            "expires_on": s["expires_on"],
            "covered_employees": s["covered_employees"],
            "wage_increase_pct": pct,
            "increase_band": np.floor(pct).astype("Int64"),
            "enterprise_key": s["enterprise_key"],
        }
    )
    return out.sort_values(["signed_on", "community", "name"], ignore_index=True)


def wage_increase_summary(f, p, settings):
    _no_filters(p)
    s = _signed_this_year(f["wage_agreements"], p)
    s = s[s["wage_increase_pct"].notna()]
    stats = {"agreements": "size", "mean_pct": "mean", "median_pct": "median", "min_pct": "min", "max_pct": "max"}
    pct = s["wage_increase_pct"].astype("float64")
    by_type = pct.groupby(s["agreement_type"]).agg(list(stats.values()))
    by_type.columns = list(stats)
    # the grand total (agreement_type 合计) exists even when no row reports an increase, as with the SQL's ()
    total = pd.DataFrame([pct.agg(list(stats.values())).to_numpy()], columns=list(stats), index=["合计"])
    out = pd.concat([by_type, total]).rename_axis("agreement_type").reset_index()
    out["_type"] = out["agreement_type"].map(TYPE_ORDER).fillna(4)
    out = out.sort_values("_type", kind="stable", ignore_index=True)
    return out[["agreement_type", *stats]]


def w1_by_community(f, p, settings):
    _no_filters(p)
    target = float(settings.target("W1", p["year"]))
    return rate_by_community(_w1(f, p["as_of"]), target, settings.amber_band_pct)


def w1_summary(f, p, settings):
    _no_filters(p)
    target = float(settings.target("W1", p["year"]))
    return summarise_rate(_w1(f, p["as_of"]), target, settings.amber_band_pct)


def w2_progress(f, p, settings):
    """queries/wages_new_agreements_by_community.sql (W2) in pandas, then progress.count_progress."""
    _no_filters(p)
    e, w = f["enterprises"], f["wage_agreements"]
    places = e[["street", "community"]].drop_duplicates()  # v_current_registry
    new = _signed_this_year(w[w["sign_kind"] == "新签"], p)[["street", "community", "enterprise_key"]]
    joined = places.merge(new, on=["street", "community"], how="left")
    frame = joined.groupby("community")["enterprise_key"].nunique().reset_index(name="count")
    target = int(settings.target("W2", p["year"]))
    return progress.count_progress(frame, target, p["year"], p["as_of"].date())


def w1_projection(f, p, settings):
    """W1 now and at the end of last year in pandas, then the page's projection (progress.project_rate)."""
    _no_filters(p)
    year, as_of = p["year"], p["as_of"]
    target = float(settings.target("W1", year))
    now = _w1(f, as_of)
    start = _w1(f, pd.Timestamp(year - 1, 12, 31))
    start = start[["community", "numerator"]].rename(columns={"numerator": "start"})
    frame = now.merge(start, on="community", how="left")
    frame["start"] = frame["start"].fillna(0).astype(int)
    total = frame[["numerator", "denominator", "start"]].sum().to_frame().T.assign(community=wages.ALL_COMMUNITIES)
    frame = pd.concat([frame, total], ignore_index=True)
    projections = [
        progress.project_rate(int(s), int(n), int(d), year, as_of.date(), target)
        for s, n, d in zip(frame["start"], frame["numerator"], frame["denominator"], strict=True)
    ]
    denominator = frame["denominator"].where(frame["denominator"] > 0)
    return pd.DataFrame(
        {
            "community": frame["community"],
            "start": frame["start"],
            "numerator": frame["numerator"],
            "denominator": frame["denominator"],
            "rate": frame["numerator"] / denominator,
            "projected": [x.projected for x in projections],
            "projected_rate": [x.projected_rate for x in projections],
            "target": target,
            "shortfall": [x.shortfall for x in projections],
        }
    )


PANDAS = {
    "wages.coverage_by_type": coverage_by_type,
    "wages.expired_without_renewal": expired_without_renewal,
    "wages.expiring_agreements": expiring_agreements,
    "wages.signed_agreement_rows": signed_agreement_rows,
    "wages.signings_by_month": signings_by_month,
    "wages.unsigned_enterprises": unsigned_enterprises,
    "wages.w1_by_community": w1_by_community,
    "wages.w1_projection": w1_projection,
    "wages.w1_summary": w1_summary,
    "wages.w2_progress": w2_progress,
    "wages.wage_increase_distribution": wage_increase_distribution,
    "wages.wage_increase_summary": wage_increase_summary,
}

if __name__ == "__main__":
    sys.exit(0 if check(wages, PANDAS, sys.argv[1] if len(sys.argv) > 1 else "street") else 1)
