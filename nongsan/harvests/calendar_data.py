"""Derive the harvest calendar's project file from the reference crop calendar.

``../shared/data/crops/crop_calendar.csv`` writes dates as ``MM-DD``, ``MM``, ``MM-early``,
``MM-mid``, ``MM-late`` or a lunar ``L03-early``, numbers with ``~``/``>`` or as ranges, and
places as its sources did. This module turns each row into one :class:`CalendarRecord` per
place it applies to (a current province, or a region, or the whole country) and reports
every row it could not map or had to interpret — nothing is silently guessed. The records
are written to ``nongsan/harvests/data/crop_calendar.csv``, which ``load_crop_calendar``
loads without ``../shared``.

A bound is stored as a month and a day: a day the source gave is kept; "early" is 1–10,
"mid" 11–20, "late" 21 to the month's end, a bare month its whole length. A start bound takes
the first day of its span, an end bound the last (31 means "the month's last day").
"""

from __future__ import annotations

import csv
import re
from dataclasses import asdict, dataclass, fields
from decimal import Decimal
from pathlib import Path

from nongsan.harvests.sources import place_parse, produce_slug

DATA_DIR = Path(__file__).resolve().parent / "data"
CALENDAR_FILE = "crop_calendar.csv"
SOURCE_FILE = "crop_calendar.csv"

_BOUND = re.compile(r"^(?P<lunar>L)?(?P<month>\d{1,2})(?:-(?P<rest>\d{1,2}|early|mid|late))?$")
_NUMBER = re.compile(r"^[~>]?\s*(?P<low>\d+(?:\.\d+)?)(?:\s*-\s*(?P<high>\d+(?:\.\d+)?))?")
_SPANS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}


@dataclass(frozen=True)
class CalendarRecord:
    reference: str
    produce_slug: str
    province_code: str
    region: str
    place_detail: str
    season_name: str
    plant_from_month: int | None
    plant_from_day: int | None
    plant_until_month: int | None
    plant_until_day: int | None
    harvest_from_month: int | None
    harvest_from_day: int | None
    harvest_until_month: int | None
    harvest_until_day: int | None
    is_lunar: bool
    maturity_days_min: int | None
    maturity_days_max: int | None
    yield_tonnes_per_ha: Decimal | None
    source_year: int | None


@dataclass(frozen=True)
class Finding:
    line: int
    kind: str
    message: str

    def __str__(self) -> str:
        return f"dòng / line {self.line}: [{self.kind}] {self.message}"


@dataclass
class Derivation:
    records: list[CalendarRecord]
    findings: list[Finding]

    def unmapped_produce(self) -> list[str]:
        return sorted({f.message for f in self.findings if f.kind == "produce-unmapped"})


def parse_bound(text: str, *, is_end: bool) -> tuple[int | None, int | None, bool]:
    """(month, day, is_lunar) of a bound such as ``11-mid``, ``05-25``, ``06`` or ``L03-early``.

    Raises ValueError for anything else.
    """
    text = text.strip()
    if not text:
        return None, None, False
    match = _BOUND.fullmatch(text)
    if match is None:
        raise ValueError(text)
    month = int(match["month"])
    rest = match["rest"]
    if not 1 <= month <= 12:
        raise ValueError(text)
    if rest is None:
        day = 31 if is_end else 1
    elif rest in _SPANS:
        day = _SPANS[rest][1 if is_end else 0]
    else:
        day = int(rest)
        if not 1 <= day <= 31:
            raise ValueError(text)
    return month, day, bool(match["lunar"])


def parse_number(text: str) -> tuple[Decimal, Decimal] | None:
    """The first number or range ``a-b`` of a figure such as ``~30`` or ``10-20 (Hòa Lộc)``."""
    match = _NUMBER.match(text.strip())
    if match is None:
        return None
    low = Decimal(match["low"])
    high = Decimal(match["high"]) if match["high"] else low
    return low, high


def derive_calendar(folder: Path) -> Derivation:
    """Read ``crop_calendar.csv`` in ``folder`` into records and findings."""
    records: list[CalendarRecord] = []
    findings: list[Finding] = []
    with (folder / SOURCE_FILE).open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            _derive_row(line, row, records, findings)
    return Derivation(records=records, findings=findings)


def _derive_row(
    line: int, row: dict[str, str], records: list[CalendarRecord], findings: list[Finding]
) -> None:
    slug = produce_slug(row["crop_vi"])
    if not slug:
        findings.append(Finding(line, "produce-unmapped", row["crop_vi"]))
        return
    place = place_parse(row["region_or_province"])
    if place is None:
        findings.append(Finding(line, "place-unmapped", row["region_or_province"]))
        return
    bounds: list[tuple[int | None, int | None]] = []
    lunar = False
    for column, is_end in (
        ("plant_or_flower_start", False),
        ("plant_end", True),
        ("harvest_start", False),
        ("harvest_end", True),
    ):
        try:
            month, day, is_lunar = parse_bound(row[column], is_end=is_end)
        except ValueError:
            findings.append(Finding(line, "date-unreadable", f"{column}={row[column]!r}"))
            return
        bounds.append((month, day))
        lunar = lunar or is_lunar
    if lunar:
        findings.append(
            Finding(line, "lunar", "tháng âm lịch giữ nguyên, không đưa vào lịch dương theo tháng")
        )
    if bounds[2][0] is None and bounds[3][0] is None:
        findings.append(Finding(line, "no-harvest-window", row["crop_vi"]))
    elif bounds[2][0] is None or bounds[3][0] is None:
        findings.append(Finding(line, "half-harvest-window", "chỉ có một đầu của mùa thu hoạch"))
    maturity = parse_number(row["days_to_maturity"]) if row["days_to_maturity"] else None
    yield_range = parse_number(row["yield_t_per_ha"]) if row["yield_t_per_ha"] else None
    yield_value = None
    if yield_range is not None:
        low, high = yield_range
        yield_value = ((low + high) / 2).quantize(Decimal("0.01"))
        if low != high or row["yield_t_per_ha"].strip() != str(low):
            findings.append(
                Finding(line, "yield-interpreted", f"{row['yield_t_per_ha']!r} → {yield_value}")
            )
    targets: list[tuple[str, str]] = (
        [(code, "") for code in place.province_codes]
        if place.province_codes
        else [("", place.region)]
    )
    year = row["year"].strip()
    for code, region in targets:
        records.append(
            CalendarRecord(
                reference=f"{line}-{code or region or 'vn'}",
                produce_slug=slug,
                province_code=code,
                region=region,
                place_detail=place.detail,
                season_name=row["season_name"].strip(),
                plant_from_month=bounds[0][0],
                plant_from_day=bounds[0][1],
                plant_until_month=bounds[1][0],
                plant_until_day=bounds[1][1],
                harvest_from_month=bounds[2][0],
                harvest_from_day=bounds[2][1],
                harvest_until_month=bounds[3][0],
                harvest_until_day=bounds[3][1],
                is_lunar=lunar,
                maturity_days_min=int(maturity[0]) if maturity else None,
                maturity_days_max=int(maturity[1]) if maturity else None,
                yield_tonnes_per_ha=yield_value,
                source_year=int(year) if year.isdigit() else None,
            )
        )


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def write_calendar(records: list[CalendarRecord], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    columns = [column.name for column in fields(CalendarRecord)]
    with (folder / CALENDAR_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for record in records:
            values = asdict(record)
            writer.writerow([_text(values[column]) for column in columns])


def _int(text: str) -> int | None:
    return int(text) if text else None


def read_calendar(folder: Path = DATA_DIR) -> list[CalendarRecord]:
    with (folder / CALENDAR_FILE).open(encoding="utf-8", newline="") as handle:
        return [
            CalendarRecord(
                reference=row["reference"],
                produce_slug=row["produce_slug"],
                province_code=row["province_code"],
                region=row["region"],
                place_detail=row["place_detail"],
                season_name=row["season_name"],
                plant_from_month=_int(row["plant_from_month"]),
                plant_from_day=_int(row["plant_from_day"]),
                plant_until_month=_int(row["plant_until_month"]),
                plant_until_day=_int(row["plant_until_day"]),
                harvest_from_month=_int(row["harvest_from_month"]),
                harvest_from_day=_int(row["harvest_from_day"]),
                harvest_until_month=_int(row["harvest_until_month"]),
                harvest_until_day=_int(row["harvest_until_day"]),
                is_lunar=row["is_lunar"] == "1",
                maturity_days_min=_int(row["maturity_days_min"]),
                maturity_days_max=_int(row["maturity_days_max"]),
                yield_tonnes_per_ha=(
                    Decimal(row["yield_tonnes_per_ha"]) if row["yield_tonnes_per_ha"] else None
                ),
                source_year=_int(row["source_year"]),
            )
            for row in csv.DictReader(handle)
        ]
