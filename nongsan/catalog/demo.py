"""Demo listings for ``manage.py seed_demo``: a few per household that agreed to selling,
with price tiers for some, lots for those on sale. Written in batches straight to the tables
(no audit entries), like the registry's demo data; the SQLite search triggers still index
them. Deterministic for a given ``rng`` and day."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from nongsan.catalog.folding import search_text
from nongsan.catalog.models import (
    Listing,
    ListingPriceTier,
    ListingStatus,
    Lot,
    ProduceType,
)
from nongsan.catalog.services import LOT_CODE_ALPHABET
from nongsan.producers.models import Household, Purpose

BATCH_SIZE = 1_000
# Typical farm-gate prices per unit in đồng, by category (demo only).
PRICE_RANGE = {
    "fruit": (15_000, 90_000),
    "vegetable": (8_000, 30_000),
    "rice_grain": (15_000, 40_000),
    "industrial": (60_000, 250_000),
    "herb_spice": (10_000, 80_000),
    "mushroom": (40_000, 200_000),
    "egg": (25_000, 45_000),
    "meat_poultry": (70_000, 250_000),
    "fish_shrimp": (60_000, 300_000),
    "processed": (30_000, 200_000),
}
DESCRIPTIONS = [
    "Hàng nhà trồng, thu hái buổi sáng, đóng thùng ngay tại vườn.",
    "Không dùng thuốc kích thích, giao qua bưu điện xã.",
    "Bán sỉ cho thương lái, có xe chở ra đầu đường.",
    "Hàng loại một, chọn kỹ từng quả.",
]


def _lot_code(rng: random.Random) -> str:
    return "D" + "".join(rng.choice(LOT_CODE_ALPHABET) for _index in range(9))


def seed_listings(
    rng: random.Random, *, max_households: int = 2_000, per_household: int = 3
) -> int:
    """Create up to ``per_household`` listings for each of (at most ``max_households``)
    households consenting to the marketplace; returns how many listings were created."""
    types = list(ProduceType.objects.filter(is_active=True).order_by("slug"))
    if not types:
        return 0
    households = list(
        Household.objects.active()
        .with_consent(Purpose.MARKETPLACE)
        .order_by("pk")
        .values_list("pk", "province_id", "commune_id", "head_name")[:max_households]
    )
    now = timezone.now()
    today = timezone.localdate(now)
    created = 0
    for start in range(0, len(households), BATCH_SIZE):
        listings: list[Listing] = []
        for pk, province_id, commune_id, _name in households[start : start + BATCH_SIZE]:
            for _index in range(rng.randint(1, per_household)):
                produce = rng.choice(types)
                low, high = PRICE_RANGE.get(produce.category, (10_000, 100_000))
                begins = today + datetime.timedelta(days=rng.randint(-30, 20))
                title = produce.name_vi
                description = rng.choice(DESCRIPTIONS)
                status = rng.choices(
                    [ListingStatus.ACTIVE, ListingStatus.DRAFT, ListingStatus.PAUSED], [8, 1, 1]
                )[0]
                listings.append(
                    Listing(
                        household_id=pk,
                        province_id=province_id,
                        commune_id=commune_id,
                        produce_type=produce,
                        title=title,
                        description=description,
                        title_folded=search_text(title),
                        produce_folded=produce.search_folded,
                        description_folded=search_text(description),
                        search_document=search_text(title, produce.search_folded, description),
                        price_vnd=rng.randrange(low, high, 500),
                        unit=produce.unit,
                        stock_quantity=Decimal(rng.randint(20, 2_000)),
                        minimum_order_quantity=Decimal(rng.choice([1, 5, 10])),
                        available_from=begins,
                        available_until=begins + datetime.timedelta(days=rng.randint(20, 90)),
                        status=status,
                        published_at=None if status == ListingStatus.DRAFT else now,
                        created_at=now,
                        updated_at=now,
                    )
                )
        with transaction.atomic():
            Listing.objects.bulk_create(listings, batch_size=BATCH_SIZE)
            ListingPriceTier.objects.bulk_create(
                (
                    ListingPriceTier(
                        listing=listing,
                        min_quantity=Decimal(100),
                        price_vnd=listing.price_vnd * 9 // 10,
                        province_id=listing.province_id,
                        commune_id=listing.commune_id,
                    )
                    for listing in listings
                    if rng.random() < 0.3
                ),
                batch_size=BATCH_SIZE,
            )
            Lot.objects.bulk_create(
                (
                    Lot(
                        code=_lot_code(rng),
                        listing=listing,
                        harvested_on=min(today, listing.available_from),
                        quantity=listing.stock_quantity,
                        unit=listing.unit,
                        province_id=listing.province_id,
                        commune_id=listing.commune_id,
                        created_at=now,
                    )
                    for listing in listings
                    if listing.status == ListingStatus.ACTIVE
                ),
                batch_size=BATCH_SIZE,
                ignore_conflicts=True,
            )
        created += len(listings)
    return created


__all__ = ["seed_listings"]
