"""Reads of the catalog, starting from what the person may see."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from nongsan.catalog.folding import search_words
from nongsan.catalog.models import Listing, Lot, ProduceType
from nongsan.catalog.permissions import public_listings, sellable, visible_listings, visible_lots
from nongsan.catalog.search import MAX_QUERY_LENGTH, with_card_details
from nongsan.producers.models import Cooperative, Household, Purpose


def produce_type_list(*, query: str = "", category: str = "") -> QuerySet[ProduceType]:
    """Active produce types, those whose name begins with the query first; any of the names
    and synonyms matches, without diacritics (``thơm`` and ``khóm`` both find dứa)."""
    if len(query) > MAX_QUERY_LENGTH:
        raise ValidationError(
            {"q": [_("Từ khoá quá dài: tối đa %(limit)d ký tự.") % {"limit": MAX_QUERY_LENGTH}]}
        )
    types = ProduceType.objects.filter(is_active=True)
    if category:
        types = types.filter(category=category)
    words = search_words(query)
    for word in words:
        types = types.filter(search_folded__contains=f" {word}")
    if words:
        types = types.annotate(
            name_first=Case(
                When(search_folded__startswith=f" {words[0]}", then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("name_first", "name_vi")
    else:
        types = types.order_by("category", "name_vi")
    return types


def listing_get(*, user: Any, pk: int) -> Listing:
    """A listing the person may see (404 otherwise), with everything its page shows."""
    return get_object_or_404(with_card_details(visible_listings(user)), pk=pk)


def lot_get(*, user: Any, code: str) -> Lot:
    """A lot by its printed code, as its traceability page shows it."""
    lots = visible_lots(user).select_related(
        "listing__produce_type",
        "listing__household",
        "listing__cooperative",
        "listing__grower",
        "commune",
        "province",
    )
    return get_object_or_404(lots, code=str(code or "").strip().upper()[:32])


def households_user_sells_for(*, user: Any) -> QuerySet[Household]:
    """Households ``user`` lists produce for on the phone flow: their own and those they
    are assigned to assist, active and agreeing to selling on the marketplace."""
    assisted = Q(assistances__assistant=user, assistances__ended_at__isnull=True) | Q(
        user__assisted_by__assistant=user, user__assisted_by__ended_at__isnull=True
    )
    ids = Household.objects.filter(Q(user=user) | assisted).values("pk")
    return (
        Household.objects.active()
        .with_consent(Purpose.MARKETPLACE)
        .filter(pk__in=ids)
        .select_related("commune")
        .order_by("head_name")
    )


def produce_type_months(
    *, produce_type: ProduceType, today: datetime.date | None = None
) -> list[dict[str, Any]]:
    """For the twelve months from this one, how many published listings of the type can be
    bought then (their harvest window overlaps the month): one grouped query."""
    today = today or timezone.localdate()
    starts = []
    year, month = today.year, today.month
    for _index in range(12):
        starts.append(datetime.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    ends = [*(start - datetime.timedelta(days=1) for start in starts[1:])]
    last = starts[-1]
    ends.append(datetime.date(last.year + (last.month == 12), last.month % 12 + 1, 1)
                - datetime.timedelta(days=1))  # fmt: skip
    counts = Listing.objects.filter(
        sellable(), produce_type=produce_type, published_at__isnull=False
    ).aggregate(
        **{
            f"m{index}": Count("pk", filter=Q(available_from__lte=end, available_until__gte=start))
            for index, (start, end) in enumerate(zip(starts, ends, strict=True))
        }
    )
    return [{"start": start, "count": counts[f"m{index}"]} for index, start in enumerate(starts)]


def listings_in_season(*, limit: int = 6, today: datetime.date | None = None) -> list[Listing]:
    """Listings on sale whose harvest window includes today, newest first (the home page)."""
    today = today or timezone.localdate()
    return list(
        public_listings(today=today)
        .filter(available_from__lte=today)
        .select_related("produce_type", "province")
        .order_by("-published_at", "-pk")[:limit]
    )


def cooperatives_user_sells_for(*, user: Any) -> QuerySet[Cooperative]:
    """Active cooperatives the person manages (they list for the cooperative)."""
    if not getattr(user, "is_authenticated", False):
        return Cooperative.objects.none()
    return (
        Cooperative.objects.filter(manager=user, is_active=True)
        .select_related("commune")
        .order_by("name")
    )
