"""Load the shipped reference price reports (nongsan/prices/data) once each."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from nongsan.catalog.models import ProduceType
from nongsan.geo.models import AdministrativeUnit
from nongsan.prices.models import PriceReport, ReportSource
from nongsan.prices.reference_data import DATA_DIR, read_prices
from nongsan.prices.services import price_report_create


@dataclass
class PriceLoadReport:
    created: int = 0
    already_loaded: int = 0
    missing_produce: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"{self.created} mới / new, {self.already_loaded} đã có / already loaded"
        if self.missing_produce:
            text += ", thiếu loại sản phẩm / produce types not loaded: " + ", ".join(
                sorted(set(self.missing_produce))
            )
        return text


def reference_prices_load(folder: Path = DATA_DIR) -> PriceLoadReport:
    """Create each reference report not loaded before (keyed by its source reference)."""
    report = PriceLoadReport()
    types = {produce.slug: produce for produce in ProduceType.objects.all()}
    provinces = {
        unit.code: unit for unit in AdministrativeUnit.objects.current().filter(level="province")
    }
    loaded = set(
        PriceReport.objects.exclude(source_reference="").values_list("source_reference", flat=True)
    )
    with transaction.atomic():
        for record in read_prices(folder):
            if record.reference in loaded:
                report.already_loaded += 1
                continue
            produce = types.get(record.produce_slug)
            if produce is None:
                report.missing_produce.append(record.produce_slug)
                continue
            price_report_create(
                user=None,
                produce_type=produce,
                province=provinces[record.province_code],
                market_name=record.market_name,
                kind=record.kind,
                price_vnd=record.price_vnd,
                reported_on=record.reported_on,
                source=ReportSource.REFERENCE,
                source_reference=record.reference,
            )
            report.created += 1
    return report
