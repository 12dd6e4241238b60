"""What keeps the marketplace search fast at a million listings (decision 0024): lookups by
index, whatever the statistics ``ANALYZE`` leaves. The behaviour cases run on both backends;
the plan and step counts are SQLite's (its planner is the one that went wrong)."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nongsan.catalog.search import listing_search
from nongsan.catalog.tests.factories import listing, produce_type
from nongsan.producers import services as producer_services
from nongsan.producers.demo import seed_households
from nongsan.producers.models import CertificationKind
from nongsan.producers.tests.factories import cooperative, staff_user

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's query planner and step counter"
)


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@contextmanager
def _steps() -> Iterator[list[int]]:
    """Count the SQLite virtual machine steps (in hundreds) the statements inside take."""
    counted = [0]

    def tick() -> int:
        counted[0] += 1
        return 0

    connection.ensure_connection()
    raw = connection.connection
    raw.set_progress_handler(tick, 100)
    try:
        yield counted
    finally:
        raw.set_progress_handler(None, 100)


def _household_certificates(households: int, seed: int) -> None:
    """Demo households, about one in ten with a certificate: the certificate table grows,
    every certificate a household's (as in the demo data at a million listings)."""
    seed_households(random.Random(seed), households)


def test_a_cooperatives_certificate_ranks_filters_and_counts_its_listing(admin_units):
    kind = produce_type(slug="buoi", name_vi="Bưởi")
    seller = cooperative()
    producer_services.certification_add(
        added_by=staff_user(), cooperative=seller, kind=CertificationKind.VIETGAP
    )
    certified = listing(seller, produce_type=kind, title="Bưởi HTX", publish=True)
    plain = listing(produce_type=kind, title="Bưởi nhà", publish=True)
    assert [row.pk for row in listing_search(query="buoi").listings] == [certified.pk, plain.pk]
    result = listing_search(query="buoi", filters={"certification": "vietgap"})
    assert [row.pk for row in result.listings] == [certified.pk]
    assert listing_search(query="buoi").facets["certification"] == {"vietgap": 1}
    assert listing_search(filters={"certification": "organic"}).listings == []


@sqlite_only
def test_certificate_lookups_do_not_grow_with_the_certificate_table(admin_units):
    """Every certificate is a household's, so after ANALYZE SQLite judges the index on
    ``cooperative_id`` useless: the cooperative lookup must not run for a household's
    listing (it scanned every certificate for each ranked row)."""
    kind = produce_type(slug="buoi", name_vi="Bưởi")
    for index in range(12):
        listing(produce_type=kind, title=f"Bưởi {index}", publish=True)
    _household_certificates(200, seed=1)
    _analyze()
    with _steps() as few:
        listing_search(query="buoi")
        listing_search(query="buoi", filters={"certification": "vietgap"})
    _household_certificates(4000, seed=2)
    _analyze()
    with _steps() as many:
        listing_search(query="buoi")
        listing_search(query="buoi", filters={"certification": "vietgap"})
    assert many[0] < few[0] * 1.5, (few[0], many[0])


@sqlite_only
def test_certificate_lookups_use_their_index_after_analyze(admin_units):
    """Where cooperatives hold some of the certificates, each lookup of the ranking query
    searches its own index (no SCAN of the certificate table) after ANALYZE."""
    today = timezone.localdate()
    kind = produce_type(slug="buoi", name_vi="Bưởi")
    listing(produce_type=kind, title="Bưởi nhà", publish=True)
    for index in range(3):
        seller = cooperative()
        producer_services.certification_add(
            added_by=staff_user(),
            cooperative=seller,
            kind=CertificationKind.ORGANIC,
            expires_on=today + datetime.timedelta(days=index + 1),
        )
        listing(seller, produce_type=kind, title=f"Bưởi HTX {index}", publish=True)
    _household_certificates(400, seed=3)
    _analyze()
    with CaptureQueriesContext(connection) as queries:
        listing_search(query="buoi")
    ranking = queries.captured_queries[0]["sql"]
    assert "producers_certification" in ranking
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {ranking}")
        plan = [(row[0], row[1], row[3]) for row in cursor.fetchall()]
    subqueries = {step for step, _parent, detail in plan if detail.startswith("CORRELATED")}
    lookups = [detail for _step, parent, detail in plan if parent in subqueries]
    assert any("producers_certification_household_id" in step for step in lookups), plan
    assert any("producers_certification_cooperative_id" in step for step in lookups), plan
    assert not any(step.startswith("SCAN") for step in lookups), plan


def _validity_plan() -> str:
    """The plan of the query that checks the ranked candidates against the listings."""
    with CaptureQueriesContext(connection) as queries:
        result = listing_search()
    assert result.total_is_capped  # a thousand and more candidates to check
    check = next(
        item["sql"]
        for item in queries.captured_queries
        if item["sql"].startswith('SELECT "catalog_listing"."id" AS "pk" FROM "catalog_listing"')
    )
    explain = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN"
    with connection.cursor() as cursor:
        cursor.execute(f"{explain} {check}")
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def test_the_validity_check_looks_each_candidate_up_by_its_id(admin_units):
    """Not by walking the (status, window) index of every active listing to meet the ids."""
    from nongsan.catalog.demo import seed_listings
    from nongsan.catalog.produce_types import produce_types_load

    produce_types_load()
    rng = random.Random(5)
    seed_households(rng, 400)
    seed_listings(rng, max_households=400, total=4000)
    _analyze()
    plan = _validity_plan()
    assert "catalog_listing_status" not in plan, plan
    if connection.vendor == "sqlite":  # PostgreSQL may as well read 4,000 rows in a row
        assert "INTEGER PRIMARY KEY" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT")
def test_postgresql_runs_without_jit():
    """Compiling took 220 ms of a 630 ms search: the connections turn JIT off."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
