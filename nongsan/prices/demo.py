"""Demo prices for ``manage.py seed_demo``: the shipped reference reports, and a month of
daily farm-gate reports for produce in season in a few provinces, around a price that drifts
from day to day. Reports are written in one batch (no audit entries, like the other apps'
demo data), then the daily statistics are computed once. Deterministic for a given ``rng``
and day."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from nongsan.catalog.models import ProduceType
from nongsan.geo.models import AdministrativeUnit
from nongsan.prices.loading import PriceLoadReport, reference_prices_load
from nongsan.prices.models import PriceKind, PriceReport, ReportSource
from nongsan.prices.services import daily_statistics_refresh

# Produce, provinces (current codes) and a typical farm-gate price in đồng/kg (demo only).
SERIES = [
    ("vai-thieu", ("24", "31"), 35_000),
    ("nhan", ("33", "14"), 40_000),
    ("thanh-long-ruot-do", ("80", "68"), 25_000),
    ("sau-rieng", ("66", "82"), 80_000),
    ("dua-hau", ("80", "51"), 8_000),
]
DAYS = 30


def seed_reference_prices() -> PriceLoadReport:
    return reference_prices_load()


def seed_prices(rng: random.Random) -> int:
    """A month of reports for each demo series; returns how many were created (none when
    demo reports exist already)."""
    if PriceReport.objects.filter(source=ReportSource.IMPORTED).exists():
        return 0
    today = timezone.localdate()
    types = {produce.slug: produce for produce in ProduceType.objects.all()}
    provinces = {
        unit.code: unit for unit in AdministrativeUnit.objects.current().filter(level="province")
    }
    reports = []
    for slug, codes, base in SERIES:
        if slug not in types:
            continue
        for code in codes:
            price = base
            for offset in range(DAYS, 0, -1):
                day = today - datetime.timedelta(days=offset)
                price = max(2_000, int(price * rng.uniform(0.95, 1.05)) // 500 * 500)
                for _report in range(rng.randint(2, 4)):
                    reports.append(
                        PriceReport(
                            produce_type=types[slug],
                            province=provinces[code],
                            market_name="",
                            kind=PriceKind.FARM_GATE,
                            price_vnd=max(500, price + rng.choice([-1_000, 0, 0, 500, 1_000])),
                            reported_on=day,
                            source=ReportSource.IMPORTED,
                        )
                    )
    with transaction.atomic():
        PriceReport.objects.bulk_create(reports, batch_size=1_000)
        daily_statistics_refresh(
            days=[today - datetime.timedelta(days=offset) for offset in range(1, DAYS + 1)]
        )
    return len(reports)
