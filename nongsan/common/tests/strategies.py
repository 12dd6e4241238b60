"""Hypothesis strategies that write Vietnamese the ways people and programs do."""

from __future__ import annotations

import unicodedata

from hypothesis import strategies as st

BASE_VOWELS = "aăâeêioôơuưy"
CONSONANTS = "bcdđghklmnpqrstvx" + "fjwz"
# ngang, huyền, hỏi, ngã, sắc, nặng
TONE_MARKS = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
TONED_VOWELS = tuple(
    unicodedata.normalize("NFC", vowel + tone) for vowel in BASE_VOWELS for tone in TONE_MARKS
)
LOWER_LETTERS = tuple(CONSONANTS) + TONED_VOWELS
LETTERS = LOWER_LETTERS + tuple(letter.upper() for letter in LOWER_LETTERS)

vietnamese_letters = st.sampled_from(LETTERS)
vietnamese_words = st.lists(vietnamese_letters, min_size=1, max_size=8).map("".join)

# Names as the administrative tables write them: words, digits ("Phường 10"), apostrophes
# ("Cư M'gar") and hyphens ("Bà Rịa - Vũng Tàu").
_name_parts = st.one_of(
    vietnamese_words,
    st.integers(min_value=0, max_value=30).map(str),
    st.sampled_from(["-", "'", "M'", "(", ")", "."]),
)
vietnamese_names = st.lists(_name_parts, min_size=1, max_size=5).map(" ".join)


@st.composite
def in_any_normal_form(draw: st.DrawFn, texts: st.SearchStrategy[str]) -> str:
    """Text as a keyboard (NFC) or a Mac or some phones (NFD) might send it."""
    text = draw(texts)
    return unicodedata.normalize(draw(st.sampled_from(["NFC", "NFD"])), text)
