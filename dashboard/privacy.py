"""Masking of personal data (names, ID numbers, phone numbers) before it is shown to a room.

Aid recipients' names and ID numbers are personal data (see the ledger spec): every page shows them
masked unless `can_see_personal(user)` says the viewer may see them: the single switch point, by role.

Whatever its shape, a non-blank value never comes out whole: a name keeps only its surname, an ID number
its first and last 4 characters only when it is ID-length (15 or more), a phone its last 4 digits only when
it has at least 7 digits, and every other character of a phone that is not a separator is a star. A value
too short or too odd for that ('12', '=1+1', 'abc' as a phone) becomes all stars ('***' for a phone).
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard import spec

# Two-character surnames (复姓) common enough to appear in a street's ledgers; a name starting with one
# keeps both characters visible.
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "百里",
        "呼延",
        "万俟",
        "闻人",
        "申屠",
        "澹台",
        "公羊",
        "太史",
        "钟离",
        "濮阳",
        "淳于",
        "单于",
        "赫连",
        "拓跋",
        "司空",
        "鲜于",
        "闾丘",
        "子车",
        "亓官",
        "仲孙",
        "第五",
        "梁丘",
        "左丘",
        "东郭",
        "谷梁",
        "乐正",
        "羊舌",
        "微生",
        "公冶",
        "宗政",
        "漆雕",
        "壤驷",
        "巫马",
        "公良",
        "段干",
        "司寇",
        "颛孙",
        "南门",
        "东门",
        "归海",
        "羊角",
        "墨哈",
        "谯笪",
        "年爱",
        "阳佟",
    ]
)

MASK = "*"


def _blank(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value) or str(value).strip() == ""


def mask_name(name) -> str:
    """'张三' -> '张*', '欧阳娜娜' -> '欧阳**': the surname stays, every other character is a star."""
    if _blank(name):
        return ""
    s = "".join(str(name).split())
    keep = 2 if s[:2] in COMPOUND_SURNAMES and len(s) > 2 else 1
    if len(s) == 1:
        return MASK
    return s[:keep] + MASK * (len(s) - keep)


ID_MIN_SHOWN = 15  # an ID number this long (15 or 18 characters) keeps its first and last 4


def mask_id(id_number) -> str:
    """'120101199001011234' -> '1201**********1234': first 4 and last 4 kept (15-digit: 4 + 7 + 4).
    Anything shorter than an ID number is all stars, as long as it is ('1234' -> '****')."""
    if _blank(id_number):
        return ""
    s = str(id_number).strip()
    if len(s) < ID_MIN_SHOWN:
        return MASK * len(s)
    return s[:4] + MASK * (len(s) - 8) + s[-4:]


PHONE_MIN_DIGITS = 7  # a phone with fewer digits shows none of them
PHONE_SEPARATORS = frozenset(" -+()（）.－/")  # kept as written; every other non-digit is a star
SHORT_MASK = MASK * 3


def mask_phone(phone) -> str:
    """Mobile '13812345678' -> '138****5678'; any other number of at least 7 digits keeps its last 4 digits
    and its separators ('022-23456789' -> '***-****6789'); anything else ('12', '=1+1', 'abc') is '***'."""
    if _blank(phone):
        return ""
    s = str(phone).strip()
    digits = [c for c in s if c.isdigit()]
    if len(digits) == 11 and s.isdigit() and s.startswith("1"):
        return s[:3] + MASK * 4 + s[-4:]
    if len(digits) < PHONE_MIN_DIGITS:
        return SHORT_MASK
    keep_from = len(digits) - 4  # the index, among digits, from which digits stay visible
    out, seen = [], 0
    for c in s:
        if c.isdigit():
            out.append(c if seen >= keep_from else MASK)
            seen += 1
        else:
            out.append(c if c in PHONE_SEPARATORS else MASK)
    return "".join(out)


def can_see_personal(user) -> bool:
    """Whether `user` (a dashboard.scope.Viewer) may see unmasked personal data: only when their role is
    listed in settings [auth] personal_roles, empty by default. No user (meeting mode, exports made for a
    room, the command line) always masks."""
    if user is None:
        return False
    from dashboard.config import load_settings  # late: settings may change while the app runs

    return getattr(user, "role", None) in load_settings().raw.get("auth", {}).get("personal_roles", [])


def _column_maskers() -> dict[str, object]:
    """Column name (field name, Chinese label or any header alias of a personal field) -> masker."""
    by_field = {"id_number": mask_id, "phone": mask_phone}
    out: dict[str, object] = {}
    for ledger in spec.LEDGERS.values():
        for f in ledger.fields:
            if f.personal:
                for column in (f.name, f.label, *f.aliases):
                    out[column] = by_field.get(f.name, mask_name)
    return out


MASKERS = _column_maskers()


# Whole columns at once. For values of one plain shape each masker's rule comes down to slicing: a name or
# an ID number without any whitespace (nothing to remove or strip) of at least two or 15 characters, an
# 11-digit mobile number. Those are masked together with pyarrow; any other value (blank, spaced, short,
# other number formats) goes through the masker itself, so the result is the masker's, value for value
# (tests/test_privacy.py compares both on every shape). A district's aid rows hold hundreds of thousands
# of names and ID numbers, too many to mask one at a time (docs/performance-notes.md).
# Every character Python's str.split() and str.strip() treat as whitespace (str.isspace(); checked in
# tests/test_privacy.py), as a regex class: RE2's \s knows only the ASCII ones.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)
_NO_SPACE = "[^" + "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE) + "]"


def _arrow_name(values: pa.Array) -> pa.Array:
    length = pc.utf8_length(values)
    first_two = pc.utf8_slice_codeunits(values, 0, 2)
    compound = pc.and_(pc.is_in(first_two, value_set=pa.array(sorted(COMPOUND_SURNAMES))), pc.greater(length, 2))
    kept = pc.if_else(compound, first_two, pc.utf8_slice_codeunits(values, 0, 1))
    stars = pc.binary_repeat(pa.scalar(MASK), pc.subtract(length, pc.if_else(compound, 2, 1)))
    return pc.binary_join_element_wise(kept, stars, "")


def _arrow_id(values: pa.Array) -> pa.Array:
    stars = pc.binary_repeat(pa.scalar(MASK), pc.subtract(pc.utf8_length(values), 8))
    head, tail = pc.utf8_slice_codeunits(values, 0, 4), pc.utf8_slice_codeunits(values, -4)
    return pc.binary_join_element_wise(head, stars, tail, "")


def _arrow_mobile(values: pa.Array) -> pa.Array:
    head, tail = pc.utf8_slice_codeunits(values, 0, 3), pc.utf8_slice_codeunits(values, -4)
    return pc.binary_join_element_wise(head, pa.scalar(MASK * 4), tail, "")


_PLAIN_SHAPES = {
    mask_name: (f"^{_NO_SPACE}{{2,}}$", _arrow_name),
    mask_id: (f"^{_NO_SPACE}{{{ID_MIN_SHOWN},}}$", _arrow_id),
    mask_phone: (r"^1[0-9]{10}$", _arrow_mobile),
}


def mask_column(column: pd.Series, masker) -> pd.Series:
    """column.map(masker) as text, the plain shapes masked together (see above)."""
    plain = _PLAIN_SHAPES.get(masker)
    if plain is None or not isinstance(column.dtype, pd.StringDtype) or len(column) < 100:
        return column.map(masker).astype("string")
    pattern, mask_all = plain
    try:
        values = pa.array(column).cast(pa.string())
    except (pa.ArrowException, UnicodeError):  # text pyarrow cannot hold (a lone surrogate): one by one
        return column.map(masker).astype("string")
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    fits = pc.fill_null(pc.match_substring_regex(values, pattern), False)
    out = pc.replace_with_mask(values, fits, mask_all(values.filter(fits)))
    others = pc.invert(fits)
    if pc.any(others).as_py():
        done = [masker(v) for v in column[others.to_numpy(zero_copy_only=False)]]
        out = pc.replace_with_mask(out, others, pa.array(done, type=pa.string()))
    masked = pd.Series(pd.arrays.ArrowStringArray(out), index=column.index, name=column.name)
    return masked.astype("string")


def mask_frame(frame: pd.DataFrame, user=None) -> pd.DataFrame:
    """A copy of `frame` with its personal columns masked (named by field, label or alias), unless the
    user may see them. Every page, export and meeting slide goes through here."""
    if can_see_personal(user):
        return frame
    out = frame.copy()
    for column in out.columns:
        masker = MASKERS.get(str(column))
        if masker:
            out[column] = mask_column(out[column], masker)
    return out
