"""Reads of the orders app, starting from what the person may see."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django.db.models import Count, Prefetch, QuerySet, Sum

from nongsan.orders.models import Order, OrderEvent, Review
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
            "review",
        )
        .prefetch_related(
            "items",
            "tracking_events",
            Prefetch("events", queryset=OrderEvent.objects.select_related("actor")),
        )
        .filter(pk=pk)
        .first()
    )


class Rating(NamedTuple):
    """A seller's rating: the average of the stars (one decimal, None without reviews) and how
    many reviews it comes from."""

    average: Decimal | None
    review_count: int


# ("household", id) or ("cooperative", id): the two kinds of seller an order can have.
SellerKey = tuple[str, int]


def seller_ratings(seller_ids: Iterable[SellerKey]) -> dict[SellerKey, Rating]:
    """The rating of each seller asked for, in at most two grouped queries.

    ``seller_ids`` are ``("household", pk)`` or ``("cooperative", pk)`` pairs; every pair asked
    for is in the answer, ``Rating(None, 0)`` for a seller nobody has reviewed yet. Averages are
    rounded half up to one decimal (``Decimal("4.5")``). Another kind raises ValueError.
    """
    wanted: dict[str, set[int]] = {"household": set(), "cooperative": set()}
    keys = list(seller_ids)
    for kind, pk in keys:
        if kind not in wanted:
            raise ValueError(f"unknown seller kind: {kind!r}")
        wanted[kind].add(int(pk))
    found: dict[SellerKey, Rating] = {}
    for kind, ids in wanted.items():
        if not ids:
            continue
        rows = (
            Review.objects.filter(**{f"{kind}_id__in": sorted(ids)})
            .values(f"{kind}_id")
            .annotate(total=Sum("stars"), reviews=Count("pk"))
            .order_by()
        )
        for row in rows:
            average = (Decimal(row["total"]) / row["reviews"]).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
            found[(kind, row[f"{kind}_id"])] = Rating(average, row["reviews"])
    return {(kind, int(pk)): found.get((kind, int(pk)), Rating(None, 0)) for kind, pk in keys}


def seller_key(seller: Any) -> SellerKey:
    """The key of a Household or Cooperative (or an order's or listing's seller)."""
    kind = seller._meta.model_name
    if kind not in ("household", "cooperative"):
        raise ValueError(f"not a seller: {seller!r}")
    return (kind, seller.pk)
