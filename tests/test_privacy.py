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
