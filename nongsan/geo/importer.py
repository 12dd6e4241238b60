"""Derive the project's administrative-unit data from the two official tables.

The statistics office published the legacy list (January 2025) and the conversion table
(July 2025) at different dates and with typing slips (see ../shared/data/admin-units/SOURCE.md).
This module reads both, resolves every disagreement by the rule *codes beat names* and the
legacy list is the record of the legacy geography, and reports each disagreement as a
:class:`Finding` — nothing is silently fixed. The output is a :class:`Dataset` that
:mod:`nongsan.geo.dataset` writes to the project's own compact files.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nongsan.common.text import fold, normalize_spaces
from nongsan.geo.dataset import Dataset, SuccessionRecord, UnitRecord
from nongsan.geo.models import LEGACY_LAST_DAY, REFORM_DATE, UnitLevel, UnitSuccession, UnitType

LEGACY_FILE = "legacy-communes-2025-01-04.csv"
CONVERSION_FILE = "conversion-2025-07-01.csv"

_CODE_IN_PARENS = re.compile(r"^(?P<name>.*?)\s*\((?P<code>\d+)\)\s*$")

# Prefixes that name a unit's type, longest first so "Thành phố" wins over nothing.
_PROVINCE_TYPES = [("thanh pho", UnitType.MUNICIPALITY), ("tinh", UnitType.PROVINCE)]
_DISTRICT_TYPES = [
    ("thanh pho", UnitType.PROVINCIAL_CITY),
    ("thi xa", UnitType.DISTRICT_TOWN),
    ("quan", UnitType.URBAN_DISTRICT),
    ("huyen", UnitType.RURAL_DISTRICT),
]
_COMMUNE_TYPES = [
    ("thi tran", UnitType.TOWNSHIP),
    ("dac khu", UnitType.SPECIAL_ZONE),
    ("phuong", UnitType.WARD),
    ("xa", UnitType.COMMUNE),
]
TYPE_PREFIX = {
    UnitType.MUNICIPALITY: "Thành phố",
    UnitType.PROVINCE: "Tỉnh",
    UnitType.PROVINCIAL_CITY: "Thành phố",
    UnitType.DISTRICT_TOWN: "Thị xã",
    UnitType.URBAN_DISTRICT: "Quận",
    UnitType.RURAL_DISTRICT: "Huyện",
    UnitType.TOWNSHIP: "Thị trấn",
    UnitType.SPECIAL_ZONE: "Đặc khu",
    UnitType.WARD: "Phường",
    UnitType.COMMUNE: "Xã",
}
_TYPES_BY_LEVEL = {
    UnitLevel.PROVINCE: _PROVINCE_TYPES,
    UnitLevel.DISTRICT: _DISTRICT_TYPES,
    UnitLevel.COMMUNE: _COMMUNE_TYPES,
}


@dataclass(frozen=True)
class Finding:
    """One inconsistency met in the official tables and how the importer resolved it."""

    category: str
    where: str
    message: str
    resolution: str

    def __str__(self) -> str:
        return f"[{self.category}] {self.where}: {self.message} → {self.resolution}"


@dataclass
class ImportResult:
    dataset: Dataset
    findings: list[Finding] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for unit in self.dataset.units:
            geography = "current" if unit.valid_until is None else "legacy"
            counts[f"{geography}_{unit.level}"] += 1
        counts["successions"] = len(self.dataset.successions)
        counts["findings"] = len(self.findings)
        return dict(sorted(counts.items()))


def split_unit_name(raw: str, level: str) -> tuple[str, str, str, bool]:
    """Return (unit_type, canonical full name, short name, was_irregular) for an official name.

    ``was_irregular`` is true when the written type word differed from its canonical spelling
    ("Thị Xã", "Xa", "Thành Phố"), so that the caller can report it.
    """
    name = normalize_spaces(raw)
    folded = fold(name)
    for prefix, unit_type in _TYPES_BY_LEVEL[UnitLevel(level)]:
        if folded.startswith(prefix + " "):
            words = len(prefix.split(" "))
            short = " ".join(name.split(" ")[words:])
            canonical = f"{TYPE_PREFIX[unit_type]} {short}"
            return unit_type, canonical, short, canonical != name
    raise ValueError(f"không nhận ra loại đơn vị trong tên {raw!r}")


def _short_folded(name: str, level: str = UnitLevel.COMMUNE) -> str:
    """The folded name without its type word; a name written without a type stays whole."""
    try:
        return fold(split_unit_name(name, level)[2])
    except ValueError:
        return fold(name)


def split_name_and_code(raw: str) -> tuple[str, str]:
    """Split "Tỉnh Bắc Ninh (27)" into ("Tỉnh Bắc Ninh", "27")."""
    match = _CODE_IN_PARENS.match(normalize_spaces(raw))
    if not match:
        raise ValueError(f"thiếu mã trong ngoặc: {raw!r}")
    return match["name"], match["code"]


def succession_kind(note: str) -> str:
    """Map the conversion table's free-text note to a succession kind."""
    folded = fold(note).replace("nhap mot phan", "mot phan")
    if "dac khu" in folded:
        return UnitSuccession.Kind.SPECIAL_ZONE
    if "mot phan" in folded or "phan con lai" in folded:
        if folded.startswith("doi ten"):
            return UnitSuccession.Kind.RENAMED
        return UnitSuccession.Kind.MERGED_PART
    if folded.startswith("doi loai hinh"):
        return UnitSuccession.Kind.TYPE_CHANGED
    if folded.startswith("doi ten"):
        return UnitSuccession.Kind.RENAMED
    if folded.startswith("giu nguyen"):
        return UnitSuccession.Kind.UNCHANGED
    return UnitSuccession.Kind.MERGED_WHOLE


def _read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


class _Importer:
    """Holds the state of one derivation; :func:`derive_dataset` is the entry point."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.findings: list[Finding] = []
        self.legacy: dict[tuple[str, str], UnitRecord] = {}
        self.current: dict[tuple[str, str], UnitRecord] = {}
        self.successions: list[SuccessionRecord] = []

    def report(self, category: str, where: str, message: str, resolution: str) -> None:
        self.findings.append(Finding(category, where, message, resolution))

    # -- units -------------------------------------------------------------------------------
    def _unit(
        self,
        store: dict[tuple[str, str], UnitRecord],
        *,
        level: str,
        code: str,
        raw_name: str,
        parent_code: str,
        english_name: str = "",
        where: str,
    ) -> UnitRecord:
        unit_type, name, _short, irregular = split_unit_name(raw_name, level)
        if irregular:
            self.report(
                "spelling",
                where,
                f"tên {normalize_spaces(raw_name)!r} viết loại đơn vị không chuẩn",
                f"dùng {name!r}",
            )
        legacy = store is self.legacy
        record = UnitRecord(
            level=level,
            code=code,
            unit_type=unit_type,
            name=name,
            english_name=normalize_spaces(english_name),
            parent_code=parent_code,
            valid_from=None if legacy else REFORM_DATE,
            valid_until=LEGACY_LAST_DAY if legacy else None,
        )
        existing = store.get((level, code))
        if existing is None:
            store[(level, code)] = record
            return record
        if existing.name != record.name or existing.parent_code != record.parent_code:
            self.report(
                "conflict",
                where,
                f"mã {code} ({level}) đã có tên {existing.name!r} thuộc {existing.parent_code!r},"
                f" nay gặp {record.name!r} thuộc {record.parent_code!r}",
                "giữ bản ghi gặp trước",
            )
        return existing

    def read_legacy(self) -> None:
        rows = _read_rows(self.folder / LEGACY_FILE)
        for line, row in enumerate(rows[1:], start=2):
            row = [cell.strip() for cell in row] + [""] * (8 - len(row))
            province_name, province_code, district_name, district_code = row[:4]
            commune_name, commune_code, level_word, english_name = row[4:8]
            where = f"{LEGACY_FILE}:{line}"
            if not province_code:
                self.report("format", where, "dòng không có mã tỉnh", "bỏ qua dòng")
                continue
            self._unit(
                self.legacy,
                level=UnitLevel.PROVINCE,
                code=province_code,
                raw_name=province_name,
                parent_code="",
                where=where,
            )
            self._unit(
                self.legacy,
                level=UnitLevel.DISTRICT,
                code=district_code,
                raw_name=district_name,
                parent_code=province_code,
                where=where,
            )
            if not commune_code:
                self.report(
                    "island-district",
                    where,
                    f"{normalize_spaces(district_name)} ({district_code}) không có xã trực thuộc",
                    "ghi nhận cấp huyện, không có xã",
                )
                continue
            if fold(level_word) not in fold(commune_name):
                self.report(
                    "spelling",
                    where,
                    f"cột cấp {level_word!r} không khớp tên {commune_name!r}",
                    "theo tên",
                )
            self._unit(
                self.legacy,
                level=UnitLevel.COMMUNE,
                code=commune_code,
                raw_name=commune_name,
                parent_code=district_code,
                english_name=english_name,
                where=where,
            )

    # -- conversion --------------------------------------------------------------------------
    def read_conversion(self) -> None:
        rows = _read_rows(self.folder / CONVERSION_FILE)
        seen_old_rows: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        current_names: dict[str, set[str]] = defaultdict(set)
        for line, row in enumerate(rows[2:], start=3):
            row = row + [""] * (9 - len(row))
            where = f"{CONVERSION_FILE}:{line}"
            if not normalize_spaces(row[1]) and not normalize_spaces(row[2]):
                continue  # a province banner row such as "THÀNH PHỐ HÀ NỘI"
            try:
                self._conversion_row(row, where, seen_old_rows, current_names)
            except ValueError as error:
                self.report("format", where, str(error), "bỏ qua dòng")
        self._check_current_names(current_names)
        self._successions_from(seen_old_rows)

    def _conversion_row(
        self,
        row: list[str],
        where: str,
        seen_old_rows: dict[str, list[tuple[str, str, str]]],
        current_names: dict[str, set[str]],
    ) -> None:
        new_province_name, new_province_code = split_name_and_code(row[0])
        new_name, new_code = normalize_spaces(row[1]), normalize_spaces(row[2])
        old_name, old_code = normalize_spaces(row[3]), normalize_spaces(row[4])
        note = normalize_spaces(row[5])
        old_district_name, old_district_code = split_name_and_code(row[6])
        old_province_name, old_province_code = split_name_and_code(row[7])
        for label, code, width in (
            ("mã tỉnh mới", new_province_code, 2),
            ("mã xã mới", new_code, 5),
            ("mã huyện cũ", old_district_code, 3),
            ("mã tỉnh cũ", old_province_code, 2),
        ):
            if not (code.isdigit() and len(code) == width):
                raise ValueError(f"{label} {code!r} không phải {width} chữ số")
        if old_code and not (old_code.isdigit() and len(old_code) == 5):
            raise ValueError(f"mã xã cũ {old_code!r} không phải 5 chữ số")
        self._unit(
            self.current,
            level=UnitLevel.PROVINCE,
            code=new_province_code,
            raw_name=new_province_name,
            parent_code="",
            where=where,
        )
        current_names[new_code].add(new_name)
        commune = self._unit(
            self.current,
            level=UnitLevel.COMMUNE,
            code=new_code,
            raw_name=new_name,
            parent_code=new_province_code,
            where=where,
        )
        predecessor = self._predecessor(
            where=where,
            old_name=old_name,
            old_code=old_code,
            old_district=(old_district_name, old_district_code),
            old_province=(old_province_name, old_province_code),
        )
        if predecessor is None:
            return
        seen_old_rows[predecessor].append((commune.code, note, where))

    def _predecessor(
        self,
        *,
        where: str,
        old_name: str,
        old_code: str,
        old_district: tuple[str, str],
        old_province: tuple[str, str],
    ) -> str | None:
        """Return the key "level:code" of the legacy unit a conversion row starts from."""
        district_name, district_code = old_district
        province_name, province_code = old_province
        if not old_code:
            district = self.legacy.get((UnitLevel.DISTRICT, district_code))
            if district is None:
                self.report(
                    "missing-code",
                    where,
                    f"không có mã xã cũ và huyện {district_code} không có trong danh mục cũ",
                    "bỏ qua dòng",
                )
                return None
            self.report(
                "no-commune-code",
                where,
                f"{old_name or 'đơn vị cấp huyện'} không có mã xã cũ",
                f"lấy {district.name} ({district_code}) làm đơn vị trước",
            )
            self._check_province(where, district.parent_code, province_name, province_code)
            return f"{UnitLevel.DISTRICT}:{district_code}"
        commune = self.legacy.get((UnitLevel.COMMUNE, old_code))
        if commune is None:
            self._add_missing_legacy_commune(
                where, old_name, old_code, old_district, (province_name, province_code)
            )
            return f"{UnitLevel.COMMUNE}:{old_code}"
        if _short_folded(commune.name) != _short_folded(old_name):
            self.report(
                "name-mismatch",
                where,
                f"mã xã cũ {old_code} là {commune.name!r} trong danh mục cũ,"
                f" bảng chuyển đổi ghi {old_name!r}{self._namesake_hint(commune, old_name)}",
                "theo mã: giữ tên trong danh mục cũ",
            )
        if commune.parent_code != district_code:
            legacy_district = self.legacy.get((UnitLevel.DISTRICT, commune.parent_code))
            self.report(
                "district-mismatch",
                where,
                f"xã cũ {old_code} thuộc huyện {commune.parent_code}"
                f" ({legacy_district.name if legacy_district else '?'}) trong danh mục cũ,"
                f" bảng chuyển đổi ghi {district_name} ({district_code})",
                "theo danh mục cũ",
            )
        district = self.legacy.get((UnitLevel.DISTRICT, commune.parent_code))
        if district is not None:
            self._check_province(where, district.parent_code, province_name, province_code)
        return f"{UnitLevel.COMMUNE}:{old_code}"

    def _namesake_hint(self, commune: UnitRecord, written_name: str) -> str:
        """Point at a unit of the same district bearing the written name: a likely code typo."""
        wanted = _short_folded(written_name)
        for (level, code), unit in self.legacy.items():
            if (
                level == UnitLevel.COMMUNE
                and unit.parent_code == commune.parent_code
                and code != commune.code
                and _short_folded(unit.name) == wanted
            ):
                return f" (cùng huyện có {unit.name} mã {code}: có thể gõ nhầm mã)"
        return ""

    def _check_province(self, where: str, legacy_code: str, name: str, code: str) -> None:
        province = self.legacy.get((UnitLevel.PROVINCE, legacy_code))
        if legacy_code != code:
            self.report(
                "province-mismatch",
                where,
                f"bảng chuyển đổi ghi tỉnh cũ {name} ({code}), danh mục cũ ghi"
                f" {province.name if province else '?'} ({legacy_code})",
                "theo danh mục cũ",
            )
        elif province is not None and fold(province.name) != fold(name):
            self.report(
                "province-name",
                where,
                f"tỉnh cũ {code} viết {name!r}, danh mục cũ ghi {province.name!r}",
                "theo danh mục cũ",
            )

    def _add_missing_legacy_commune(
        self,
        where: str,
        old_name: str,
        old_code: str,
        old_district: tuple[str, str],
        old_province: tuple[str, str],
    ) -> None:
        district_name, district_code = old_district
        province_name, province_code = old_province
        if (UnitLevel.PROVINCE, province_code) not in self.legacy:
            self._unit(
                self.legacy,
                level=UnitLevel.PROVINCE,
                code=province_code,
                raw_name=province_name,
                parent_code="",
                where=where,
            )
        if (UnitLevel.DISTRICT, district_code) not in self.legacy:
            self._unit(
                self.legacy,
                level=UnitLevel.DISTRICT,
                code=district_code,
                raw_name=district_name,
                parent_code=province_code,
                where=where,
            )
        self._unit(
            self.legacy,
            level=UnitLevel.COMMUNE,
            code=old_code,
            raw_name=old_name,
            parent_code=district_code,
            where=where,
        )
        self.report(
            "missing-legacy",
            where,
            f"mã xã cũ {old_code} ({old_name}) không có trong danh mục 01/2025",
            f"thêm vào địa bàn cũ thuộc {district_name} ({district_code})",
        )

    def _check_current_names(self, names: dict[str, set[str]]) -> None:
        for code, variants in sorted(names.items()):
            canonical = {split_unit_name(name, UnitLevel.COMMUNE)[1] for name in variants}
            if len(canonical) > 1:
                self.report(
                    "conflict",
                    f"{CONVERSION_FILE} mã xã mới {code}",
                    f"nhiều cách viết: {sorted(canonical)}",
                    "giữ cách viết gặp trước",
                )

    def _successions_from(self, rows: dict[str, list[tuple[str, str, str]]]) -> None:
        for key, targets in rows.items():
            level, code = key.split(":")
            successors = {target for target, _note, _where in targets}
            is_partial = len(successors) > 1
            notes_say_partial = any(
                succession_kind(note) == UnitSuccession.Kind.MERGED_PART
                for _target, note, _where in targets
            )
            if level == UnitLevel.DISTRICT:
                # An area managed by a district (island district, coastal flats) is only part
                # of that district's territory unless the whole district became the unit.
                is_partial = not all(
                    succession_kind(note) == UnitSuccession.Kind.SPECIAL_ZONE
                    for _t, note, _w in targets
                )
            elif is_partial and not notes_say_partial:
                self.report(
                    "partial-note",
                    targets[0][2],
                    f"xã cũ {code} chia cho {len(successors)} xã mới nhưng ghi chú"
                    " không nói 'một phần'",
                    "coi là chia (một phần)",
                )
            elif notes_say_partial and not is_partial:
                self.report(
                    "partial-note",
                    targets[0][2],
                    f"xã cũ {code} ghi 'một phần' nhưng chỉ có trong một xã mới",
                    "coi là nhập một phần; phần còn lại không có trong bảng",
                )
                is_partial = True
            for target, note, _where in targets:
                kind = succession_kind(note)
                if is_partial and kind == UnitSuccession.Kind.MERGED_WHOLE:
                    kind = UnitSuccession.Kind.MERGED_PART
                self.successions.append(
                    SuccessionRecord(
                        predecessor_level=level,
                        predecessor_code=code,
                        successor_level=UnitLevel.COMMUNE,
                        successor_code=target,
                        kind=kind,
                        is_partial=is_partial,
                        note=note,
                    )
                )

    # -- derived checks ----------------------------------------------------------------------
    def province_successions(self) -> None:
        """Legacy province → current province(s), derived from where their communes went."""
        targets: dict[str, set[str]] = defaultdict(set)
        current_sources: dict[str, set[str]] = defaultdict(set)
        for record in self.successions:
            if record.predecessor_level == UnitLevel.COMMUNE:
                district = self.legacy[(UnitLevel.COMMUNE, record.predecessor_code)].parent_code
            else:
                district = record.predecessor_code
            old_province = self.legacy[(UnitLevel.DISTRICT, district)].parent_code
            new_province = self.current[(UnitLevel.COMMUNE, record.successor_code)].parent_code
            targets[old_province].add(new_province)
            current_sources[new_province].add(old_province)
        for old_province, new_provinces in sorted(targets.items()):
            old = self.legacy[(UnitLevel.PROVINCE, old_province)]
            for new_province in sorted(new_provinces):
                new = self.current[(UnitLevel.PROVINCE, new_province)]
                partial = len(new_provinces) > 1
                if partial:
                    self.report(
                        "province-split",
                        f"tỉnh cũ {old_province}",
                        f"{old.name} có xã đi vào {len(new_provinces)} tỉnh mới",
                        "ghi nhận kế thừa một phần cho từng tỉnh",
                    )
                alone = current_sources[new_province] == {old_province}
                if partial:
                    kind = UnitSuccession.Kind.MERGED_PART
                elif alone and fold(old.name) == fold(new.name):
                    kind = UnitSuccession.Kind.UNCHANGED
                else:
                    kind = UnitSuccession.Kind.MERGED_WHOLE
                self.successions.append(
                    SuccessionRecord(
                        predecessor_level=UnitLevel.PROVINCE,
                        predecessor_code=old_province,
                        successor_level=UnitLevel.PROVINCE,
                        successor_code=new_province,
                        kind=kind,
                        is_partial=partial,
                        note="",
                    )
                )

    def unmapped_legacy(self) -> None:
        mapped = {
            (record.predecessor_level, record.predecessor_code) for record in self.successions
        }
        for (level, code), unit in sorted(self.legacy.items()):
            if level == UnitLevel.COMMUNE and (level, code) not in mapped:
                self.report(
                    "unmapped",
                    f"{LEGACY_FILE} mã {code}",
                    f"{unit.name} (huyện {unit.parent_code}) không có dòng nào trong bảng"
                    " chuyển đổi",
                    "giữ trong địa bàn cũ, không có đơn vị kế thừa",
                )

    def run(self) -> ImportResult:
        self.read_legacy()
        self.read_conversion()
        self.province_successions()
        self.unmapped_legacy()
        units = sorted(
            [*self.legacy.values(), *self.current.values()],
            key=lambda unit: (unit.valid_until is None, _LEVEL_ORDER[unit.level], unit.code),
        )
        successions = sorted(
            set(self.successions),
            key=lambda record: (
                _LEVEL_ORDER[record.predecessor_level],
                record.predecessor_code,
                record.successor_code,
            ),
        )
        return ImportResult(Dataset(units=units, successions=successions), self.findings)


_LEVEL_ORDER: dict[str, int] = {
    UnitLevel.PROVINCE: 0,
    UnitLevel.DISTRICT: 1,
    UnitLevel.COMMUNE: 2,
}


def derive_dataset(folder: Path) -> ImportResult:
    """Read the two official CSVs in ``folder`` and return the dataset with its findings."""
    for name in (LEGACY_FILE, CONVERSION_FILE):
        if not (folder / name).is_file():
            raise FileNotFoundError(f"không tìm thấy {folder / name}")
    return _Importer(folder).run()


def summarize(findings: Iterable[Finding]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for finding in findings:
        counts[finding.category] += 1
    return dict(sorted(counts.items()))
