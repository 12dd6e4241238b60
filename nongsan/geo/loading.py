"""Load the project's administrative-unit files into the database.

Loading is idempotent: units, names and successions that are already there are left alone
(never overwritten, since a later dated change may have renamed a unit since), missing ones
are created in bulk, and the dated changes of ``changes.json`` that have not been applied yet
are applied through :mod:`nongsan.geo.services`.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from nongsan.common.text import fold
from nongsan.geo import services
from nongsan.geo.address import clear_address_index
from nongsan.geo.dataset import CHANGES_FILE, DATA_DIR, Dataset, read_dataset
from nongsan.geo.importer import split_unit_name
from nongsan.geo.models import (
    REFORM_DATE,
    AdministrativeChange,
    AdministrativeUnit,
    UnitLevel,
    UnitName,
    UnitSuccession,
)

REFORM_REFERENCE = "reform-2025-07-01"
REFORM_LEGAL_BASIS = (
    "Nghị quyết 202/2025/QH15 về sắp xếp đơn vị hành chính cấp tỉnh; các nghị quyết của"
    " Ủy ban Thường vụ Quốc hội về sắp xếp đơn vị hành chính cấp xã năm 2025"
)
_BATCH = 2000
_LEVEL_ORDER = [UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE]

UnitKey = tuple[str, str, datetime.date | None]


@dataclass
class LoadSummary:
    units_created: int = 0
    names_created: int = 0
    successions_created: int = 0
    changes_applied: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        applied = ", ".join(self.changes_applied) or "không có"
        return (
            f"{self.units_created} đơn vị, {self.names_created} tên,"
            f" {self.successions_created} quan hệ kế thừa mới; thay đổi đã áp dụng: {applied}"
        )


def _existing_units() -> dict[UnitKey, int]:
    return {
        (level, code, valid_until): pk
        for pk, level, code, valid_until in AdministrativeUnit.objects.values_list(
            "pk", "level", "code", "valid_until"
        )
    }


def _create_units(dataset: Dataset, summary: LoadSummary) -> dict[UnitKey, int]:
    existing = _existing_units()
    for level in _LEVEL_ORDER:
        new_units: list[AdministrativeUnit] = []
        for record in dataset.units:
            if record.level != level:
                continue
            key = (record.level, record.code, record.valid_until)
            if key in existing:
                continue
            parent_level = (
                None
                if level == UnitLevel.PROVINCE
                else UnitLevel.DISTRICT
                if level == UnitLevel.COMMUNE and record.valid_until is not None
                else UnitLevel.PROVINCE
            )
            parent_id = (
                existing[(parent_level, record.parent_code, record.valid_until)]
                if parent_level
                else None
            )
            _type, _full, short_name, _irregular = split_unit_name(record.name, record.level)
            unit = AdministrativeUnit(
                level=record.level,
                code=record.code,
                unit_type=record.unit_type,
                name=record.name,
                short_name=short_name,
                name_folded=fold(record.name),
                short_name_folded=fold(short_name),
                english_name=record.english_name,
                parent_id=parent_id,
                valid_from=record.valid_from,
                valid_until=record.valid_until,
            )
            if parent_id is not None and level == UnitLevel.DISTRICT:
                unit.province_id = parent_id
            new_units.append(unit)
        if level == UnitLevel.COMMUNE:
            province_of = dict(
                AdministrativeUnit.objects.filter(level=UnitLevel.DISTRICT).values_list(
                    "pk", "province_id"
                )
            )
            for unit in new_units:
                if unit.valid_until is None:
                    unit.province_id = unit.parent_id
                else:
                    assert unit.parent_id is not None  # noqa: S101 - every legacy commune has one
                    unit.district_id = unit.parent_id
                    unit.province_id = province_of[unit.parent_id]
        AdministrativeUnit.objects.bulk_create(new_units, batch_size=_BATCH)
        summary.units_created += len(new_units)
        existing = _existing_units()
    return existing


def _create_names(summary: LoadSummary) -> None:
    named = set(UnitName.objects.values_list("unit_id", flat=True).distinct())
    names = [
        UnitName(
            unit_id=pk,
            name=name,
            unit_type=unit_type,
            valid_from=valid_from,
            valid_until=valid_until,
        )
        for pk, name, unit_type, valid_from, valid_until in AdministrativeUnit.objects.values_list(
            "pk", "name", "unit_type", "valid_from", "valid_until"
        )
        if pk not in named
    ]
    UnitName.objects.bulk_create(names, batch_size=_BATCH)
    summary.names_created += len(names)


def _reform_change() -> AdministrativeChange:
    change, _created = AdministrativeChange.objects.get_or_create(
        reference=REFORM_REFERENCE,
        defaults={
            "kind": AdministrativeChange.Kind.REFORM,
            "effective_date": REFORM_DATE,
            "legal_basis": REFORM_LEGAL_BASIS,
            "description": (
                "Bỏ cấp huyện; 63 tỉnh, thành phố sắp xếp thành 34; khoảng 10.050 xã, phường,"
                " thị trấn sắp xếp thành 3.321 xã, phường, đặc khu."
            ),
        },
    )
    return change


def _create_successions(dataset: Dataset, units: dict[UnitKey, int], summary: LoadSummary) -> None:
    change = _reform_change()
    existing = set(
        UnitSuccession.objects.filter(change=change).values_list("predecessor_id", "successor_id")
    )
    legacy_end = REFORM_DATE - datetime.timedelta(days=1)
    successions = []
    for record in dataset.successions:
        predecessor = units[(record.predecessor_level, record.predecessor_code, legacy_end)]
        successor = units[(record.successor_level, record.successor_code, None)]
        if (predecessor, successor) in existing:
            continue
        successions.append(
            UnitSuccession(
                predecessor_id=predecessor,
                successor_id=successor,
                kind=record.kind,
                is_partial=record.is_partial,
                note=record.note,
                change=change,
            )
        )
    UnitSuccession.objects.bulk_create(successions, batch_size=_BATCH)
    summary.successions_created += len(successions)


def _apply_changes(folder: Path, summary: LoadSummary) -> None:
    path = folder / CHANGES_FILE
    if not path.is_file():
        return
    applied = set(AdministrativeChange.objects.values_list("reference", flat=True))
    for entry in json.loads(path.read_text(encoding="utf-8")):
        if entry["reference"] in applied:
            continue
        effective = datetime.date.fromisoformat(entry["effective_date"])
        unit = AdministrativeUnit.objects.valid_on(effective).get(
            level=entry["level"], code=entry["code"]
        )
        services.unit_rename(
            unit=unit,
            new_name=entry["new_name"],
            new_unit_type=entry["new_unit_type"],
            effective_date=effective,
            legal_basis=entry["legal_basis"],
            description=entry.get("description", ""),
            reference=entry["reference"],
            recorded_by=None,
            audited=False,
        )
        summary.changes_applied.append(entry["reference"])


def load_units(data_dir: Path | None = None) -> LoadSummary:
    """Load (or complete) the administrative units from the project's own data files."""
    folder = data_dir or DATA_DIR
    dataset = read_dataset(folder)
    summary = LoadSummary()
    with transaction.atomic():
        units = _create_units(dataset, summary)
        _create_names(summary)
        _create_successions(dataset, units, summary)
        _apply_changes(folder, summary)
    # The address index caches unit ids: units loaded anew (after a flush, say) have new ids,
    # and an index built before would resolve addresses to units that are gone.
    clear_address_index()
    return summary
