"""Reads of trade: the lists pages and the API show, and the open demand the portal's glut
alerts weigh forecast supply against."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Greatest, Least
from django.utils import timezone

from nongsan.harvests.models import OPEN_STATUSES, HarvestAnnouncement
from nongsan.trade.candidates import candidates_unsaved
from nongsan.trade.matching import DemandMatch, supply_request_matches_many
from nongsan.trade.models import (
    BuyRequest,
    BuyRequestProduce,
    CandidateKind,
    Deal,
    DemandSlot,
    Offer,
    SupplyCandidate,
    SupplyOffer,
)
from nongsan.trade.permissions import (
    household_side,
    seller_side,
    visible_buy_requests,
    visible_deals,
    visible_offers,
    visible_supply_offers,
)


def buy_request_list(
    user: Any, *, mine: bool = False, status: str | None = None
) -> QuerySet[BuyRequest]:
    requests = visible_buy_requests(user).prefetch_related(
        Prefetch(
            "buyrequestproduce_set",
            queryset=BuyRequestProduce.objects.select_related("produce_type"),
        ),
        "target_provinces",
    )
    if mine:
        requests = requests.filter(buyer=user)
    if status:
        requests = requests.filter(status=status)
    return requests


def supply_offer_list(user: Any) -> QuerySet[SupplyOffer]:
    return visible_supply_offers(user).select_related("household", "cooperative")


def offer_list(user: Any) -> QuerySet[Offer]:
    return visible_offers(user).select_related(
        "buy_request__province", "province", "previous", "household", "cooperative"
    )


def deal_list(user: Any) -> QuerySet[Deal]:
    return visible_deals(user).select_related("buy_request", "order", "province", "produce_type")


def offers_awaiting_seller(user: Any) -> QuerySet[Offer]:
    """Offers from buyers that the user answers for a seller (newest first)."""
    return (
        Offer.objects.filter(seller_side(user), from_side="buyer", status="pending")
        .select_related("buy_request", "household", "cooperative")
        .distinct()
    )


def requests_for_seller(
    user: Any, *, limit: int = 20
) -> list[tuple[HarvestAnnouncement, list[DemandMatch]]]:
    """For each open harvest announcement the user speaks for, the buy requests that suit it.

    A read only: an announcement whose candidate row is not written yet (its sync runs after
    the commit) is matched from a row built in memory, never saved here. The queries do not
    grow with the announcements."""
    announcements = list(
        HarvestAnnouncement.objects.filter(household_side(user), status__in=OPEN_STATUSES)
        .select_related("produce_type", "province")
        .order_by("harvest_from")[:10]
    )
    stored = {
        row.source_id: row
        for row in SupplyCandidate.objects.filter(
            kind=CandidateKind.HARVEST, source_id__in=[item.pk for item in announcements]
        )
    }
    missing = [item for item in announcements if item.pk not in stored]
    built = {
        row.source_id: row
        for row in candidates_unsaved(CandidateKind.HARVEST, missing, today=timezone.localdate())
    }
    pairs = [
        (item, stored.get(item.pk) or built[item.pk])
        for item in announcements
        if item.pk in stored or item.pk in built
    ]
    found = supply_request_matches_many([candidate for _item, candidate in pairs], limit=limit)
    return [(item, matches) for (item, _candidate), matches in zip(pairs, found, strict=True)]


def open_demand_tonnes(
    *,
    weeks: Iterable[datetime.date],
    produce_type_ids: Iterable[int] | None = None,
    province_ids: Iterable[int] | None = None,
) -> dict[tuple[int, int, datetime.date], Decimal]:
    """Tonnes open buy requests want per (produce type, province, ISO week's Monday).

    A request's upper quantity is spread evenly over the days of its delivery window, the
    provinces it buys in (a nationwide request counts in its delivery province) and its
    primary produce types; alternatives add nothing. The demand slots carry that share as
    ``tonnes_per_day``, so all the weeks are one grouped query with a filtered sum per week:
    Σ tonnes_per_day × the window's days inside the week. The portal's glut alerts read this
    as demand.
    """
    mondays = sorted({day - datetime.timedelta(days=day.weekday()) for day in weeks})
    if not mondays:
        return {}
    rows = DemandSlot.objects.filter(
        tonnes_per_day__gt=0,
        from_ordinal__lte=mondays[-1].toordinal() + 6,
        until_ordinal__gte=mondays[0].toordinal(),
    )
    if produce_type_ids is not None:
        rows = rows.filter(produce_type_id__in=sorted(set(produce_type_ids)))
    if province_ids is not None:
        rows = rows.filter(demand_province_id__in=sorted(set(province_ids)))
    aggregates = {}
    for index, week in enumerate(mondays):
        monday, sunday = week.toordinal(), week.toordinal() + 6
        overlap = (
            Least(F("until_ordinal"), Value(sunday))
            - Greatest(F("from_ordinal"), Value(monday))
            + Value(1)
        )
        aggregates[f"w{index}"] = Sum(
            ExpressionWrapper(
                F("tonnes_per_day") * overlap,
                output_field=DecimalField(max_digits=20, decimal_places=6),
            ),
            filter=Q(from_ordinal__lte=sunday, until_ordinal__gte=monday),
        )
    grouped = rows.values("produce_type_id", "demand_province_id").annotate(**aggregates)
    totals: dict[tuple[int, int, datetime.date], Decimal] = {}
    for row in grouped.order_by():
        for index, week in enumerate(mondays):
            tonnes = row[f"w{index}"]
            if tonnes:
                key = (row["produce_type_id"], row["demand_province_id"], week)
                totals[key] = Decimal(tonnes).quantize(Decimal("0.001"))
    return totals


def match_rows(items: Iterable[Any]) -> list[dict[str, Any]]:
    """Scored candidates as the API and pages show them: seller name and place, never a
    contact (contacts are revealed on a deal only)."""
    items = list(items)
    from nongsan.producers.models import Cooperative, Household

    households = Household.objects.in_bulk([item.row[2] for item in items if item.row[2]])
    cooperatives = Cooperative.objects.in_bulk([item.row[3] for item in items if item.row[3]])
    from nongsan.geo.models import AdministrativeUnit

    provinces = dict(
        AdministrativeUnit.objects.current()
        .filter(level="province", code__in=sorted({item.row[5] for item in items}))
        .values_list("code", "name")
    )
    rows = []
    for item in items:
        seller = households.get(item.row[2]) if item.row[2] else cooperatives.get(item.row[3])
        rows.append(
            {
                "kind": item.kind,
                "source_id": item.source_id,
                "seller": str(seller) if seller is not None else "",
                "province": provinces.get(item.row[5], item.row[5]),
                "quantity_tonnes": Decimal(item.quantity_kg) / 1000,
                "price_vnd_per_kg": item.row[9],
                "score": round(item.score, 3),
                "factors": {name: round(value, 3) for name, value in item.factors.items()},
                "reasons_vi": item.reasons_vi,
                "reasons_en": item.reasons_en,
            }
        )
    return rows


def request_matches_view(buy_request: BuyRequest, *, today: datetime.date) -> dict[str, Any]:
    """The ranked matches of a request with its bundle, ready for the API or a page."""
    from nongsan.trade.matching import request_matches

    found = request_matches(buy_request, today=today)
    bundle = None
    if found.bundle is not None:
        bundle = {
            "sellers": found.bundle.sellers,
            "total_tonnes": Decimal(found.bundle.total_kg) / 1000,
            "coverage": round(found.bundle.coverage, 3),
            "reason_vi": found.bundle.reason_vi,
            "reason_en": found.bundle.reason_en,
            "members": match_rows(found.bundle.members),
        }
    return {"considered": found.considered, "matches": match_rows(found.matches), "bundle": bundle}
