"""Traders' open buy requests count as demand in the portal's glut warning (the setting
``HARVESTS_BUY_REQUEST_TONNES`` names this app's function)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from nongsan.catalog.tests.factories import lychee
from nongsan.harvests import demand
from nongsan.harvests.gluts import glut_alerts_raise
from nongsan.harvests.models import GlutAlert
from nongsan.harvests.selectors import week_starts
from nongsan.harvests.tests.factories import announcement
from nongsan.orders.models import Order, OrderStatus
from nongsan.orders.tests.factories import buyer, on_sale, place
from nongsan.producers.tests.factories import current_commune, household, province_of
from nongsan.trade.glut_demand import weekly_buy_request_tonnes
from nongsan.trade.services import buy_request_close
from nongsan.trade.tests.factories import buy_request, today

pytestmark = pytest.mark.django_db
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def _monday() -> datetime.date:
    """The Monday three weeks ahead: a window a buy request may still ask for."""
    return today() - datetime.timedelta(days=today().weekday()) + datetime.timedelta(weeks=3)


def _sold_last_year(commune, monday: datetime.date, kilograms: int) -> None:
    """A completed order placed in the same ISO week a year earlier."""
    year, week, _day = monday.isocalendar()
    day = datetime.date.fromisocalendar(year - 1, min(week, 52), 2)
    moment = datetime.datetime(day.year, day.month, day.day, 9, tzinfo=VIETNAM)
    row = on_sale(
        commune, kind=lychee(), unit="kg", stock_quantity=50_000, now=moment,
        available_from=day - datetime.timedelta(days=5),
        available_until=day + datetime.timedelta(days=30),
    )  # fmt: skip
    order = place(buyer(), (row, kilograms), now=moment).orders.get()
    Order.objects.filter(pk=order.pk).update(placed_at=moment, status=OrderStatus.COMPLETED)


def test_the_week_index_shape_the_portal_reads(admin_units):
    commune = current_commune("24")
    monday = _monday()
    buy_request(
        commune=commune,
        produce_types=[lychee()],
        quantity_max_tonnes="14",
        delivery_from=monday,
        delivery_until=monday + datetime.timedelta(days=13),
    )
    pair = (lychee().pk, province_of(commune).pk)
    starts = week_starts(monday, 3)
    assert weekly_buy_request_tonnes(starts) == {
        (*pair, 0): Decimal("7.000"),
        (*pair, 1): Decimal("7.000"),
    }
    assert weekly_buy_request_tonnes(starts, province=province_of(current_commune("01"))) == {}
    # Requests target provinces: a commune's forecast counts none rather than guess a share.
    assert weekly_buy_request_tonnes(starts, commune=commune) == {}


def test_a_traders_request_keeps_a_harvest_within_the_margin(admin_units):
    commune = current_commune("24")
    monday = _monday()
    _sold_last_year(commune, monday, 10_000)  # 10 t moved in this week last year
    announcement(household(commune), harvest_from=monday,
                 harvest_until=monday + datetime.timedelta(days=6), tonnes="20")  # fmt: skip
    assert glut_alerts_raise(today=monday, weeks=1) == 1  # 20 > 10 × 1.3
    GlutAlert.objects.all().delete()
    request = buy_request(
        commune=commune,
        produce_types=[lychee()],
        quantity_min_tonnes="5",
        quantity_max_tonnes="7",
        delivery_from=monday,
        delivery_until=monday + datetime.timedelta(days=6),
    )
    assert demand.buy_request_tonnes(week_starts(monday, 1)) == {
        (lychee().pk, province_of(commune).pk, 0): Decimal("7.000")
    }
    assert glut_alerts_raise(today=monday, weeks=1) == 0  # 20 ≤ (10 + 7) × 1.3
    buy_request_close(buyer=request.buyer, buy_request=request)
    assert glut_alerts_raise(today=monday, weeks=1) == 1
    assert GlutAlert.objects.get().requested_tonnes == Decimal(0)
