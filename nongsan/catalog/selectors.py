"""Reads of the catalog, starting from what the person may see."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from nongsan.catalog.folding import search_words
from nongsan.catalog.models import Listing, Lot, ProduceType
from nongsan.catalog.permissions import visible_listings, visible_lots
from nongsan.catalog.search import MAX_QUERY_LENGTH, with_card_details


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
