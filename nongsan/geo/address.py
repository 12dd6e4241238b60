"""Resolve an address as people write it to a current commune, with a confidence.

People write addresses in every way: with or without diacritics, in any case, with type words
spelled out or abbreviated (``X.``, ``P.``, ``TT.``, ``H.``, ``Q.``, ``TX.``, ``TP.``, ``T.``,
with or without the dot or the space), separated by commas, dashes or nothing, in the legacy
geography (``Xã Hồng Giang, huyện Lục Ngạn, tỉnh Bắc Giang``) or the current one, with a
village or street in front. :func:`resolve_address` turns such text into ranked current
communes and never silently guesses: equal matches come back ``ambiguous``, and a legacy
commune that was split comes back ``needs_choice`` with all its successors.

The algorithm, in five steps:

1. **Guard.** Empty text, more than :data:`MAX_ADDRESS_LENGTH` characters or
   :data:`_MAX_WORDS` words, and control characters (other than tabs and line breaks) get
   the status ``invalid`` and a message; nothing else is refused.
2. **Words.** The text is cut into words, each folded (:func:`nongsan.common.text.fold`,
   apostrophes dropped, ``04`` read as ``4``, ``P4``/``Q1``/``F12`` cut into a type word and a
   number). Commas, semicolons, slashes, brackets, line breaks and a dot that ends neither an
   abbreviation nor an initial (``N.T``) are strong boundaries; dashes are weak ones, since
   ``Bà Rịa - Vũng Tàu`` is one name. Type words (``xã``, ``p``, ``thị trấn``, ``huyện``,
   ``tp`` …) say which level the next name is at; village and street words (``thôn``, ``ấp``,
   ``bản``, ``tổ``, ``khu phố``, ``xóm``, ``số``, ``đường`` …) open a part below the commune.
   A word written with diacritics is such a word only with the right diacritics (``Phương``
   is no ``phường``, ``Dương`` no ``đường``); one written without may be either, and the
   names found decide ("huyen Quan Hoa", "Doai Phuong").
3. **Mentions.** Every run of up to :data:`_MAX_NAME_WORDS` words that crosses no strong
   boundary is looked up in an in-memory index of the folded short names of every unit at
   every level, current and legacy, with the earlier names of units renamed since and common
   nicknames (``HCM``, ``Sài Gòn``, ``HN``, ``TT Huế``, ``Hanoi`` …). A bare number names a
   unit only right after a type word (``Phường 4``), so house numbers never match. A village
   or street word that begins a unit name (``Bản Lầu``, ``Tân Dương``) opens no part. A part
   runs to the next separator or type word; where no separator closes it, how much of it is
   surely the village is decided as :func:`_parts` explains.
4. **Readings.** For every unit that a mention may name at commune level (a current commune,
   or a legacy unit with current successors), the district and province mentions that agree
   with it best are chosen together: a legacy district or province agrees with a legacy
   commune that lay in it and with a current commune one of whose predecessors lay in it; a
   current province with its communes and with the legacy communes whose successors are in
   it. Agreement within one map scores more than across the reform. A reading's score grows
   with each level that agrees (commune + district + province beats commune alone), with
   type words of the right level and type, with diacritics written exactly as the unit's, with
   evidence of the legacy map for a legacy commune (a district, a date before the reform, a
   province name that no longer exists), and with the usual small-to-large order. It falls
   with type words of another level (a name after a type word written with diacritics or a dot
   is never read at another level: "huyện Lục Ngạn" is no commune), names inside a village or
   street part, other diacritics, every word no chosen mention explains, a run that is only
   part of a longer name ("Thanh" of "Thanh Hóa") and a name that alone would be a province
   ("Bắc Giang"). Readings under :data:`_MIN_SCORE` are dropped. Only when no commune agrees
   with a district or province are names one edit away tried, among the communes of the
   matched provinces and districts (or among provinces), and only where one name fits.
5. **Candidates.** Each reading is mapped to current communes: a current commune to itself, a
   legacy unit to its successors through the crosswalk (transitively, so later changes are
   followed). The best score per current commune ranks them. If readings within
   :data:`_TIE_MARGIN` of the best name more than one commune the result is ``ambiguous``;
   one best reading of a legacy commune split over several current ones is ``needs_choice``
   with every successor flagged; one clear commune is ``resolved``. A candidate's confidence
   comes from the levels that agreed (commune alone 0.55 … all three 0.95) and the hints,
   shared out among tied or split candidates. A part written with a type word whose name
   names nothing ("tỉnh Mơ Hồ") is never ignored: no word inside it is read as the commune,
   and the result is at best ``ambiguous``, at half the confidence, with a message quoting
   the part (``not_found`` when nothing else is left).

The index is built from the database once per process (under a second for the whole
country), cached, and frozen out of the garbage collector's way; :func:`clear_address_index`
drops it after the units change. Resolution itself is pure Python, under a millisecond for a
typical address. See docs/decisions/0006-address-resolution.md.
"""

from __future__ import annotations

import datetime
import gc
import re
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from nongsan.common.text import fold
from nongsan.geo.models import (
    REFORM_DATE,
    AdministrativeUnit,
    UnitLevel,
    UnitName,
    UnitSuccession,
    UnitType,
)

__all__ = [
    "MAX_ADDRESS_LENGTH",
    "STATUS_AMBIGUOUS",
    "STATUS_INVALID",
    "STATUS_NEEDS_CHOICE",
    "STATUS_NOT_FOUND",
    "STATUS_RESOLVED",
    "AddressCandidate",
    "AddressResolution",
    "ParsedAddress",
    "clear_address_index",
    "name_key",
    "parse_address",
    "resolve_address",
]

MAX_ADDRESS_LENGTH = 500

STATUS_RESOLVED = "resolved"
STATUS_AMBIGUOUS = "ambiguous"
STATUS_NEEDS_CHOICE = "needs_choice"
STATUS_NOT_FOUND = "not_found"
STATUS_INVALID = "invalid"

COMMUNE = UnitLevel.COMMUNE.value
DISTRICT = UnitLevel.DISTRICT.value
PROVINCE = UnitLevel.PROVINCE.value

_MAX_NAME_WORDS = 6
# More words than this is no address; it would only cost time (MAX_ADDRESS_LENGTH bounds it too).
_MAX_WORDS = 80
# Names one edit away are only tried in addresses of at most this many words.
_MAX_WORDS_FOR_TYPOS = 24
_MAX_PHRASE_WORDS = 3
# Readings whose scores differ by less than this differ only in soft hints (a type word, a
# diacritic, the era), never in a level that agreed: they are reported as equal.
_TIE_MARGIN = 0.25

# What each piece of evidence is worth (module docstring, step 4).
_COMMUNE_SCORE = 3.0
_DISTRICT_SCORE = 2.0
_PROVINCE_SCORE = 2.0
_ACROSS_THE_REFORM = -0.4
_TYPE_AGREES = 0.5
_LEVEL_AGREES = 0.25
_TYPE_OF_OTHER_LEVEL = -1.5
_INSIDE_PART = -2.0
_STARTS_ON_TYPE_WORD = -0.5
_OVERLAPS_TYPED_NAME = -1.0
_ALSO_A_PROVINCE = -2.0
_PART_OF_LONGER_NAME = -1.0
# A reading scoring less than this is no reading: a name whose words are better read as
# something else ("Tinh Bac Giang" is the province, not Xã Tịnh Bắc).
_MIN_SCORE = 2.0
_EXACT_DIACRITICS = 0.2
_OTHER_DIACRITICS = -0.4
_LEGACY_EVIDENCE = 0.3
_CURRENT_EVIDENCE = 0.3
_UNEXPLAINED_WORD = -0.3
_IN_ORDER = 0.2  # the commune written before its district and province, as usual
_MAX_UNEXPLAINED_WORDS = 5
_TYPO = -0.8
# What a candidate's confidence is multiplied by when a typed part names nothing.
_UNRECOGNISED_PART = 0.5

# --- words -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _TypeWord:
    """A word that names the type, hence the level, of the unit written after it."""

    levels: frozenset[str]
    unit_types: frozenset[str]


def _type_word(levels: Iterable[str], unit_types: Iterable[str]) -> _TypeWord:
    return _TypeWord(frozenset(levels), frozenset(unit_types))


_COMMUNE_WORD = _type_word([COMMUNE], [UnitType.COMMUNE])
_WARD_WORD = _type_word([COMMUNE], [UnitType.WARD])
_TOWNSHIP_WORD = _type_word([COMMUNE], [UnitType.TOWNSHIP])
_SPECIAL_ZONE_WORD = _type_word([COMMUNE], [UnitType.SPECIAL_ZONE])
_RURAL_DISTRICT_WORD = _type_word([DISTRICT], [UnitType.RURAL_DISTRICT])
_URBAN_DISTRICT_WORD = _type_word([DISTRICT], [UnitType.URBAN_DISTRICT])
_DISTRICT_TOWN_WORD = _type_word([DISTRICT], [UnitType.DISTRICT_TOWN])
_CITY_WORD = _type_word([DISTRICT, PROVINCE], [UnitType.PROVINCIAL_CITY, UnitType.MUNICIPALITY])
_PROVINCE_WORD = _type_word([PROVINCE], [UnitType.PROVINCE])

# Type words as written, with their abbreviations (the dot is optional everywhere).
_TYPE_WORDS_WRITTEN = {
    "xã": _COMMUNE_WORD,
    "x": _COMMUNE_WORD,
    "phường": _WARD_WORD,
    "p": _WARD_WORD,
    "f": _WARD_WORD,
    "thị trấn": _TOWNSHIP_WORD,
    "tt": _TOWNSHIP_WORD,
    "ttr": _TOWNSHIP_WORD,
    "đặc khu": _SPECIAL_ZONE_WORD,
    "huyện": _RURAL_DISTRICT_WORD,
    "h": _RURAL_DISTRICT_WORD,
    "quận": _URBAN_DISTRICT_WORD,
    "q": _URBAN_DISTRICT_WORD,
    "thị xã": _DISTRICT_TOWN_WORD,
    "tx": _DISTRICT_TOWN_WORD,
    "thành phố": _CITY_WORD,
    "tp": _CITY_WORD,
    "tỉnh": _PROVINCE_WORD,
    "t": _PROVINCE_WORD,
}
# Words that open a part below the commune: villages (reported) and streets (only kept from
# being read as unit names).
_VILLAGE_WORDS_WRITTEN = [
    "thôn",
    "ấp",
    "bản",
    "buôn",
    "bon",
    "làng",
    "xóm",
    "khóm",
    "sóc",
    "plei",
    "tổ",
    "tổ dân phố",
    "tdp",
    "khu phố",
    "kp",
    "khu",
    "khu dân cư",
    "cụm",
    "đội",
]
_STREET_WORDS_WRITTEN = [
    "số",
    "số nhà",
    "đường",
    "phố",
    "ngõ",
    "ngách",
    "hẻm",
    "kiệt",
    "km",
    "quốc lộ",
    "tỉnh lộ",
    "ql",
]
# The country tells nothing about the commune.
_COUNTRY_WORDS = {"vietnam", "vn"}

# Common ways of writing a province, folded, to the folded name they stand for.
_PROVINCE_ALIASES = {
    "hcm": "ho chi minh",
    "tphcm": "ho chi minh",
    "hcmc": "ho chi minh",
    "sai gon": "ho chi minh",
    "saigon": "ho chi minh",
    "sg": "ho chi minh",
    "hn": "ha noi",
    "tphn": "ha noi",
    # Thừa Thiên Huế became the municipality Huế in January 2025, before both tables.
    "thua thien hue": "hue",
    "tt hue": "hue",
    "tthue": "hue",
    "tth": "hue",
    "brvt": "ba ria vung tau",
    "br vt": "ba ria vung tau",
    "dac lac": "dak lak",
    "dak lac": "dak lak",
    "dac lak": "dak lak",
    "dac nong": "dak nong",
}

_WORD = re.compile(r"[^\W_]+(?:['’ʼ‘`´]\s?[^\W_]+)*")
_APOSTROPHES = re.compile(r"['’ʼ‘`´]\s?")
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
_TYPE_AND_NUMBER = re.compile(r"^(p|f|q|x|phuong|quan)(\d+)$")
_STRONG_BOUNDARY = re.compile(r"[,;/|()\[\]{}\n\r\t:]")
_WEAK_BOUNDARY = re.compile(r"[-–—+&]")
_TONE_DIGITS = {"\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0301": "5", "\u0323": "6"}

NO_BOUNDARY, WEAK_BOUNDARY, STRONG_BOUNDARY = 0, 1, 2


def _fold_word(word: str) -> str:
    """A word as the index knows it: folded, apostrophes out, numbers without leading zeros."""
    folded = _NOT_ALPHANUMERIC.sub("", fold(word))
    if folded.isdigit():
        return str(int(folded))
    return folded


def _tone_key(word: str) -> str:
    """A lower-case word with its tone moved to the end, to compare exact spellings.

    ``hoà`` and ``hòa`` (old and new tone placement) give the same key, while ``phượng`` and
    ``phương`` differ, as do ``phường`` and ``phương``.
    """
    decomposed = unicodedata.normalize("NFD", _APOSTROPHES.sub("", word.lower()))
    tones = "".join(_TONE_DIGITS.get(char, "") for char in decomposed)
    bare = "".join(char for char in decomposed if char not in _TONE_DIGITS)
    return unicodedata.normalize("NFC", bare) + tones


def name_key(name: str) -> str:
    """The index key of a name: its words folded, apostrophes and punctuation out."""
    return " ".join(filter(None, (_fold_word(word) for word in _WORD.findall(name))))


def _name_keys(name: str) -> tuple[str, ...]:
    """The keys a name is found by: ``Ia H' Drai`` is also written ``Ia H Drai``, and
    ``N.T Phong Hải`` (initials) also ``NT Phong Hải``."""
    key = name_key(name)
    initials = re.sub(r"\b([a-z0-9]) (?=[a-z0-9]\b)", r"\1", key)
    return tuple(dict.fromkeys((key, name_key(_APOSTROPHES.sub(" ", name)), initials)))


def _phrase_table(written: Iterable[str]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Folded phrase -> the tone keys of its words as they should be written."""
    return {
        tuple(_fold_word(word) for word in phrase.split()): tuple(
            _tone_key(word) for word in phrase.split()
        )
        for phrase in written
    }


_TYPE_PHRASES = _phrase_table(_TYPE_WORDS_WRITTEN)
_TYPE_WORDS = {
    tuple(_fold_word(word) for word in phrase.split()): type_word
    for phrase, type_word in _TYPE_WORDS_WRITTEN.items()
}
_VILLAGE_PHRASES = _phrase_table(_VILLAGE_WORDS_WRITTEN)
_STREET_PHRASES = _phrase_table(_STREET_WORDS_WRITTEN)


# --- parsing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    """One word of the address: as written, folded, where it sits and what comes before it."""

    text: str
    folded: str
    tone_key: str
    start: int
    end: int
    boundary_before: int
    has_diacritics: bool


@dataclass(frozen=True)
class ParsedAddress:
    """An address cut into words, with its type words and the words that open a part."""

    text: str
    tokens: tuple[Token, ...]
    # position of the first word after a type word -> (the type word, its first position)
    type_words: dict[int, tuple[_TypeWord, int]]
    # positions of all words that belong to a type word
    type_word_positions: frozenset[int]
    # first positions of type words written so that they cannot be name words
    sure_type_words: frozenset[int]
    # (position, number of words of the opening phrase, is a village rather than a street)
    openings: tuple[tuple[int, int, bool], ...]


def _token(word: str, start: int, end: int, boundary: int) -> Token:
    return Token(
        text=word,
        folded=_fold_word(word),
        tone_key=_tone_key(word),
        start=start,
        end=end,
        boundary_before=boundary,
        has_diacritics=not word.isascii(),
    )


def _boundary(gap: str, previous: Token | None) -> int:
    """What separates a word from the previous one, judging by the characters between."""
    if previous is None or _STRONG_BOUNDARY.search(gap):
        return STRONG_BOUNDARY
    if "." in gap:
        # A dot ends an abbreviation (X.Tân Mỹ, TP.HCM) or an initial (N.T Phong Hải, for
        # Nông trường), or else a part (… Lục Ngạn. Bắc Giang).
        is_abbreviation = (previous.folded,) in _TYPE_WORDS or len(previous.folded) == 1
        return NO_BOUNDARY if is_abbreviation and not previous.has_diacritics else STRONG_BOUNDARY
    if _WEAK_BOUNDARY.search(gap):
        return WEAK_BOUNDARY
    return NO_BOUNDARY


def _tokens(text: str) -> list[Token]:
    """Cut the text into words, splitting P4, Q1, F12 and marking the boundaries between."""
    tokens: list[Token] = []
    previous_end = 0
    for match in _WORD.finditer(text):
        boundary = _boundary(text[previous_end : match.start()], tokens[-1] if tokens else None)
        previous_end = match.end()
        word = match.group()
        if not _fold_word(word):
            continue
        split = _TYPE_AND_NUMBER.match(_fold_word(word))
        if split:
            middle = match.start() + len(split.group(1))
            tokens.append(_token(word[: len(split.group(1))], match.start(), middle, boundary))
            tokens.append(_token(word[len(split.group(1)) :], middle, match.end(), NO_BOUNDARY))
        else:
            tokens.append(_token(word, match.start(), match.end(), boundary))
    return tokens


def _phrase_at(
    tokens: Sequence[Token], position: int, phrases: dict[tuple[str, ...], tuple[str, ...]]
) -> int:
    """The number of words of the longest phrase of ``phrases`` at ``position`` (0: none).

    A word written with diacritics must carry the phrase's own (``Phương`` is no ``phường``);
    a word written without any is taken as the phrase's.
    """
    best = 0
    for length in range(1, _MAX_PHRASE_WORDS + 1):
        if position + length > len(tokens):
            break
        if length > 1 and tokens[position + length - 1].boundary_before != NO_BOUNDARY:
            break
        written = tokens[position : position + length]
        tones = phrases.get(tuple(token.folded for token in written))
        if tones is not None and all(
            not token.has_diacritics or token.tone_key == tone
            for token, tone in zip(written, tones, strict=True)
        ):
            best = length
    return best


def parse_address(text: str) -> ParsedAddress:
    """Cut an address into words and find its type words and the words that open a part.

    Written without diacritics, a type word may also be a name word ("huyen Quan Hoa",
    "Doai Phuong"): both readings are kept, and the names decide. Whether an opening word
    really opens a village or street part, or begins a unit name such as Bản Lầu, is also
    decided once the names are known (:func:`resolve_address`).
    """
    text = unicodedata.normalize("NFC", text)
    tokens = _tokens(text)
    type_words: dict[int, tuple[_TypeWord, int]] = {}
    type_word_positions: set[int] = set()
    sure_type_words: set[int] = set()
    openings: list[tuple[int, int, bool]] = []
    position = 0
    while position < len(tokens):
        type_length = _phrase_at(tokens, position, _TYPE_PHRASES)
        village_length = _phrase_at(tokens, position, _VILLAGE_PHRASES)
        street_length = _phrase_at(tokens, position, _STREET_PHRASES)
        if type_length and type_length >= max(village_length, street_length):
            written = tokens[position : position + type_length]
            after = position + type_length
            if after < len(tokens) and tokens[after].boundary_before != STRONG_BOUNDARY:
                type_words[after] = (
                    _TYPE_WORDS[tuple(token.folded for token in written)],
                    position,
                )
            type_word_positions.update(range(position, after))
            # Diacritics (Tỉnh, Phường) or a dot (X., TP.) make it surely a type word.
            if any(token.has_diacritics for token in written) or text.startswith(
                ".", written[-1].end
            ):
                sure_type_words.add(position)
            position = after
            continue
        if village_length or street_length:
            openings.append(
                (position, max(village_length, street_length), village_length >= street_length)
            )
        position += 1
    return ParsedAddress(
        text=text,
        tokens=tuple(tokens),
        type_words=type_words,
        type_word_positions=frozenset(type_word_positions),
        sure_type_words=frozenset(sure_type_words),
        openings=tuple(openings),
    )


# --- the index ---------------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class _Entry:
    """A unit as the resolver sees it: its names, its level and the units it agrees with."""

    unit_id: int
    level: str
    unit_type: str
    name: str
    word_tones: tuple[str, ...]
    is_current: bool
    province_id: int | None
    district_id: int | None
    keys: tuple[str, ...]
    # the province and district the unit lies in itself
    own: frozenset[int] = frozenset()
    # those, and the provinces and districts of the other map it agrees with (module step 4)
    context: frozenset[int] = frozenset()
    # for a unit that has ended: the current communes it went into
    successors: tuple[int, ...] = ()
    is_legacy_only_name: bool = False


@dataclass
class _Index:
    """Every unit by folded name, and the current communes and provinces to hand out."""

    by_key: dict[str, tuple[_Entry, ...]]
    entries: dict[int, _Entry]
    communes: dict[int, AdministrativeUnit]
    provinces: dict[int, AdministrativeUnit]
    # province or district id -> the communes that agree with it, for typo tolerance
    communes_in: dict[int, tuple[_Entry, ...]]
    province_entries: tuple[_Entry, ...]


_index: _Index | None = None
_index_lock = threading.Lock()


def clear_address_index() -> None:
    """Forget the cached index; call it after administrative units are loaded or changed."""
    global _index
    with _index_lock:
        _index = None


def _get_index() -> _Index:
    global _index
    index = _index
    if index is None:
        with _index_lock:
            if _index is None:
                _index = _build_index()
                # The index lives as long as the process: keep the garbage collector from
                # walking its hundred thousand objects on every full collection.
                gc.freeze()
            index = _index
    return index


def _short_name(name: str, unit_type: str) -> str:
    """A name without its type word ("Xã Lục Ngạn" -> "Lục Ngạn"), for earlier names."""
    words = name.split()
    folded = tuple(_fold_word(word) for word in words)
    for phrase, type_word in sorted(_TYPE_WORDS.items(), key=lambda item: -len(item[0])):
        if unit_type in type_word.unit_types and folded[: len(phrase)] == phrase:
            return " ".join(words[len(phrase) :])
    return name


def _entry(
    unit_id: int,
    level: str,
    unit_type: str,
    name: str,
    short_name: str,
    province_id: int | None,
    district_id: int | None,
    is_current: bool,
) -> _Entry:
    return _Entry(
        unit_id=unit_id,
        level=level,
        unit_type=unit_type,
        name=name,
        word_tones=tuple(_tone_key(word) for word in _WORD.findall(short_name)),
        is_current=is_current,
        province_id=province_id,
        district_id=district_id,
        keys=_name_keys(short_name),
        own=frozenset(filter(None, (province_id, district_id))),
    )


def _build_index() -> _Index:
    """Read every unit, name and succession once and arrange them for lookups by name."""
    entries = {
        row[0]: _entry(*row[:7], is_current=row[7] is None)
        for row in AdministrativeUnit.objects.values_list(
            "id",
            "level",
            "unit_type",
            "name",
            "short_name",
            "province_id",
            "district_id",
            "valid_until",
        ).iterator(chunk_size=5000)
    }
    # Units renamed after the reform are still found by their earlier names.
    for unit_id, name, unit_type in UnitName.objects.values_list("unit_id", "name", "unit_type"):
        entry = entries.get(unit_id)
        if entry is not None:
            short = _short_name(name, unit_type)
            entry.keys = tuple(dict.fromkeys((*entry.keys, *_name_keys(short))))

    successors_of: dict[int, list[int]] = defaultdict(list)
    predecessors_of: dict[int, list[int]] = defaultdict(list)
    for predecessor_id, successor_id in UnitSuccession.objects.values_list(
        "predecessor_id", "successor_id"
    ):
        successors_of[predecessor_id].append(successor_id)
        predecessors_of[successor_id].append(predecessor_id)

    def current_successors(unit_id: int, seen: frozenset[int]) -> list[int]:
        """The current units a unit went into, following later changes too."""
        found: list[int] = []
        for successor_id in successors_of.get(unit_id, ()):
            successor = entries.get(successor_id)
            if successor is None or successor_id in seen:
                continue
            if successor.is_current:
                found.append(successor_id)
            else:
                found.extend(current_successors(successor_id, seen | {unit_id}))
        return list(dict.fromkeys(found))

    def ancestors(unit_id: int, seen: frozenset[int]) -> set[int]:
        """Every unit that went, whole or in part, into this one, at any depth."""
        found: set[int] = set()
        for predecessor_id in predecessors_of.get(unit_id, ()):
            if predecessor_id not in seen and predecessor_id in entries:
                found.add(predecessor_id)
                found |= ancestors(predecessor_id, seen | {unit_id})
        return found

    communes_in: dict[int, list[_Entry]] = defaultdict(list)
    for entry in entries.values():
        context = set(entry.own)
        if entry.is_current and entry.level == COMMUNE:
            for ancestor_id in ancestors(entry.unit_id, frozenset()):
                context |= entries[ancestor_id].own
        elif not entry.is_current and entry.unit_id in successors_of:
            # Legacy communes, and island districts that had no communes (Bạch Long Vĩ).
            entry.successors = tuple(
                successor_id
                for successor_id in current_successors(entry.unit_id, frozenset())
                if entries[successor_id].level == COMMUNE
            )
            for successor_id in entry.successors:
                context |= entries[successor_id].own
        if entry.level == COMMUNE or entry.successors:
            entry.context = frozenset(context)
            for unit_id in entry.context:
                communes_in[unit_id].append(entry)

    current_province_keys = {
        key
        for entry in entries.values()
        if entry.is_current and entry.level == PROVINCE
        for key in entry.keys
    }
    by_key: dict[str, list[_Entry]] = defaultdict(list)
    for entry in entries.values():
        if entry.level == PROVINCE and not entry.is_current:
            entry.is_legacy_only_name = not set(entry.keys) & current_province_keys
        for key in entry.keys:
            by_key[key].append(entry)
            if entry.level == PROVINCE and " " in key:
                by_key[key.replace(" ", "")].append(entry)  # "Hanoi", "HaNoi"
    for alias, target in _PROVINCE_ALIASES.items():
        by_key[alias].extend(entry for entry in by_key.get(target, ()) if entry.level == PROVINCE)

    current = AdministrativeUnit.objects.current()
    return _Index(
        by_key={key: tuple(dict.fromkeys(found)) for key, found in by_key.items() if found},
        entries=entries,
        communes={unit.pk: unit for unit in current.filter(level=COMMUNE)},
        provinces={unit.pk: unit for unit in current.filter(level=PROVINCE)},
        communes_in={unit_id: tuple(found) for unit_id, found in communes_in.items()},
        province_entries=tuple(entry for entry in entries.values() if entry.level == PROVINCE),
    )


# --- reading the address -----------------------------------------------------------------------


@dataclass(eq=False)
class _Mention:
    """A run of words that names one or more units."""

    start: int
    end: int
    entries: tuple[_Entry, ...]
    type_word: _TypeWord | None
    type_word_start: int
    tokens: tuple[Token, ...]
    is_typo: bool = False
    is_inside_part: bool = False
    # "Tinh Bac" read as Tịnh Bắc although "tinh" may be the type word of "Bac Giang"
    starts_on_type_word: bool = False

    def overlaps(self, other: _Mention | None) -> bool:
        return other is not None and self.start < other.end and other.start < self.end

    def has_level(self, level: str) -> bool:
        return any(entry.level == level for entry in self.entries)


@dataclass(frozen=True)
class _Part:
    """A village or street part: its sure words, and words that may still belong to it."""

    start: int
    sure_end: int
    end: int
    is_village: bool


@dataclass(eq=False)
class _Reading:
    """One way of reading the address: a commune, perhaps with its district and province."""

    score: float
    entry: _Entry
    commune: _Mention
    district: _Mention | None
    province: _Mention | None
    provinces: tuple[_Entry, ...]


def _find_mentions(parsed: ParsedAddress, index: _Index) -> list[_Mention]:
    """Every run of words that names a unit (module step 3).

    A run may begin with a type word only where that word belongs to the name as written
    ("phường Đúc" is the ward Phường Đúc, but "Tỉnh Bắc" is no Tịnh Bắc). A name repeated with
    the same type word counts twice at most (a commune may share its district's name), which
    bounds the work on hostile input.
    """
    tokens = parsed.tokens
    mentions: list[_Mention] = []
    seen: dict[tuple[str, _TypeWord | None], int] = defaultdict(int)
    for start in range(len(tokens)):
        first = tokens[start]
        is_sure_type_word = start in parsed.sure_type_words
        if is_sure_type_word and not first.has_diacritics:
            continue  # "X.", "TP."
        type_word, type_start = parsed.type_words.get(start, (None, start))
        key = ""
        for end in range(start + 1, min(len(tokens), start + _MAX_NAME_WORDS) + 1):
            token = tokens[end - 1]
            if end > start + 1 and token.boundary_before == STRONG_BOUNDARY:
                break
            key = f"{key} {token.folded}" if key else token.folded
            found = index.by_key.get(key)
            if found and is_sure_type_word:
                found = tuple(entry for entry in found if entry.word_tones[:1] == (first.tone_key,))
            if not found or (type_word is None and key.isdigit()):
                continue
            seen[key, type_word] += 1
            if seen[key, type_word] <= 2:
                mention = _Mention(start, end, found, type_word, type_start, tokens[start:end])
                mention.starts_on_type_word = (
                    start in parsed.type_word_positions and type_word is None
                )
                mentions.append(mention)
    return mentions


def _parts(parsed: ParsedAddress, mentions: list[_Mention]) -> list[_Part]:
    """The village and street parts, leaving out opening words that belong to a unit name.

    A part runs to the next separator or type word. Its words are sure when a separator or a
    commune type word closes it ("thôn Đông Hòa, xã …", "thôn 7 xã …"), up to any province
    name before that ("xóm 1 Nghệ An xã …"); when a number follows the opening word ("xóm 3")
    or nothing but a district or province type word or the end of the text closes it, only its
    first name word is sure and the rest is decided by the names found in it.
    """
    tokens = parsed.tokens
    province_starts = {mention.start for mention in mentions if mention.has_level(PROVINCE)}
    parts = []
    for start, length, is_village in parsed.openings:
        if any(mention.start <= start < mention.end for mention in mentions):
            continue
        end = start + length
        while (
            end < len(tokens)
            and tokens[end].boundary_before == NO_BOUNDARY
            and end not in parsed.type_word_positions
        ):
            end += 1
        first_word = start + length
        is_number = first_word < end and tokens[first_word].folded.isdigit()
        if end < len(tokens) and tokens[end].boundary_before != NO_BOUNDARY:
            sure_end = first_word + 1 if is_number else end
        else:
            later = (position for position in province_starts if start + length < position)
            end = min([end, *later])
            closed_by_commune_type = any(
                type_start == end and COMMUNE in type_word.levels
                for type_word, type_start in parsed.type_words.values()
            )
            sure_end = end if closed_by_commune_type and not is_number else first_word + 1
        sure_end = min(sure_end, end)
        parts.append(_Part(start, sure_end, end, is_village))
    return parts


def _type_score(mention: _Mention, entry: _Entry, level: str) -> float:
    type_word = mention.type_word
    if type_word is None:
        return 0.0
    if level not in type_word.levels:
        return _TYPE_OF_OTHER_LEVEL
    return _TYPE_AGREES if entry.unit_type in type_word.unit_types else _LEVEL_AGREES


def _spelling_score(mention: _Mention, entry: _Entry) -> float:
    """Diacritics written as the unit's score up, other diacritics down, none neither."""
    if mention.is_typo:
        return _TYPO
    if len(mention.tokens) != len(entry.word_tones):
        return 0.0
    written = [
        token.tone_key == tone
        for token, tone in zip(mention.tokens, entry.word_tones, strict=True)
        if token.has_diacritics
    ]
    if not written:
        return 0.0
    return _EXACT_DIACRITICS if all(written) else _OTHER_DIACRITICS


def _mention_score(mention: _Mention, entry: _Entry, level: str) -> float:
    score = _type_score(mention, entry, level) + _spelling_score(mention, entry)
    if mention.starts_on_type_word:
        score += _STARTS_ON_TYPE_WORD
    return score + (_INSIDE_PART if mention.is_inside_part else 0.0)


def _agreements(
    mentions: list[_Mention], entry: _Entry, level: str, commune: _Mention
) -> list[tuple[float, _Mention, tuple[_Entry, ...]]]:
    """Each mention of ``level`` that agrees with the commune ``entry``, with its score."""
    base = _DISTRICT_SCORE if level == DISTRICT else _PROVINCE_SCORE
    found = []
    for mention in mentions:
        if mention.overlaps(commune):
            continue
        agreeing = tuple(
            unit
            for unit in mention.entries
            if unit.level == level and unit.unit_id in entry.context
        )
        if agreeing:
            score = base + max(
                _mention_score(mention, unit, level)
                + (0.0 if unit.unit_id in entry.own else _ACROSS_THE_REFORM)
                for unit in agreeing
            )
            found.append((score, mention, agreeing))
    return found


def _unexplained_words(parsed: ParsedAddress, explained: set[int]) -> int:
    """Words that no chosen mention, type word, part or the country ("Việt Nam") explains."""
    tokens = parsed.tokens
    country = {
        position + offset
        for position in range(len(tokens) - 1)
        if (tokens[position].folded, tokens[position + 1].folded) == ("viet", "nam")
        for offset in (0, 1)
    }
    return sum(
        1
        for position, token in enumerate(tokens)
        if position not in explained
        and position not in parsed.type_word_positions
        and position not in country
        and token.folded not in _COUNTRY_WORDS
    )


def _best_context(
    entry: _Entry, commune: _Mention, districts: list[_Mention], provinces: list[_Mention]
) -> tuple[float, _Mention | None, _Mention | None, tuple[_Entry, ...]]:
    """The district and province mentions that together agree best with a commune."""
    best: tuple[float, _Mention | None, _Mention | None, tuple[_Entry, ...]]
    best = (0.0, None, None, ())
    province_options = _agreements(provinces, entry, PROVINCE, commune)
    for district_score, district, _units in [
        (0.0, None, ()),
        *_agreements(districts, entry, DISTRICT, commune),
    ]:
        for province_score, province, agreeing in [(0.0, None, ()), *province_options]:
            if province is not None and province.overlaps(district):
                continue
            if district_score + province_score > best[0]:
                best = (district_score + province_score, district, province, agreeing)
    return best


def _penalty_as_commune(mention: _Mention, mentions: list[_Mention]) -> float:
    """What reading this mention as the commune costs, whichever unit it names."""
    penalty = 0.0
    if any(
        other.type_word is not None
        and mention.start < other.start < mention.end
        and any(entry.level in other.type_word.levels for entry in other.entries)
        for other in mentions
    ):
        penalty += _OVERLAPS_TYPED_NAME  # "Tinh Bac" of "Tinh Bac Giang"
    if any(
        other.start <= mention.start
        and mention.end <= other.end
        and other.end - other.start > mention.end - mention.start
        for other in mentions
    ):
        penalty += _PART_OF_LONGER_NAME  # "Thanh" of "Thanh Hóa"
    if mention.type_word is None and mention.has_level(PROVINCE):
        penalty += _ALSO_A_PROVINCE  # "Bắc Giang" alone is the province, not the ward
    return penalty


@dataclass(frozen=True)
class _TypedPart:
    """A name announced by a type word ("tỉnh Mơ Hồ"): from the type word to the part's end."""

    type_start: int
    name_start: int
    end: int


def _unrecognised_typed_parts(parsed: ParsedAddress, mentions: list[_Mention]) -> list[_TypedPart]:
    """The parts written with a type word whose name names no unit (module step 4).

    A part runs from its type word to the next strong boundary or type word. Its name is
    recognised when a mention covers its first word: one starting there at a level the type
    word announces ("tỉnh Bắc Giang"), one starting earlier that takes the type word as a name
    word ("Tinh Bac" for Tịnh Bắc, "TT Huế", "NT Phong Hải"), or any unit at all after a type
    word that may be a name word ("huyen Hong Giang"). Such a word that ends a name is no type
    word at all ("Van Quan T. Lang Son", "Ha Tinh - x Dinh Ban").
    """
    tokens = parsed.tokens
    unrecognised = []
    for name_start, (type_word, type_start) in parsed.type_words.items():
        is_sure = type_start in parsed.sure_type_words
        if any(
            mention.start < name_start < mention.end
            or (not is_sure and mention.start < type_start < mention.end)
            or (
                mention.start == name_start
                and (
                    not is_sure or any(entry.level in type_word.levels for entry in mention.entries)
                )
            )
            for mention in mentions
        ):
            continue
        end = name_start + 1
        while (
            end < len(tokens)
            and tokens[end].boundary_before != STRONG_BOUNDARY
            and end not in parsed.type_word_positions
        ):
            end += 1
        unrecognised.append(_TypedPart(type_start, name_start, end))
    return unrecognised


def _typed_parts_text(parsed: ParsedAddress, parts: list[_TypedPart]) -> str:
    """The unrecognised parts as written, quoted, for a message."""
    tokens = parsed.tokens
    return ", ".join(
        "“{}”".format(
            parsed.text[tokens[part.type_start].start : tokens[part.end - 1].end].strip(" ,.;-")
        )
        for part in sorted(parts, key=lambda part: part.type_start)
    )


def _is_surely_a_district(mention: _Mention | None) -> bool:
    """A district name that is no province's, or written as a district: the legacy map."""
    if mention is None:
        return False
    if mention.type_word is not None:
        return DISTRICT in mention.type_word.levels
    return not mention.has_level(PROVINCE)


def _readings(
    parsed: ParsedAddress,
    mentions: list[_Mention],
    part_words: set[int],
    index: _Index,
    on: datetime.date | None,
    unrecognised: list[_TypedPart],
) -> list[_Reading]:
    """Every way of reading the address that names a commune, with its score (step 4)."""
    districts = [mention for mention in mentions if mention.has_level(DISTRICT)]
    provinces = [mention for mention in mentions if mention.has_level(PROVINCE)]
    # "Hồ" of "tỉnh Mơ Hồ", "Có" of "Xã Không Có": a word inside a typed name that names
    # nothing is no commune of its own.
    inside_unknown = {
        position for part in unrecognised for position in range(part.name_start + 1, part.end)
    }
    readings: list[_Reading] = []
    for mention in mentions:
        if mention.start in inside_unknown:
            continue
        penalty = _penalty_as_commune(mention, mentions)
        for entry in mention.entries:
            if entry.is_current:
                if entry.unit_id not in index.communes:
                    continue
            elif not entry.successors:
                continue
            if (
                mention.type_word is not None
                and entry.level not in mention.type_word.levels
                and mention.type_word_start in parsed.sure_type_words
            ):
                continue  # "huyện Lục Ngạn" is never the current Xã Lục Ngạn
            context_score, district, province, agreeing = _best_context(
                entry, mention, districts, provinces
            )
            score = (
                _COMMUNE_SCORE
                + _mention_score(mention, entry, entry.level)
                + penalty
                + context_score
            )
            if entry.is_current:
                if on is not None and on >= REFORM_DATE:
                    score += _CURRENT_EVIDENCE
            elif (
                _is_surely_a_district(district)
                or (agreeing and all(unit.is_legacy_only_name for unit in agreeing))
                or (on is not None and on < REFORM_DATE)
            ):
                score += _LEGACY_EVIDENCE
            if all(mention.start < chosen.start for chosen in (district, province) if chosen):
                score += _IN_ORDER
            explained = set(part_words)
            for chosen in (mention, district, province):
                if chosen is not None:
                    explained.update(range(chosen.start, chosen.end))
            unexplained = min(_MAX_UNEXPLAINED_WORDS, _unexplained_words(parsed, explained))
            score += _UNEXPLAINED_WORD * unexplained
            if score >= _MIN_SCORE:
                readings.append(_Reading(score, entry, mention, district, province, agreeing))
    return readings


def _within_one_edit(left: str, right: str) -> bool:
    """Whether two names differ by at most one inserted, deleted or replaced letter."""
    if abs(len(left) - len(right)) > 1:
        return False
    if len(left) > len(right):
        left, right = right, left
    for position, (first, second) in enumerate(zip(left, right, strict=False)):
        if first != second:
            if len(left) == len(right):
                return left[position + 1 :] == right[position + 1 :]
            return left[position:] == right[position + 1 :]
    return True


def _typo_mentions(
    parsed: ParsedAddress, mentions: list[_Mention], index: _Index
) -> list[_Mention]:
    """Names one edit away from a unit's, where a single name fits (module step 4)."""
    tokens = parsed.tokens
    explained = {position for mention in mentions for position in range(mention.start, mention.end)}
    spans = [
        (start, end)
        for start in range(len(tokens))
        for end in range(start + 1, min(len(tokens), start + 4) + 1)
        if not explained.intersection(range(start, end))
        and not parsed.type_word_positions.intersection(range(start, end))
        and all(token.boundary_before != STRONG_BOUNDARY for token in tokens[start + 1 : end])
    ]
    added: list[_Mention] = []

    def add(pool: Iterable[_Entry], level: str) -> None:
        for start, end in spans:
            if any(mention.start <= start < mention.end for mention in added):
                continue
            key = " ".join(token.folded for token in tokens[start:end])
            if len(key) < 5 or not key.replace(" ", "").isalpha() or key in index.by_key:
                continue
            fits = {
                entry.unit_id: entry
                for entry in pool
                if entry.level == level
                and any(_within_one_edit(key, candidate) for candidate in entry.keys)
            }
            if len({entry.keys[0] for entry in fits.values()}) == 1:
                type_word, type_start = parsed.type_words.get(start, (None, start))
                added.append(
                    _Mention(
                        start,
                        end,
                        tuple(fits.values()),
                        type_word,
                        type_start,
                        tokens[start:end],
                        is_typo=True,
                    )
                )

    if not any(mention.has_level(PROVINCE) for mention in mentions):
        add(index.province_entries, PROVINCE)
    context = {
        unit.unit_id
        for mention in [*mentions, *added]
        for unit in mention.entries
        if unit.level in (PROVINCE, DISTRICT)
    }
    pool = {
        entry.unit_id: entry for unit_id in context for entry in index.communes_in.get(unit_id, ())
    }
    add(pool.values(), COMMUNE)
    return added


# --- the result --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddressCandidate:
    """A current commune the address may designate.

    ``matched_via`` says which parts of the address matched and whether through legacy
    names, from the words "commune", "district", "province", each prefixed "legacy" when the
    legacy unit matched and followed by "(typo)" when matched one edit away, joined by " + "
    (e.g. ``"legacy commune + legacy district + province"``). ``matched_name`` names the unit
    that matched, with its district and province ("Phường Hồng Giang, Thị xã Chũ, Tỉnh Bắc
    Giang"). ``needs_choice`` marks one of the successors of a split legacy commune.
    ``commune`` and ``province`` are the index's own instances, shared by every caller: read
    them, point foreign keys at them, never change and save them.
    """

    commune: AdministrativeUnit
    province: AdministrativeUnit
    confidence: float
    matched_via: str
    needs_choice: bool
    matched_name: str = ""


@dataclass(frozen=True)
class AddressResolution:
    """What :func:`resolve_address` found: ranked candidates, a status and a message.

    ``status`` is one of ``resolved`` (the first candidate is the answer), ``ambiguous``
    (several communes match equally: let a person choose), ``needs_choice`` (a split legacy
    commune: every successor is a candidate), ``not_found`` or ``invalid`` (empty, oversized
    or control characters). ``village`` is the village part as written ("thôn Đông").
    """

    status: str
    candidates: list[AddressCandidate]
    village: str = ""
    message: str = ""

    @property
    def best(self) -> AddressCandidate | None:
        """The first candidate; the answer only when the status is ``resolved``."""
        return self.candidates[0] if self.candidates else None


def _matched_via(reading: _Reading) -> str:
    def part(label: str, mention: _Mention, legacy: bool) -> str:
        text = f"legacy {label}" if legacy else label
        return f"{text} (typo)" if mention.is_typo else text

    parts = [part("commune", reading.commune, not reading.entry.is_current)]
    if reading.district is not None:
        parts.append(part("district", reading.district, True))
    if reading.province is not None:
        legacy = all(not unit.is_current for unit in reading.provinces)
        parts.append(part("province", reading.province, legacy))
    return " + ".join(parts)


def _matched_name(entry: _Entry, index: _Index) -> str:
    names = [entry.name]
    for unit_id in (entry.district_id, entry.province_id):
        if unit_id is not None and unit_id in index.entries:
            names.append(index.entries[unit_id].name)
    return ", ".join(names)


def _quality(reading: _Reading) -> float:
    """How sure one reading is, from the levels that agree and the hints, in [0.05, 0.99]."""
    quality = {
        (False, False): 0.55,
        (True, False): 0.8,
        (False, True): 0.85,
        (True, True): 0.95,
    }[(reading.district is not None, reading.province is not None)]
    hints = _mention_score(reading.commune, reading.entry, reading.entry.level)
    quality += max(-0.4, min(0.04, hints * 0.08))
    if any(
        mention is not None and mention.is_typo for mention in (reading.district, reading.province)
    ):
        quality -= 0.1
    return max(0.05, min(0.99, quality))


def _village(parsed: ParsedAddress, parts: list[_Part], reading: _Reading | None) -> str:
    """The first village part as written, reaching up to the first unit name after it."""
    used = [] if reading is None else [reading.commune, reading.district, reading.province]
    starts = [
        min(mention.start, mention.type_word_start) for mention in used if mention is not None
    ]
    for part in parts:
        if not part.is_village:
            continue
        end = min([part.end, *[start for start in starts if start >= part.sure_end]])
        end = max(end, part.sure_end)
        tokens = parsed.tokens[part.start : end]
        return parsed.text[tokens[0].start : tokens[-1].end].strip(" ,.;-")
    return ""


def _invalid(message: str) -> AddressResolution:
    return AddressResolution(status=STATUS_INVALID, candidates=[], message=message)


def _has_control_characters(text: str) -> bool:
    return any(unicodedata.category(char) == "Cc" and char not in "\t\n\r" for char in text)


def resolve_address(
    text: str, *, on: datetime.date | None = None, limit: int = 5
) -> AddressResolution:
    """Resolve free text to ranked current communes (see the module docstring).

    ``on`` is the day the address was written, when known: before 1 July 2025 it favours the
    legacy reading of the same words, from then on the current one. ``limit`` caps the
    candidates, except that all successors of a split legacy commune are always returned.
    """
    if not isinstance(text, str) or not text.strip():
        return _invalid(_("Địa chỉ trống."))
    if len(text) > MAX_ADDRESS_LENGTH:
        return _invalid(
            _("Địa chỉ quá dài: tối đa %(limit)d ký tự.") % {"limit": MAX_ADDRESS_LENGTH}
        )
    if _has_control_characters(text):
        return _invalid(_("Địa chỉ chứa ký tự điều khiển không hợp lệ."))
    parsed = parse_address(text)
    if not parsed.tokens:
        return _invalid(_("Địa chỉ không có chữ hay số nào để tìm."))
    if len(parsed.tokens) > _MAX_WORDS:
        return _invalid(_("Địa chỉ có quá nhiều từ: tối đa %(limit)d từ.") % {"limit": _MAX_WORDS})
    index = _get_index()
    mentions = _find_mentions(parsed, index)
    parts = _parts(parsed, mentions)
    sure_part_words = {position for part in parts for position in range(part.start, part.sure_end)}
    for mention in mentions:
        mention.is_inside_part = mention.start in sure_part_words
    unrecognised = _unrecognised_typed_parts(parsed, mentions)
    readings = _readings(parsed, mentions, sure_part_words, index, on, unrecognised)
    if len(parsed.tokens) <= _MAX_WORDS_FOR_TYPOS and not any(
        reading.district or reading.province for reading in readings
    ):
        typos = _typo_mentions(parsed, mentions, index)
        for mention in typos:
            mention.is_inside_part = mention.start in sure_part_words
        if typos:
            mentions = [*mentions, *typos]
            unrecognised = _unrecognised_typed_parts(parsed, mentions)
            readings = _readings(parsed, mentions, sure_part_words, index, on, unrecognised)
    readings.sort(key=lambda reading: -reading.score)
    village = _village(parsed, parts, readings[0] if readings else None)
    unknown = _typed_parts_text(parsed, unrecognised)
    if not readings:
        message = _not_found_message(mentions)
        if unknown:
            message = " ".join((_("Không nhận ra %(parts)s.") % {"parts": unknown}, message))
        return AddressResolution(
            status=STATUS_NOT_FOUND, candidates=[], village=village, message=message
        )
    result = _ranked(readings, index, village, max(1, limit))
    return _unconfirmed(result, unknown) if unknown else result


def _unconfirmed(result: AddressResolution, unknown: str) -> AddressResolution:
    """A result with a typed part that names nothing is never resolved: a person confirms.

    "Phường Hồ, tỉnh Mơ Hồ" names a real ward but no real province; the ward is offered,
    with half the confidence, as a question (``ambiguous``), never as the answer.
    """
    candidates = [
        replace(candidate, confidence=round(candidate.confidence * _UNRECOGNISED_PART, 3))
        for candidate in result.candidates
    ]
    if result.status == STATUS_RESOLVED:
        first = candidates[0]
        message = _(
            "Không nhận ra %(parts)s; có thể là %(commune)s, %(province)s: hãy xác nhận "
            "hoặc sửa địa chỉ."
        ) % {"parts": unknown, "commune": first.commune.name, "province": first.province.name}
    else:
        message = " ".join((_("Không nhận ra %(parts)s.") % {"parts": unknown}, result.message))
    status = STATUS_AMBIGUOUS if result.status == STATUS_RESOLVED else result.status
    return replace(result, status=status, candidates=candidates, message=message)


def _not_found_message(mentions: list[_Mention]) -> str:
    """Say what was recognised, if anything, so that the person knows what to add."""
    for mention in mentions:
        units = sorted(
            (
                entry
                for entry in mention.entries
                if entry.level in (PROVINCE, DISTRICT)
                and (mention.type_word is None or entry.level in mention.type_word.levels)
            ),
            key=lambda entry: (entry.level != PROVINCE, not entry.is_current),
        )
        if units:
            return _("Chỉ nhận ra %(unit)s; hãy ghi thêm tên xã, phường hoặc đặc khu.") % {
                "unit": units[0].name
            }
    return _("Không tìm thấy xã, phường hoặc đặc khu nào khớp với địa chỉ.")


def _ranked(readings: list[_Reading], index: _Index, village: str, limit: int) -> AddressResolution:
    """Turn readings sorted best first into candidates, a status and a message (step 5)."""
    best_per_commune: dict[int, _Reading] = {}
    for reading in readings:
        entry = reading.entry
        for commune_id in (entry.unit_id,) if entry.is_current else entry.successors:
            best_per_commune.setdefault(commune_id, reading)
    top_score = readings[0].score
    top_communes = [
        commune_id
        for commune_id, reading in best_per_commune.items()
        if reading.score >= top_score - _TIE_MARGIN
    ]
    top_readings = {id(best_per_commune[commune_id]) for commune_id in top_communes}
    if len(top_communes) == 1:
        status = STATUS_RESOLVED
    elif len(top_readings) == 1:
        status = STATUS_NEEDS_CHOICE
    else:
        status = STATUS_AMBIGUOUS

    def order(item: tuple[int, _Reading]) -> tuple[float, bool, str, str]:
        commune_id, reading = item
        commune = index.communes[commune_id]
        province = index.provinces[commune.province_id or 0]
        return (
            -reading.score,
            not reading.entry.is_current,
            province.short_name_folded,
            commune.short_name_folded,
        )

    ranked = sorted(best_per_commune.items(), key=order)
    count = max(limit, len(top_communes) if status == STATUS_NEEDS_CHOICE else 0)
    share = 1 / len(top_communes)
    candidates = []
    lowest_top = 1.0
    for commune_id, reading in ranked[:count]:
        commune = index.communes[commune_id]
        confidence = _quality(reading) * share
        if id(reading) in top_readings:
            lowest_top = min(lowest_top, confidence)
        else:
            confidence = min(confidence * 0.5, lowest_top * 0.9)
        candidates.append(
            AddressCandidate(
                commune=commune,
                province=index.provinces[commune.province_id or 0],
                confidence=round(confidence, 3),
                matched_via=_matched_via(reading),
                needs_choice=len(reading.entry.successors) > 1,
                matched_name=_matched_name(reading.entry, index),
            )
        )
    first = candidates[0]
    if status == STATUS_RESOLVED:
        message = _("Đã xác định: %(commune)s, %(province)s.") % {
            "commune": first.commune.name,
            "province": first.province.name,
        }
    elif status == STATUS_NEEDS_CHOICE:
        message = _("%(legacy)s đã được chia cho %(count)d đơn vị mới; hãy chọn đơn vị đúng.") % {
            "legacy": first.matched_name,
            "count": len(top_communes),
        }
    else:
        message = _(
            "Có %(count)d đơn vị khớp như nhau; hãy chọn một, hoặc ghi thêm huyện, tỉnh."
        ) % {"count": len(top_communes)}
    return AddressResolution(status=status, candidates=candidates, village=village, message=message)
