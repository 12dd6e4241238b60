"""Keeping the flattened tables matching reads in step with their sources.

``SupplyCandidate`` holds one row per open supply offer, open harvest announcement and
active listing sold by the kg; ``DemandSlot`` one row per open buy request × produce type ×
targeted province. A source that closes loses its rows. Listings change stock through bulk
updates in the orders app (no signal), so ``candidates_rebuild`` (run daily, and by
``manage.py trade_candidates_rebuild``) re-reads them all; matching also re-checks the few
listings it shows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from nongsan.catalog.models import Listing, ListingStatus
from nongsan.harvests.models import OPEN_STATUSES, HarvestAnnouncement
from nongsan.producers.models import Certification
from nongsan.trade.models import (
    CERTIFICATION_BITS,
    BuyRequest,
    CandidateKind,
    DemandSlot,
    RequestStatus,
    SupplyCandidate,
    SupplyOffer,
    SupplyOfferStatus,
)

KG_PER_TONNE = Decimal(1000)
# Sources read, and their sellers' certificates looked up, per batch of the nightly rebuild.
REBUILD_BATCH = 2000


def kilograms(tonnes: Decimal) -> int:
    return int(tonnes * KG_PER_TONNE)


def certification_masks(
    *, household_ids: Iterable[int], cooperative_ids: Iterable[int], today: datetime.date
) -> dict[tuple[str, int], int]:
    """(``"household"`` | ``"cooperative"``, id) → bits of the certificates valid ``today``."""
    households, cooperatives = sorted(set(household_ids)), sorted(set(cooperative_ids))
    masks: dict[tuple[str, int], int] = {}
    if not households and not cooperatives:
        return masks
    valid = (Q(issued_on__isnull=True) | Q(issued_on__lte=today)) & (
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )
    rows = Certification.objects.filter(valid).filter(
        Q(household_id__in=households) | Q(cooperative_id__in=cooperatives)
    )
    for kind, household_id, cooperative_id in rows.values_list(
        "kind", "household_id", "cooperative_id"
    ):
        key = ("household", household_id) if household_id else ("cooperative", cooperative_id)
        masks[key] = masks.get(key, 0) | CERTIFICATION_BITS.get(kind, 0)
    return masks


def _masks_of(rows: Iterable[Any], today: datetime.date) -> dict[tuple[str, int], int]:
    """Certificate bits of the sellers of many sources: one query."""
    rows = list(rows)
    return certification_masks(
        household_ids=[row.household_id for row in rows if row.household_id],
        cooperative_ids=[
            row.cooperative_id for row in rows if getattr(row, "cooperative_id", None)
        ],
        today=today,
    )


def _mask_for(row: Any, masks: dict[tuple[str, int], int]) -> int:
    if row.household_id:
        return masks.get(("household", row.household_id), 0)
    return masks.get(("cooperative", row.cooperative_id), 0)


def _values_for(
    kind: str, row: Any, today: datetime.date, masks: dict[tuple[str, int], int] | None = None
) -> dict[str, Any] | None:
    """The candidate columns of an open source, or None when it no longer supplies
    (``masks``: the sellers' certificates, read for this row alone when not given)."""
    if kind == CandidateKind.SUPPLY_OFFER:
        if row.status != SupplyOfferStatus.OPEN or row.available_until < today:
            return None
        window = (row.available_from, row.available_until)
        quantity, price = kilograms(row.quantity_tonnes), row.price_vnd_per_kg
    elif kind == CandidateKind.HARVEST:
        if row.status not in OPEN_STATUSES or row.harvest_until < today:
            return None
        window = (row.harvest_from, row.harvest_until)
        quantity, price = kilograms(row.tonnes), None
    else:
        if row.status != ListingStatus.ACTIVE or row.unit != "kg" or row.stock_quantity <= 0:
            return None
        window = (row.available_from, row.available_until)
        quantity, price = int(row.stock_quantity), row.price_vnd
    return {
        "household_id": row.household_id,
        "cooperative_id": getattr(row, "cooperative_id", None),
        "produce_type_id": row.produce_type_id,
        "province_id": row.province_id,
        "commune_id": row.commune_id,
        "province_code": row.province.code,
        "from_ordinal": window[0].toordinal(),
        "until_ordinal": window[1].toordinal(),
        "quantity_kg": quantity,
        "price_vnd_per_kg": price,
        "certification_mask": _mask_for(
            row, masks if masks is not None else _masks_of([row], today)
        ),
    }


SOURCES: dict[str, Any] = {
    CandidateKind.SUPPLY_OFFER: SupplyOffer,
    CandidateKind.HARVEST: HarvestAnnouncement,
    CandidateKind.LISTING: Listing,
}


def candidate_sync(
    kind: str, source_id: int, *, today: datetime.date | None = None
) -> SupplyCandidate | None:
    """Make the candidate row of one source say what the source says now."""
    today = today or timezone.localdate()
    row = SOURCES[kind].objects.select_related("province").filter(pk=source_id).first()
    values = _values_for(kind, row, today) if row is not None else None
    with transaction.atomic():
        if values is None:
            SupplyCandidate.objects.filter(kind=kind, source_id=source_id).delete()
            return None
        candidate, _created = SupplyCandidate.objects.update_or_create(
            kind=kind, source_id=source_id, defaults=values
        )
    return candidate


def candidates_unsaved(
    kind: str, rows: Iterable[Any], *, today: datetime.date
) -> list[SupplyCandidate]:
    """The candidate rows of many sources (with ``province`` loaded), not saved: the sellers'
    certificates in one query, the rest from the sources; closed sources have none."""
    rows = list(rows)
    if not rows:
        return []
    masks = _masks_of(rows, today)
    found = []
    for row in rows:
        values = _values_for(kind, row, today, masks)
        if values is not None:
            found.append(SupplyCandidate(kind=kind, source_id=row.pk, **values))
    return found


def candidates_rebuild(*, today: datetime.date | None = None) -> int:
    """Rebuild the whole candidate table from its sources; the number of rows written."""
    today = today or timezone.localdate()
    rows: list[SupplyCandidate] = []
    sources: list[tuple[str, Any]] = [
        (
            CandidateKind.SUPPLY_OFFER,
            SupplyOffer.objects.filter(status=SupplyOfferStatus.OPEN, available_until__gte=today),
        ),
        (
            CandidateKind.HARVEST,
            HarvestAnnouncement.objects.filter(status__in=OPEN_STATUSES, harvest_until__gte=today),
        ),
        (
            CandidateKind.LISTING,
            Listing.objects.filter(status=ListingStatus.ACTIVE, unit="kg", stock_quantity__gt=0),
        ),
    ]
    with transaction.atomic():
        SupplyCandidate.objects.all().delete()
        for kind, queryset in sources:
            batch: list[Any] = []
            for row in queryset.select_related("province").iterator(chunk_size=REBUILD_BATCH):
                batch.append(row)
                if len(batch) >= REBUILD_BATCH:
                    rows.extend(candidates_unsaved(kind, batch, today=today))
                    batch = []
            rows.extend(candidates_unsaved(kind, batch, today=today))
        SupplyCandidate.objects.bulk_create(rows, batch_size=REBUILD_BATCH)
    return len(rows)


def demand_slots_sync(buy_request: BuyRequest) -> int:
    """Rewrite the request's demand slots (none once it is no longer open)."""
    with transaction.atomic():
        DemandSlot.objects.filter(buy_request=buy_request).delete()
        if buy_request.status != RequestStatus.OPEN:
            return 0
        provinces: list[int | None] = (
            [None]
            if buy_request.is_nationwide
            else list(buy_request.target_provinces.values_list("pk", flat=True))
        )
        links = list(buy_request.buyrequestproduce_set.all())
        primary_count = sum(1 for link in links if link.is_primary) or 1
        per_day = buy_request.quantity_max_tonnes / (
            primary_count * len(provinces) * buy_request.days
        )
        slots = [
            DemandSlot(
                buy_request=buy_request,
                produce_type_id=link.produce_type_id,
                province_id=province_id,
                is_primary=link.is_primary,
                from_ordinal=buy_request.delivery_from_ordinal,
                until_ordinal=buy_request.delivery_until_ordinal,
                quantity_max_kg=kilograms(buy_request.quantity_max_tonnes),
                price_max_vnd_per_kg=buy_request.price_max_vnd_per_kg,
                certification_mask=buy_request.certification_mask,
                delivery_province_code=buy_request.province.code,
                demand_province_id=province_id or buy_request.province_id,
                tonnes_per_day=per_day.quantize(Decimal("0.000001")) if link.is_primary else 0,
            )
            for link in links
            for province_id in provinces
        ]
        DemandSlot.objects.bulk_create(slots)
    return len(slots)
