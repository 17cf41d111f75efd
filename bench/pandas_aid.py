"""Plain-pandas versions of dashboard/aid.py's functions, for bench/bench_queries.py (see bench/pandas_common.py).

Each function takes the live aid ledger (f["aid"], what v_aid shows) and does in pandas the work of the
function's queries/aid_*.sql file. The aid queries take more parameters than the shared filters
(dashboard/aid.py: params): the campaign, festival, category and funding vocabularies and the check rules;
`_aid_params` adds them to p the same way.

Money: the SQL sums decimal(14, 2) exactly; pandas sums float64. Where a result is ordered by an amount, the
float sum is rounded to cents so that amounts equal in SQL tie in pandas too.
"""

from __future__ import annotations

import sys

import pandas as pd
from pandas_common import check

from dashboard import aid, spec

NO_CATEGORY = "未填类别"
NO_FUNDING = "未填来源"
FESTIVAL_CAMPAIGN = "节日慰问"
LIST_SEP = "、"
UNLISTED = 99  # the order the SQL gives a value outside its vocabulary


def _aid_params(p, settings) -> dict:
    """p plus what dashboard/aid.py's params adds: vocabularies and the checks' thresholds."""
    assert p["street"] is None and p["communities"] is None
    return {
        **p,
        "campaigns": list(aid.CAMPAIGNS),
        "festivals": list(spec.FESTIVALS),
        "categories": list(aid.CATEGORIES),
        "fundings": list(aid.FUNDINGS),
        "many_campaigns": int(settings.rule("aid_many_campaigns")),
        "gap_min_recipients": int(settings.rule("aid_gap_min_recipients")),
        "gap_categories": list(settings.rule("aid_gap_categories")),
    }


def _in_plan_year(f, p) -> pd.DataFrame:
    """The `aid` CTE of most aid queries: rows given in the plan year up to the as-of date."""
    a = f["aid"]
    given = a["given_on"]
    return a[(given >= p["year_start"]) & (given < p["next_year_start"]) & (given <= p["as_of"])]


def _periods(a: pd.DataFrame, p) -> tuple[pd.Series, pd.Series]:
    """aid_totals/aid_campaigns' `period`: 'this' = 1 January of the plan year to the as-of date, 'last' =
    the same period a year before (both ends inclusive; 'this' wins should both match)."""
    given = a["given_on"]
    this = given.between(pd.Timestamp(p["year"], 1, 1), p["as_of"])
    last = ~this & given.between(pd.Timestamp(p["year"] - 1, 1, 1), p["as_of"] - pd.DateOffset(years=1))
    return this, last


def _order(values: pd.Series, vocabulary: list[str]) -> pd.Series:
    """coalesce(list_position(vocabulary, value), 99): 1-based position, 99 outside it (or blank)."""
    positions = {v: i for i, v in reversed(list(enumerate(vocabulary, 1)))}
    return values.map(positions).fillna(UNLISTED).astype(int)


def _per_person(amount: pd.Series, distinct_people: pd.Series) -> pd.Series:
    """amount / nullif(distinct_people, 0)."""
    return amount / distinct_people.where(distinct_people != 0)


def _with_amount(a: pd.DataFrame) -> pd.DataFrame:
    return a.assign(amount=a["cash"] + a["goods_value"])


def aid_totals(f, p, settings) -> pd.DataFrame:
    """queries/aid_totals.sql: one row, this period and the same period last year."""
    a = f["aid"]
    this, last = _periods(a, p)
    row = {}
    for suffix, rows in (("", a[this]), ("_last", a[last])):
        row[f"people{suffix}"] = len(rows)
        row[f"distinct_people{suffix}"] = rows["person_key"].nunique()
        row[f"cash{suffix}"] = float(rows["cash"].sum())
        row[f"goods{suffix}"] = float(rows["goods_value"].sum())
        row[f"jobs{suffix}"] = int(rows["jobs_offered"].sum())
    out = pd.DataFrame([row])
    out["amount"] = out["cash"] + out["goods"]
    out["amount_last"] = out["cash_last"] + out["goods_last"]
    out["per_person"] = _per_person(out["amount"], out["distinct_people"])
    out["per_person_last"] = _per_person(out["amount_last"], out["distinct_people_last"])
    return out


def aid_campaigns(f, p, settings) -> pd.DataFrame:
    """queries/aid_campaigns.sql: per campaign (节日慰问 per festival), every campaign of the vocabulary
    listed, this period against the same period last year."""
    ap = _aid_params(p, settings)
    a = f["aid"]
    this, last = _periods(a, p)
    keys = ["campaign", "festival"]
    now = (
        a[this]
        .groupby(keys, dropna=False)
        .agg(
            people=("person_key", "size"),
            distinct_people=("person_key", "nunique"),
            cash=("cash", "sum"),
            goods=("goods_value", "sum"),
            jobs=("jobs_offered", "sum"),
        )
    )
    before = (
        _with_amount(a[last])
        .groupby(keys, dropna=False)
        .agg(
            people_last=("person_key", "size"),
            distinct_people_last=("person_key", "nunique"),
            amount_last=("amount", "sum"),
            jobs_last=("jobs_offered", "sum"),
        )
    )
    totals = now.join(before, how="outer")

    # the spine: every campaign, 节日慰问 once per festival; then whatever else the period holds
    vocabulary = pd.DataFrame({"campaign": ap["campaigns"]}).merge(
        pd.DataFrame({"campaign": FESTIVAL_CAMPAIGN, "festival": ap["festivals"]}), on="campaign", how="left"
    )
    spine = pd.concat([vocabulary, totals.index.to_frame(index=False)], ignore_index=True).drop_duplicates()
    spine["campaign_order"] = _order(spine["campaign"], ap["campaigns"])
    spine["festival_order"] = _order(spine["festival"], ap["festivals"])

    out = spine.merge(totals.reset_index(), on=keys, how="left")  # pandas matches blank festivals alike
    counts = ["people", "distinct_people", "jobs", "people_last", "distinct_people_last", "jobs_last"]
    out[counts] = out[counts].fillna(0).astype(int)
    out[["cash", "goods", "amount_last"]] = out[["cash", "goods", "amount_last"]].fillna(0.0)
    out["amount"] = out["cash"] + out["goods"]
    out["label"] = (out["campaign"] + "·" + out["festival"]).fillna(out["campaign"])
    # the SQL orders by campaign_order, festival_order, festival; campaign only breaks ties it leaves open
    out = out.sort_values(["campaign_order", "festival_order", "festival", "campaign"], ignore_index=True)
    columns = ["campaign", "festival", "label", "people", "distinct_people", "cash", "goods", "amount", "jobs"]
    columns += ["people_last", "distinct_people_last", "amount_last", "jobs_last", "campaign_order", "festival_order"]
    return out[columns]


def aid_by_month(f, p, settings) -> pd.DataFrame:
    """queries/aid_by_month.sql: year × month × campaign of the vocabulary, the plan year and the year before."""
    ap = _aid_params(p, settings)
    a = f["aid"]
    given = a["given_on"]
    a = a[(given >= p["last_year_start"]) & (given < p["next_year_start"]) & (given <= p["as_of"])]
    monthly = (
        _with_amount(a)
        .assign(year=a["given_on"].dt.year, month=a["given_on"].dt.month)
        .groupby(["year", "month", "campaign"])
        .agg(people=("campaign", "size"), amount=("amount", "sum"))
    )
    year = p["year"]
    spine = pd.MultiIndex.from_product(
        [[year - 1, year], range(1, 13), ap["campaigns"]], names=["year", "month", "campaign"]
    )
    out = monthly.reindex(spine, fill_value=0).reset_index()  # already in year, month, campaign order
    first_day = pd.to_datetime(out[["year", "month"]].assign(day=1))
    out["after_as_of"] = first_day > p["as_of"]
    out["campaign_order"] = _order(out["campaign"], ap["campaigns"])
    return out


def aid_by_community(f, p, settings) -> pd.DataFrame:
    """queries/aid_by_community.sql: every community of the registry or the year's aid, busiest first."""
    a = _in_plan_year(f, p)
    per = a.groupby("community").agg(
        people=("person_key", "size"),
        distinct_people=("person_key", "nunique"),
        cash=("cash", "sum"),
        goods=("goods_value", "sum"),
        jobs=("jobs_offered", "sum"),
    )
    key = a["person_key"]
    per["migrant_people"] = key[a["category"] == "农民工"].groupby(a["community"]).nunique()
    per["outside_people"] = key[a["category"] == "外来务工人员"].groupby(a["community"]).nunique()
    communities = pd.Index(f["enterprises"]["community"].unique()).union(per.index)
    out = per.reindex(communities).rename_axis("community").reset_index()
    counts = ["people", "distinct_people", "jobs", "migrant_people", "outside_people"]
    out[counts] = out[counts].fillna(0).astype(int)
    out["per_person"] = _per_person(out["cash"] + out["goods"], out["distinct_people"])
    out[["cash", "goods"]] = out[["cash", "goods"]].fillna(0.0)
    out["amount"] = out["cash"] + out["goods"]
    out = out.sort_values(["people", "community"], ascending=[False, True], ignore_index=True)
    columns = ["community", "people", "distinct_people", "cash", "goods", "amount", "per_person", "jobs"]
    return out[[*columns, "migrant_people", "outside_people"]]


def aid_by_category(f, p, settings) -> pd.DataFrame:
    """queries/aid_by_category.sql: every category of the vocabulary in its order, then any other (a blank
    one as 未填类别) by name."""
    ap = _aid_params(p, settings)
    a = _in_plan_year(f, p)
    a = a.assign(category=a["category"].fillna(NO_CATEGORY))
    per = a.groupby("category").agg(
        people=("person_key", "size"),
        distinct_people=("person_key", "nunique"),
        cash=("cash", "sum"),
        goods=("goods_value", "sum"),
    )
    others = per.index.difference(ap["categories"])
    spine = pd.concat(
        [
            pd.DataFrame({"category": ap["categories"], "category_order": range(1, len(ap["categories"]) + 1)}),
            pd.DataFrame({"category": others, "category_order": UNLISTED}),
        ],
        ignore_index=True,
    )
    out = spine.merge(per, left_on="category", right_index=True, how="left")
    out["focus_group"] = out["category"].isin(aid.FOCUS_GROUPS)
    out["per_person"] = _per_person(out["cash"] + out["goods"], out["distinct_people"])
    out[["people", "distinct_people"]] = out[["people", "distinct_people"]].fillna(0).astype(int)
    out[["cash", "goods"]] = out[["cash", "goods"]].fillna(0.0)
    out["amount"] = out["cash"] + out["goods"]
    out = out.sort_values(["category_order", "category"], ignore_index=True)
    columns = ["category", "focus_group", "people", "distinct_people", "cash", "goods", "amount", "per_person"]
    return out[[*columns, "category_order"]]


def aid_by_funding(f, p, settings) -> pd.DataFrame:
    """queries/aid_by_funding.sql: per funding source (a blank one as 未填来源), with its share of the total."""
    ap = _aid_params(p, settings)
    a = _in_plan_year(f, p)
    a = _with_amount(a).assign(funding=a["funding"].fillna(NO_FUNDING))
    out = (
        a.groupby("funding")
        .agg(
            people=("funding", "size"),
            cash=("cash", "sum"),
            goods=("goods_value", "sum"),
            amount=("amount", "sum"),
        )
        .reset_index()
    )
    total = out["amount"].sum()
    out["share"] = out["amount"] / total if total != 0 else float("nan")
    out["funding_order"] = _order(out["funding"], ap["fundings"])
    return out.sort_values(["funding_order", "funding"], ignore_index=True)


def aid_rows(f, p, settings) -> pd.DataFrame:
    """queries/aid_rows.sql: the year's rows, blank category and funding labelled, by date, community, name."""
    a = _in_plan_year(f, p)
    columns = ["community", "recipient", "id_number", "employer", "category", "campaign", "festival", "given_on"]
    columns += ["month", "cash", "goods_value", "goods", "jobs_offered", "funding"]
    out = a.assign(
        category=a["category"].fillna(NO_CATEGORY),
        month=a["given_on"].dt.month,
        funding=a["funding"].fillna(NO_FUNDING),
    )
    # one person's rows of one day in ledger order (batch, then source row), as the SQL orders them
    out = out.sort_values(["given_on", "community", "recipient", "batch_id", "source_row"], ignore_index=True)
    return out[columns]


def aid_repeat_in_campaign(f, p, settings) -> pd.DataFrame:
    """queries/aid_repeat_in_campaign.sql: a person aided more than once in one campaign (and festival)."""
    a = _in_plan_year(f, p)
    keys = ["person_key", "campaign", "festival"]
    repeated = a[a.groupby(keys, dropna=False)["given_on"].transform("size") > 1]
    repeated = _with_amount(repeated.sort_values("given_on")).assign(day=repeated["given_on"].dt.strftime("%Y-%m-%d"))
    out = (
        repeated.groupby(keys, dropna=False, sort=False)
        .agg(
            community=("community", "min"),
            recipient=("recipient", "min"),
            id_number=("id_number", "min"),
            times=("day", "size"),
            dates=("day", LIST_SEP.join),
            amount=("amount", "sum"),
        )
        .reset_index()
    )
    out["amount"] = out["amount"].round(2)
    # ties broken by campaign, festival, then ID number (blanks last), as the SQL does
    out = out.sort_values(
        ["times", "amount", "community", "recipient", "campaign", "festival", "id_number"],
        ascending=[False, False, True, True, True, True, True],
        ignore_index=True,
    )
    return out[["community", "recipient", "id_number", "campaign", "festival", "times", "dates", "amount"]]


def aid_repeat_people(f, p, settings) -> int:
    """queries/aid_repeat_people.sql: the people behind aid_repeat_in_campaign's rows."""
    sizes = _in_plan_year(f, p).groupby(["person_key", "campaign", "festival"], dropna=False).size()
    return int(sizes[sizes > 1].index.get_level_values("person_key").nunique())


def aid_many_campaigns(f, p, settings) -> pd.DataFrame:
    """queries/aid_many_campaigns.sql: a person aided in rules.aid_many_campaigns or more campaigns."""
    ap = _aid_params(p, settings)
    a = _in_plan_year(f, p)
    many = a[a.groupby("person_key")["campaign"].transform("nunique") >= ap["many_campaigns"]]
    out = (
        _with_amount(many)
        .groupby("person_key")
        .agg(
            community=("community", "min"),
            recipient=("recipient", "min"),
            id_number=("id_number", "min"),
            category=("category", "min"),
            campaigns=("campaign", "nunique"),
            times=("campaign", "size"),
            amount=("amount", "sum"),
        )
    )
    out["campaign_list"] = (
        many[["person_key", "campaign"]]
        .drop_duplicates()
        .sort_values("campaign")
        .groupby("person_key")["campaign"]
        .agg(LIST_SEP.join)
    )
    out["amount"] = out["amount"].round(2)
    # two ID numbers under one name in one community with the same counts and amount would tie in the SQL's
    # order; pandas' sort on several columns is stable, so they keep person_key order (groupby's)
    out = out.sort_values(
        ["campaigns", "amount", "community", "recipient"], ascending=[False, False, True, True], ignore_index=True
    )
    return out[["community", "recipient", "id_number", "category", "campaigns", "campaign_list", "times", "amount"]]


def aid_category_gaps(f, p, settings) -> pd.DataFrame:
    """queries/aid_category_gaps.sql: a community with rules.aid_gap_min_recipients people or more aided
    but nobody of one of rules.aid_gap_categories."""
    ap = _aid_params(p, settings)
    a = _in_plan_year(f, p)
    people = a.groupby("community")["person_key"].nunique().rename("distinct_people")
    busy = people[people >= ap["gap_min_recipients"]].reset_index()
    wanted = busy.merge(pd.DataFrame({"missing_category": ap["gap_categories"]}), how="cross")
    present = a.loc[a["category"].notna(), ["community", "category"]].drop_duplicates()
    present = present.rename(columns={"category": "missing_category"})
    found = wanted.merge(present, on=["community", "missing_category"], how="left", indicator=True)["_merge"]
    out = wanted[(found == "left_only").to_numpy()]
    return out.sort_values(["community", "missing_category"], ignore_index=True)


PANDAS = {
    "aid.aid_by_category": aid_by_category,
    "aid.aid_by_community": aid_by_community,
    "aid.aid_by_funding": aid_by_funding,
    "aid.aid_by_month": aid_by_month,
    "aid.aid_campaigns": aid_campaigns,
    "aid.aid_category_gaps": aid_category_gaps,
    "aid.aid_many_campaigns": aid_many_campaigns,
    "aid.aid_repeat_in_campaign": aid_repeat_in_campaign,
    "aid.aid_repeat_people": aid_repeat_people,
    "aid.aid_rows": aid_rows,
    "aid.aid_totals": aid_totals,
}

if __name__ == "__main__":
    sys.exit(0 if check(aid, PANDAS, sys.argv[1] if len(sys.argv) > 1 else "street") else 1)
