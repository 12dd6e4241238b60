"""Reads of the orders app, starting from what the person may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from nongsan.orders.models import Order, OrderEvent
from nongsan.orders.permissions import visible_orders


def order_list(*, user: Any, as_seller: bool | None = None) -> QuerySet[Order]:
    """The orders ``user`` may see, newest first, with what a list shows."""
    orders = visible_orders(user)
    if as_seller is True:
        orders = orders.exclude(buyer=user)
    elif as_seller is False:
        orders = orders.filter(buyer=user)
    return orders.select_related("household", "cooperative", "delivery_commune").prefetch_related(
        "items"
    )


def order_get(*, user: Any, pk: int) -> Order | None:
    """One order with its items and timeline, or None when ``user`` may not see it."""
    return (
        visible_orders(user)
        .select_related(
            "household",
            "cooperative",
            "checkout",
            "delivery_commune",
            "delivery_province",
            "carrier",
        )
        .prefetch_related(
            "items",
            "tracking_events",
            Prefetch("events", queryset=OrderEvent.objects.select_related("actor")),
        )
        .filter(pk=pk)
        .first()
    )
