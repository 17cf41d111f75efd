"""Plain-pandas versions of dashboard/harmonious.py's functions, for bench/bench_queries.py
(see bench/pandas_common.py)."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
from pandas_common import check, founded_by, new_harmonious

from dashboard import harmonious, progress
from dashboard.rates import add_rate, summarise_rate

FILTERS_NOT_HANDLED = ("street", "communities", "industries", "size_bands", "statuses")


def _no_filters(p: dict) -> None:
    assert all(p[k] is None for k in FILTERS_NOT_HANDLED), "only the benchmark's filters are implemented"


def _base(e: pd.DataFrame, as_of: pd.Timestamp, columns: list[str]) -> pd.DataFrame:
    """H1's denominator: operating enterprises with their own union founded by the as-of date."""
    return e.loc[(e["status"] == "正常经营") & (e["union_status"] == "独立建会") & founded_by(e, as_of), columns]


GRADE_COLUMNS = ["enterprise_key", "year", "assessed_on", "batch_id", "grade", "score"]


def _latest_first(h: pd.DataFrame, year: int) -> pd.DataFrame:
    """Grades up to `year`, each enterprise's latest first: highest year, then the later assessment date
    (an undated one counts as earliest), then the later batch."""
    h = h.loc[h["year"] <= year, GRADE_COLUMNS]
    return h.sort_values(["year", "assessed_on", "batch_id"], ascending=False, na_position="last")


def _latest_per_year(h: pd.DataFrame) -> pd.DataFrame:
    """One row per enterprise and year: its latest grade of that year (later date, undated last, later batch)."""
    h = h.sort_values(["assessed_on", "batch_id"], ascending=False, na_position="last")
    return h.drop_duplicates(["enterprise_key", "year"])


def _latest_grade(ordered: pd.DataFrame, name: str = "grade") -> pd.Series:
    """Each enterprise's latest grade (`ordered` as _latest_first sorts it), indexed by enterprise_key."""
    return ordered.drop_duplicates("enterprise_key").set_index("enterprise_key")["grade"].rename(name)


def _h1(f, p) -> pd.DataFrame:
    """queries/harmonious_a_or_above.sql: community, numerator, denominator."""
    _no_filters(p)
    base = _base(f["enterprises"], p["as_of"], ["community", "enterprise_key"])
    graded = base.join(_latest_grade(_latest_first(f["harmonious"], p["year"])), on="enterprise_key")
    out = graded["grade"].isin(p["grades"]).groupby(graded["community"]).agg(["sum", "size"])
    out.columns = ["numerator", "denominator"]
    return out.reset_index()


def _h2(f, p) -> pd.DataFrame:
    """queries/harmonious_new_by_community.sql: community, count, every community of the current registry."""
    _no_filters(p)
    return new_harmonious(f, p["grades"], p["year"])


def harmonious_grade_distribution(f, p, settings):
    _no_filters(p)
    h = f["harmonious"]
    columns = ["community", "enterprise_key", "year", "assessed_on", "batch_id", "grade"]
    graded = _latest_per_year(h.loc[h["year"] <= p["year"], columns])
    return graded.groupby(["community", "year", "grade"]).size().rename("enterprises").reset_index()


def harmonious_movements(f, p, settings):
    _no_filters(p)
    year, grades = p["year"], p["grades"]
    scale = [str(g) for g in settings.rule("grade_scale")]
    h = f["harmonious"]
    columns = ["community", "name", "enterprise_key", "year", "assessed_on", "batch_id", "grade", "score"]
    graded = _latest_per_year(h.loc[h["year"].isin([year - 1, year]), columns])

    # rank: A-or-above grades by their place in the scale (best highest), 申报中 none, any other grade 0
    grade = graded["grade"]
    rank = grade.map({g: len(scale) - scale.index(g) for g in grades if g in scale})
    rank = rank.where(grade.isin(grades) | (grade == "申报中"), 0)
    graded = graded.assign(grade_rank=rank).set_index("enterprise_key")

    cur = graded.loc[graded["year"] == year, ["community", "name", "grade", "grade_rank", "score"]]
    prev = graded.loc[graded["year"] == year - 1, ["community", "name", "grade", "grade_rank"]]
    paired = cur.join(prev.add_prefix("previous_"), how="outer")
    now, before = paired["grade_rank"], paired["previous_grade_rank"]
    had = before.notna()
    conditions = [
        had & (now > before),
        had & (now < before),
        had & (now == before),
        ~had & (now >= 1),
        (before >= 1) & now.isna(),
    ]
    movement = np.select(
        conditions,
        ["upgraded", "downgraded", "unchanged", "new", "lapsed"],
        default="other",
    )
    out = pd.DataFrame(
        {
            "community": paired["community"].fillna(paired["previous_community"]),
            "name": paired["name"].fillna(paired["previous_name"]),
            "previous_grade": paired["previous_grade"],
            "grade": paired["grade"],
            "score": paired["score"],
            "movement": movement,
        }
    ).reset_index()
    return out.sort_values(["community", "movement", "name"], ignore_index=True)


def harmonious_todo(f, p, settings):
    _no_filters(p)
    columns = ["community", "name", "uscc", "industry", "employees", "union_chair", "phone", "enterprise_key"]
    base = _base(f["enterprises"], p["as_of"], columns)
    latest = _latest_first(f["harmonious"], p["year"]).drop_duplicates("enterprise_key")
    latest = latest.set_index("enterprise_key")[["year", "grade", "score"]].rename(columns={"year": "grade_year"})
    out = base.join(latest, on="enterprise_key")
    out = out[~out["grade"].isin(p["grades"])]
    out = out.assign(latest_grade=out["grade"].fillna("未参评"))
    return out.sort_values(
        ["score", "employees", "community", "name"],
        ascending=[False, False, True, True],
        na_position="last",
        ignore_index=True,
    )


def harmonious_pace(f, p, settings):
    _no_filters(p)
    year, grades = p["year"], p["grades"]
    base = _base(f["enterprises"], p["as_of"], ["community", "enterprise_key"])
    ordered = _latest_first(f["harmonious"], year)
    before = _latest_grade(ordered[ordered["year"] <= year - 1], "grade_before")
    graded = base.join(before, on="enterprise_key").join(_latest_grade(ordered), on="enterprise_key")
    counts = pd.DataFrame(
        {"start": graded["grade_before"].isin(grades), "now": graded["grade"].isin(grades), "denominator": 1}
    )
    return counts.groupby(graded["community"]).sum().reset_index()


def harmonious_projection(f, p, settings):
    # the query work in pandas, then dashboard.harmonious.harmonious_projection's Python as is
    pace = harmonious_pace(f, p, settings)
    year, as_of = p["year"], p["as_of"].date()
    start, now, den = (int(pace[c].sum()) if len(pace) else 0 for c in ("start", "now", "denominator"))
    target = float(settings.target("H1", year))
    proj = progress.project_rate(start, now, den, year, as_of, target)
    return pd.DataFrame([{"indicator": "H1", **proj.__dict__, "now_rate": now / den if den else None}])


def new_harmonious_progress(f, p, settings):
    target = int(settings.target("H2", p["year"]))
    return progress.count_progress(_h2(f, p), target, p["year"], p["as_of"].date())


def harmonious_rate(f, p, settings):
    return summarise_rate(_h1(f, p), float(settings.target("H1", p["year"])), settings.amber_band_pct)


def harmonious_by_community(f, p, settings):
    # the query work in pandas, then dashboard.harmonious.harmonious_by_community's Python as is
    h1 = _h1(f, p)
    add_rate(h1, "numerator", "denominator", "h1", float(settings.target("H1", p["year"])), settings.amber_band_pct)
    h2 = new_harmonious_progress(f, p, settings)[["community", "count", "short"]]
    out = h2.merge(h1, on="community", how="outer")
    for col in ("numerator", "denominator", "count", "h1_gap", "short"):
        out[col] = out[col].fillna(0).astype(int)
    return out.sort_values(["h1_gap", "short", "community"], ascending=[False, False, True], ignore_index=True)


PANDAS = {
    "harmonious.harmonious_by_community": harmonious_by_community,
    "harmonious.harmonious_grade_distribution": harmonious_grade_distribution,
    "harmonious.harmonious_movements": harmonious_movements,
    "harmonious.harmonious_pace": harmonious_pace,
    "harmonious.harmonious_projection": harmonious_projection,
    "harmonious.harmonious_rate": harmonious_rate,
    "harmonious.harmonious_todo": harmonious_todo,
    "harmonious.new_harmonious_progress": new_harmonious_progress,
}

if __name__ == "__main__":
    sys.exit(0 if check(harmonious, PANDAS, sys.argv[1] if len(sys.argv) > 1 else "street") else 1)
