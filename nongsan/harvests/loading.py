"""Load the shipped harvest calendar (nongsan/harvests/data/crop_calendar.csv) idempotently."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import transaction

from nongsan.audit.services import audit_record
from nongsan.catalog.models import ProduceType
from nongsan.geo.models import AdministrativeUnit
from nongsan.harvests.calendar_data import DATA_DIR, CalendarRecord, read_calendar
from nongsan.harvests.models import CalendarEntry

ENTRY_FIELDS = (
    "place_detail",
    "season_name",
    "plant_from_month",
    "plant_from_day",
    "plant_until_month",
    "plant_until_day",
    "harvest_from_month",
    "harvest_from_day",
    "harvest_until_month",
    "harvest_until_day",
    "is_lunar",
    "maturity_days_min",
    "maturity_days_max",
    "yield_tonnes_per_ha",
    "source_year",
)


@dataclass
class CalendarLoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_edited: int = 0
    missing_produce: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = (
            f"{self.created} mới / new, {self.updated} cập nhật / updated,"
            f" {self.unchanged} không đổi / unchanged,"
            f" {self.kept_edited} giữ bản cán bộ đã sửa / kept officers' edits"
        )
        if self.missing_produce:
            text += ", thiếu loại sản phẩm / produce types not loaded: " + ", ".join(
                sorted(set(self.missing_produce))
            )
        return text


def calendar_load(folder: Path = DATA_DIR) -> CalendarLoadReport:
    """Upsert every record by its reference; rows an officer edited are left as they are.

    Produce types come from the catalog's own file (``load_produce_types``); a record whose
    type is not loaded is reported and skipped.
    """
    records = read_calendar(folder)
    report = CalendarLoadReport()
    types = dict(ProduceType.objects.values_list("slug", "pk"))
    provinces = dict(
        AdministrativeUnit.objects.current().filter(level="province").values_list("code", "pk")
    )
    existing = {entry.reference: entry for entry in CalendarEntry.objects.all()}
    with transaction.atomic():
        for record in records:
            if record.produce_slug not in types:
                report.missing_produce.append(record.produce_slug)
                continue
            _upsert(record, types, provinces, existing, report)
        audit_record(
            action="harvests.calendar_load",
            changes={"created": [None, report.created], "updated": [None, report.updated]},
        )
    return report


def _upsert(
    record: CalendarRecord,
    types: dict[str, int],
    provinces: dict[str, int],
    existing: dict[str, CalendarEntry],
    report: CalendarLoadReport,
) -> None:
    values = {name: value for name, value in asdict(record).items() if name in ENTRY_FIELDS}
    values["produce_type_id"] = types[record.produce_slug]
    values["province_id"] = provinces.get(record.province_code) if record.province_code else None
    values["region"] = record.region
    entry = existing.get(record.reference)
    if entry is None:
        CalendarEntry.objects.create(reference=record.reference, **values)
        report.created += 1
        return
    if entry.edited_at is not None:
        report.kept_edited += 1
        return
    changed = [name for name, value in values.items() if getattr(entry, name) != value]
    if not changed:
        report.unchanged += 1
        return
    for name in changed:
        setattr(entry, name, values[name])
    entry.save(update_fields=changed)
    report.updated += 1
