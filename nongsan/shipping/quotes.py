"""What delivery would cost before anything is paid: for each seller of a cart, every service
quoted (carrier, zone, weight, price, days) or refused with the Vietnamese reason (no weight
for produce sold by count, slower than the produce keeps, no rate for that weight)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from nongsan.catalog.models import Listing
from nongsan.geo.models import AdministrativeUnit
from nongsan.shipping.models import Service, Zone
from nongsan.shipping.services import Quote, parcel_weight_grams, shipping_quote
from nongsan.shipping.zones import zone_between


@dataclass(frozen=True)
class ServiceOption:
    service: str
    label: str
    quote: Quote | None
    refusal: str = ""


@dataclass
class SellerQuote:
    """One seller's parcel: its key (``("household", pk)`` or ``("cooperative", pk)``)."""

    key: tuple[str, int]
    seller: Any
    zone: str
    zone_label: str
    weight_grams: int | None
    options: list[ServiceOption] = field(default_factory=list)
    refusal: str = ""
    selected: str = ""  # the service the form shows as chosen

    @property
    def weight_kg(self) -> Decimal | None:
        return None if self.weight_grams is None else Decimal(self.weight_grams) / 1000

    @property
    def seller_kind(self) -> str:
        return self.key[0]

    @property
    def seller_id(self) -> int:
        return self.key[1]

    @property
    def field_name(self) -> str:
        return f"shipping_{self.key[0]}_{self.key[1]}"

    @property
    def cheapest(self) -> ServiceOption | None:
        quoted = [option for option in self.options if option.quote is not None]
        return min(quoted, key=lambda option: option.quote.price_vnd) if quoted else None  # type: ignore[union-attr]


def seller_key_of(listing: Listing) -> tuple[str, int]:
    if listing.household_id is not None:
        return ("household", listing.household_id)
    assert listing.cooperative_id is not None  # noqa: S101 - a listing has one seller
    return ("cooperative", listing.cooperative_id)


def checkout_quotes(
    *, lines: Sequence[tuple[int, Decimal]], to_commune: AdministrativeUnit
) -> list[SellerQuote]:
    """Quote each seller's share of ``lines`` (listing id, quantity) to ``to_commune``."""
    wanted: dict[int, Decimal] = {}
    for listing_id, quantity in lines:
        wanted[listing_id] = wanted.get(listing_id, Decimal(0)) + quantity
    listings = (
        Listing.objects.filter(pk__in=sorted(wanted))
        .select_related("produce_type", "commune__province", "household", "cooperative")
        .order_by("pk")
    )
    groups: dict[tuple[str, int], list[Listing]] = {}
    for listing in listings:
        groups.setdefault(seller_key_of(listing), []).append(listing)
    assert to_commune.province is not None  # noqa: S101 - a current commune has a province
    answer = []
    for key, rows in groups.items():
        origin = rows[0].commune
        assert origin.province is not None  # noqa: S101
        zone = zone_between(
            from_province=origin.province.code,
            from_commune=origin.code,
            to_province=to_commune.province.code,
            to_commune=to_commune.code,
        )
        seller_quote = SellerQuote(
            key=key,
            seller=rows[0].household or rows[0].cooperative,
            zone=zone,
            zone_label=str(Zone(zone).label),
            weight_grams=None,
        )
        try:
            seller_quote.weight_grams = parcel_weight_grams(
                (wanted[row.pk], row.unit) for row in rows
            )
        except ValidationError as error:
            seller_quote.refusal = " ".join(error.messages)
            answer.append(seller_quote)
            continue
        shelf_lives = [
            row.produce_type.shelf_life_days
            for row in rows
            if row.produce_type.shelf_life_days is not None
        ]
        for service in Service:
            try:
                quote = shipping_quote(
                    from_commune=origin,
                    to_commune=to_commune,
                    weight_grams=seller_quote.weight_grams,
                    service=service.value,
                    shelf_life_days=min(shelf_lives) if shelf_lives else None,
                )
            except ValidationError as error:
                seller_quote.options.append(
                    ServiceOption(service.value, str(service.label), None, " ".join(error.messages))
                )
            else:
                seller_quote.options.append(ServiceOption(service.value, str(service.label), quote))
        answer.append(seller_quote)
    return answer
