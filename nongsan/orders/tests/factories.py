"""Buyers, listings on sale and placed orders for tests, made through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from nongsan.accounts.models import User
from nongsan.catalog.models import Listing
from nongsan.catalog.tests.factories import listing, selling_household
from nongsan.geo.models import AdministrativeUnit
from nongsan.orders import services
from nongsan.orders.models import Checkout, Order, OrderEvent
from nongsan.producers.models import Household
from nongsan.producers.tests.factories import current_commune, make_user


def buyer(**fields: Any) -> User:
    return make_user(**fields)


def on_sale(commune: AdministrativeUnit | None = None, **fields: Any) -> Listing:
    """A published listing of a household that agreed to sell on the marketplace."""
    seller = fields.pop("seller", None) or selling_household(commune)
    return listing(seller, publish=True, **fields)


def place(
    who: User | None,
    *lines: tuple[Listing, int | str | Decimal],
    payment_method: str = "cod",
    now: datetime.datetime | None = None,
    phone: str = "0987654321",
    shipping_service: str | None = None,
) -> Checkout:
    return services.checkout_place(
        buyer=who,
        lines=[
            services.CheckoutLine(listing_id=row.pk, quantity=Decimal(str(quantity)))
            for row, quantity in lines
        ],
        buyer_name="Trần Thị Mua",
        buyer_phone=who.phone if who is not None else phone,
        delivery_address="Số 5, thôn Đông",
        delivery_commune=current_commune("79"),
        payment_method=payment_method,
        shipping_service=shipping_service,
        now=now,
    )


def last_event(order: Order) -> OrderEvent:
    event = order.events.last()
    assert event is not None  # noqa: S101 - a placed order has its first event
    return event


def seller_household(order: Order) -> Household:
    assert order.household is not None  # noqa: S101 - tests sell as households
    return order.household


def placed_order(
    row: Listing | None = None, quantity: int = 2, who: User | None = None, **kwargs: Any
) -> Order:
    row = row or on_sale()
    who = who or buyer()
    return place(who, (row, quantity), **kwargs).orders.get()


def postal_staff(*units: AdministrativeUnit) -> User:
    """A carrier's staff member: ``orders.handle_delivery`` and a postal area (postal-staff
    grants on ``units``; by default the commune test orders are delivered to)."""
    from django.contrib.auth.models import Permission

    from nongsan.accounts.models import AssistantKind, Role
    from nongsan.accounts.tests.factories import grant

    person = make_user()
    person.user_permissions.add(Permission.objects.get(codename="handle_delivery"))
    for unit in units or (current_commune("79"),):
        grant(person, Role.ASSISTANT, unit, assistant_kind=AssistantKind.POSTAL_STAFF)
    return type(person).objects.get(pk=person.pk)
