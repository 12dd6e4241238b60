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
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    BooleanField,
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
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from nongsan.catalog.folding import search_words
from nongsan.catalog.models import (
    Listing,
    ListingPhoto,
    ListingPriceTier,
    ListingSearchRow,
    ProduceCategory,
)
from nongsan.catalog.permissions import shown_publicly
from nongsan.geo.models import AdministrativeUnit
from nongsan.producers.models import Certification, CertificationKind

MAX_QUERY_LENGTH = 100
MAX_QUERY_WORDS = 8
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 1000
MAX_PRICE_FILTER = 1_000_000_000
# Matches are counted, and facets computed, up to this many; past it the total says "more".
RESULT_CAP = 1000
RESULT_SLACK = 50
RANK_WINDOW = 5000
_FACET_COLUMNS = ("pk", "province_id", "category", "household_id", "cooperative_id")


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
    total_is_capped: bool = False

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


def _valid_certification(kind: str | None, today: datetime.date) -> Case:
    """A certificate of the seller valid today, as a condition on a listing or its search row.

    The household's certificates are looked up only when the seller is a household, the
    cooperative's only when it is a cooperative (``CASE``, which evaluates one branch): each
    lookup then uses its foreign-key index. With an ``OR`` of both, every household's
    listing also ran ``cooperative_id = NULL``, and where (almost) every certificate is a
    household's, SQLite's statistics after ``ANALYZE`` make the cooperative index look
    useless, so that lookup scanned the whole certificate table once per ranked row (a
    search took 42 s at a million listings; decision 0024)."""
    certificates = Certification.objects.filter(_valid_on(today))
    if kind:
        certificates = certificates.filter(kind=kind)
    return Case(
        When(
            household_id__isnull=False,
            then=Exists(certificates.filter(household_id=OuterRef("household_id"))),
        ),
        When(
            cooperative_id__isnull=False,
            then=Exists(certificates.filter(cooperative_id=OuterRef("cooperative_id"))),
        ),
        default=Value(False),
        output_field=BooleanField(),
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


def _matching_rows(
    rows: QuerySet[ListingSearchRow], words: list[str]
) -> QuerySet[ListingSearchRow]:
    if connection.vendor == "sqlite":
        match = " ".join(f'"{word}"*' for word in words)
        return rows.filter(
            pk__in=RawSQL(
                "SELECT rowid FROM catalog_listing_fts WHERE catalog_listing_fts MATCH %s",
                [match],
            )
        )
    for word in words:
        rows = rows.filter(document__contains=f" {word}")
    return rows


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

    Without ``base`` the matches are ranked on ``ListingSearchRow`` and counted up to
    ``RESULT_CAP``: past it ``total`` is ``RESULT_CAP``, ``total_is_capped`` is set and the
    facets count the ``RESULT_CAP`` best matches (decision 0024).
    """
    today = today or timezone.localdate()
    words = query_words(query or "")
    cleaned = _parse_filters(filters or {})
    if sort and sort not in Sort.ALL:
        raise ValidationError({"sort": [_("Cách sắp xếp không hợp lệ.")]})
    if not isinstance(page, int) or page < 1 or page > MAX_PAGE:
        raise ValidationError({"page": [_("Số trang không hợp lệ.")]})
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    sort = sort or (Sort.RELEVANCE if words else Sort.NEWEST)
    if base is not None:
        return _search_within(base, words, cleaned, sort, page, page_size, today)
    return _search_rows(words, cleaned, sort, page, page_size, today)


def _ordering(sort: str) -> list[Any]:
    orders: dict[str, list[Any]] = {
        Sort.RELEVANCE: ["-relevance", "-in_season", "-is_certified", "-published_at", "-pk"],
        Sort.PRICE: ["price_vnd", "-relevance", "-pk"],
        Sort.PRICE_DESCENDING: ["-price_vnd", "-relevance", "-pk"],
        Sort.NEWEST: [F("published_at").desc(nulls_last=True), "-pk"],
        Sort.HARVEST: ["available_from", "-relevance", "-pk"],
    }
    return orders[sort]


def _in_season(today: datetime.date) -> Case:
    return Case(
        When(available_from__lte=today, available_until__gte=today, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _ranked(listings: QuerySet[Any], words: list[str], sort: str, today: datetime.date) -> Any:
    """``listings`` (listings or their search rows) ordered for ``sort``; only the sort keys
    the order needs are computed, so sorting by newest or price never looks at certificates."""
    keys: dict[str, Any] = {}
    if sort != Sort.NEWEST:
        keys["relevance"] = _relevance(words)
    if sort == Sort.RELEVANCE:
        keys["in_season"] = _in_season(today)
        keys["is_certified"] = Case(
            When(_valid_certification(None, today), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return listings.annotate(**keys).order_by(*_ordering(sort))


def _filtered(listings: QuerySet[Any], cleaned: dict[str, Any], today: datetime.date) -> Any:
    for name in ("province", "commune", "household", "cooperative", "produce_type"):
        if name in cleaned:
            listings = listings.filter(**{f"{name}_id": cleaned[name]})
    if cleaned.get("in_season"):
        listings = listings.filter(available_from__lte=today, available_until__gte=today)
    if "price_min" in cleaned:
        listings = listings.filter(price_vnd__gte=cleaned["price_min"])
    if "price_max" in cleaned:
        listings = listings.filter(price_vnd__lte=cleaned["price_max"])
    if "certification" in cleaned:
        listings = listings.filter(_valid_certification(cleaned["certification"], today))
    return listings


def _search_rows(
    words: list[str],
    cleaned: dict[str, Any],
    sort: str,
    page: int,
    page_size: int,
    today: datetime.date,
) -> SearchResult:
    """The public search: the best ``RESULT_CAP`` (+1) matches ranked on the narrow search
    rows, then checked against the listings themselves (status, window, seller's consent),
    so results equal ranking the listings directly."""
    rows = ListingSearchRow.objects.filter(available_until__gte=today)
    if words:
        rows = _matching_rows(rows, words)
    if "category" in cleaned:
        rows = rows.filter(category=cleaned["category"])
    rows = _filtered(rows, cleaned, today)
    if sort != Sort.NEWEST:
        # Ranking scores every row it sorts: past RANK_WINDOW matches, only the newest
        # RANK_WINDOW are ranked (decision 0024). Below it, every match is.
        newest = rows.order_by(F("published_at").desc(nulls_last=True), "-pk")
        rows = ListingSearchRow.objects.filter(pk__in=Subquery(newest.values("pk")[:RANK_WINDOW]))
    ranked = _ranked(rows, words, sort, today).values_list(*_FACET_COLUMNS)
    wanted = RESULT_CAP + 1
    limit = wanted + RESULT_SLACK
    while True:
        candidates = list(ranked[:limit])
        shown = _shown_ids([row[0] for row in candidates], today)
        matches = [row for row in candidates if row[0] in shown]
        if len(matches) >= wanted or len(candidates) < limit:
            break
        limit *= 4  # many matches may not be shown (consent withdrawn): look further
    capped = len(matches) > RESULT_CAP
    matches = matches[:RESULT_CAP]
    start = (page - 1) * page_size
    page_ids = [row[0] for row in matches[start : start + page_size]]
    facets = _row_facets(matches, today) if matches else {}
    position = {pk: index for index, pk in enumerate(page_ids)}
    page_rows = (
        with_card_details(Listing.objects.filter(pk__in=page_ids), today=today).annotate(
            in_season=_in_season(today)
        )
        if page_ids
        else Listing.objects.none()
    )
    listings = sorted(page_rows, key=lambda row: position[row.pk])
    return SearchResult(
        listings=listings,
        total=len(matches),
        page=page,
        page_size=page_size,
        query_words=words,
        facets=facets,
        total_is_capped=capped,
    )


def _shown_ids(ids: list[int], today: datetime.date) -> set[int]:
    """Which of these listings ``public_listings`` holds, each looked up by its id.

    The conditions sit inside a ``CASE``, which no index answers: filtered directly, the
    database met the id list with the (status, window) index and so walked every active
    listing (PostgreSQL's bitmap AND; 162 ms against 7 ms at 100,000 listings)."""
    if not ids:
        return set()
    shown = Case(
        When(shown_publicly(today), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return set(Listing.objects.filter(pk__in=ids).filter(shown).values_list("pk", flat=True))


def _search_within(
    base: QuerySet[Listing],
    words: list[str],
    cleaned: dict[str, Any],
    sort: str,
    page: int,
    page_size: int,
    today: datetime.date,
) -> SearchResult:
    """Search inside a given set of listings (a seller's own, any status), counted exactly."""
    listings = _matching(base, words)
    if "category" in cleaned:
        listings = listings.filter(produce_type__category=cleaned["category"])
    listings = _filtered(listings, cleaned, today)
    total = listings.count()
    facets = _facets(listings, today) if total else {}
    ranked = _ranked(listings, words, sort, today).annotate(in_season=_in_season(today))
    start = (page - 1) * page_size
    rows = list(with_card_details(ranked, today=today)[start : start + page_size])
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


def _row_facets(matches: list[tuple[Any, ...]], today: datetime.date) -> dict[str, dict[str, Any]]:
    """The facets of ``_facets`` over at most ``RESULT_CAP`` matches the ranking query
    already returned (listing, province, category, household, cooperative): counted here
    rather than by four grouped queries over a list of a thousand ids, which SQLite plans
    as a scan of the joined table. Two small queries: province names, valid certificates."""
    provinces = Counter(row[1] for row in matches)
    categories = Counter(row[2] for row in matches)
    households = {row[3] for row in matches if row[3] is not None}
    cooperatives = {row[4] for row in matches if row[4] is not None}
    kinds: dict[tuple[str, int], set[str]] = {}
    valid = Certification.objects.filter(_valid_on(today)).values_list(
        "household_id", "cooperative_id", "kind"
    )
    # One query, each half on its own index (an OR of both lists scanned the whole table).
    for household_id, cooperative_id, kind in valid.filter(household_id__in=households).union(
        valid.filter(cooperative_id__in=cooperatives), all=True
    ):
        key = ("household", household_id) if household_id else ("cooperative", cooperative_id)
        kinds.setdefault(key, set()).add(kind)
    certification_counts: Counter[str] = Counter()
    for row in matches:
        key = ("household", row[3]) if row[3] is not None else ("cooperative", row[4])
        certification_counts.update(kinds.get(key, ()))
    top = sorted(provinces.items(), key=lambda item: -item[1])[:40]
    names = dict(
        AdministrativeUnit.objects.filter(pk__in=[pk for pk, _count in top]).values_list(
            "pk", "name"
        )
    )
    top.sort(key=lambda item: (-item[1], names.get(item[0], "")))
    return {
        "province": {str(pk): count for pk, count in top},
        "province_names": {str(pk): names.get(pk, "") for pk, _count in top},
        "category": dict(sorted(categories.items(), key=lambda item: -item[1])),
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
