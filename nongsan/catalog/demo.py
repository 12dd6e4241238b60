"""Demo listings for ``manage.py seed_demo``: a few per household that agreed to selling,
with price tiers for some, lots for those on sale. Written in batches straight to the tables
(no audit entries), like the registry's demo data; the SQLite search triggers still index
them. Deterministic for a given ``rng`` and day."""

from __future__ import annotations

import datetime
import functools
import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

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
from nongsan.catalog.search_rows import search_rows_rebuild
from nongsan.catalog.services import LOT_CODE_ALPHABET
from nongsan.common.bulk_insert import insert_values
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


TITLE_QUALIFIERS = ["", "", "", " loại 1", " sạch", " nhà vườn", " VietGAP", " mới thu hoạch"]


def _lot_codes(start: int) -> Iterator[str]:
    """Demo lot codes ``D`` + nine letters of the lot alphabet, counting from ``start``: unique
    without asking the database, and never like the random ``L…`` codes of real lots."""
    base = len(LOT_CODE_ALPHABET)
    number = start
    while True:
        digits, rest = [], number
        for _position in range(9):
            rest, digit = divmod(rest, base)
            digits.append(LOT_CODE_ALPHABET[digit])
        yield "D" + "".join(reversed(digits))
        number += 1


def seed_listings(
    rng: random.Random,
    *,
    max_households: int = 2_000,
    per_household: int = 3,
    total: int | None = None,
) -> int:
    """Listings of households consenting to the marketplace; returns how many were created.

    Each of (at most ``max_households``) households gets 1 to ``per_household`` listings, or,
    with ``total``, the households share exactly ``total`` listings (a million for the large
    demo). Rows go straight to the tables in batches (``insert_values``), then the search
    rows are rebuilt for them once."""
    types = list(
        ProduceType.objects.filter(is_active=True)
        .order_by("slug")
        .values_list("pk", "category", "name_vi", "search_folded", "unit")
    )
    if not types:
        return 0
    households = list(
        Household.objects.active()
        .with_consent(Purpose.MARKETPLACE)
        .order_by("pk")
        .values_list("pk", "province_id", "commune_id")[:max_households]
    )
    if not households:
        return 0
    now = timezone.now()
    today = timezone.localdate(now)
    first_id = (Listing.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    lot_codes = _lot_codes(Lot.objects.filter(code__startswith="D").count())
    folded = functools.lru_cache(maxsize=4096)(search_text)
    share, extra = divmod(total, len(households)) if total is not None else (0, 0)
    created = 0
    for start in range(0, len(households), BATCH_SIZE):
        rows: list[dict[str, Any]] = []
        for index, (pk, province_id, commune_id) in enumerate(
            households[start : start + BATCH_SIZE], start=start
        ):
            if total is None:
                count = rng.randint(1, per_household)
            else:
                count = share + (1 if index < extra else 0)
            for _index in range(count):
                type_id, category, name, produce_folded, unit = rng.choice(types)
                low, high = PRICE_RANGE.get(category, (10_000, 100_000))
                begins = today + datetime.timedelta(days=rng.randint(-30, 20))
                title = name + rng.choice(TITLE_QUALIFIERS)
                description = rng.choice(DESCRIPTIONS)
                status = rng.choices(
                    [ListingStatus.ACTIVE, ListingStatus.DRAFT, ListingStatus.PAUSED], [8, 1, 1]
                )[0]
                title_folded, description_folded = folded(title), folded(description)
                rows.append(
                    {
                        "household_id": pk,
                        "province_id": province_id,
                        "commune_id": commune_id,
                        "produce_type_id": type_id,
                        "title": title,
                        "description": description,
                        "title_folded": title_folded,
                        "produce_folded": produce_folded,
                        "description_folded": description_folded,
                        "search_document": folded(f"{title} {produce_folded} {description}"),
                        "price_vnd": rng.randrange(low, high, 500),
                        "unit": unit,
                        "stock_quantity": Decimal(rng.randint(20, 2_000)),
                        "minimum_order_quantity": Decimal(rng.choice([1, 5, 10])),
                        "available_from": begins,
                        "available_until": begins + datetime.timedelta(days=rng.randint(20, 90)),
                        "status": status,
                        "published_at": None if status == ListingStatus.DRAFT else now,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
        if not rows:
            continue
        with transaction.atomic():
            keys = insert_values(Listing, rows)
            tiers = []
            lots = []
            for key, row in zip(keys, rows, strict=True):
                scope = {"province_id": row["province_id"], "commune_id": row["commune_id"]}
                if rng.random() < 0.3:
                    tiers.append(
                        {
                            "listing_id": key,
                            "min_quantity": Decimal(100),
                            "price_vnd": row["price_vnd"] * 9 // 10,
                            **scope,
                        }
                    )
                if row["status"] == ListingStatus.ACTIVE:
                    lots.append(
                        {
                            "code": next(lot_codes),
                            "listing_id": key,
                            "harvested_on": min(today, row["available_from"]),
                            "quantity": row["stock_quantity"],
                            "unit": row["unit"],
                            "created_at": now,
                            **scope,
                        }
                    )
            insert_values(ListingPriceTier, tiers)
            insert_values(Lot, lots)
        created += len(rows)
    search_rows_rebuild(first_id=first_id)
    return created


__all__ = ["seed_listings"]
