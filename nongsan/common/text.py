"""Vietnamese text: folding for search and comparison, and alphabetical order.

Every app compares Vietnamese text through :func:`fold` and sorts it through
:func:`vi_sort_key`; nothing else in the code base strips diacritics or orders names.
See docs/decisions/0004-vietnamese-text.md.
"""

from __future__ import annotations

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
# ASCII punctuation and symbols in the order of the Unicode collation table (and so of ICU),
# which is not code-point order: "a-b" sorts before "a'b" in both databases.
_PUNCTUATION_ORDER = {
    char: index for index, char in enumerate("_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$")
}
# Spreadsheets and legacy Vietnamese encodings write Đ as the look-alike Icelandic Ð or
# African Ɖ; folding treats them as the letter people meant.
_D_LOOKALIKES = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ɖ": "d", "Ɖ": "d"})

# Primary weights: white space < punctuation and symbols < digits < Latin letters < others.
_SPACE, _SYMBOL, _DIGIT, _LETTER, _OTHER_LETTER = range(5)

SortKey = tuple[tuple[tuple[int, int], ...], tuple[int, ...], tuple[int, ...]]


def normalize_spaces(text: str) -> str:
    """Collapse runs of white space (including newlines from spreadsheets) and trim.

    ``str.split`` splits on exactly the characters ``\\s`` matches in a ``str`` pattern and is
    several times faster than a regular expression; the import calls this for every cell.
    """
    return " ".join(text.split())


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Fold Vietnamese text for comparison and search.

    Accepts NFC or NFD input, removes every diacritic (tone marks and the letter marks of
    ă â ê ô ơ ư), maps đ/Đ (and its look-alikes Ð, Ɖ) to d, case-folds and collapses white
    space: ``fold("Đắk  Lắk") == fold("DAK LAK") == "dak lak"``.
    """
    # Unicode's canonical caseless form, NFD(casefold(NFD(text))): case folding can itself
    # produce combining marks (İ -> i + dot above), which must be stripped too.
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFD", text).casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return normalize_spaces(stripped.translate(_D_LOOKALIKES))


def _primary(letter: str) -> tuple[int, int]:
    """The weight that decides order before tones and case: the letter itself."""
    if letter in _RANK:
        return _LETTER, _RANK[letter]
    if letter.isspace():
        return _SPACE, ord(letter)
    digit = unicodedata.decimal(letter, None)
    if digit is not None:
        return _DIGIT, digit
    if letter in _PUNCTUATION_ORDER:
        return _SYMBOL, _PUNCTUATION_ORDER[letter]
    if letter.isalpha():
        return _OTHER_LETTER, ord(letter)
    return _SYMBOL, len(_PUNCTUATION_ORDER) + ord(letter)


def _char_keys(char_group: str) -> tuple[tuple[int, int], int, int]:
    """Primary, secondary (tone) and tertiary (case) weight of one base letter with its marks."""
    base, marks = char_group[0], char_group[1:]
    is_upper = base != base.lower()
    base = base.lower()
    tone = 0
    letter = base
    for mark in marks:
        if mark in _TONES:
            tone = _TONES[mark]
        elif mark in _LETTER_MARKS:
            letter = _WITH_MARK.get((base, _LETTER_MARKS[mark]), letter)
    return _primary(letter), tone, int(is_upper)


def _is_ignorable(char: str) -> bool:
    """Control and format characters (zero-width space, soft hyphen) carry no weight in ICU."""
    return unicodedata.category(char) in ("Cc", "Cf") and not char.isspace()


@lru_cache(maxsize=65536)
def vi_sort_key(text: str) -> SortKey:
    """A key that sorts Vietnamese text in Vietnamese alphabetical order.

    Letters compare first in the order a ă â b c d đ e ê … o ô ơ … u ư … y; tones break ties
    (ngang, huyền, hỏi, ngã, sắc, nặng), then case (lower before upper). White space sorts
    before punctuation, punctuation before digits, digits before letters; digits compare one
    by one, so "Phường 10" sorts before "Phường 2". This is the order of ICU's ``vi``
    collation, which PostgreSQL uses, so Python, SQLite and PostgreSQL agree. White space is
    significant, as in ICU: store names through :func:`normalize_spaces`.
    """
    groups: list[str] = []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            if groups:
                groups[-1] += char
        elif not _is_ignorable(char):
            groups.append(char)
    weights = [_char_keys(group) for group in groups]
    return (
        tuple(weight[0] for weight in weights),
        tuple(weight[1] for weight in weights),
        tuple(weight[2] for weight in weights),
    )


def vi_compare(left: str | None, right: str | None) -> int:
    """Three-way comparison used as the SQLite collation ``vi``.

    Texts with equal keys fall back to code-point order, as PostgreSQL's deterministic
    collations do, so the two databases agree even there.
    """
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
