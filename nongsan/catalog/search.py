"""The one listing search of the marketplace: pages and the API call ``listing_search``.

Matching: every word of the query, folded (no diacritics, no case), must begin a word of the
listing's title, produce type names and synonyms (``thơm`` and ``khóm`` find dứa) or
description; the last words typed match as prefixes, so ``vai thi`` finds "Vải thiều". Two
backends pick the matching rows by database vendor and agree on them: SQLite's FTS5 table
``catalog_listing_fts`` (prefix queries ``"vai"* "thi"*``), PostgreSQL's word-start ``LIKE``
on the folded search document under a pg_trgm index. Ranking is computed the same way on
both: a word found in the title weighs 4, in the produce names 2, in the description 1; among
equals listings in season now, then certified ones, then the newest come first.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from nongsan.catalog.folding import search_words
from nongsan.catalog.models import Listing, ListingPhoto, ListingPriceTier, ProduceCategory
from nongsan.catalog.permissions import public_listings
from nongsan.geo.models import AdministrativeUnit
from nongsan.producers.models import Certification, CertificationKind

MAX_QUERY_LENGTH = 100
MAX_QUERY_WORDS = 8
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 1000
MAX_PRICE_FILTER = 1_000_000_000


class Sort:
    RELEVANCE = "relevance"
    PRICE = "price"
    PRICE_DESCENDING = "-price"
    NEWEST = "newest"
    HARVEST = "harvest"
    ALL = (RELEVANCE, PRICE, PRICE_DESCENDING, NEWEST, HARVEST)


@dataclass
class SearchResult:
    listings: list[Listing]
    total: int
    page: int
    page_size: int
    query_words: list[str]
    facets: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.page_count

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def query_words(query: str) -> list[str]:
    """The folded words of a query; a query too long to be typed is refused."""
    if len(query) > MAX_QUERY_LENGTH:
        raise ValidationError(
            {"q": [_("Từ khoá quá dài: tối đa %(limit)d ký tự.") % {"limit": MAX_QUERY_LENGTH}]}
        )
    return search_words(query)[:MAX_QUERY_WORDS]


def _valid_on(today: datetime.date, prefix: str = "") -> Q:
    return (Q(**{f"{prefix}issued_on__isnull": True}) | Q(**{f"{prefix}issued_on__lte": today})) & (
        Q(**{f"{prefix}expires_on__isnull": True}) | Q(**{f"{prefix}expires_on__gte": today})
    )


def _valid_certification(kind: str | None, today: datetime.date) -> Q:
    """A certificate of the seller (household or cooperative) valid today. Two subqueries,
    one per holder, so each uses its foreign-key index (an OR of both would scan)."""
    certificates = Certification.objects.filter(_valid_on(today))
    if kind:
        certificates = certificates.filter(kind=kind)
    return Q(Exists(certificates.filter(household_id=OuterRef("household_id")))) | Q(
        Exists(certificates.filter(cooperative_id=OuterRef("cooperative_id")))
    )


def _matching(listings: QuerySet[Listing], words: list[str]) -> QuerySet[Listing]:
    if not words:
        return listings
    if connection.vendor == "sqlite":
        match = " ".join(f'"{word}"*' for word in words)
        return listings.filter(
            pk__in=RawSQL(
                "SELECT rowid FROM catalog_listing_fts WHERE catalog_listing_fts MATCH %s",
                [match],
            )
        )
    for word in words:
        listings = listings.filter(search_document__contains=f" {word}")
    return listings


def _relevance(words: list[str]) -> Any:
    score: Any = Value(0)
    for word in words:
        score = score + Case(
            When(title_folded__contains=f" {word}", then=Value(4)),
            When(produce_folded__contains=f" {word}", then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    return score


def _parse_filters(filters: Mapping[str, Any]) -> dict[str, Any]:
    """Checked filters; a wrong one is refused naming it, never ignored."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name in ("province", "commune", "household", "cooperative", "produce_type"):
        value = filters.get(name)
        if value in (None, ""):
            continue
        if isinstance(value, Model):
            cleaned[name] = value.pk
        elif isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            cleaned[name] = int(value)
        else:
            errors[name] = [_("Giá trị lọc không hợp lệ.")]
    category = filters.get("category") or ""
    if category:
        if category in ProduceCategory.values:
            cleaned["category"] = category
        else:
            errors["category"] = [_("Nhóm sản phẩm không hợp lệ.")]
    certification = filters.get("certification") or ""
    if certification:
        if certification in CertificationKind.values:
            cleaned["certification"] = certification
        else:
            errors["certification"] = [_("Loại chứng nhận không hợp lệ.")]
    for name in ("price_min", "price_max"):
        value = filters.get(name)
        if value in (None, ""):
            continue
        text = str(value)
        if not text.isdigit() or int(text) > MAX_PRICE_FILTER:
            errors[name] = [_("Giá phải là số đồng nguyên, ví dụ 45000.")]
        else:
            cleaned[name] = int(text)
    if filters.get("in_season"):
        cleaned["in_season"] = True
    if errors:
        raise ValidationError(errors)
    return cleaned


def listing_search(
    *,
    query: str = "",
    filters: Mapping[str, Any] | None = None,
    sort: str = "",
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
    today: datetime.date | None = None,
    base: QuerySet[Listing] | None = None,
) -> SearchResult:
    """Listings on sale matching ``query`` and ``filters``, ranked, one page of them, with
    facet counts (province, category, certification) over every match.

    ``filters``: province, commune, household, cooperative (ids), category, certification
    (kind valid today), in_season (bool), price_min, price_max (đồng). ``sort``: relevance
    (the default with a query; newest without), price, -price, newest, harvest (soonest
    harvest window first). Refuses a bad value with a ``ValidationError`` naming it.
    """
    today = today or timezone.localdate()
    words = query_words(query or "")
    cleaned = _parse_filters(filters or {})
    if sort and sort not in Sort.ALL:
        raise ValidationError({"sort": [_("Cách sắp xếp không hợp lệ.")]})
    if not isinstance(page, int) or page < 1 or page > MAX_PAGE:
        raise ValidationError({"page": [_("Số trang không hợp lệ.")]})
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    listings = base if base is not None else public_listings(today=today)
    listings = _matching(listings, words)
    for name in ("province", "commune", "household", "cooperative", "produce_type"):
        if name in cleaned:
            listings = listings.filter(**{f"{name}_id": cleaned[name]})
    if "category" in cleaned:
        listings = listings.filter(produce_type__category=cleaned["category"])
    if "certification" in cleaned:
        listings = listings.filter(_valid_certification(cleaned["certification"], today))
    if cleaned.get("in_season"):
        listings = listings.filter(available_from__lte=today, available_until__gte=today)
    if "price_min" in cleaned:
        listings = listings.filter(price_vnd__gte=cleaned["price_min"])
    if "price_max" in cleaned:
        listings = listings.filter(price_vnd__lte=cleaned["price_max"])

    total = listings.count()
    facets = _facets(listings, today) if total else {}
    ranked = listings.annotate(
        relevance=_relevance(words),
        in_season=Case(
            When(available_from__lte=today, available_until__gte=today, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        is_certified=Case(
            When(_valid_certification(None, today), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
    )
    sort = sort or (Sort.RELEVANCE if words else Sort.NEWEST)
    order: dict[str, list[Any]] = {
        Sort.RELEVANCE: ["-relevance", "-in_season", "-is_certified", "-published_at", "-pk"],
        Sort.PRICE: ["price_vnd", "-relevance", "-pk"],
        Sort.PRICE_DESCENDING: ["-price_vnd", "-relevance", "-pk"],
        Sort.NEWEST: [F("published_at").desc(nulls_last=True), "-pk"],
        Sort.HARVEST: ["available_from", "-relevance", "-pk"],
    }
    start = (page - 1) * page_size
    rows = list(
        with_card_details(ranked.order_by(*order[sort]), today=today)[start : start + page_size]
    )
    return SearchResult(
        listings=rows,
        total=total,
        page=page,
        page_size=page_size,
        query_words=words,
        facets=facets,
    )


def with_card_details(
    listings: QuerySet[Listing], *, today: datetime.date | None = None
) -> QuerySet[Listing]:
    """Everything a listing card or the API shows, in a fixed number of queries."""
    today = today or timezone.localdate()
    valid = Certification.objects.filter(
        Q(issued_on__isnull=True) | Q(issued_on__lte=today),
        Q(expires_on__isnull=True) | Q(expires_on__gte=today),
    ).order_by("kind", "pk")
    return listings.select_related(
        "produce_type", "province", "commune", "household", "cooperative", "grower"
    ).prefetch_related(
        Prefetch("photos", queryset=ListingPhoto.objects.order_by("position", "pk")),
        Prefetch("price_tiers", queryset=ListingPriceTier.objects.order_by("min_quantity")),
        # Only the certificates valid today are fetched: ``certifications.all()`` holds them.
        Prefetch("household__certifications", queryset=valid),
        Prefetch("cooperative__certifications", queryset=valid),
    )


def _facets(listings: QuerySet[Listing], today: datetime.date) -> dict[str, dict[str, Any]]:
    """Counts of the matching listings by province, category and certification kind."""
    provinces = (
        listings.order_by()
        .values("province_id", "province__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "province__name")[:40]
    )
    categories = (
        listings.order_by()
        .values("produce_type__category")
        .annotate(count=Count("pk"))
        .order_by("-count")
    )
    # A listing has one holder of certificates (its household or its cooperative): two
    # grouped joins, each listing counted once per kind it holds.
    certification_counts: dict[str, int] = {}
    for holder in ("household", "cooperative"):
        rows = (
            listings.order_by()
            .filter(_valid_on(today, f"{holder}__certifications__"))
            .values(f"{holder}__certifications__kind")
            .annotate(count=Count("pk", distinct=True))
        )
        for row in rows:
            kind = row[f"{holder}__certifications__kind"]
            certification_counts[kind] = certification_counts.get(kind, 0) + row["count"]
    return {
        "province": {str(row["province_id"]): row["count"] for row in provinces},
        "province_names": {str(row["province_id"]): row["province__name"] for row in provinces},
        "category": {row["produce_type__category"]: row["count"] for row in categories},
        "certification": {
            kind: certification_counts[kind]
            for kind in CertificationKind.values
            if certification_counts.get(kind)
        },
    }


def _unit_id(level: str, code: str) -> int | None:
    return (
        AdministrativeUnit.objects.filter(level=level, code=code, valid_until__isnull=True)
        .values_list("pk", flat=True)
        .first()
    )


def search_arguments(params: Any) -> dict[str, Any]:
    """The search's arguments from query parameters (pages and API share it)."""
    errors: dict[str, list[str]] = {}
    filters: dict[str, Any] = {
        name: params.get(name, "")
        for name in (
            "category",
            "certification",
            "price_min",
            "price_max",
            "household",
            "cooperative",
        )  # fmt: skip
    }
    for level in ("province", "commune"):
        code = params.get(level, "")
        if code:
            unit_id = _unit_id(level, code[:10])
            if unit_id is None:
                errors[level] = [_("Không có đơn vị hành chính hiện hành với mã này.")]
            filters[level] = unit_id
    filters["in_season"] = params.get("in_season", "") in ("1", "true", "on", "yes")
    numbers: dict[str, int] = {}
    for name, default in (("page", 1), ("page_size", DEFAULT_PAGE_SIZE)):
        raw = params.get(name, "")
        if raw == "":
            numbers[name] = default
        elif raw.isdigit() and len(raw) < 7:
            numbers[name] = int(raw)
        else:
            errors[name] = [_("Số trang không hợp lệ.")]
    if errors:
        raise ValidationError(errors)
    return {
        "query": params.get("q", ""),
        "filters": filters,
        "sort": params.get("sort", ""),
        "page": numbers["page"],
        "page_size": numbers["page_size"],
    }
