"""Folding and Vietnamese alphabetical order, in Python (the databases: test_text_database)."""

from __future__ import annotations

import functools
import random
import re
import unicodedata
from typing import Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nongsan.common.tests.strategies import (
    BASE_VOWELS,
    TONE_MARKS,
    in_any_normal_form,
    vietnamese_names,
    vietnamese_words,
)
from nongsan.common.text import VI_ALPHABET, fold, normalize_spaces, vi_compare, vi_sort_key

ASCII_OF = {"a": "a", "ă": "a", "â": "a", "e": "e", "ê": "e", "i": "i", "o": "o", "ô": "o"}
ASCII_OF |= {"ơ": "o", "u": "u", "ư": "u", "y": "y"}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def vi_sorted(texts: list[str]) -> list[str]:
    return sorted(texts, key=functools.cmp_to_key(vi_compare))


# fold


@pytest.mark.parametrize("vowel", list(BASE_VOWELS))
@pytest.mark.parametrize("tone", TONE_MARKS)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_fold_strips_every_tone_from_every_vowel_in_either_form(
    vowel: str, tone: str, form: Literal["NFC", "NFD"]
) -> None:
    letter = unicodedata.normalize(form, vowel + tone)
    assert fold(letter) == ASCII_OF[vowel]
    assert fold(letter.upper()) == ASCII_OF[vowel]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đắk Lắk", "dak lak"),
        ("ĐỒNG THÁP", "dong thap"),
        ("đường", "duong"),
        ("Thừa Thiên Huế", "thua thien hue"),
        ("Bà Rịa - Vũng Tàu", "ba ria - vung tau"),
        ("Cư M'gar", "cu m'gar"),
        ("Phường 10", "phuong 10"),
        ("Quỳnh Lưu", "quynh luu"),
        ("Nguyễn Thị Ngọc Ánh", "nguyen thi ngoc anh"),
    ],
)
def test_fold_removes_diacritics_and_case(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert fold(nfd(text)) == folded


def test_fold_maps_both_cases_of_d_with_stroke_to_d() -> None:
    assert fold("đ") == "d"
    assert fold("Đ") == "d"
    assert fold("ĐĐđđ") == "dddd"


def test_fold_maps_look_alikes_of_d_with_stroke_from_legacy_encodings() -> None:
    # Ð (U+00D0, Icelandic eth) and Ɖ (U+0189) stand in for Đ in old spreadsheets.
    assert fold("\u00d0ắk L\u00e4k") == "dak lak"
    assert fold("\u0189ồng Nai") == "dong nai"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("  Lục   Ngạn  ", "luc ngan"),
        ("Lục\tNgạn", "luc ngan"),
        ("\nPhường Đăk Cấm\n", "phuong dak cam"),
        ("Lục\u00a0Ngạn", "luc ngan"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_fold_collapses_and_trims_white_space(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_keeps_digits_and_punctuation() -> None:
    assert fold("Tổ 7, khu phố 3 - P.Tân Định") == "to 7, khu pho 3 - p.tan dinh"


def test_fold_makes_diacritic_and_plain_spellings_meet() -> None:
    assert fold("Hòa Bình") == fold("HOA BINH") == fold("hoà bình") == fold(nfd("Hoà Bình"))


def test_normalize_spaces_keeps_case_and_diacritics() -> None:
    assert normalize_spaces("  Xã \t Lục  Ngạn \n") == "Xã Lục Ngạn"


_ANY_WHITE_SPACE = st.sampled_from(
    [chr(code) for code in range(0x3100) if chr(code).isspace()] + ["\u3000", "\u200b", "\ufeff"]
)


@given(st.lists(st.one_of(st.text(max_size=4), _ANY_WHITE_SPACE), max_size=12))
def test_normalize_spaces_matches_the_regular_expression_it_replaced(parts: list[str]) -> None:
    """``str.split`` must split on exactly what ``\\s+`` matched (NBSP, ideographic space …)."""
    text = "".join(parts)
    assert normalize_spaces(text) == re.sub(r"\s+", " ", text).strip()


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_fold_does_not_depend_on_the_normal_form(text: str) -> None:
    assert fold(unicodedata.normalize("NFC", text)) == fold(unicodedata.normalize("NFD", text))


@given(in_any_normal_form(vietnamese_names))
def test_fold_of_vietnamese_text_is_lower_case_ascii(text: str) -> None:
    folded = fold(text)
    assert folded.isascii()
    assert folded == folded.lower()
    assert "  " not in folded
    assert folded == folded.strip()


# vi_sort_key


# every letter in order, each vowel followed by its tones: ngang, huyền, hỏi, ngã, sắc, nặng
LETTER_ORDER = [
    *"aàảãáạ",
    *"ăằẳẵắặ",
    *"âầẩẫấậ",
    *"bcdđ",
    *"eèẻẽéẹ",
    *"êềểễếệ",
    *"fgh",
    *"iìỉĩíị",
    *"jklmn",
    *"oòỏõóọ",
    *"ôồổỗốộ",
    *"ơờởỡớợ",
    *"pqrst",
    *"uùủũúụ",
    *"ưừửữứự",
    *"vwx",
    *"yỳỷỹýỵ",
    "z",
]


def test_vietnamese_letters_and_tones_sort_in_dictionary_order() -> None:
    shuffled = LETTER_ORDER[:]
    random.Random(1034).shuffle(shuffled)
    assert sorted(shuffled, key=vi_sort_key) == LETTER_ORDER
    assert sorted([nfd(letter) for letter in shuffled], key=vi_sort_key) == [
        nfd(letter) for letter in LETTER_ORDER
    ]


def test_alphabet_constant_lists_the_vietnamese_order() -> None:
    assert sorted(VI_ALPHABET, key=vi_sort_key) == list(VI_ALPHABET)
    assert VI_ALPHABET.index("ă") < VI_ALPHABET.index("â") < VI_ALPHABET.index("b")
    assert VI_ALPHABET.index("d") < VI_ALPHABET.index("đ") < VI_ALPHABET.index("e")


@pytest.mark.parametrize(
    "expected",
    [
        # tones are a secondary difference: they only break ties between equal letters
        ["ban", "bàn", "bản", "bãn", "bán", "bạn", "bana"],
        # ă, â, đ, ê, ô, ơ, ư are letters of their own
        ["an", "ăn", "ân", "bo", "bô", "bơ", "bu", "bư"],
        ["Dương", "Dzu", "Đà Lạt", "Đà Nẵng", "Đắk Lắk", "Điện Biên", "Đồng Nai"],
        ["Cà Mau", "Cao Bằng", "Cần Thơ", "Châu Đốc"],
        # case is the last difference: lower before upper, but after tones
        ["an", "An", "AN", "àn", "Àn"],
        # white space < punctuation < digits < letters; digits compare one by one
        ["Phường 1", "Phường 10", "Phường 2", "Phường An Lạc"],
        ["Xã B-a", "Xã B' Lá", "Xã B'lao", "Xã Ba"],
        # letters decide before tones, across the whole name
        ["Hòa An", "Hóa An", "Hòa Bình"],
    ],
)
def test_vi_sort_key_orders_words_as_a_vietnamese_dictionary(expected: list[str]) -> None:
    assert sorted(reversed(expected), key=vi_sort_key) == expected
    assert vi_sorted(list(reversed(expected))) == expected


def test_vi_sort_key_sorts_hoa_as_ho_a_whichever_vowel_carries_the_tone() -> None:
    # "hoà" (new style) and "hòa" (old style) differ only in where the tone sits.
    assert vi_sort_key("hoa") < vi_sort_key("hoà") < vi_sort_key("hòa") < vi_sort_key("hoan")


def test_vi_sort_key_treats_white_space_as_significant_like_the_database() -> None:
    assert vi_sort_key("Phường  3") < vi_sort_key("Phường 10")
    assert vi_sort_key(" b") < vi_sort_key("a")


def test_vi_sort_key_ignores_control_and_format_characters() -> None:
    assert vi_sort_key("Lục\u200bNgạn") == vi_sort_key("LụcNgạn")
    assert vi_compare("a\x01b", "ab") == -1


@given(in_any_normal_form(vietnamese_names))
def test_vi_sort_key_does_not_depend_on_the_normal_form(text: str) -> None:
    assert vi_sort_key(unicodedata.normalize("NFC", text)) == vi_sort_key(nfd(text))


@given(vietnamese_words)
def test_tones_and_case_never_change_the_primary_key(word: str) -> None:
    plain = "".join(char for char in nfd(word.lower()) if char not in TONE_MARKS)
    assert vi_sort_key(word)[0] == vi_sort_key(plain)[0]


@given(in_any_normal_form(vietnamese_names), in_any_normal_form(vietnamese_names))
def test_vi_compare_is_antisymmetric_and_zero_only_for_equal_text(left: str, right: str) -> None:
    assert vi_compare(left, right) == -vi_compare(right, left)
    assert (vi_compare(left, right) == 0) == (left == right)


@given(st.lists(in_any_normal_form(vietnamese_names), max_size=30))
def test_vi_compare_sorts_as_the_key_does(texts: list[str]) -> None:
    by_compare = vi_sorted(texts)
    keys = [vi_sort_key(text) for text in by_compare]
    assert keys == sorted(keys)


@given(st.text(alphabet="abcdeghiklmnopqrstuvxy"), st.text(alphabet="abcdeghiklmnopqrstuvxy"))
def test_plain_lower_case_words_sort_in_latin_order(left: str, right: str) -> None:
    assert (vi_sort_key(left) < vi_sort_key(right)) == (left < right)


def test_vi_compare_puts_null_first() -> None:
    assert vi_compare(None, "a") == -1
    assert vi_compare("a", None) == 1
    assert vi_compare(None, None) == 0


def test_vi_compare_breaks_ties_between_equal_keys_by_code_point() -> None:
    # NFC and NFD spell the same text; the databases' deterministic collations order them by
    # their bytes, and so does the collation registered on SQLite.
    composed, decomposed = "Hà", nfd("Hà")
    assert vi_sort_key(composed) == vi_sort_key(decomposed)
    assert vi_compare(decomposed, composed) == -1
    assert vi_compare(composed, decomposed) == 1
