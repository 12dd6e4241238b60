"""Traders, buy requests, supply and offers for tests; writes go through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from nongsan.accounts.models import Role, User
from nongsan.accounts.tests.factories import grant
from nongsan.catalog.models import ProduceType
from nongsan.catalog.tests.factories import lychee, selling_household
from nongsan.geo.models import AdministrativeUnit
from nongsan.harvests.models import HarvestAnnouncement
from nongsan.harvests.tests.factories import announcement
from nongsan.producers.models import Household
from nongsan.producers.tests.factories import current_commune, make_user, province_of
from nongsan.trade import services
from nongsan.trade.models import BuyRequest, CandidateKind, Offer, SupplyOffer


def trader(**fields: Any) -> User:
    user = make_user(**fields)
    grant(user, Role.TRADER)
    return user


def today() -> datetime.date:
    return timezone.localdate()


def buy_request(
    *,
    buyer: User | None = None,
    commune: AdministrativeUnit | None = None,
    produce_types: list[Any] | None = None,
    targets: list[AdministrativeUnit] | None = None,
    **fields: Any,
) -> BuyRequest:
    commune = commune or current_commune("01")
    fields.setdefault("quantity_min_tonnes", "10")
    fields.setdefault("quantity_max_tonnes", "20")
    fields.setdefault("delivery_from", today() + datetime.timedelta(days=10))
    fields.setdefault("delivery_until", today() + datetime.timedelta(days=23))
    fields.setdefault("delivery_mode", "pickup")
    fields.setdefault("payment_terms", "cash_on_pickup")
    if targets is None and not fields.get("is_nationwide"):
        targets = [province_of(commune)]
    return services.buy_request_create(
        buyer=buyer or trader(),
        produce_types=produce_types or [lychee()],
        commune=commune,
        target_provinces=targets or [],
        **fields,
    )


def harvest(
    commune: AdministrativeUnit | None = None,
    *,
    produce_type: ProduceType | None = None,
    starts_in_days: int = 10,
    days: int = 14,
    tonnes: str = "20",
    seller: Household | None = None,
) -> HarvestAnnouncement:
    start = today() + datetime.timedelta(days=starts_in_days)
    return announcement(
        seller or selling_household(commune or current_commune("01")),
        produce_type=produce_type or lychee(),
        harvest_from=start,
        harvest_until=start + datetime.timedelta(days=days - 1),
        tonnes=tonnes,
    )


def supply_offer(seller: Household | None = None, **fields: Any) -> SupplyOffer:
    seller = seller or selling_household(current_commune("01"))
    fields.setdefault("produce_type", lychee())
    fields.setdefault("quantity_tonnes", "15")
    fields.setdefault("available_from", today() + datetime.timedelta(days=10))
    fields.setdefault("available_until", today() + datetime.timedelta(days=23))
    from nongsan.producers.tests.factories import staff_user

    return services.supply_offer_create(
        created_by=fields.pop("by", None) or staff_user(), household=seller, **fields
    )


def offer_on(
    request: BuyRequest, source: HarvestAnnouncement | SupplyOffer, **fields: Any
) -> Offer:
    kind = (
        CandidateKind.HARVEST
        if isinstance(source, HarvestAnnouncement)
        else CandidateKind.SUPPLY_OFFER
    )
    fields.setdefault("quantity_tonnes", Decimal("12"))
    fields.setdefault("price_vnd_per_kg", 30000)
    return services.offer_make(
        buyer=request.buyer,
        buy_request=request,
        candidate_kind=kind,
        candidate_source_id=source.pk,
        **fields,
    )
