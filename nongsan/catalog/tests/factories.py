"""Produce types, sellers, listings and lots for tests; listings and lots are made through the
services so the rules hold."""

from __future__ import annotations

import datetime
import itertools
from typing import Any, cast

import factory
from django.utils import timezone

from nongsan.accounts.models import User
from nongsan.catalog import services
from nongsan.catalog.models import Listing, Lot, ProduceCategory, ProduceType
from nongsan.catalog.produce_types import produce_search_text
from nongsan.geo.models import AdministrativeUnit
from nongsan.producers.models import Cooperative, Household, Purpose
from nongsan.producers.tests.factories import (
    cooperative,
    current_commune,
    household,
    registry_consent,
    staff_user,
)

_numbers = itertools.count(1)


class ProduceTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProduceType
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"loai-{n}")
    category = ProduceCategory.FRUIT
    name_vi = factory.Sequence(lambda n: f"Loại thử {n}")
    name_en = ""
    synonyms_vi = ""
    synonyms_en = ""
    unit = "kg"
    shelf_life_days = 7
    icon = "🍎"
    search_folded = factory.LazyAttribute(
        lambda o: produce_search_text(o.name_vi, o.name_en, o.synonyms_vi, o.synonyms_en)
    )


def produce_type(**fields: Any) -> ProduceType:
    return cast(ProduceType, ProduceTypeFactory(**fields))


def lychee() -> ProduceType:
    return produce_type(
        slug="vai-thieu",
        name_vi="Vải thiều",
        name_en="Lychee",
        synonyms_vi="vải|vải Lục Ngạn",
        category=ProduceCategory.FRUIT,
        icon="🍒",
    )


def pineapple() -> ProduceType:
    return produce_type(
        slug="dua",
        name_vi="Dứa",
        name_en="Pineapple",
        synonyms_vi="thơm|khóm",
        category=ProduceCategory.FRUIT,
        unit="qua",
        icon="🍍",
    )


def selling_household(commune: AdministrativeUnit | None = None, **fields: Any) -> Household:
    """A household that agreed to the registry and to selling on the marketplace."""
    fields.setdefault("consent", registry_consent(Purpose.REGISTRY, Purpose.MARKETPLACE))
    return household(commune, **fields)


def listing(
    seller: Household | Cooperative | None = None,
    *,
    by: User | None = None,
    publish: bool = False,
    now: datetime.datetime | None = None,
    **fields: Any,
) -> Listing:
    seller = seller if seller is not None else selling_household()
    fields.setdefault("produce_type", fields.pop("kind", None) or produce_type())
    fields.setdefault("price_vnd", 45000)
    fields.setdefault("stock_quantity", 100)
    today = timezone.localdate(now)
    fields.setdefault("available_from", today - datetime.timedelta(days=5))
    fields.setdefault("available_until", today + datetime.timedelta(days=30))
    if isinstance(seller, Household):
        fields["household"] = seller
    else:
        fields["cooperative"] = seller
    user = by or staff_user()
    row = services.listing_create(created_by=user, now=now, **fields)
    if publish:
        row = services.listing_publish(published_by=user, listing=row, now=now)
    return row


def lot(row: Listing | None = None, **fields: Any) -> Lot:
    row = row or listing()
    fields.setdefault("harvested_on", timezone.localdate() - datetime.timedelta(days=1))
    fields.setdefault("quantity", 50)
    return services.lot_create(
        created_by=fields.pop("by", None) or staff_user(), listing=row, **fields
    )


__all__ = [
    "ProduceTypeFactory",
    "cooperative",
    "current_commune",
    "household",
    "listing",
    "lot",
    "lychee",
    "pineapple",
    "produce_type",
    "selling_household",
    "staff_user",
]
