"""Masking of names, ID numbers and phone numbers, and the frame helper the pages use."""

import pandas as pd
import pytest

from dashboard import privacy


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("王小明", "王**"),
        ("欧阳娜娜", "欧阳**"),
        ("司马光", "司马*"),
        ("欧阳", "欧*"),  # a compound surname alone: still hide all but one character
        ("张", "*"),
        (" 张 三 ", "张*"),  # spaces from hand-typed ledgers do not count as characters
        ("", ""),
        (None, ""),
    ],
)
def test_mask_name(name, masked):
    assert privacy.mask_name(name) == masked


@pytest.mark.parametrize(
    ("idn", "masked"),
    [
        ("12010119900101123X", "1201**********123X"),  # 4 + 10 stars + 4 = 18
        ("120101900101123", "1201*******1123"),  # legacy 15 digits: 4 + 7 + 4
        ("1234", "****"),
        (None, ""),
    ],
)
def test_mask_id(idn, masked):
    assert privacy.mask_id(idn) == masked
    if idn:
        assert len(privacy.mask_id(idn)) == len(idn)


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("022-23456789", "***-****6789"),
        ("", ""),
    ],
)
def test_mask_phone(phone, masked):
    assert privacy.mask_phone(phone) == masked


def test_nobody_sees_personal_data_yet():
    assert privacy.can_see_personal(None) is False
    assert privacy.can_see_personal("admin") is False


def test_mask_frame_masks_personal_columns_only():
    frame = pd.DataFrame({"recipient": ["张三", None], "id_number": ["12010119900101123X", None], "cash": [500, 0]})
    out = privacy.mask_frame(frame)
    assert out["recipient"].tolist() == ["张*", ""]
    assert out["id_number"].tolist() == ["1201**********123X", ""]
    assert out["cash"].tolist() == [500, 0]
    assert frame["recipient"].tolist()[0] == "张三"  # the input is left alone


# Characters a personal-data cell may hold: common CJK (and the characters of compound surnames), an
# extension-A character, letters, ASCII, full-width and circled digits, whitespace of several kinds (some
# that only Python counts as whitespace), separators.
ALPHABET = "张三王李欧阳司马上官娜伟职工㐀ABxX0123456789１①-+·\t \u3000\xa0\x1c\x85\u2028\u200a\u200b"


def _cells():
    from hypothesis import strategies as st

    text = st.text(alphabet=ALPHABET, max_size=20)
    unspaced = st.text(alphabet="张王李欧阳司马娜伟三职工0123456789X·①", min_size=1, max_size=19)
    mobile = st.integers(10**10, 2 * 10**10 - 1).map(str)
    return st.lists(st.one_of(text, unspaced, mobile, st.none()), min_size=100, max_size=160)


@pytest.mark.parametrize("dtype", ["str", "string"])
@pytest.mark.parametrize("masker", [privacy.mask_name, privacy.mask_id, privacy.mask_phone])
def test_mask_column_is_the_masker_value_for_value(masker, dtype):
    """Whole columns are masked partly with pyarrow (plain shapes) and partly cell by cell: the result
    must be exactly what the masker gives each cell, for names, ID numbers and phones of every shape."""
    from hypothesis import given, settings

    @settings(max_examples=150, deadline=None)
    @given(_cells())
    def check(cells):
        column = pd.Series(cells, dtype=dtype, name="c", index=range(7, 7 + len(cells)))
        expected = column.map(masker).astype("string")
        pd.testing.assert_series_equal(privacy.mask_column(column, masker), expected)

    check()


def test_whitespace_is_pythons():
    """The plain shapes exclude exactly what str.split() and str.strip() remove."""
    assert set(privacy.WHITESPACE) == {c for c in map(chr, range(0x110000)) if c.isspace()}


def test_mask_column_fast_path_is_taken_and_exact():
    names = pd.Series(["欧阳娜娜", "张三", "王", " 李 四", None, "司马懿", "职工135530"] * 50, dtype="str")
    out = privacy.mask_column(names, privacy.mask_name)
    assert out.tolist()[:7] == ["欧阳**", "张*", "*", "李*", "", "司马*", "职*******"]
    ids = pd.Series(["120101199001011234", "12345678", "1201 0119 9001 011234"] * 50, dtype="str")
    assert privacy.mask_column(ids, privacy.mask_id).tolist()[:3] == [
        "1201**********1234",
        "********",
        privacy.mask_id("1201 0119 9001 011234"),
    ]
    phones = pd.Series(["13812345678", "022-2345 6789", ""] * 50, dtype="str")
    assert privacy.mask_column(phones, privacy.mask_phone).tolist()[:3] == ["138****5678", "***-**** 6789", ""]


def test_mask_column_text_pyarrow_cannot_hold():
    names = pd.Series(["张\ud800三", "李四"] * 60, dtype="string[python]")
    assert privacy.mask_column(names, privacy.mask_name).tolist()[:2] == ["张**", "李*"]


# ---- odd shapes: a non-blank value never comes out whole ------------------------------------------

ODD = {
    # value: (as a name, as an ID number, as a phone)
    "=1+1": ("=***", "****", "***"),  # a formula typed into a phone cell was exported as is
    "12": ("1*", "**", "***"),
    "1234": ("1***", "****", "***"),
    "abc": ("a**", "***", "***"),
    " 12 ": ("1*", "**", "***"),
    "\u3000张\u3000": ("*", "*", "***"),
    "123456789": ("1********", "*********", "*****6789"),
    "张三 13812345678": ("张************", "**************", "** *******5678"),
    "  ": ("", "", ""),  # only whitespace: nothing to show, nothing to hide
    None: ("", "", ""),
}


@pytest.mark.parametrize("value", list(ODD))
def test_odd_shapes_are_masked(value):
    assert (privacy.mask_name(value), privacy.mask_id(value), privacy.mask_phone(value)) == ODD[value]


def test_odd_shapes_are_masked_in_a_whole_column_and_frame():
    cells = [v for v in ODD if v is not None] * 20 + [None]
    frame = pd.DataFrame({"phone": cells, "电话": cells, "id_number": cells, "recipient": cells})
    out = privacy.mask_frame(frame)
    for column, which in (("phone", 2), ("电话", 2), ("id_number", 1), ("recipient", 0)):
        assert out[column].tolist() == [ODD[v][which] for v in cells], column


@pytest.mark.parametrize("masker", [privacy.mask_name, privacy.mask_id, privacy.mask_phone])
def test_no_value_comes_out_whole(masker):
    """Any value with something besides whitespace comes out starred, never as it was written."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.one_of(st.text(alphabet=ALPHABET + "=()abc", max_size=24), st.integers(0, 10**19).map(str)))
    def check(value):
        out = masker(value)
        if value.strip():
            assert privacy.MASK in out and out != value.strip() and out != value
        else:
            assert out == ""

    check()
