"""Scenario: the marketplace search over ``size`` listings (default 100,000).

Deterministic demo households (about one per three listings) and their listings
(``nongsan.catalog.demo``) are written, then a fixed mix of queries runs through
``listing_search`` as buyers type them: without diacritics, prefixes while typing, regional
synonyms, with and without filters, first and later pages. The result gives searches per
second and the median and 95th-percentile time of one search (each returns a page of 20 with
its total and facets), on whatever database ``--database-url`` names (SQLite FTS5 by default,
PostgreSQL pg_trgm otherwise).
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

NAME = "listing_search"
DEFAULT_SIZE = 100_000
SEED = 20260601
QUERIES: list[tuple[str, dict[str, object]]] = [
    ("vai thieu", {}),
    ("vai thi", {}),
    ("thom", {}),
    ("khom", {"in_season": True}),
    ("gao st", {"category": "rice_grain"}),
    ("ca phe", {"certification": "vietgap"}),
    ("xoai", {"price_max": "60000"}),
    ("", {"category": "fruit"}),
    ("sau rieng", {}),
    ("nam", {}),
]


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
    started = time.perf_counter()
    households = max(1, size // 3)
    seed_households(rng, households)
    seed_listings(rng, max_households=households, per_household=5)
    seed_seconds = time.perf_counter() - started
    listings = Listing.objects.count()
    timings = []
    for round_number in range(3):
        for query, filters in QUERIES:
            began = time.perf_counter()
            listing_search(query=query, filters=filters, page=1 + round_number)
            timings.append(time.perf_counter() - began)
    timings.sort()
    return {
        "scenario": NAME,
        "database": connection.vendor,
        "listings": listings,
        "seed_seconds": round(seed_seconds, 1),
        "searches": len(timings),
        "searches_per_s": round(len(timings) / sum(timings), 1),
        "median_ms": round(statistics.median(timings) * 1000, 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1] * 1000, 1),
    }
