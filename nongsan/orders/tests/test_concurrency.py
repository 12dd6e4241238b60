"""No overselling: real threads checking out the last units at once, on PostgreSQL.

SQLite serialises writers at ``BEGIN IMMEDIATE`` (decision 0002), so only PostgreSQL, where
transactions really run side by side, can show that the row locks are what keeps the count.
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from nongsan.catalog.models import Listing
from nongsan.geo.models import UnitLevel
from nongsan.geo.tests.factories import AdministrativeUnitFactory
from nongsan.orders import services
from nongsan.orders.models import Order, StockReservation
from nongsan.orders.tests.factories import buyer, on_sale

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _units():
    province = AdministrativeUnitFactory.create(level=UnitLevel.PROVINCE, short_name="Thử")
    return (
        AdministrativeUnitFactory.create(parent=province, short_name="Bán"),
        AdministrativeUnitFactory.create(parent=province, short_name="Mua"),
    )


def _race(lines_for_thread, threads: int) -> tuple[list[object], list[str]]:
    """Start ``threads`` checkouts together; answer the checkouts made and the refusals."""
    start = threading.Barrier(threads)
    made: list[object] = []
    refused: list[str] = []
    lock = threading.Lock()

    def worker(number: int) -> None:
        try:
            who, lines, commune = lines_for_thread(number)
            start.wait(timeout=10)
            try:
                checkout = services.checkout_place(
                    buyer=who,
                    lines=lines,
                    buyer_name="Người mua thử",
                    buyer_phone=who.phone,
                    delivery_address="Số 1",
                    delivery_commune=commune,
                    payment_method="cod",
                )
                with lock:
                    made.append(checkout.pk)
            except ValidationError as error:
                with lock:
                    refused.append(" ".join(error.messages))
        finally:
            connection.close()

    workers = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=60)
    return made, refused


def test_eight_buyers_of_the_last_five_units_make_exactly_five_orders():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are tested on PostgreSQL")
    seller_commune, buyer_commune = _units()
    row = on_sale(seller_commune, stock_quantity=5)
    buyers = [buyer() for _ in range(8)]
    line = [services.CheckoutLine(listing_id=row.pk, quantity=Decimal(1))]

    made, refused = _race(lambda n: (buyers[n], line, buyer_commune), 8)

    row.refresh_from_db()
    assert len(made) == 5
    assert len(refused) == 3
    assert all("đã hết hàng" in text for text in refused), refused
    assert row.stock_quantity == 0
    assert Order.objects.count() == 5
    assert sum(r.quantity for r in StockReservation.objects.all()) == 5


def test_fifty_buyers_of_the_last_twenty_units_make_exactly_twenty_orders():
    """The issue's own case: 50 real threads, 20 units; never negative, everyone else told."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are tested on PostgreSQL")
    seller_commune, buyer_commune = _units()
    row = on_sale(seller_commune, stock_quantity=20)
    buyers = [buyer() for _ in range(50)]
    line = [services.CheckoutLine(listing_id=row.pk, quantity=Decimal(1))]

    made, refused = _race(lambda n: (buyers[n], line, buyer_commune), 50)

    row.refresh_from_db()
    assert (len(made), len(refused)) == (20, 30)
    assert all("đã hết hàng" in text for text in refused), refused
    assert row.stock_quantity == 0
    assert Order.objects.count() == 20
    assert sum(r.quantity for r in StockReservation.objects.all()) == 20


def test_crossed_carts_lock_in_the_same_order_and_do_not_deadlock():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are tested on PostgreSQL")
    seller_commune, buyer_commune = _units()
    first = on_sale(seller_commune, stock_quantity=100)
    second = on_sale(seller_commune, stock_quantity=100)
    buyers = [buyer() for _ in range(6)]

    def lines(number: int):
        ids = [first.pk, second.pk] if number % 2 else [second.pk, first.pk]
        return (
            buyers[number],
            [services.CheckoutLine(listing_id=pk, quantity=Decimal(3)) for pk in ids],
            buyer_commune,
        )

    made, refused = _race(lines, 6)

    assert (len(made), refused) == (6, [])
    assert list(
        Listing.objects.filter(pk__in=[first.pk, second.pk]).values_list(
            "stock_quantity", flat=True
        )
    ) == [82, 82]
