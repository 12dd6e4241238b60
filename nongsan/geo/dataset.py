"""The project's own compact administrative-unit files (nongsan/geo/data/).

Two CSV files, derived from the official tables by ``manage.py import_admin_units`` and
loaded by ``manage.py load_admin_units``, so that a fresh clone needs nothing outside the
repository: ``units.csv`` (one row per unit and validity) and ``successions.csv`` (the 2025
crosswalk). Later changes to the map live in ``changes.json``, applied through services.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import asdict, dataclass, fields
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
UNITS_FILE = "units.csv"
SUCCESSIONS_FILE = "successions.csv"
CHANGES_FILE = "changes.json"


@dataclass(frozen=True)
class UnitRecord:
    level: str
    code: str
    unit_type: str
    name: str
    english_name: str
    parent_code: str
    valid_from: datetime.date | None
    valid_until: datetime.date | None


@dataclass(frozen=True)
class SuccessionRecord:
    predecessor_level: str
    predecessor_code: str
    successor_level: str
    successor_code: str
    kind: str
    is_partial: bool
    note: str


@dataclass
class Dataset:
    units: list[UnitRecord]
    successions: list[SuccessionRecord]


def _to_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def write_dataset(dataset: Dataset, folder: Path) -> None:
    """Write the dataset as UTF-8 CSV with a header row and LF line endings."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, records, record_type in (
        (UNITS_FILE, dataset.units, UnitRecord),
        (SUCCESSIONS_FILE, dataset.successions, SuccessionRecord),
    ):
        columns = [column.name for column in fields(record_type)]
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            for record in records:
                values = asdict(record)
                writer.writerow([_to_text(values[column]) for column in columns])


def read_dataset(folder: Path = DATA_DIR) -> Dataset:
    """Read the files written by :func:`write_dataset`."""
    with (folder / UNITS_FILE).open(encoding="utf-8", newline="") as handle:
        units = [
            UnitRecord(
                level=row["level"],
                code=row["code"],
                unit_type=row["unit_type"],
                name=row["name"],
                english_name=row["english_name"],
                parent_code=row["parent_code"],
                valid_from=_date(row["valid_from"]),
                valid_until=_date(row["valid_until"]),
            )
            for row in csv.DictReader(handle)
        ]
    with (folder / SUCCESSIONS_FILE).open(encoding="utf-8", newline="") as handle:
        successions = [
            SuccessionRecord(
                predecessor_level=row["predecessor_level"],
                predecessor_code=row["predecessor_code"],
                successor_level=row["successor_level"],
                successor_code=row["successor_code"],
                kind=row["kind"],
                is_partial=row["is_partial"] == "1",
                note=row["note"],
            )
            for row in csv.DictReader(handle)
        ]
    return Dataset(units=units, successions=successions)
