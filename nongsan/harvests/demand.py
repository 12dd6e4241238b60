"""What buyers take of a produce in a province, week by week: the demand side of the glut
warning and of the forecast's coverage. Grouped queries over the orders, never a loop over
rows.

- Open orders: tonnes ordered (kg lines) and not yet delivered, cancelled, rejected or
  returned, in the week they were placed (an order is only taken on goods already
  available); one still open from an earlier week falls in the first week of the forecast,
  since its goods have yet to move.
- Sales rate of past seasons: tonnes of delivered or completed orders placed in the same ISO
  week of each of the last ``GLUT_PAST_SEASONS`` years, averaged over the years the produce
  was already sold from the province on the platform (a province that started selling last
  year is averaged over one year, not three).
- Buy requests: come from the trade app, through the function named by the setting
  ``HARVESTS_BUY_REQUEST_TONNES`` (``no_buy_requests`` until the trade app lands).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Min, Q, Sum
from django.db.models.functions import ExtractIsoYear, ExtractWeek, TruncDate
from django.utils import timezone
from django.utils.module_loading import import_string

from nongsan.catalog.models import ProduceType, SellingUnit
from nongsan.geo.models import AdministrativeUnit
from nongsan.orders.models import OrderItem, OrderStatus

# (produce type id, province id, index of the week among the forecast's weeks) → tonnes
WeeklyTonnes = dict[tuple[int, int, int], Decimal]

OPEN_ORDER_STATUSES = (
    OrderStatus.PLACED,
    OrderStatus.CONFIRMED,
    OrderStatus.PACKED,
    OrderStatus.HANDED_TO_CARRIER,
    OrderStatus.IN_TRANSIT,
)
SOLD_STATUSES = (OrderStatus.DELIVERED, OrderStatus.COMPLETED)
# Only lines sold by weight say how many tonnes left the farm.
KILOGRAM_UNITS = (SellingUnit.KG,)


def _items(
    *,
    produce_type: ProduceType | None,
    province: AdministrativeUnit | None,
    commune: AdministrativeUnit | None,
) -> Any:
    items = OrderItem.objects.filter(unit__in=KILOGRAM_UNITS)
    if produce_type is not None:
        items = items.filter(listing__produce_type=produce_type)
    if province is not None:
        items = items.filter(province=province)
    if commune is not None:
        items = items.filter(commune=commune)
    return items


def open_order_tonnes(
    starts: list[datetime.date],
    *,
    produce_type: ProduceType | None = None,
    province: AdministrativeUnit | None = None,
    commune: AdministrativeUnit | None = None,
) -> WeeklyTonnes:
    """Tonnes of open orders due in each week (see the module's note on the week)."""
    items = (
        _items(produce_type=produce_type, province=province, commune=commune)
        .filter(order__status__in=OPEN_ORDER_STATUSES)
        .annotate(due=TruncDate("order__placed_at"))
        .filter(due__lte=starts[-1] + datetime.timedelta(days=6))
    )
    aggregates = {
        f"w{index}": Sum(
            "quantity",
            filter=Q(due__lte=week + datetime.timedelta(days=6))
            & (Q() if index == 0 else Q(due__gte=week)),
        )
        for index, week in enumerate(starts)
    }
    grouped = items.values("listing__produce_type_id", "province_id").annotate(**aggregates)
    result: WeeklyTonnes = {}
    for group in grouped.order_by():
        for index in range(len(starts)):
            kilograms = group[f"w{index}"]
            if kilograms:
                key = (group["listing__produce_type_id"], group["province_id"], index)
                result[key] = Decimal(kilograms) / 1000
    return result


def same_week_in(year: int, week: int) -> int:
    """The ISO week of ``year`` that matches ``week``: week 53 is the year's last week, so in a
    year of 52 weeks it is week 52 (28 December always falls in a year's last ISO week)."""
    if week == 53 and datetime.date(year, 12, 28).isocalendar()[1] == 52:  # noqa: PLR2004
        return 52
    return week


def _fallback_weeks(wanted: list[tuple[int, int]]) -> set[int]:
    return {52 for _year, week in wanted if week == 53}  # noqa: PLR2004


def past_season_sales(
    starts: list[datetime.date],
    *,
    produce_type: ProduceType | None = None,
    province: AdministrativeUnit | None = None,
    commune: AdministrativeUnit | None = None,
) -> WeeklyTonnes:
    """Mean tonnes sold in the same ISO week of past seasons. Two grouped queries: tonnes
    sold per produce × province × ISO year × ISO week in the weeks wanted, and the first
    sale of each produce × province (the seasons before it are not averaged in)."""
    seasons = settings.GLUT_PAST_SEASONS
    wanted = [week.isocalendar()[:2] for week in starts]
    first_year = min(year for year, _week in wanted) - seasons
    last_year = max(year for year, _week in wanted) - 1
    sold = _items(produce_type=produce_type, province=province, commune=commune).filter(
        order__status__in=SOLD_STATUSES
    )
    firsts = {
        (row["listing__produce_type_id"], row["province_id"]): row["first"]
        for row in sold.values("listing__produce_type_id", "province_id")
        .annotate(first=Min("order__placed_at"))
        .order_by()
    }
    weeks = (
        sold.filter(
            order__placed_at__date__gte=datetime.date.fromisocalendar(first_year, 1, 1),
            order__placed_at__date__lt=datetime.date.fromisocalendar(last_year + 1, 1, 1),
        )
        .annotate(
            iso_year=ExtractIsoYear("order__placed_at"), iso_week=ExtractWeek("order__placed_at")
        )
        .filter(iso_week__in=sorted({week for _year, week in wanted} | _fallback_weeks(wanted)))
        .values("listing__produce_type_id", "province_id", "iso_year", "iso_week")
        .annotate(kilograms=Sum("quantity"))
        .order_by()
    )
    sold_in: dict[tuple[int, int, int, int], Decimal] = {
        (
            row["listing__produce_type_id"],
            row["province_id"],
            row["iso_year"],
            row["iso_week"],
        ): Decimal(row["kilograms"])
        for row in weeks
    }
    weekly: WeeklyTonnes = {}
    for pair, first in firsts.items():
        first_sale_year = timezone.localtime(first).isocalendar()[0]
        for index, (year, week) in enumerate(wanted):
            years = min(seasons, year - first_sale_year)
            if years <= 0:
                continue
            total = sum(
                (
                    sold_in.get((*pair, year - back, same_week_in(year - back, week)), Decimal(0))
                    for back in range(1, years + 1)
                ),
                Decimal(0),
            )
            if total:
                weekly[(*pair, index)] = total / years / 1000
    return weekly


def no_buy_requests(
    starts: list[datetime.date],
    *,
    produce_type: ProduceType | None = None,
    province: AdministrativeUnit | None = None,
    commune: AdministrativeUnit | None = None,
) -> WeeklyTonnes:
    """Buy requests: wired when the trade app lands. Until then no trader's request counts
    (an empty answer, never a guess). The trade app provides a function of this signature
    and ``HARVESTS_BUY_REQUEST_TONNES`` names it."""
    return {}


def buy_request_tonnes(
    starts: list[datetime.date],
    *,
    produce_type: ProduceType | None = None,
    province: AdministrativeUnit | None = None,
    commune: AdministrativeUnit | None = None,
) -> WeeklyTonnes:
    """Tonnes traders asked for in each week, from the function the setting names."""
    source: Callable[..., WeeklyTonnes] = import_string(settings.HARVESTS_BUY_REQUEST_TONNES)
    return source(starts, produce_type=produce_type, province=province, commune=commune)
