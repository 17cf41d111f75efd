"""Step 3 of the import: match header texts to ledger fields and decide which ledger a sheet is.

Headers are matched by the aliases in dashboard.spec, tolerant of spaces, full-width characters,
required-field stars, trailing colons and trailing units ("职工人数（人）", "工资增长幅度（%）").
A sheet becomes the ledger whose specific fields it matches best; shared fields (社区, 企业名称,
信用代码) only break ties.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from dashboard import spec

SHARED_FIELDS = frozenset({"community", "name", "uscc"})
_UNIT_SUFFIX = re.compile(r"(?:\((?:人|名|元|万元|%|个|家|户|次|岁|年|天|分|年度)\)|%)$")
_PARENS = re.compile(r"\([^()]*\)")
EXPLANATION_SHEET = re.compile(r"说明|填表须知|填报要求|注意事项|备注|目录|封面")


def norm_header(text) -> str:
    """Header text for comparison: NFKC (half-width), no whitespace or stars, no trailing colon."""
    s = unicodedata.normalize("NFKC", str(text or ""))
    s = "".join(s.split()).strip("*※★")
    return s.rstrip(":").lower()


def header_keys(text) -> list[str]:
    """Forms of a header to look up, most specific first."""
    s = norm_header(text)
    if not s:
        return []
    keys = [s]
    stripped = _UNIT_SUFFIX.sub("", s)
    if stripped and stripped not in keys:
        keys.append(stripped)
    no_parens = _PARENS.sub("", s)
    if no_parens and no_parens not in keys:
        keys.append(no_parens)
    return keys


@lru_cache(maxsize=1)
def _alias_index() -> dict[str, list[tuple[str, str]]]:
    index: dict[str, list[tuple[str, str]]] = {}
    for ledger in spec.LEDGERS.values():
        for f in ledger.fields:
            for alias in (f.label, *f.aliases):
                for key in header_keys(alias)[:1]:
                    entry = (ledger.name, f.name)
                    if entry not in index.setdefault(key, []):
                        index[key].append(entry)
    return index


@lru_cache(maxsize=4096)
def match_header(text: str) -> tuple[tuple[str, str], ...]:
    """Every (ledger, field) a header text may stand for; empty when unknown."""
    index = _alias_index()
    for key in header_keys(text):
        if key in index:
            return tuple(index[key])
    return ()


def header_signature(headers: list[str]) -> str:
    """Key under which a hand-made column mapping is remembered: the normalised non-blank headers."""
    parts = [norm_header(h) for h in headers]
    joined = "\x1f".join(p for p in parts if p)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


@dataclass
class Classification:
    ledger: str | None
    columns: dict[str, int] = field(default_factory=dict)  # field -> column index
    unmatched_required: list[str] = field(default_factory=list)  # field names
    duplicate_columns: list[tuple[str, int]] = field(default_factory=list)  # (field, ignored column index)
    note: str | None = None
    score: float = 0.0


def classify(
    headers: list[str],
    *,
    sheet_name: str = "",
    title_text: str = "",
    mapping: dict[str, str] | None = None,
) -> Classification:
    """Pick the ledger for a sheet from its headers (or a hand-made mapping header -> field)."""
    hint = f"{sheet_name} {title_text}"
    forced = (mapping or {}).get("__ledger__")
    best: Classification | None = None
    for ledger in spec.LEDGERS.values():
        if forced and ledger.name != forced:
            continue
        cls = _match_ledger(ledger, headers, mapping)
        specific = sum(1 for f in cls.columns if f not in SHARED_FIELDS)
        cls.score = specific + 0.3 * (len(cls.columns) - specific)
        if any(w in hint for w in ledger.title_words):
            cls.score += 0.5
        if specific == 0 and not forced:
            cls.score = 0
        if best is None or cls.score > best.score:
            best = cls
    if best is None or best.score < 1:
        return Classification(
            None,
            note="未能识别为看板所列的任何一类台账：表头里没有找到台账的列名（如“企业名称”“职工人数”）。如需导入，请在数据页手动对应各列。",
        )
    return best


def _match_ledger(ledger: spec.Ledger, headers: list[str], mapping: dict[str, str] | None) -> Classification:
    cls = Classification(ledger.name)
    names = set(ledger.columns)
    by_norm = {norm_header(k): v for k, v in (mapping or {}).items() if k != "__ledger__"}
    for col, text in enumerate(headers):
        if not text:
            continue
        fname = by_norm.get(norm_header(text)) if mapping else None
        if fname is None:
            fname = next((f for lg, f in match_header(text) if lg == ledger.name), None)
        if fname is None or fname not in names:
            continue
        if fname in cls.columns:
            cls.duplicate_columns.append((fname, col))
            continue
        cls.columns[fname] = col
    cls.unmatched_required = [f.name for f in ledger.fields if f.required and f.name not in cls.columns]
    return cls


def is_explanation_sheet(sheet_name: str) -> bool:
    return bool(EXPLANATION_SHEET.search(sheet_name))
