"""Prices derived from delivered orders: one farm-gate report per produce × province × day.

For each Vietnam day, the order lines sold by the kilogram of orders delivered that day (the
delivery step in the order's timeline) and still delivered or completed give, per produce
type and the seller's province, the goods value ÷ the kilograms, in whole đồng per kg
rounded half up (shipping is not in the goods value). Lines in other units (quả, bó, thùng…)
are skipped: a piece or a crate has no known weight, and guessing one would invent a price.

Each figure is one report with source ``orders`` and no reporter (one voice among the
others of the day), keyed ``orders:<produce>:<province>:<yyyymmdd>`` so running the day again
writes nothing new: a changed figure (an order returned since) updates the report, and a
figure with no order left is marked superseded.
"""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Sum

from nongsan.catalog.models import ProduceType, SellingUnit
from nongsan.geo.models import AdministrativeUnit
from nongsan.orders.models import OrderEvent, OrderItem, OrderStatus
from nongsan.prices.models import PriceKind, PriceReport, ReportSource
from nongsan.prices.services import NewPriceReport, daily_statistics_refresh, price_reports_write

VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
SOLD_STATUSES = (OrderStatus.DELIVERED, OrderStatus.COMPLETED)


def _reference(produce_id: int, province_id: int, day: datetime.date) -> str:
    return f"orders:{produce_id}:{province_id}:{day:%Y%m%d}"


def order_price_per_kg(goods_vnd: int, kilograms: Decimal) -> int:
    return int((Decimal(goods_vnd) / kilograms).to_integral_value(ROUND_HALF_UP))


def order_prices_record(*, day: datetime.date) -> dict[str, int]:
    """Write the day's prices from delivered orders; returns how many reports were created,
    updated and withdrawn."""
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=VIETNAM)
    end = start + datetime.timedelta(days=1)
    delivered_that_day = OrderEvent.objects.filter(
        to_status=OrderStatus.DELIVERED, occurred_at__gte=start, occurred_at__lt=end
    ).values("order_id")
    sums = (
        OrderItem.objects.filter(
            order_id__in=delivered_that_day, order__status__in=SOLD_STATUSES, unit=SellingUnit.KG
        )
        .values("listing__produce_type_id", "province_id")
        .annotate(goods_vnd=Sum("line_total_vnd"), kilograms=Sum("quantity"))
        .order_by()
    )
    figures = {
        _reference(row["listing__produce_type_id"], row["province_id"], day): (
            row["listing__produce_type_id"],
            row["province_id"],
            order_price_per_kg(row["goods_vnd"], row["kilograms"]),
        )
        for row in sums
        if row["kilograms"] and row["goods_vnd"]
    }
    counts = {"created": 0, "updated": 0, "withdrawn": 0}
    with transaction.atomic():
        existing = {
            report.source_reference: report
            for report in PriceReport.objects.filter(
                source=ReportSource.ORDERS, reported_on=day
            ).select_for_update()
        }
        produce_types = ProduceType.objects.in_bulk({key[0] for key in figures.values()})
        provinces = AdministrativeUnit.objects.in_bulk({key[1] for key in figures.values()})
        new = [
            NewPriceReport(
                produce_type=produce_types[produce_id],
                province=provinces[province_id],
                kind=PriceKind.FARM_GATE,
                price_vnd=price,
                reported_on=day,
                source=ReportSource.ORDERS,
                source_reference=reference,
            )
            for reference, (produce_id, province_id, price) in figures.items()
            if reference not in existing
        ]
        price_reports_write(user=None, reports=new)
        counts["created"] = len(new)
        changed: list[PriceReport] = []
        for reference, report in existing.items():
            figure = figures.get(reference)
            if figure is None and not report.is_superseded:
                report.is_superseded = True
                counts["withdrawn"] += 1
                changed.append(report)
            elif figure is not None and (report.price_vnd, report.is_superseded) != (
                figure[2],
                False,
            ):
                report.price_vnd, report.is_superseded = figure[2], False
                counts["updated"] += 1
                changed.append(report)
        if changed:
            PriceReport.objects.bulk_update(changed, ["price_vnd", "is_superseded"])
            daily_statistics_refresh(
                days=[day],
                produce_type_ids={report.produce_type_id for report in changed},
                province_ids={report.province_id for report in changed},
            )
    return counts


def order_prices_recent_record(*, today: datetime.date, days: int = 2) -> dict[str, int]:
    """The scheduled run: the last ``days`` whole Vietnam days before ``today`` (a day is
    recorded again the next night, so a delivery entered late still counts)."""
    totals = {"created": 0, "updated": 0, "withdrawn": 0}
    for offset in range(days, 0, -1):
        for name, count in order_prices_record(day=today - datetime.timedelta(days=offset)).items():
            totals[name] += count
    return totals
