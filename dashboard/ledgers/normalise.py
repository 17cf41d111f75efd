"""Step 4 of the import: raw cell values -> typed, canonical values, one field kind at a time.

Each column is normalised over its unique values only (ledgers repeat values a lot) and the result
is taken back to every row with numpy, so a 100,000-row sheet costs one pass per distinct value.
A value that cannot be understood becomes missing and its row is reported as an error.

Decisions worth knowing:
- Percent (工资增长幅度): "5%", "5", "0.05" all mean 5 percent points. A bare number below 1 is read as a
  fraction (0.05 -> 5) because Excel stores cells formatted as % that way and a wage rise under 1 % is
  written "0.5%" in practice; 1 and above are percent points.
- Dates: 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日, 20260305, 2026年3月 (-> the 1st), Excel serial
  numbers (also as text), and date cells. Years outside 1949-2100 are refused.
- Amounts in a column whose header says 万元 are multiplied by 10,000.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard import spec

MIN_YEAR, MAX_YEAR = 1949, 2100
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 once Excel's 1900 leap-day bug is absorbed
_SERIAL_MIN = (dt.date(MIN_YEAR, 1, 1) - EXCEL_EPOCH).days
_SERIAL_MAX = (dt.date(MAX_YEAR, 12, 31) - EXCEL_EPOCH).days

# What a value of each kind should look like, for "第12行「职工人数」为“很多”，应为整数（如 56）".
EXPECTED = {
    spec.INT: "应为整数（如 56）",
    spec.AMOUNT: "应为金额数字（如 1200 或 1,200元）",
    spec.NUMBER: "应为数字（如 85）",
    spec.PERCENT: "应为百分数（如 5% 或 5）",
    spec.DATE: "应为日期（如 2026-03-05 或 2026年3月5日）",
    spec.YEAR: "应为年份（如 2026）",
    spec.BOOL: "应为“是”或“否”",
}


@dataclass
class Issue:
    """A problem found in one row, before it is located in the user's file."""

    row: int  # Excel row number
    field: str
    severity: str  # model.ERROR or model.WARNING
    message: str


@dataclass
class Column:
    values: pd.Series  # typed, canonical
    bad: np.ndarray  # True where a non-blank value could not be understood
    # True where the cell gave an estimate (约50人): the value is blank, the row keeps its other fields.
    estimate: np.ndarray | None = None
    extra: dict[str, pd.Series] = field(default_factory=dict)  # e.g. festival beside campaign


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and math.isnan(v))


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


# --- per-value parsers: return (value, ok); value None when blank or not understood ---------------

_NUM_STRIP = re.compile(r"[\s,，]")
_NUM_UNITS = re.compile(
    r"^(?:计|共|共计|合计)?([-+]?\d+(?:\.\d*)?|[-+]?\.\d+)(万元|万|元|块|人次|人|名|个|家|户|次|岗|位|分)?$"
)
_UNIT = r"(?:万元|万|元|块|人次|人|名|个|家|户|次|岗|位|分)?"
# An estimate is not a count: 约50人, 近百人, 50人左右, 50余人, 50多人, 50上下, 50+, 数十人, 十几家.
_ESTIMATE = re.compile(
    r"^(?:大约|约|近|将近|接近|差不多)[\d一二两三四五六七八九十百千万几数]"
    r"|^(?:大约|约|近|将近)?[\d.]+" + _UNIT + r"(?:左右|上下|以上|来)" + _UNIT + "$"
    r"|^[\d.]+(?:余|多)" + _UNIT + "$"
    r"|^[\d.]+" + _UNIT + r"\+$"
    r"|^(?:约|近)?(?:数|几|十几|上)(?:十|百|千|万)"
    r"|^[十百千]余|^十几"
)


def is_estimate(v) -> bool:
    """True for text that gives an approximate quantity (约50人, 50余, 50+, 数十): never read as a number."""
    if not isinstance(v, str):
        return False
    s = _NUM_STRIP.sub("", _nfkc(v)).lstrip("¥￥")
    return bool(_ESTIMATE.search(s))


def parse_number(v, *, wan_header: bool = False) -> tuple[float | None, bool]:
    if isinstance(v, bool):
        return None, False
    if isinstance(v, int | float):
        if isinstance(v, float) and not math.isfinite(v):
            return None, False
        return (float(v) * (10_000 if wan_header else 1)), True
    if isinstance(v, dt.date):
        return None, False
    s = _NUM_STRIP.sub("", _nfkc(str(v))).lstrip("¥￥").removeprefix("RMB")
    m = _NUM_UNITS.match(s)
    if not m:
        return None, False
    x = float(m.group(1))
    unit = m.group(2) or ""
    if unit.startswith("万") or (wan_header and not unit):
        x *= 10_000
    return x, True


def parse_int(v) -> tuple[int | None, bool]:
    x, ok = parse_number(v)
    if not ok or x is None or not float(x).is_integer() or abs(x) > 2**31:
        return None, False
    return int(x), True


def parse_percent(v) -> tuple[float | None, bool]:
    if isinstance(v, str) and re.search(r"[%％]\s*$", v):
        x, ok = parse_number(re.sub(r"[%％]\s*$", "", v))
        return x, ok
    x, ok = parse_number(v)
    if ok and x is not None and abs(x) < 1:
        x = round(x * 100, 6)  # a fraction: 0.05 -> 5 percent points
    return x, ok


_DATE_YMD = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T ]?\d{1,2}[:时]\d{1,2}(?:[:分]\d{1,2}秒?)?)?$")
_DATE_YM = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?(?:份)?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _valid_date(y: int, m: int, d: int) -> dt.date | None:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _from_serial(x: float) -> dt.date | None:
    if _SERIAL_MIN <= x <= _SERIAL_MAX:
        return EXCEL_EPOCH + dt.timedelta(days=int(x))
    return None


def parse_date(v) -> tuple[dt.date | None, bool]:
    if isinstance(v, dt.date):  # a date cell: already a valid date, only its year is checked
        if isinstance(v, dt.datetime):
            v = v.date()
        return (v, True) if MIN_YEAR <= v.year <= MAX_YEAR else (None, False)
    if isinstance(v, bool):
        return None, False
    if isinstance(v, int | float):
        if 19_490_101 <= v <= 21_001_231 and float(v).is_integer():
            s = str(int(v))
            d = _valid_date(int(s[:4]), int(s[4:6]), int(s[6:]))
        else:
            d = _from_serial(float(v)) if math.isfinite(v) else None
        return d, d is not None
    s = "".join(_nfkc(str(v)).split())
    for pattern in (_DATE_YMD, _DATE_COMPACT):
        m = pattern.match(s)
        if m:
            d = _valid_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return d, d is not None
    m = _DATE_YM.match(s)
    if m:
        d = _valid_date(int(m.group(1)), int(m.group(2)), 1)
        return d, d is not None
    if re.fullmatch(r"\d{5}(?:\.\d+)?", s):
        d = _from_serial(float(s))
        return d, d is not None
    return None, False


def parse_year(v) -> tuple[int | None, bool]:
    if isinstance(v, dt.date):
        return v.year, MIN_YEAR <= v.year <= MAX_YEAR
    if isinstance(v, str):
        s = "".join(_nfkc(v).split())
        s = re.sub(r"年度?$", "", s)
        v = s
    x, ok = parse_int(v)
    if not ok or x is None or not MIN_YEAR <= x <= MAX_YEAR:
        return None, False
    return x, True


_YES = frozenset(w.lower() for w in spec.YES_WORDS)
_NO = frozenset(w.lower() for w in spec.NO_WORDS)


def parse_bool(v) -> tuple[bool | None, bool]:
    if isinstance(v, bool):
        return v, True
    if isinstance(v, int | float):
        return (bool(v), True) if v in (0, 1) else (None, False)
    s = "".join(_nfkc(str(v)).split()).lower()
    if s in _YES:
        return True, True
    if s in _NO:
        return False, True
    if s.startswith(("未", "否", "无", "没", "不")):
        return False, True
    if s.startswith(("已", "是", "有")):
        return True, True
    return None, False


def vocab_key(s) -> str:
    return "".join(_nfkc(str(s)).split()).upper()


_VOCAB_CACHE: dict[str, dict[str, str]] = {}


def vocab_lookup(name: str) -> dict[str, str]:
    """Synonym (normalised) -> canonical value for one vocabulary."""
    if name not in _VOCAB_CACHE:
        table = {}
        for canonical, synonyms in spec.VOCABULARIES[name].items():
            for word in (canonical, *synonyms):
                table.setdefault(vocab_key(word), canonical)
        _VOCAB_CACHE[name] = table
    return _VOCAB_CACHE[name]


def parse_vocab(v, name: str) -> tuple[str | None, bool]:
    table = vocab_lookup(name)
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, int) and not isinstance(v, bool) and name == "industry":
        v = f"{v:02d}"  # registration-form codes lose their leading zero in number cells
    key = vocab_key(v)
    if key in table:
        return table[key], True
    # "2026年春节慰问活动", "C 制造业", "已建会（独立）": the longest known word inside the value.
    hits = [w for w in table if len(w) >= 2 and w in key]
    if hits:
        return table[max(hits, key=len)], True
    return None, False


_COMMUNITY_SUFFIX = re.compile(r"(?:社区)?(?:居委会|居民委员会|工会联合会|联合工会|工作站)$")


def parse_community(v) -> tuple[str | None, bool]:
    s = "".join(_nfkc(str(v)).split())
    s = re.sub(r"[（(].*?[)）]$", "", s)
    stem = _COMMUNITY_SUFFIX.sub("", s)
    if stem != s and not stem.endswith("社区"):
        stem += "社区"
    key = spec.community_key(stem)
    return (key, True) if key else (None, True)


def parse_code(v) -> tuple[str | None, bool]:
    """USCC / id number: half-width, no spaces or dashes, upper case; numbers lose any .0."""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = re.sub(r"[\s\-—_]", "", _nfkc(str(v))).upper()
    return (s or None), True


def parse_text(v) -> tuple[str | None, bool]:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, dt.datetime):
        v = v.date()
    s = " ".join(str(v).replace("\u3000", " ").split())
    return (s or None), True


# --- column level ----------------------------------------------------------------------------------


def _map_unique(raw: np.ndarray, fn: Callable) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Apply fn to each distinct value: (value per distinct, ok per distinct, code per row).

    The last slot of the distinct arrays stands for blank cells (codes of NaN/None point there).
    """
    codes, uniques = pd.factorize(pd.Series(raw, dtype=object), use_na_sentinel=True)
    n = len(uniques)
    vals = np.empty(n + 1, dtype=object)
    oks = np.ones(n + 1, dtype=bool)
    for i, u in enumerate(uniques):
        if _blank(u):
            vals[i] = None
        else:
            value, ok = fn(u)
            vals[i], oks[i] = (value if ok else None), ok
    vals[n] = None
    codes = np.where(codes < 0, n, codes)
    return vals, oks, codes


def normalise_column(raw: np.ndarray, f: spec.Field, header: str = "") -> Column:
    """Typed values of one column of a ledger."""
    kind = f.kind
    if kind in (spec.INT, spec.YEAR):
        vals, ok, codes = _map_unique(raw, parse_int if kind == spec.INT else parse_year)
        return _with_estimates(Column(_int_series(vals, codes), ~ok[codes]), raw)
    if kind in (spec.AMOUNT, spec.NUMBER, spec.PERCENT):
        wan = kind == spec.AMOUNT and "万元" in header

        def fn(v):
            return parse_percent(v) if kind == spec.PERCENT else parse_number(v, wan_header=wan)

        vals, ok, codes = _map_unique(raw, fn)
        floats = np.array([np.nan if v is None else v for v in vals], dtype="float64")
        return _with_estimates(Column(pd.Series(pd.array(floats[codes], dtype="Float64")), ~ok[codes]), raw)
    if kind == spec.DATE:
        vals, ok, codes = _map_unique(raw, parse_date)
        days = np.array([np.datetime64("NaT") if v is None else np.datetime64(v, "D") for v in vals], dtype="M8[D]")
        return Column(pd.Series(days[codes].astype("M8[s]")), ~ok[codes])
    if kind == spec.BOOL:
        vals, ok, codes = _map_unique(raw, parse_bool)
        return Column(pd.Series(pd.array(vals[codes], dtype="boolean")), ~ok[codes])
    if kind == spec.VOCAB:
        name = f.vocab or ""
        festival = name == "campaign"

        def fn(v):
            value, good = parse_vocab(v, name)
            if festival:
                fest = next((w for w in spec.FESTIVALS if w in str(v)), None) if value == "节日慰问" else None
                return (value, fest), good
            return value, good

        vals, ok, codes = _map_unique(raw, fn)
        if not festival:
            return Column(_strings(vals, codes), ~ok[codes])
        camp = np.array([None if v is None else v[0] for v in vals], dtype=object)
        fest = np.array([None if v is None else v[1] for v in vals], dtype=object)
        col = Column(_strings(camp, codes), ~ok[codes])
        col.extra["festival"] = _strings(fest, codes)
        return col
    if kind in (spec.TEXT, spec.USCC, spec.ID_NUMBER):
        fast = _all_text(raw, kind)
        if fast is not None:
            return Column(fast, np.zeros(len(raw), dtype=bool))
    if kind == spec.COMMUNITY:
        fn = parse_community
    elif kind in (spec.USCC, spec.ID_NUMBER):
        fn = parse_code
    else:
        fn = parse_text
    vals, ok, codes = _map_unique(raw, fn)
    return Column(_strings(vals, codes), ~ok[codes])


def _with_estimates(col: Column, raw: np.ndarray) -> Column:
    """Move the unreadable cells that are estimates from `bad` to `estimate` (only bad cells are looked at)."""
    if col.bad.any():
        positions = np.flatnonzero(col.bad)
        est = np.zeros(len(col.bad), dtype=bool)
        for pos in positions:
            est[pos] = is_estimate(raw[pos])
        if est.any():
            col.bad = col.bad & ~est
            col.estimate = est
    return col


def _all_text(raw: np.ndarray, kind: str) -> pd.Series | None:
    """Vectorised parse_text / parse_code for a column holding only strings (names, codes); else None.

    Arrow's compute kernels do the work: pandas' own regex replace loops in Python on this dtype.
    """
    if pd.api.types.infer_dtype(raw, skipna=True) not in ("string", "empty"):
        return None
    arr = pa.array(raw, type=pa.string(), from_pandas=True)
    if kind == spec.TEXT:
        arr = pc.utf8_trim_whitespace(pc.replace_substring_regex(arr, pattern=r"[\s\x{3000}]+", replacement=" "))
    else:
        arr = pc.replace_substring_regex(pc.utf8_normalize(arr, "NFKC"), pattern=r"[\s\-—_]", replacement="")
        arr = pc.utf8_upper(arr)
    arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, arr.type), arr)  # blank text is no text
    return pd.Series(pd.array(arr, dtype="string"))


def _strings(vals: np.ndarray, codes: np.ndarray) -> pd.Series:
    """A string Series of vals[codes] (str or None), gathered by Arrow: no Python str per row."""
    distinct = pa.array(vals.tolist(), type=pa.large_string())
    return pd.Series(pd.array(distinct.take(pa.array(codes)), dtype="string"))


def _int_series(vals: np.ndarray, codes: np.ndarray) -> pd.Series:
    mask = np.array([v is None for v in vals], dtype=bool)
    data = np.array([0 if v is None else v for v in vals], dtype="int64")
    return pd.Series(pd.arrays.IntegerArray(data[codes], mask[codes]))


# Every character Python's re counts as \s, spelled out: with \s itself pandas falls back to a Python
# loop (RE2's \s is ASCII only), with the list it runs Arrow's regex kernel and removes the same characters.
PY_WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_NAME_NOISE = "[" + PY_WHITESPACE + "()\\[\\]【】<>《》·.,，、\\-]"


def name_norm(names: pd.Series) -> pd.Series:
    """Enterprise name for matching across ledgers: half-width, no spaces, brackets or dots, lower case."""
    s = names.astype("string").str.normalize("NFKC")
    return s.str.replace(_NAME_NOISE, "", regex=True).str.lower()
