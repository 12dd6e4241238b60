"""Scenario: the marketplace search over ``size`` listings (default 100,000).

Deterministic demo households (one per ten listings) and exactly ``size`` listings
(``nongsan.catalog.demo.seed_listings``, rows written straight to the tables) are created,
then 1,000 queries run through ``listing_search`` as buyers type them: produce names with
and without diacritics, the last word cut short while typing, regional synonyms, with and
without filters (category, province, in season, certification, price), first and later
pages, and a sort by price now and then. Each search returns a page of 20 with its total
(exact up to 1,000, "more" past it) and facets. The baseline, in the same run, is the naive
search: ``icontains`` of every word over the unfolded title and description, counted and
ordered by newest; it runs on the first ``BASELINE_QUERIES`` queries only (each scans the
table). Works on whatever database ``--database-url`` names (SQLite FTS5 by default,
PostgreSQL pg_trgm otherwise).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from typing import Any

NAME = "listing_search"
DEFAULT_SIZE = 100_000
SEED = 20260601
QUERY_COUNT = 1_000
BASELINE_QUERIES = 40
LISTINGS_PER_HOUSEHOLD = 10


def _percentile(timings: list[float], share: float) -> float:
    ordered = sorted(timings)
    return ordered[max(0, int(len(ordered) * share) - 1)]


def realistic_queries(rng: random.Random, count: int) -> list[tuple[str, dict[str, Any]]]:
    """``count`` (query, filters) pairs built from the produce types as buyers type them."""
    from nongsan.catalog.models import ProduceCategory, ProduceType
    from nongsan.common.text import fold
    from nongsan.geo.models import AdministrativeUnit

    types = list(ProduceType.objects.filter(is_active=True).order_by("slug"))
    provinces = list(
        AdministrativeUnit.objects.filter(level="province", valid_until__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    categories = list(ProduceCategory.values)
    queries: list[tuple[str, dict[str, Any]]] = []
    while len(queries) < count:
        kind = rng.choice(types)
        names = [kind.name_vi, *kind.synonyms]
        name = rng.choice(names).lower()
        style = rng.random()
        if style < 0.35:
            text = fold(name)  # typed without diacritics
        elif style < 0.6:
            text = name  # with diacritics
        else:
            words = fold(name).split()  # still typing the last word
            last = words[-1][: max(1, rng.randint(2, 4))]
            text = " ".join([*words[:-1], last])
        filters: dict[str, Any] = {}
        roll = rng.random()
        if roll < 0.15:
            filters["province"] = _province_id(rng.choice(provinces))
        elif roll < 0.25:
            filters["in_season"] = True
        elif roll < 0.3:
            filters["certification"] = "vietgap"
        elif roll < 0.35:
            filters["price_max"] = str(rng.choice([30_000, 60_000, 100_000]))
        elif roll < 0.45:
            text, filters["category"] = "", rng.choice(categories)  # browsing a category
        queries.append((text, filters))
    return queries


_province_ids: dict[str, int] = {}


def _province_id(code: str) -> int:
    from nongsan.geo.models import AdministrativeUnit

    if code not in _province_ids:
        _province_ids[code] = AdministrativeUnit.objects.get(
            level="province", code=code, valid_until__isnull=True
        ).pk
    return _province_ids[code]


def naive_search(query: str, filters: dict[str, Any]) -> tuple[int, list[Any]]:
    """The baseline: every word ``icontains`` the title or description, no folding."""
    from django.db.models import Q
    from django.utils import timezone

    from nongsan.catalog.models import Listing, ListingStatus

    today = timezone.localdate()
    listings = Listing.objects.filter(status=ListingStatus.ACTIVE, available_until__gte=today)
    for word in query.split():
        listings = listings.filter(Q(title__icontains=word) | Q(description__icontains=word))
    if "province" in filters:
        listings = listings.filter(province_id=filters["province"])
    if "category" in filters:
        listings = listings.filter(produce_type__category=filters["category"])
    total = listings.count()
    return total, list(listings.order_by("-published_at", "-pk")[:20])


def run(*, size: int | None = None, seed: int = SEED) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection

    from nongsan.catalog.demo import seed_listings
    from nongsan.catalog.models import Listing
    from nongsan.catalog.produce_types import produce_types_load
    from nongsan.catalog.search import listing_search
    from nongsan.producers.demo import seed_households
    from nongsan.producers.personal_data import development_keys

    size = size or DEFAULT_SIZE
    if not getattr(settings, "PERSONAL_DATA_KEYS", None):
        keys, index_key = development_keys("bench")
        settings.PERSONAL_DATA_KEYS = keys
        settings.PERSONAL_DATA_INDEX_KEY = index_key
    rng = random.Random(seed)
    produce_types_load()
    households = max(1, size // LISTINGS_PER_HOUSEHOLD)
    household_seconds = listing_seconds = 0.0
    if not Listing.objects.exists():  # a kept --database-url is searched again as it is
        started = time.perf_counter()
        seed_households(rng, households)
        household_seconds = time.perf_counter() - started
        seed_listings(rng, max_households=households, total=size)
        listing_seconds = time.perf_counter() - started - household_seconds
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as a database in service has
    listings = Listing.objects.count()
    queries = realistic_queries(random.Random(seed), QUERY_COUNT)
    timings: list[float] = []
    capped = 0
    for index, (query, filters) in enumerate(queries):
        page = 1 + (index % 7 == 0) + (index % 13 == 0)
        sort = "price" if index % 11 == 0 else ""
        began = time.perf_counter()
        result = listing_search(query=query, filters=filters, page=page, sort=sort)
        timings.append(time.perf_counter() - began)
        capped += result.total_is_capped
        if (index + 1) % 100 == 0:  # long runs on a busy machine: show how it goes
            print(
                f"{index + 1} searches: median {statistics.median(timings) * 1000:.1f} ms,"
                f" p95 {_percentile(timings, 0.95) * 1000:.1f} ms",
                file=sys.stderr,
                flush=True,
            )
    baseline: list[float] = []
    for query, filters in queries[:BASELINE_QUERIES]:
        began = time.perf_counter()
        naive_search(query, filters)
        baseline.append(time.perf_counter() - began)
    median, p95 = statistics.median(timings), _percentile(timings, 0.95)
    baseline_median, baseline_p95 = statistics.median(baseline), _percentile(baseline, 0.95)
    return {
        "scenario": NAME,
        "database": connection.vendor,
        "listings": listings,
        "seed_households_seconds": round(household_seconds, 1),
        "seed_listings_seconds": round(listing_seconds, 1),
        "searches": len(timings),
        "capped_totals": capped,
        "searches_per_s": round(len(timings) / sum(timings), 1),
        "median_ms": round(median * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "max_ms": round(max(timings) * 1000, 1),
        "baseline": f"icontains over unfolded title and description, {len(baseline)} queries",
        "baseline_median_ms": round(baseline_median * 1000, 1),
        "baseline_p95_ms": round(baseline_p95 * 1000, 1),
        "ratio_median": round(baseline_median / median, 1),
        "ratio_p95": round(baseline_p95 / p95, 1),
    }
