"""Scenario: resolve addresses generated from the legacy table, as people write them.

Addresses are generated deterministically (seeded) from the legacy communes in the database
in varied spellings: with or without diacritics, upper or lower case, type words spelled
out, abbreviated with or without the dot or left out, parts reordered, district or province
sometimes missing, a village or street in front, commas, dashes or spaces between, province
nicknames (TP.HCM, HN, TT Huế), zero-padded ward numbers.

Accuracy is measured against the crosswalk in the database. An address is *unambiguous* when
its legacy commune went into exactly one current commune and the names it contains fit no
other legacy commune (a district or province name may be either level, as it may be written
without its type word) and, when no district is written, no other current commune either
(``Xã Mường Than, tỉnh Lai Châu`` is both a legacy commune, now part of Than Uyên, and a
current one); accuracy is the share of unambiguous addresses whose first candidate is that
current commune. Addresses of a split legacy commune whose names fit it alone should come
back ``needs_choice`` with exactly its successors: ``needs_choice_flagged`` is that share. A
naive resolver (folded exact lookup of the commune part, first hit wins), timed in the same
run, gives the baseline.
"""

from __future__ import annotations

import random
import statistics
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

NAME = "address_resolution"
DEFAULT_SIZE = 10_000
SEED = 20250701

TYPE_WORDS = {
    "commune": ["Xã", "xã", "X.", "X. ", "x ", None],
    "ward": ["Phường", "phường", "P.", "P. ", "P ", None],
    "township": ["Thị trấn", "thị trấn", "TT.", "TT ", "Thị Trấn", None],
    "rural_district": ["Huyện", "huyện", "H.", "H. ", "H ", None],
    "urban_district": ["Quận", "quận", "Q.", "Q ", None],
    "district_town": ["Thị xã", "thị xã", "TX.", "TX ", "Thị Xã", None],
    "provincial_city": ["Thành phố", "thành phố", "TP.", "Tp ", "TP ", None],
    "province": ["Tỉnh", "tỉnh", "T.", "T. ", None],
    "municipality": ["Thành phố", "TP.", "Tp ", "TP ", None],
}
PROVINCE_NICKNAMES = {
    "Hồ Chí Minh": ["TP.HCM", "TPHCM", "HCM", "Sài Gòn", "Tp Hồ Chí Minh"],
    "Hà Nội": ["HN", "Hanoi", "TP Hà Nội"],
    "Huế": ["TT Huế", "Thừa Thiên Huế", "TT-Huế"],
}
VILLAGE_WORDS = ["thôn", "Thôn", "ấp", "Ấp", "bản", "tổ", "Tổ dân phố", "xóm", "khu phố", "khóm"]
VILLAGE_NAMES = ["1", "2", "3", "5", "7", "Đông", "Trung", "Nam Sơn", "Tân Lập", "Hòa Bình", "Bắc"]
STREETS = ["Số 12 đường Lê Lợi", "số 5 ngõ 3", "12/4 hẻm 7", "Km 5 quốc lộ 1A"]
SEPARATORS = [", ", ", ", ", ", " - ", " ", ",", "; "]


@dataclass(frozen=True)
class LegacyCommune:
    unit_id: int
    unit_type: str
    short_name: str
    district_type: str
    district_short_name: str
    province_type: str
    province_short_name: str
    successors: tuple[int, ...]


@dataclass(frozen=True)
class Sample:
    text: str
    commune: LegacyCommune
    commune_part: str
    key: tuple[str, ...]  # folded names written: commune, district or "", province or ""


def strip_diacritics(text: str) -> str:
    """Diacritics off, case kept: "Hồng Giang" -> "Hong Giang"."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return bare.replace("đ", "d").replace("Đ", "D")


def legacy_communes() -> list[LegacyCommune]:
    """Every legacy commune with its district, province and current successors."""
    from nongsan.geo.models import AdministrativeUnit, UnitSuccession

    successors: dict[int, list[int]] = defaultdict(list)
    for predecessor_id, successor_id in UnitSuccession.objects.filter(
        successor__valid_until__isnull=True
    ).values_list("predecessor_id", "successor_id"):
        successors[predecessor_id].append(successor_id)
    communes = (
        AdministrativeUnit.objects.legacy()
        .filter(level="commune", district__isnull=False)
        .select_related("district", "province")
        .order_by("code")
    )
    return [
        LegacyCommune(
            unit_id=unit.pk,
            unit_type=unit.unit_type,
            short_name=unit.short_name,
            district_type=unit.district.unit_type,
            district_short_name=unit.district.short_name,
            province_type=unit.province.unit_type,
            province_short_name=unit.province.short_name,
            successors=tuple(sorted(set(successors.get(unit.pk, ())))),
        )
        for unit in communes
        if unit.district is not None and unit.province is not None
    ]


def _fold(text: str) -> str:
    from nongsan.common.text import fold

    return fold(text)


def _key(commune: LegacyCommune, with_district: bool, with_province: bool) -> tuple[str, ...]:
    return (
        _fold(commune.short_name),
        _fold(commune.district_short_name) if with_district else "",
        _fold(commune.province_short_name) if with_province else "",
    )


def _written(random_: random.Random, unit_type: str, short_name: str) -> str:
    name = short_name
    if name.isdigit() and random_.random() < 0.3:
        name = name.zfill(2)
    words = TYPE_WORDS.get(unit_type, [None])
    if short_name.isdigit():
        words = [word for word in words if word is not None]  # "4" alone is no address
    word = random_.choice(words)
    if word is None:
        return name
    if word.endswith((".", " ")):
        return f"{word}{name}"
    return f"{word} {name}"


def _province_written(random_: random.Random, commune: LegacyCommune) -> str:
    nicknames = PROVINCE_NICKNAMES.get(commune.province_short_name)
    if nicknames and random_.random() < 0.5:
        return random_.choice(nicknames)
    return _written(random_, commune.province_type, commune.province_short_name)


def generate(communes: list[LegacyCommune], size: int, seed: int = SEED) -> list[Sample]:
    """``size`` addresses in varied spellings, the same for the same seed."""
    random_ = random.Random(seed)
    samples = []
    for _number in range(size):
        commune = random_.choice(communes)
        with_district = random_.random() < 0.8
        with_province = random_.random() < 0.85 or not with_district
        commune_part = _written(random_, commune.unit_type, commune.short_name)
        parts = [commune_part]
        if with_district:
            parts.append(_written(random_, commune.district_type, commune.district_short_name))
        if with_province:
            parts.append(_province_written(random_, commune))
        order = random_.random()
        if order < 0.2:
            parts.reverse()
        elif order < 0.3:
            random_.shuffle(parts)
        prefix = random_.random()
        if prefix < 0.3:
            parts.insert(0, f"{random_.choice(VILLAGE_WORDS)} {random_.choice(VILLAGE_NAMES)}")
        elif prefix < 0.4:
            parts.insert(0, random_.choice(STREETS))
        text = random_.choice(SEPARATORS).join(parts)
        if random_.random() < 0.4:
            text = strip_diacritics(text)
        case = random_.random()
        if case < 0.15:
            text = text.upper()
        elif case < 0.3:
            text = text.lower()
        samples.append(
            Sample(
                text=text,
                commune=commune,
                commune_part=commune_part,
                key=_key(commune, with_district, with_province),
            )
        )
    return samples


def current_namesakes() -> dict[str, list[tuple[int, frozenset[str]]]]:
    """Folded current commune name -> (commune id, folded names of its provinces, both maps)."""
    from nongsan.geo.models import AdministrativeUnit, UnitSuccession

    provinces: dict[int, set[str]] = defaultdict(set)
    for successor_id, province_name in UnitSuccession.objects.filter(
        successor__valid_until__isnull=True
    ).values_list("successor_id", "predecessor__province__short_name_folded"):
        provinces[successor_id].add(province_name)
    namesakes: dict[str, list[tuple[int, frozenset[str]]]] = defaultdict(list)
    for pk, name, province_name in (
        AdministrativeUnit.objects.current()
        .filter(level="commune")
        .values_list("pk", "short_name_folded", "province__short_name_folded")
    ):
        namesakes[name].append((pk, frozenset({province_name, *provinces[pk]})))
    return namesakes


def is_unambiguous(
    sample: Sample,
    legacy_by_name: dict[str, list[tuple[str, str]]],
    namesakes: dict[str, list[tuple[int, frozenset[str]]]],
) -> bool:
    """Whether the written names fit the sample's legacy commune alone (module docstring).

    A district or province name written without its type word may be either ("Phường 1 -
    Sóc Trăng" fits Phường 1 of the city Sóc Trăng and of every town of the province), so a
    legacy commune fits when each written name is its district's or its province's.
    """
    commune_name, district_name, province_name = sample.key
    written = [name for name in (district_name, province_name) if name]
    fitting = sum(
        1
        for district, province in legacy_by_name.get(commune_name, ())
        if all(name in (district, province) for name in written)
    )
    if fitting != 1:
        return False
    if district_name:
        return True  # a district places the address in the legacy map
    return not any(
        pk not in sample.commune.successors and (not province_name or province_name in names)
        for pk, names in namesakes.get(commune_name, ())
    )


def legacy_names(communes: list[LegacyCommune]) -> dict[str, list[tuple[str, str]]]:
    """Folded legacy commune name -> folded (district, province) names of each such commune."""
    by_name: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for commune in communes:
        by_name[_fold(commune.short_name)].append(
            (_fold(commune.district_short_name), _fold(commune.province_short_name))
        )
    return by_name


class NaiveResolver:
    """The baseline: the commune part folded, its type word dropped, looked up exactly among
    legacy names (to their first successor) and then current ones; the first hit wins."""

    TYPE_PREFIXES = ("thi tran ", "phuong ", "xa ", "tt. ", "tt.", "p. ", "p.", "x. ", "x.", "x ")

    def __init__(self) -> None:
        from nongsan.geo.models import AdministrativeUnit, UnitSuccession

        self.by_name: dict[str, int] = {}
        for name, successor_id in (
            UnitSuccession.objects.filter(successor__valid_until__isnull=True)
            .order_by("predecessor__code", "successor__code")
            .values_list("predecessor__short_name_folded", "successor_id")
        ):
            self.by_name.setdefault(name, successor_id)
        for pk, name in (
            AdministrativeUnit.objects.current()
            .filter(level="commune")
            .order_by("code")
            .values_list("pk", "short_name_folded")
        ):
            self.by_name.setdefault(name, pk)

    def resolve(self, commune_part: str) -> int | None:
        folded = _fold(commune_part)
        for prefix in self.TYPE_PREFIXES:
            if folded.startswith(prefix):
                folded = folded[len(prefix) :]
                break
        return self.by_name.get(folded)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(*, size: int | None = None, seed: int = SEED) -> dict[str, Any]:
    """Generate, resolve and score; the result is the scenario's JSON line."""
    from nongsan.geo.address import STATUS_NEEDS_CHOICE, clear_address_index, resolve_address

    size = size or DEFAULT_SIZE
    communes = legacy_communes()
    samples = generate(communes, size, seed)
    by_name = legacy_names(communes)
    namesakes = current_namesakes()

    clear_address_index()
    started = time.perf_counter()
    resolve_address("Xã Hồng Giang, Lục Ngạn, Bắc Giang")  # builds the index
    index_build_ms = (time.perf_counter() - started) * 1000

    timings: list[float] = []
    unambiguous = correct = 0
    split = flagged = 0
    misses: Counter[str] = Counter()
    for sample in samples:
        started_ns = time.perf_counter_ns()
        result = resolve_address(sample.text)
        timings.append((time.perf_counter_ns() - started_ns) / 1e6)
        successors = sample.commune.successors
        names_are_unique = is_unambiguous(sample, by_name, namesakes)
        if len(successors) == 1 and names_are_unique:
            unambiguous += 1
            best = result.best
            if best is not None and best.commune.pk == successors[0]:
                correct += 1
            else:
                misses[result.status] += 1
        elif len(successors) > 1 and names_are_unique:
            split += 1
            first = {candidate.commune.pk for candidate in result.candidates[: len(successors)]}
            if result.status == STATUS_NEEDS_CHOICE and first == set(successors):
                flagged += 1

    naive = NaiveResolver()
    baseline_timings: list[float] = []
    baseline_correct = 0
    for sample in samples:
        started_ns = time.perf_counter_ns()
        found = naive.resolve(sample.commune_part)
        baseline_timings.append((time.perf_counter_ns() - started_ns) / 1e6)
        successors = sample.commune.successors
        unique = is_unambiguous(sample, by_name, namesakes)
        if len(successors) == 1 and unique and found == successors[0]:
            baseline_correct += 1

    p95 = _percentile(timings, 0.95)
    baseline_p95 = _percentile(baseline_timings, 0.95)
    return {
        "scenario": NAME,
        "size": size,
        "p50_ms": round(statistics.median(timings), 4),
        "p95_ms": round(p95, 4),
        "max_ms": round(max(timings), 3),
        "baseline_p50_ms": round(statistics.median(baseline_timings), 4),
        "baseline_p95_ms": round(baseline_p95, 4),
        "ratio_p95": round(p95 / baseline_p95, 1) if baseline_p95 else None,
        "accuracy_unambiguous": round(correct / unambiguous, 4) if unambiguous else None,
        "baseline_accuracy_unambiguous": (
            round(baseline_correct / unambiguous, 4) if unambiguous else None
        ),
        "unambiguous": unambiguous,
        "misses_by_status": dict(misses),
        "needs_choice_flagged": round(flagged / split, 4) if split else None,
        "split": split,
        "index_build_ms": round(index_build_ms, 1),
        "seed": seed,
    }
