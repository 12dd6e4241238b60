"""Read the place and produce names the reference data were written with.

The crop calendar and the price list (../shared/data/crops) name places as their sources did:
old provinces ("Bắc Giang"), districts in brackets, regions ("Đồng bằng sông Cửu Long"), lists
("Tiền Giang / Bến Tre"). They are mapped to today's provinces through the shipped crosswalk
(nongsan/geo/data), and crop names to catalog produce types through the curated names and
synonyms (nongsan/catalog/data/produce_types.csv). Nothing here touches the database, so the
derivation gives the same files wherever it runs. What cannot be mapped is reported, never
guessed.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from nongsan.catalog.produce_types import DATA_FILE as PRODUCE_TYPES_FILE
from nongsan.common.text import fold
from nongsan.geo.dataset import read_dataset

# Regions as the sources use them, defined by the 63 legacy provinces they were made of (a
# region is a statistical grouping that the 2025 reform did not redraw); today's provinces of
# a region are found through the crosswalk. Slug → (name, folded aliases, legacy codes).
REGIONS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "dbscl": (
        "Đồng bằng sông Cửu Long",
        ("dong bang song cuu long", "dbscl"),
        ("80", "82", "83", "84", "86", "87", "89", "91", "92", "93", "94", "95", "96"),
    ),
    "dbsh": (
        "Đồng bằng sông Hồng",
        ("dong bang song hong", "dbsh"),
        ("01", "22", "26", "27", "30", "31", "33", "34", "35", "36", "37"),
    ),
    "tay-nguyen": ("Tây Nguyên", ("tay nguyen",), ("62", "64", "66", "67", "68")),
    "dong-nam-bo": ("Đông Nam Bộ", ("dong nam bo",), ("70", "72", "74", "75", "77", "79")),
    "duyen-hai-trung-bo": (
        "Duyên hải Trung Bộ",
        ("duyen hai trung bo", "duyen hai mien trung", "duyen hai nam trung bo"),
        ("48", "49", "51", "52", "54", "56", "58", "60"),
    ),
}
NATIONAL_ALIASES = ("toan quoc",)
# Short forms the sources write for provinces.
PROVINCE_ALIASES = {
    "tp hcm": "thanh pho ho chi minh",
    "tp ho chi minh": "thanh pho ho chi minh",
    "br-vt": "ba ria - vung tau",
    "thua thien hue": "hue",
}
_BRACKETS = re.compile(r"\(([^)]*)\)")
_PREFIXES = ("thanh pho ", "tinh ")


@dataclass(frozen=True)
class Place:
    """Where a row applies: current province codes, or a region, or the whole country."""

    province_codes: tuple[str, ...] = ()
    region: str = ""
    detail: str = ""  # what the source put in brackets (district, market)
    is_national: bool = False


def _bare(name: str) -> str:
    folded = fold(name)
    for prefix in _PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


@lru_cache(maxsize=1)
def _legacy_successors() -> dict[str, str]:
    """Folded name of a legacy province → the code of today's province that took it over."""
    dataset = read_dataset()
    successor = {
        record.predecessor_code: record.successor_code
        for record in dataset.successions
        if record.predecessor_level == "province" and record.successor_level == "province"
    }
    names: dict[str, str] = {}
    for unit in dataset.units:
        if unit.level == "province" and unit.valid_until is not None:
            names[_bare(unit.name)] = successor[unit.code]
    for unit in dataset.units:  # today's names too ("Huế" was already a city)
        if unit.level == "province" and unit.valid_until is None:
            names.setdefault(_bare(unit.name), unit.code)
    return names


@lru_cache(maxsize=1)
def current_province_names() -> dict[str, str]:
    """Code of each current province → its name."""
    return {
        unit.code: unit.name
        for unit in read_dataset().units
        if unit.level == "province" and unit.valid_until is None
    }


@cache
def region_province_codes(region: str) -> tuple[str, ...]:
    """Today's provinces that took over any legacy province of the region."""
    legacy = set(REGIONS[region][2])
    successions = read_dataset().successions
    return tuple(
        sorted(
            {
                record.successor_code
                for record in successions
                if record.predecessor_level == "province" and record.predecessor_code in legacy
            }
        )
    )


def _region_of(folded: str) -> str:
    for slug, (_name, aliases, _codes) in REGIONS.items():
        if folded in aliases:
            return slug
    return ""


def _province_codes(text: str) -> list[str] | None:
    """Current province codes for a comma- or slash-separated list of province names."""
    names = _legacy_successors()
    codes: list[str] = []
    for part in re.split(r"[,/]", text):
        folded = fold(_BRACKETS.sub("", part)).strip()
        if not folded:
            continue
        folded = PROVINCE_ALIASES.get(folded, folded)
        code = names.get(_bare(folded))
        if code is None:
            return None
        if code not in codes:
            codes.append(code)
    return codes or None


def place_parse(text: str) -> Place | None:
    """The place a source wrote, or None when it names no province or known region."""
    head = _BRACKETS.sub("", text).strip()
    inside = ", ".join(_BRACKETS.findall(text)).strip()
    folded = fold(head)
    if folded in NATIONAL_ALIASES:
        return Place(is_national=True, detail=inside)
    region = _region_of(folded)
    if region:
        # "Tây Nguyên (Đắk Lắk, Gia Lai)": the brackets list the provinces meant.
        listed = _province_codes(inside) if inside else None
        if listed:
            return Place(province_codes=tuple(listed))
        return Place(region=region, detail=inside)
    codes = _province_codes(head)
    if codes is None:
        return None
    return Place(province_codes=tuple(codes), detail=inside)


@lru_cache(maxsize=1)
def _produce_names() -> dict[str, set[str]]:
    """Folded name or synonym → the slugs it names (a shared synonym names several)."""
    names: dict[str, set[str]] = {}
    with PRODUCE_TYPES_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for name in [row["name_vi"], *row["synonyms_vi"].split("|")]:
                if name.strip():
                    names.setdefault(fold(name), set()).add(row["slug"])
    return names


def produce_slug(text: str) -> str:
    """The produce type a crop name means, or "" when none or more than one fits.

    A name matches when the crop text equals it, or begins with it followed by more words
    ("Vải thiều sớm" → Vải thiều); the longest matching name wins. Text in brackets is tried
    both as part of the name ("Cà phê (Robusta)" → "Cà phê Robusta") and alone
    ("Sắn (khoai mì)" → "khoai mì").
    """
    names = _produce_names()
    inside = " ".join(_BRACKETS.findall(text))
    head = fold(_BRACKETS.sub("", text))
    candidates = [fold(f"{head} {inside}"), head, fold(inside)] if inside else [head]
    for candidate in candidates:
        if not candidate:
            continue
        best: set[str] = set()
        best_length = 0
        for name, slugs in names.items():
            if candidate == name or candidate.startswith(name + " "):
                if len(name) > best_length:
                    best, best_length = set(slugs), len(name)
                elif len(name) == best_length:
                    best |= slugs
        if len(best) == 1:
            return next(iter(best))
        if len(best) > 1:
            # Folding made names meet (bơ avocado, bò beef): the written name decides.
            exact = _exact_names().get(_BRACKETS.sub("", text).strip().casefold(), set())
            return next(iter(exact)) if len(exact) == 1 else ""
    return ""


@lru_cache(maxsize=1)
def _exact_names() -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    with PRODUCE_TYPES_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for name in [row["name_vi"], *row["synonyms_vi"].split("|")]:
                if name.strip():
                    names.setdefault(name.strip().casefold(), set()).add(row["slug"])
    return names
