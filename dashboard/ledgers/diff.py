"""What an upload changes, row by row and field by field, and what that does to the indicators.

Both are computed by dashboard.ledgers.load.preview inside the preview's transaction, over the very stage
tables the import writes from: the row lists by queries/import_diff_<ledger>.sql (the staged rows against
the stored ones, paired as the counts pair them), the indicator impact by running the real indicator
functions of dashboard.metrics before the batch is written and again after it is written (and made live)
in the same transaction, which is then rolled back. Nothing here opens a connection or imports Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from dashboard import db, export, metrics, privacy, spec
from dashboard.config import Settings
from dashboard.filters import Filters

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
CHANGE_LABELS = {ADDED: "新增", CHANGED: "修改", REMOVED: "移除"}

DIFF_COLUMNS = [
    "ledger",
    "change",
    "community",
    "name",
    "detail",
    "old_community",
    "field",
    "old_value",
    "new_value",
    "item",
]
IMPACT_COLUMNS = ["indicator", "label", "before", "after", "before_den", "after_den", "changed"]

# Which indicators each ledger feeds (always shown when the upload holds that ledger; any other indicator
# is shown too when its value moves).
FEEDS = {
    "enterprises": ("U1", "U2", "U3", "W1", "H1"),
    "wage_agreements": ("W1", "W2"),
    "harmonious": ("H1", "H2"),
    "aid": ("A1",),
    "disputes": ("D1",),
}
IMPACT_LABELS = {
    **metrics.RATE_LABELS,
    **metrics.COUNT_LABELS,
    "A1": "帮扶救助人次",
    "D1": "本年受理劳动争议",
}
IMPACT_ORDER = ("U1", "U2", "U3", "W1", "W2", "H1", "H2", "A1", "D1")

EMPTY_VALUE = "（空）"
HIDDEN_VALUE = "（其他社区的记录，不显示）"


def empty_diff() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in DIFF_COLUMNS}).astype({"item": "int64"})


def staged_diff(con: duckdb.DuckDBPyConnection, stages: dict[str, str], street: str) -> pd.DataFrame:
    """DIFF_COLUMNS over the stage tables load._apply made: one row per added or removed row, one per
    changed field of a changed row (field, old_value, new_value as text); `item` numbers the rows of each
    ledger's list, so the fields of one changed row share it. Must run before the stages are dropped."""
    parts = []
    for ledger in spec.LEDGERS:
        if ledger not in stages:
            continue
        # on the preview's own connection (the stage tables are its temp tables, inside its transaction)
        frame = db.run_query(con, f"import_diff_{ledger}", {"street": street, "streets": None})
        if frame.empty:
            continue
        frame.insert(0, "ledger", ledger)
        # one item per staged row (seq); a removed registry row (no staged row, seq null) is one of its own
        own = "r" + pd.Series(range(len(frame)), index=frame.index).astype("string")
        ident = frame["seq"].astype("string").fillna(own)
        frame["item"] = pd.factorize(ident)[0].astype("int64")
        parts.append(frame)
    if not parts:
        return empty_diff()
    out = pd.concat(parts, ignore_index=True)
    text = ["community", "name", "detail", "old_community", "field"]
    out[text] = out[text].astype("object").where(out[text].notna(), None)
    for column in ("old_value", "new_value"):
        shown = [_shown(f, v) for f, v in zip(out["field"], out[column], strict=True)]
        out[column] = pd.Series(shown, index=out.index, dtype="object")
    return out[DIFF_COLUMNS].reset_index(drop=True)


_BOOL_WORDS = {"true": "是", "false": "否"}
_KINDS = {f.name: f.kind for lg in spec.LEDGERS.values() for f in lg.fields}


def _shown(field, value) -> str | None:
    """A stored value as the lists show it: blank as （空）, a yes/no field in words."""
    if field is None or (isinstance(field, float) and pd.isna(field)):
        return None
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return EMPTY_VALUE
    if _KINDS.get(field) == spec.BOOL:
        return _BOOL_WORDS.get(str(value), str(value))
    return str(value)


def field_label(ledger: str, field: str | None) -> str:
    if not field:
        return ""
    lg = spec.LEDGERS[ledger]
    return lg.field(field).label if field in lg.columns else field


def for_viewer(diff: pd.DataFrame, viewer=None, own_community: str | None = None) -> pd.DataFrame:
    """The diff as `viewer` may see it: personal fields (names of aid recipients, ID numbers, union chairs,
    phones) masked unless the role may see them (dashboard.privacy), and, for a community cadre
    (own_community), the old values of a row stored under another community withheld."""
    out = diff.copy()
    if not privacy.can_see_personal(viewer):
        for ledger in spec.LEDGERS.values():
            for f in ledger.fields:
                if not f.personal:
                    continue
                masker = privacy.MASKERS[f.name]
                hit = (out["ledger"] == ledger.name) & (out["field"] == f.name)
                for column in ("old_value", "new_value"):
                    shown = out.loc[hit, column]
                    out.loc[hit, column] = shown.where(shown == EMPTY_VALUE, shown.map(masker))
        aid = out["ledger"] == "aid"
        out.loc[aid, "name"] = out.loc[aid, "name"].map(privacy.mask_name)
    if own_community is not None:
        other = out["old_community"].notna() & (out["old_community"] != own_community)
        out.loc[other, "old_value"] = HIDDEN_VALUE
        out.loc[other, "old_community"] = None
    return out


def records(diff: pd.DataFrame) -> pd.DataFrame:
    """One line per added, removed or changed row, its changed fields as 「职工人数：17 → 40；…」 (the page's list)."""
    columns = ["台账", "变化", "社区", "名称", "说明", "修改内容"]
    if diff.empty:
        return pd.DataFrame(columns=columns)
    frame = diff.assign(
        text=[
            f"{field_label(lg, f)}：{o} → {n}" if isinstance(f, str) and f else ""
            for lg, f, o, n in zip(diff["ledger"], diff["field"], diff["old_value"], diff["new_value"], strict=True)
        ]
    )
    grouped = frame.groupby(["ledger", "item"], sort=False).agg(
        change=("change", "first"),
        community=("community", "first"),
        name=("name", "first"),
        detail=("detail", "first"),
        text=("text", lambda t: "；".join(x for x in t if x)),
    )
    grouped = grouped.reset_index()
    return pd.DataFrame(
        {
            "台账": grouped["ledger"].map(lambda lg: spec.LEDGERS[lg].label),
            "变化": grouped["change"].map(CHANGE_LABELS),
            "社区": grouped["community"].fillna(""),
            "名称": grouped["name"].fillna(""),
            "说明": grouped["detail"].fillna(""),
            "修改内容": grouped["text"],
        }
    )


def field_rows(diff: pd.DataFrame) -> pd.DataFrame:
    """One line per changed field (and per added or removed row): the Excel download's sheet."""
    return pd.DataFrame(
        {
            "台账": diff["ledger"].map(lambda lg: spec.LEDGERS[lg].label),
            "变化": diff["change"].map(CHANGE_LABELS),
            "社区": diff["community"].fillna(""),
            "名称": diff["name"].fillna(""),
            "说明": diff["detail"].fillna(""),
            "字段": [
                field_label(lg, f) if isinstance(f, str) else ""
                for lg, f in zip(diff["ledger"], diff["field"], strict=True)
            ],
            "原值": diff["old_value"].fillna(""),
            "新值": diff["new_value"].fillna(""),
        }
    )


def excel(diff: pd.DataFrame) -> bytes:
    """The 下载变化明细 workbook: field_rows on one sheet (dashboard.export's styling and text safety)."""
    return export.to_excel_bytes({"变化明细": field_rows(diff)})


def as_json(diff: pd.DataFrame) -> dict:
    """{added: [...], removed: [...], changed: [{..., fields: [{field, label, old, new}]}]} for `validate --json`."""
    out: dict[str, list] = {ADDED: [], REMOVED: [], CHANGED: []}
    for (ledger, _item), rows in diff.groupby(["ledger", "item"], sort=False):
        first = rows.iloc[0]
        entry = {
            "ledger": ledger,
            "community": first["community"],
            "name": first["name"],
            "detail": None if pd.isna(first["detail"]) else first["detail"],
        }
        if first["change"] == CHANGED:
            entry["fields"] = [
                {"field": r.field, "label": field_label(ledger, r.field), "old": r.old_value, "new": r.new_value}
                for r in rows.itertuples()
            ]
        out[first["change"]].append(entry)
    return out


# ---- indicator impact -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImpactScope:
    """Which figures the impact reads: the plan year, its as-of date, the upload's communities."""

    year: int
    as_of: date | None
    communities: tuple[str, ...]


def figures(con: duckdb.DuckDBPyConnection, where: ImpactScope, street: str, settings: Settings) -> dict:
    """indicator -> (numerator, denominator or None) over the communities of `where`, by the real
    indicator functions of dashboard.metrics (rates summed over those communities as the overview sums them)."""
    filters = Filters(year=where.year, as_of=where.as_of, street=street, communities=where.communities or None)
    out: dict[str, tuple[int, int | None]] = {}
    for key, fn in metrics.RATE_FUNCTIONS.items():
        frame = fn(con, filters, settings)
        out[key] = (int(frame["numerator"].sum()), int(frame["denominator"].sum()))
    for key, fn in metrics.COUNT_FUNCTIONS.items():
        out[key] = (int(fn(con, filters, settings)["count"].sum()), None)
    out["A1"] = (int(metrics.aid_by_campaign(con, filters, settings)["people"].sum()), None)
    out["D1"] = (int(metrics.dispute_summary(con, filters, settings)["cases"]), None)
    return out


def impact_frame(before: dict, after: dict, ledgers: set[str]) -> pd.DataFrame:
    """IMPACT_COLUMNS: the indicators the upload's ledgers feed, and any other whose figure moves."""
    fed = {k for lg in ledgers for k in FEEDS.get(lg, ())}
    rows = []
    for key in IMPACT_ORDER:
        (b, bd), (a, ad) = before[key], after[key]
        moved = (b, bd) != (a, ad)
        if key in fed or moved:
            rows.append((key, IMPACT_LABELS[key], b, a, bd, ad, moved))
    frame = pd.DataFrame(rows, columns=IMPACT_COLUMNS)
    return frame.astype({"before_den": "Int64", "after_den": "Int64"})


def impact_text(row) -> tuple[str, str]:
    """("57/59", "58/60") for a rate, ("3", "4") for a count."""

    def one(n, d) -> str:
        if d is None or pd.isna(d):
            return str(n)
        pct = f"（{n / d:.1%}）" if d else ""
        return f"{n}/{d}{pct}"

    return one(row["before"], row["before_den"]), one(row["after"], row["after_den"])


def impact_table(impact: pd.DataFrame) -> pd.DataFrame:
    """The page's and the CLI's table of the impact."""
    texts = [impact_text(r) for _, r in impact.iterrows()]
    return pd.DataFrame(
        {
            "指标": impact["indicator"] + " " + impact["label"],
            "导入前": [t[0] for t in texts],
            "导入后": [t[1] for t in texts],
            "变化": impact["changed"].map({True: "有变化", False: "不变"}),
        }
    )


def impact_json(impact: pd.DataFrame) -> list[dict]:
    out = []
    for _, r in impact.iterrows():
        entry = {"indicator": r["indicator"], "label": r["label"], "changed": bool(r["changed"])}
        for side in ("before", "after"):
            den = r[f"{side}_den"]
            if pd.isna(den):
                entry[side] = int(r[side])
            else:
                entry[side] = {"numerator": int(r[side]), "denominator": int(den)}
        out.append(entry)
    return out


# ---- mass removals ----------------------------------------------------------------------------------


def mass_removals(plan: pd.DataFrame, share: float) -> pd.DataFrame:
    """Communities whose registry upload removes more than `share` of the enterprises registered now
    (removed ÷ (removed + changed + unchanged), the stored registry the upload is paired with)."""
    reg = plan[plan["ledger"] == "enterprises"]
    stored = reg["removed"] + reg["changed"] + reg["unchanged"]
    hit = (stored > 0) & (reg["removed"] > share * stored)
    out = reg.loc[hit, ["community", "removed"]].assign(registered=stored[hit])
    return out.reset_index(drop=True)


def removal_message(removals: pd.DataFrame, share: float) -> str:
    parts = [f"{r.community}移除 {r.removed} 家（现有 {r.registered} 家）" for r in removals.itertuples()]
    return (
        f"这次上传的企业名录会一次移除很多企业：{'；'.join(parts)}，超过现有名录的 {share:.0%}。"
        "请核对是否漏传了企业；确认无误后再导入。"
    )
