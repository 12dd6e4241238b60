"""Demo orders for seed_demo: real checkouts at several points of the lifecycle."""

from __future__ import annotations

import random

import pytest

from nongsan.orders.demo import seed_orders
from nongsan.orders.models import Order, OrderStatus
from nongsan.orders.tests.factories import buyer, on_sale
from nongsan.producers.tests.factories import current_commune, staff_user

pytestmark = pytest.mark.django_db


def test_seed_orders_makes_orders_in_several_statuses_once(admin_units):
    for index in range(3):
        on_sale(current_commune("01", index), stock_quantity=100)
    buyer()
    made = seed_orders(random.Random(3), acting=staff_user())
    assert made == Order.objects.count() >= 8
    statuses = set(Order.objects.values_list("status", flat=True))
    assert {OrderStatus.PLACED, OrderStatus.COMPLETED, OrderStatus.CANCELLED} <= statuses
    assert seed_orders(random.Random(3), acting=staff_user()) == 0
