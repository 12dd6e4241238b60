"""The default figures provider counts this platform's own rows in the province for the
period, on hand-checked data (real units, households and orders made through the services)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured

from nongsan.onboarding.tests.factories import default_channels_ensure
from nongsan.orders.models import Order, OrderEvent, OrderStatus
from nongsan.orders.services import order_transition
from nongsan.orders.tests.factories import on_sale, placed_order
from nongsan.producers.models import Household, Purpose
from nongsan.producers.tests.factories import (
    current_commune,
    household,
    province_of,
    registry_consent,
    staff_user,
)
from nongsan.reports.figures import checked_figures, platform_unit_figures

pytestmark = pytest.mark.django_db
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
STEPS = [
    OrderStatus.CONFIRMED,
    OrderStatus.PACKED,
    OrderStatus.HANDED_TO_CARRIER,
    OrderStatus.IN_TRANSIT,
    OrderStatus.DELIVERED,
]


def _placed_at(listing, quantity: int, when: datetime.datetime) -> Order:
    order = placed_order(listing, quantity=quantity)
    Order.objects.filter(pk=order.pk).update(placed_at=when)
    return order


def _deliver(order: Order, when: datetime.datetime) -> None:
    """Delivered through the lifecycle, the delivery then dated ``when``."""
    for status in STEPS:
        order_transition(order=order, to_status=status, by=staff_user())
    OrderEvent.objects.filter(order=order, to_status=OrderStatus.DELIVERED).update(occurred_at=when)


def test_the_platform_figures_of_a_province_for_a_month(admin_units):
    default_channels_ensure()
    commune = current_commune("01")
    province = province_of(commune)
    march = datetime.datetime(2026, 3, 10, 9, tzinfo=VIETNAM)
    # Two households registered before March, one in March, one in April; one elsewhere.
    for month, purposes in [(1, ()), (2, (Purpose.MARKETPLACE,)), (3, ()), (4, ())]:
        row = household(commune, consent=registry_consent(Purpose.REGISTRY, *purposes))
        Household.objects.filter(pk=row.pk).update(created_at=march.replace(month=month))
    household(current_commune("79"))
    listing = on_sale(commune)
    first = _placed_at(listing, 2, march)
    second = _placed_at(listing, 1, march)
    _placed_at(listing, 1, march.replace(month=4))
    _deliver(first, march + datetime.timedelta(days=2))
    _deliver(second, datetime.datetime(2026, 4, 1, 0, 30, tzinfo=VIETNAM))  # April in Vietnam
    figures = {
        row["code"]: row
        for row in platform_unit_figures(
            unit=province, start=datetime.date(2026, 3, 1), end=datetime.date(2026, 3, 31)
        )
    }
    # The seller on sale registered today (after March): it is not counted.
    assert figures["households_registered"]["value"] == 3
    assert figures["households_new"]["value"] == 1
    assert figures["households_marketplace_consent"]["value"] == 1
    assert figures["orders_placed"]["value"] == 2
    assert figures["orders_delivered"]["value"] == 1
    assert figures["gross_sales_vnd"]["value"] == first.goods_vnd
    assert all(row["source"] == "platform" and row["target"] is None for row in figures.values())
    assert checked_figures(list(figures.values())) == list(figures.values())


def test_a_provider_breaking_the_contract_is_a_configuration_error():
    good = {
        "code": "x",
        "name": "X",
        "value": 1,
        "target": None,
        "progress": None,
        "source": "platform",
        "estimated": False,
    }
    assert checked_figures([good])[0]["value"] == 1
    # A rate with nothing to divide this period has no value, which is not a broken contract.
    assert checked_figures([{**good, "value": None}])[0]["value"] is None
    for broken in [
        {**good, "value": "1"},
        {**good, "value": float("nan")},
        {**good, "source": "đoán"},
        {key: value for key, value in good.items() if key != "target"},
    ]:
        with pytest.raises(ImproperlyConfigured):
            checked_figures([broken])
    with pytest.raises(ImproperlyConfigured):
        checked_figures({"not": "a list"})
