"""一企一档 (enterprise profile) and 企业查询 (search): everything the ledgers hold about one enterprise.

`search_enterprises` finds enterprises by name fragment, credit code or contact phone;
`enterprise_profile` gathers the enterprise's registry row and snapshots, union, agreements, grades,
disputes and the aid given to its workers, each from a queries/profile_*.sql file. Values come back
unmasked: masking personal data is the screen's and the export's job (it depends on who is looking).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pandas as pd

from dashboard.config import Settings
from dashboard.db import run_query
from dashboard.metrics import Cursor

SEARCH_LIMIT = 200
MIN_PHONE_DIGITS = 4
PROFILE_PARTS = ("registry", "history", "union", "agreements", "grades", "disputes", "aid")

# the importer's name_norm: half-width, no spaces, brackets or punctuation, lower case
_NAME_NOISE = re.compile(r"[\s()\[\]【】<>《》·.,，、\-]")


def normalise_name(text: str) -> str:
    return _NAME_NOISE.sub("", unicodedata.normalize("NFKC", text)).lower()


def search_params(text: str) -> dict | None:
    """The bound parameters for a search, or None when there is nothing to search for."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return None
    digits = re.sub(r"\D", "", text)
    return {
        "text": text,
        "text_norm": normalise_name(text),
        # only a run of digits long enough to mean a phone number is compared with phones
        "digits": digits if len(digits) >= MIN_PHONE_DIGITS and len(digits) >= len(text) // 2 else None,
        "limit": SEARCH_LIMIT,
    }


def search_enterprises(cur: Cursor, text: str, settings: Settings) -> pd.DataFrame:
    """Enterprises matching a name fragment, credit code (fragment) or contact phone; current ones first.

    Columns: enterprise_key, community, name, uscc, industry, status, employees, union_status, phone,
    in_current. Empty text gives an empty frame with those columns.
    """
    del settings  # same signature as every other data function
    params = search_params(text)
    if params is None:
        params = {"text": "", "text_norm": "", "digits": None, "limit": 0}
    return run_query(cur, "search_enterprises", params)


def enterprise_profile(
    cur: Cursor, enterprise_key: str, settings: Settings, as_of: date | None = None
) -> dict[str, pd.DataFrame]:
    """Everything about one enterprise, one DataFrame per part (see PROFILE_PARTS).

    as_of (default today) decides which agreements are 生效中 / 已到期 / 未生效.
    """
    del settings
    params = {"key": enterprise_key, "as_of": as_of or date.today()}
    return {part: run_query(cur, f"profile_{part}", params) for part in PROFILE_PARTS}


def profile_title(profile: dict[str, pd.DataFrame]) -> str | None:
    """The enterprise's name as the registry (current, else latest snapshot) or another ledger gives it."""
    for part in ("registry", "history"):
        frame = profile[part]
        if len(frame):
            return str(frame["name"].iloc[-1] if part == "history" else frame["name"].iloc[0])
    return None


def is_known(profile: dict[str, pd.DataFrame]) -> bool:
    """Whether any ledger holds anything about the enterprise."""
    return any(len(profile[p]) for p in PROFILE_PARTS if p != "union")


def profile_summary(profile: dict[str, pd.DataFrame]) -> dict:
    """The headline figures of a profile: staff, union, agreement in force, latest grade, disputes, aid."""
    registry, history = profile["registry"], profile["history"]
    latest = registry.iloc[0] if len(registry) else history.iloc[-1] if len(history) else None
    agreements = profile["agreements"]
    in_force = agreements[agreements["state"] == "生效中"]
    grades = profile["grades"]
    disputes = profile["disputes"]
    aid = profile["aid"]
    money = aid["cash"].astype(float).fillna(0).sum() + aid["goods_value"].astype(float).fillna(0).sum()

    def value(col):
        if latest is None or pd.isna(latest[col]):
            return None
        return latest[col]

    return {
        "employees": value("employees"),
        "union_status": value("union_status"),
        "union_members": value("union_members"),
        "membership_rate": (
            None
            if profile["union"].empty or pd.isna(profile["union"]["membership_rate"].iloc[0])
            else float(profile["union"]["membership_rate"].iloc[0])
        ),
        "agreement_until": in_force["expires_on"].max() if len(in_force) else None,
        "agreements": len(agreements),
        "latest_grade": None if grades.empty else f"{int(grades['year'].iloc[0])}年 {grades['grade'].iloc[0]}",
        "disputes": len(disputes),
        "open_disputes": int(disputes["closed_on"].isna().sum()),
        "aid_times": len(aid),
        "aid_people": int(aid["id_number"].fillna(aid["recipient"]).nunique()),
        "aid_money": float(money),
    }
