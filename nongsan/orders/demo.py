"""Demo orders for ``manage.py seed_demo``: a few buyers' checkouts moved to different points
of the lifecycle through the services (so stock, timelines and audit entries are real).
Deterministic for a given ``rng`` and database; seeded once."""

from __future__ import annotations

import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from nongsan.accounts.models import User
from nongsan.catalog.models import Listing, ListingStatus
from nongsan.common.phone import normalize_phone
from nongsan.geo.models import AdministrativeUnit
from nongsan.orders import services
from nongsan.orders.models import Order, OrderStatus

S = OrderStatus
# How far each demo order goes, in lifecycle order.
JOURNEYS: list[list[str]] = [
    [],
    [S.CONFIRMED],
    [S.CONFIRMED, S.PACKED],
    [S.CONFIRMED, S.PACKED, S.HANDED_TO_CARRIER, S.IN_TRANSIT],
    [S.CONFIRMED, S.PACKED, S.HANDED_TO_CARRIER, S.IN_TRANSIT, S.DELIVERED],
    [S.CONFIRMED, S.PACKED, S.HANDED_TO_CARRIER, S.IN_TRANSIT, S.DELIVERED, S.COMPLETED],
    [S.CANCELLED],
    [S.REJECTED],
]


def _reachable(phone: str) -> bool:
    """Whether an SMS could reach the number (some generated demo numbers cannot)."""
    try:
        normalize_phone(phone)
    except ValidationError:
        return False
    return True


def seed_orders(rng: random.Random, *, acting: User) -> int:
    """Place one demo checkout per journey (two sellers each when possible); answer how
    many orders were made. ``acting`` (the demo administrator) takes the seller's and the
    carrier's steps."""
    if Order.objects.exists():
        return 0
    listings = list(
        Listing.objects.filter(
            status=ListingStatus.ACTIVE,
            stock_quantity__gte=10,
            available_from__lte=timezone.localdate(),
            available_until__gte=timezone.localdate(),
        ).order_by("pk")[:200]
    )
    buyers = [
        user
        for user in User.objects.filter(is_staff=False).order_by("pk")[:200]
        if _reachable(user.phone)
    ][:20]
    communes = list(
        AdministrativeUnit.objects.filter(level="commune", valid_until__isnull=True).order_by(
            "code"
        )[:200]
    )
    if len(listings) < 2 or not buyers or not communes:
        return 0
    made = 0
    for journey in JOURNEYS:
        chosen = rng.sample(listings, 2)
        buyer = rng.choice(buyers)
        checkout = services.checkout_place(
            buyer=buyer,
            lines=[
                services.CheckoutLine(
                    listing_id=row.pk, quantity=max(row.minimum_order_quantity, Decimal(2))
                )
                for row in chosen
            ],
            buyer_name=buyer.full_name or "Người mua demo",
            buyer_phone=buyer.phone,
            delivery_address=f"Số {rng.randint(1, 200)}, thôn {rng.choice(['Đông', 'Tây', 'Nam'])}",
            delivery_commune=rng.choice(communes),
            payment_method="cod",
        )
        for order in checkout.orders.order_by("pk"):
            for status in journey:
                services.order_transition(order=order, to_status=status, by=acting)
            made += 1
    return made
