"""The demand side of the glut warning: open orders due in a week, the sales rate of past
seasons (same ISO week of earlier years), traders' buy requests through their seam."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from nongsan.catalog.tests.factories import lychee
from nongsan.harvests import demand
from nongsan.harvests.gluts import glut_alerts_raise
from nongsan.harvests.models import GlutAlert, SalesRateBasis
from nongsan.harvests.selectors import week_starts
from nongsan.harvests.tests.factories import announcement
from nongsan.orders.models import Order, OrderStatus
from nongsan.orders.tests.factories import buyer, on_sale, place
from nongsan.producers.tests.factories import current_commune, household, province_of

pytestmark = pytest.mark.django_db
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime.date(2026, 6, 1)  # ISO 2026-W23
BEFORE = datetime.datetime(2026, 5, 28, 10, tzinfo=VIETNAM)  # the week before


def _listing(commune, **fields):
    fields.setdefault("available_from", datetime.date(2026, 5, 20))
    fields.setdefault("available_until", datetime.date(2026, 7, 30))
    return on_sale(commune, kind=lychee(), unit="kg", stock_quantity=50000, now=BEFORE, **fields)


def _order(row, kilograms: int, *, placed_at=BEFORE, status=OrderStatus.PLACED) -> Order:
    order = place(buyer(), (row, kilograms), now=BEFORE).orders.get()
    Order.objects.filter(pk=order.pk).update(placed_at=placed_at, status=status)
    return order


def _sold(row, kilograms: int, year: int, week: int = 23) -> Order:
    """A completed order placed on the Tuesday of an ISO week of an earlier year."""
    day = datetime.date.fromisocalendar(year, week, 2)
    moment = datetime.datetime(day.year, day.month, day.day, 9, tzinfo=VIETNAM)
    return _order(row, kilograms, placed_at=moment, status=OrderStatus.COMPLETED)


def _supply(commune, tonnes: str) -> None:
    announcement(household(commune), harvest_from=MONDAY,
                 harvest_until=MONDAY + datetime.timedelta(days=6), tonnes=tonnes)  # fmt: skip


def test_an_alert_is_raised_just_above_the_margin_with_orders_counted(admin_units):
    commune = current_commune("24")
    row = _listing(commune)
    _sold(row, 10_000, 2025)  # 10 t sold in W23 last year
    _order(row, 3_000)  # 3 t ordered, not yet delivered, due this week
    _order(row, 4_000, status=OrderStatus.CANCELLED)  # cancelled: no demand
    _supply(commune, "16.901")  # (10 + 3) × 1.3 = 16.9
    assert glut_alerts_raise(today=MONDAY, weeks=1) == 1
    alert = GlutAlert.objects.get()
    assert (alert.expected_tonnes, alert.demand_tonnes) == (Decimal("16.901"), Decimal("13.000"))
    assert (alert.sales_rate_tonnes, alert.sales_rate_basis) == (
        Decimal("10.000"),
        SalesRateBasis.PAST_SEASONS,
    )
    assert (alert.ordered_tonnes, alert.requested_tonnes) == (Decimal("3.000"), Decimal("0.000"))


def test_no_alert_just_below_the_margin_because_the_open_orders_count(admin_units):
    commune = current_commune("24")
    row = _listing(commune)
    _sold(row, 10_000, 2025)
    _order(row, 3_000)
    _supply(commune, "16.9")  # above 10 × 1.3 alone, not above (10 + 3) × 1.3
    assert glut_alerts_raise(today=MONDAY, weeks=1) == 0


def test_the_sales_rate_averages_the_seasons_since_the_first_sale(admin_units, settings):
    settings.GLUT_PAST_SEASONS = 3
    commune = current_commune("24")
    row = _listing(commune)
    _sold(row, 6_000, 2024)
    _sold(row, 2_000, 2025)
    _sold(row, 9_000, 2025, week=30)  # another week: not this one's rate
    pair = (lychee().pk, province_of(commune).pk)
    rates = demand.past_season_sales(week_starts(MONDAY, 2))
    # Two seasons on the platform (2024, 2025), not three: (6 + 2) / 2.
    assert rates[(*pair, 0)] == Decimal(4)
    assert (*pair, 1) not in rates


def test_week_53_compares_with_the_last_week_of_a_52_week_year(admin_units):
    """2026 has an ISO week 53 (28 December 2026 to 3 January 2027); 2025 and 2024 end with
    week 52, 2020 had a week 53 of its own."""
    assert demand.same_week_in(2025, 53) == 52
    assert demand.same_week_in(2020, 53) == 53
    assert demand.same_week_in(2025, 23) == 23
    commune = current_commune("24")
    row = on_sale(
        commune, kind=lychee(), unit="kg", stock_quantity=50_000,
        now=datetime.datetime(2025, 12, 1, 9, tzinfo=VIETNAM),
        available_from=datetime.date(2025, 12, 1), available_until=datetime.date(2026, 1, 31),
    )  # fmt: skip
    for week, kilograms in ((52, 8_000), (51, 5_000)):  # the last week of 2025, the one before
        day = datetime.date.fromisocalendar(2025, week, 2)
        moment = datetime.datetime(day.year, day.month, day.day, 9, tzinfo=VIETNAM)
        order = place(buyer(), (row, kilograms), now=moment).orders.get()
        Order.objects.filter(pk=order.pk).update(placed_at=moment, status=OrderStatus.COMPLETED)
    week_53 = datetime.date.fromisocalendar(2026, 53, 1)
    pair = (lychee().pk, province_of(commune).pk)
    rates = demand.past_season_sales([week_53])
    assert rates[(*pair, 0)] == Decimal(8)


def test_open_orders_count_in_the_week_placed_and_older_ones_in_the_first(admin_units):
    commune = current_commune("24")
    row = _listing(commune)
    _order(row, 1_500, placed_at=BEFORE - datetime.timedelta(days=3))  # still open
    _order(row, 700, placed_at=BEFORE + datetime.timedelta(days=12))  # in week 2
    _order(row, 9_000, status=OrderStatus.DELIVERED)  # delivered: no longer open
    pair = (lychee().pk, province_of(commune).pk)
    ordered = demand.open_order_tonnes(week_starts(MONDAY, 3))
    assert ordered == {(*pair, 0): Decimal("1.5"), (*pair, 1): Decimal("0.7")}


def twelve_tonnes_asked(starts, *, produce_type=None, province=None, commune=None):
    """A stand-in for the trade app: 12 t asked for every week of the Bắc Ninh lychee."""
    return {
        (lychee().pk, province_of(current_commune("24")).pk, index): Decimal(12)
        for index in range(len(starts))
    }


def test_buy_requests_come_through_their_seam(admin_units, settings):
    commune = current_commune("24")
    row = _listing(commune)
    _sold(row, 10_000, 2025)
    _supply(commune, "20")  # above 10 × 1.3, not above (10 + 12) × 1.3
    assert demand.buy_request_tonnes(week_starts(MONDAY, 1)) == {}
    settings.HARVESTS_BUY_REQUEST_TONNES = f"{__name__}.twelve_tonnes_asked"
    assert glut_alerts_raise(today=MONDAY, weeks=1) == 0
    settings.HARVESTS_BUY_REQUEST_TONNES = "nongsan.harvests.demand.no_buy_requests"
    assert glut_alerts_raise(today=MONDAY, weeks=1) == 1
    assert GlutAlert.objects.get().requested_tonnes == Decimal(0)
