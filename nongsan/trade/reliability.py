"""How reliable a seller has been on the marketplace: how often they confirmed the orders
they decided on, how often what they confirmed was delivered, and their buyers' ratings.

Computed from the orders app (orders, their events, reviews) with grouped queries over the few
sellers being ranked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from nongsan.orders.models import Order, OrderEvent, OrderStatus
from nongsan.orders.selectors import seller_ratings as orders_seller_ratings

# Fewer decided orders than this is no history: the seller is ranked as neutral.
MINIMUM_HISTORY = 3
NEUTRAL_SCORE = 0.6

SellerKey = tuple[str, int]  # ("household" | "cooperative", id)


@dataclass(frozen=True)
class Reliability:
    decided_orders: int = 0
    confirmation_rate: float | None = None
    delivery_rate: float | None = None
    rating: float | None = None  # mean stars out of 5, None without ratings

    @property
    def has_history(self) -> bool:
        return self.decided_orders >= MINIMUM_HISTORY

    @property
    def score(self) -> float:
        """0–1; sellers without enough history score neutral, neither rewarded nor punished."""
        parts: list[float] = []
        if self.has_history and self.confirmation_rate is not None:
            parts.append(self.confirmation_rate)
            parts.append(self.delivery_rate if self.delivery_rate is not None else NEUTRAL_SCORE)
        if self.rating is not None:
            parts.append(self.rating / 5)
        return sum(parts) / len(parts) if parts else NEUTRAL_SCORE


def seller_ratings(seller_ids: Iterable[SellerKey]) -> dict[SellerKey, float]:
    """Mean rating (1–5 stars) per seller from buyers' reviews of delivered orders; sellers
    nobody has reviewed are left out (ranked neutral on this part)."""
    return {
        key: float(rating.average)
        for key, rating in orders_seller_ratings(seller_ids).items()
        if rating.average is not None
    }


def _field(kind: str) -> str:
    return "household_id" if kind == "household" else "cooperative_id"


def seller_reliability(sellers: Iterable[SellerKey]) -> dict[SellerKey, Reliability]:
    """Reliability of each seller, from their orders: four grouped queries at most."""
    wanted = set(sellers)
    decided: dict[SellerKey, int] = {}
    confirmed: dict[SellerKey, int] = {}
    delivered: dict[SellerKey, int] = {}
    for kind in ("household", "cooperative"):
        ids = sorted(seller_id for seller_kind, seller_id in wanted if seller_kind == kind)
        if not ids:
            continue
        field = _field(kind)
        rows = (
            Order.objects.filter(**{f"{field}__in": ids})
            .exclude(status=OrderStatus.PLACED)
            .values(field)
            .annotate(count=Count("pk"))
        )
        for row in rows:
            decided[(kind, row[field])] = row["count"]
        events = (
            OrderEvent.objects.filter(
                **{f"order__{field}__in": ids},
                to_status__in=[OrderStatus.CONFIRMED, OrderStatus.DELIVERED],
            )
            .values(f"order__{field}")
            .annotate(
                confirmed=Count("order", filter=Q(to_status=OrderStatus.CONFIRMED), distinct=True),
                delivered=Count("order", filter=Q(to_status=OrderStatus.DELIVERED), distinct=True),
            )
        )
        for row in events:
            key = (kind, row[f"order__{field}"])
            confirmed[key] = row["confirmed"]
            delivered[key] = row["delivered"]
    ratings = seller_ratings(wanted)
    result: dict[SellerKey, Reliability] = {}
    for key in wanted:
        count = decided.get(key, 0)
        confirmed_count = confirmed.get(key, 0)
        result[key] = Reliability(
            decided_orders=count,
            confirmation_rate=min(1.0, confirmed_count / count) if count else None,
            delivery_rate=(
                min(1.0, delivered.get(key, 0) / confirmed_count) if confirmed_count else None
            ),
            rating=ratings.get(key),
        )
    return result
