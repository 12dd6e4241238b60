"""Vietnamese text: folding for search and comparison, and alphabetical order.

Every app compares Vietnamese text through :func:`fold` and sorts it through
:func:`vi_sort_key`; nothing else in the code base strips diacritics or orders names.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "vi_sort_key", "vi_compare", "normalize_spaces", "VI_ALPHABET"]

# The Vietnamese alphabet in its own order; f, j, w, z appear in loanwords and place names of
# ethnic minorities, so they keep their Latin places.
VI_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"

_TONES = {
    # traditional dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng (also ICU's "vi")
    "\u0300": 1,  # huyền (grave)
    "\u0309": 2,  # hỏi (hook above)
    "\u0303": 3,  # ngã (tilde)
    "\u0301": 4,  # sắc (acute)
    "\u0323": 5,  # nặng (dot below)
}
_LETTER_MARKS = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}
_WITH_MARK = {
    ("a", "breve"): "ă",
    ("a", "circumflex"): "â",
    ("e", "circumflex"): "ê",
    ("o", "circumflex"): "ô",
    ("o", "horn"): "ơ",
    ("u", "horn"): "ư",
}
_RANK = {letter: index for index, letter in enumerate(VI_ALPHABET)}
_SPACES = re.compile(r"\s+")


def normalize_spaces(text: str) -> str:
    """Collapse runs of white space (including newlines from spreadsheets) and trim."""
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Fold Vietnamese text for comparison and search.

    Accepts NFC or NFD input, removes every diacritic (tone marks and the letter marks of
    ă â ê ô ơ ư), maps đ/Đ to d, case-folds and collapses white space:
    ``fold("Đắk Lắk") == fold("DAK LAK") == "dak lak"``.
    """
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return normalize_spaces(stripped.casefold())


def _char_keys(char_group: str) -> tuple[tuple[int, int], int, int]:
    """Primary, secondary (tone) and tertiary (case) weight of one base letter with its marks."""
    base, *marks = char_group
    is_upper = base != base.lower()
    base = base.lower()
    tone = 0
    letter = base
    for mark in marks:
        if mark in _TONES:
            tone = _TONES[mark]
        elif mark in _LETTER_MARKS:
            letter = _WITH_MARK.get((base, _LETTER_MARKS[mark]), base)
    if letter in _RANK:
        primary = (3, _RANK[letter])
    elif letter.isdigit():
        primary = (2, ord(letter))
    elif letter.isspace():
        primary = (0, 0)
    else:
        primary = (1, ord(letter))
    return primary, tone, int(is_upper)


@lru_cache(maxsize=65536)
def vi_sort_key(text: str) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...], tuple[int, ...]]:
    """A key that sorts Vietnamese text in Vietnamese alphabetical order.

    Letters compare first in the order a ă â b c d đ e ê … o ô ơ … u ư … y; tones break ties
    (ngang, huyền, hỏi, ngã, sắc, nặng), then case (lower before upper); white space sorts
    before digits, digits before letters. This matches PostgreSQL's ICU collation ``vi-x-icu``,
    so the database and Python agree.
    """
    decomposed = unicodedata.normalize("NFD", normalize_spaces(text))
    groups: list[str] = []
    for char in decomposed:
        if unicodedata.combining(char) and groups:
            groups[-1] += char
        else:
            groups.append(char)
    weights = [_char_keys(group) for group in groups]
    return (
        tuple(weight[0] for weight in weights),
        tuple(weight[1] for weight in weights),
        tuple(weight[2] for weight in weights),
    )


def vi_compare(left: str | None, right: str | None) -> int:
    """Three-way comparison used as the SQLite collation ``vi``."""
    if left == right:
        return 0
    if left is None:
        return -1
    if right is None:
        return 1
    left_key, right_key = vi_sort_key(left), vi_sort_key(right)
    if left_key == right_key:
        return (left > right) - (left < right)
    return -1 if left_key < right_key else 1
