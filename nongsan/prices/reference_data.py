"""Derive the price board's reference reports from ../shared/data/crops/prices.csv.

The source gives ranges (``25000-70000``), bounds (``up to 35000``, ``<25000``), dates as a
day, a month or a season, and places as old provinces, lists or regions. A range becomes two
reports of the same day (its low and its high end), so the day's minimum and maximum are the
source's and the mean is its midpoint; a bound is no observed price and is skipped; a month
is dated its first day (reported); a year or a season is skipped; a list of provinces gives
one report per current province; a region or the whole country is skipped (the board is per
province). Every skip and interpretation is reported.
"""

from __future__ import annotations

import csv
import datetime
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from nongsan.harvests.sources import place_parse, produce_slug

DATA_DIR = Path(__file__).resolve().parent / "data"
REPORTS_FILE = "price_reports.csv"
SOURCE_FILE = "prices.csv"
KINDS = {"farm-gate": "farm_gate", "wholesale": "wholesale", "retail": "retail"}
_PRICE = re.compile(r"^(?P<low>\d+)(?:-(?P<high>\d+))?$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})$")


@dataclass(frozen=True)
class ReferenceReport:
    reference: str
    produce_slug: str
    province_code: str
    market_name: str
    kind: str
    price_vnd: int
    reported_on: datetime.date


@dataclass(frozen=True)
class Finding:
    line: int
    kind: str
    message: str

    def __str__(self) -> str:
        return f"dòng / line {self.line}: [{self.kind}] {self.message}"


@dataclass
class PriceDerivation:
    reports: list[ReferenceReport]
    findings: list[Finding]


def _date(text: str, line: int, findings: list[Finding]) -> datetime.date | None:
    text = text.strip()
    if _DAY.fullmatch(text):
        return datetime.date.fromisoformat(text)
    match = _MONTH.fullmatch(text)
    if match:
        findings.append(Finding(line, "month-only", f"{text} → {text}-01"))
        return datetime.date(int(match["year"]), int(match["month"]), 1)
    findings.append(Finding(line, "date-imprecise", f"{text!r}: bỏ qua / skipped"))
    return None


def derive_prices(folder: Path) -> PriceDerivation:
    reports: list[ReferenceReport] = []
    findings: list[Finding] = []
    with (folder / SOURCE_FILE).open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            slug = produce_slug(row["crop"])
            if not slug:
                findings.append(Finding(line, "produce-unmapped", row["crop"]))
                continue
            place = place_parse(row["province"])
            if place is None or not place.province_codes:
                findings.append(Finding(line, "place-not-a-province", row["province"]))
                continue
            kind = KINDS.get(row["kind"].strip())
            if kind is None:
                findings.append(Finding(line, "kind-unknown", row["kind"]))
                continue
            price = _PRICE.fullmatch(row["price_vnd_per_kg"].strip())
            if price is None:
                findings.append(
                    Finding(line, "price-not-observed", f"{row['price_vnd_per_kg']!r}: bỏ qua")
                )
                continue
            day = _date(row["date"], line, findings)
            if day is None:
                continue
            prices = [("", int(price["low"]))]
            if price["high"]:
                prices = [("lo", int(price["low"])), ("hi", int(price["high"]))]
            for code in place.province_codes:
                for suffix, amount in prices:
                    reports.append(
                        ReferenceReport(
                            reference="-".join(filter(None, ["ref", str(line), code, suffix])),
                            produce_slug=slug,
                            province_code=code,
                            market_name=place.detail[:120],
                            kind=kind,
                            price_vnd=amount,
                            reported_on=day,
                        )
                    )
    return PriceDerivation(reports=reports, findings=findings)


def write_prices(reports: list[ReferenceReport], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    columns = [column.name for column in fields(ReferenceReport)]
    with (folder / REPORTS_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for report in reports:
            values = asdict(report)
            writer.writerow([str(values[column]) for column in columns])


def read_prices(folder: Path = DATA_DIR) -> list[ReferenceReport]:
    with (folder / REPORTS_FILE).open(encoding="utf-8", newline="") as handle:
        return [
            ReferenceReport(
                reference=row["reference"],
                produce_slug=row["produce_slug"],
                province_code=row["province_code"],
                market_name=row["market_name"],
                kind=row["kind"],
                price_vnd=int(row["price_vnd"]),
                reported_on=datetime.date.fromisoformat(row["reported_on"]),
            )
            for row in csv.DictReader(handle)
        ]
