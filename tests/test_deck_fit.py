"""Text measured with real fonts (dashboard/deck_fit.py), expected widths worked out by hand from the
fonts' advance widths: WenQuanYi Micro Hei draws every 汉字 1 em wide; DejaVu Sans Bold's digits are
0.6958 em (Pillow at 1000 px: '877' is 2087.39 px = 2.08739 em); a CJK/Latin boundary adds 0.25 em;
everything times the 1.10 margin."""

import pytest

from dashboard import deck_fit


def test_a_chinese_word_is_one_em_a_character_with_the_margin():
    # 人次: 2 characters x 1 em x 10 pt x 1.10 = 22.0 pt
    assert deck_fit.width("人次", 10) == pytest.approx(22.0)


def test_digits_and_the_gap_where_chinese_begins():
    # '877' bold at 100 pt: 2.08739 em x 100 x 1.10 = 229.61 pt
    assert deck_fit.width("877", 100, bold=True) == pytest.approx(229.61, abs=0.01)
    # '877人次': (2.08739 + 2 + 0.25 gap) em x 100 x 1.10 = 477.11 pt
    assert deck_fit.width("877人次", 100, bold=True) == pytest.approx(477.11, abs=0.01)


def test_a_big_figure_shrinks_until_it_fits_one_line():
    # a 5.3 in box = 381.6 pt: 477.11 x s / 100 <= 381.6 -> s <= 79.98 -> 79 pt
    assert deck_fit.fit_size("877人次", 381.6, 100, 40, bold=True) == 79
    assert deck_fit.fit_size("877人次", 381.6, 60, 40, bold=True) == 60  # already fits
    assert deck_fit.fit_size("877人次", 10, 60, 40, bold=True) == 40  # never below the floor


def test_names_are_shortened_as_the_web_meeting_mode_does():
    # 和平里社区 at 16 pt: 5 x 16 x 1.1 = 88 pt; 和平里 = 52.8 pt
    assert deck_fit.shorten_name("和平里社区", 90, 16) == "和平里社区"
    assert deck_fit.shorten_name("和平里社区", 60, 16) == "和平里"  # formatting.short_name
    # 和平里 does not fit 40 pt: 和 + … = 2 x 17.6 = 35.2 pt fits, 和平… = 52.8 does not
    assert deck_fit.shorten_name("和平里社区", 40, 16) == "和…"


def test_wrapped_lines_break_between_chinese_characters():
    # 10 characters of 11 pt: 3 a line in a 40 pt box (33 pt; 4 would be 44) -> 3 + 3 + 3 + 1 = 4 lines
    assert deck_fit.wrapped_lines("一二三四五六七八九十", 40, 10) == 4
    assert deck_fit.wrapped_lines("一二三四五六七八九十", 200, 10) == 1
