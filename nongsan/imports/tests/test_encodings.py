"""TCVN3 and VNI: conversion both ways on real words, and a detector that stays quiet."""

from __future__ import annotations

import unicodedata

import pytest

from nongsan.imports.vietnamese_encodings import (
    TCVN3,
    VNI,
    detect_legacy_encoding,
    tcvn3_to_unicode,
    to_unicode,
    unicode_to_tcvn3,
    unicode_to_vni,
    vni_to_unicode,
)

PLACES = [
    "Lục Ngạn",
    "Bắc Giang",
    "Đắk Lắk",
    "Thừa Thiên Huế",
    "Hương Khê",
    "Ứng Hòa",
    "Quỳnh Lưu",
    "Sơn Động",
    "Mường Tè",
    "Kỳ Anh",
    "Ỷ La",
    "Nguyễn Thị Hường",
    "xã Hồng Giang, huyện Lục Ngạn, tỉnh Bắc Giang",
]
TONED_VOWELS = "àảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
BASES = "aăâeêioôơuưyđ"


def test_the_examples_people_send_convert() -> None:
    assert to_unicode("Lôc Ng¹n").converted == "Lục Ngạn"  # type: ignore[union-attr]
    assert to_unicode("Luïc Ngaïn").converted == "Lục Ngạn"  # type: ignore[union-attr]
    assert detect_legacy_encoding("Lôc Ng¹n") == TCVN3
    assert detect_legacy_encoding("Luïc Ngaïn") == VNI


@pytest.mark.parametrize("place", PLACES)
def test_place_names_go_through_vni_and_back(place: str) -> None:
    encoded = unicode_to_vni(place)
    assert encoded != place
    assert detect_legacy_encoding(encoded) == VNI
    assert vni_to_unicode(encoded) == place


# TCVN3 has no toned capital letters, so "Ứng" comes back "ứng"; and "Kú Anh" (Kỳ Anh) holds
# only letters Unicode Vietnamese also uses, so it cannot be told from Unicode text.
@pytest.mark.parametrize("place", [place for place in PLACES if place[0] not in "ỶỨK"])
def test_place_names_go_through_tcvn3_and_back(place: str) -> None:
    encoded = unicode_to_tcvn3(place)
    assert detect_legacy_encoding(encoded) == TCVN3
    assert tcvn3_to_unicode(encoded) == place


def test_every_tone_on_every_vowel_converts_in_both_encodings() -> None:
    for letter in TONED_VOWELS + BASES:
        word = f"t{letter}n"
        assert tcvn3_to_unicode(unicode_to_tcvn3(word)) == word, letter
        assert vni_to_unicode(unicode_to_vni(word)) == word, letter
        upper = word.upper()
        assert vni_to_unicode(unicode_to_vni(upper)) == upper, letter


def test_tcvn3_capitals_and_dd() -> None:
    assert tcvn3_to_unicode("§¾k L¾k") == "Đắk Lắk"
    assert tcvn3_to_unicode("§¾K L¾K") == "ĐẮK LẮK"  # typed in .VnTimeH
    assert tcvn3_to_unicode("¡n ¢u £ ¤ ¥ ¦ §") == "Ăn Âu Ê Ô Ơ Ư Đ"
    assert vni_to_unicode("Ñoàng Thaùp") == "Đồng Tháp"
    assert vni_to_unicode("ÑAÉK LAÉK") == "ĐẮK LẮK"


def test_converted_text_is_nfc() -> None:
    converted = vni_to_unicode("Nguyeãn")
    assert converted == unicodedata.normalize("NFC", converted) == "Nguyễn"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Nguyen Van An",
        "0912345678",
        "Lục Ngạn",
        "Hoà Bình",
        "Hoàng Văn Thụ",
        "Võ Thị Sáu",
        "Lê Lợi",
        "Tô Hiến Thành",
        "Đà Lạt",
        unicodedata.normalize("NFD", "Nguyễn Thị Hường"),
        "Bà Rịa – Vũng Tàu",
        "Cà phê",
        "Lô 5, Hóc Môn",
    ],
)
def test_unicode_and_ascii_are_not_taken_for_legacy_text(text: str) -> None:
    assert detect_legacy_encoding(text) is None
    assert to_unicode(text) is None
