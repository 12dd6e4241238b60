"""Scenario: matching buy requests with supply at national scale, against a baseline.

``size`` supply candidates (default 1,000,000: supply offers, announced harvests and kg
listings flattened into ``trade_supplycandidate``) and ``size / 10`` open buy requests
(default 100,000, with their produce types, targeted provinces and demand slots) are written
directly (seeded, deterministic; foreign-key checks are off while loading). The sellers are
real: ``HOUSEHOLDS`` households registered with marketplace consent and their listings, by
the demo's own seeders (``producers.demo.seed_households``, ``catalog.demo.seed_listings``),
because matching shows only sellers that pass the consent check and listings that are
still on sale: the listing candidates are those listings, the harvests and offers are
spread over the same households in their own provinces. Then:

- ``top20``: ``request_matches`` for sample requests — the SQL prefilter (produce type set,
  provinces nearest first, window overlap), scoring of the bounded set, reliability from the
  orders (empty here), stale-listing check, reasons in two languages and the bundle;
- ``harvest``: ``supply_request_matches`` for sample harvest candidates — every open request
  that suits a new harvest, ranked, the top 20 explained;
- ``top20_shown_median`` / ``top20_explained_share``: how many matches a request shows
  after the consent and stock checks, and the share of them with reasons (zero would mean
  the benchmark measures an empty page);
- wall-clock and CPU times (the machine may be shared: ``load_average`` says how busy);
- the baseline, in the same run: every candidate (resp. every demand slot) read from the
  database and scored in Python, top 20 kept. ``ratio`` is baseline p50 / ours p50.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

NAME = "trade_matching"
DEFAULT_SIZE = 1_000_000
SEED = 20261129
SAMPLES = 40
BASELINE_RUNS = 3
BATCH = 20_000
HOUSEHOLDS = 2_000


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share + 0.5) - 1)]


def _ms(value: float) -> float:
    return round(value * 1000, 2)


CPU_TIMINGS: dict[str, list[float]] = {}


def _timed(calls: Iterable[Callable[[], Any]], name: str = "") -> list[float]:
    """Wall-clock seconds of each call; the process's CPU seconds go to CPU_TIMINGS[name]
    (on a shared machine the wall clock also measures the neighbours; with SQLite the
    database work is in this process, so CPU time is what the code costs)."""
    timings = []
    cpu = CPU_TIMINGS.setdefault(name, [])
    for call in calls:
        began, began_cpu = time.perf_counter(), time.process_time()
        call()
        timings.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    return timings


def _write(table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """Insert rows fast: COPY on PostgreSQL, executemany in batches on SQLite."""
    from django.db import connection

    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(columns)
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _foreign_keys(enabled: bool) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SET session_replication_role = {'origin' if enabled else 'replica'}")
        else:
            cursor.execute(f"PRAGMA foreign_keys = {'ON' if enabled else 'OFF'}")


def _seed(rng: random.Random, candidates: int, requests: int) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone

    from nongsan.accounts.models import Role, RoleGrant, User
    from nongsan.catalog.demo import seed_listings
    from nongsan.catalog.models import Listing, ListingStatus, ProduceType
    from nongsan.catalog.produce_types import produce_types_load
    from nongsan.geo.models import AdministrativeUnit
    from nongsan.producers.demo import seed_households
    from nongsan.producers.models import Household, Purpose

    produce_types_load()
    type_ids = list(ProduceType.objects.order_by("pk").values_list("pk", flat=True))
    # Real sellers, as the demo makes them: households with marketplace consent, listings.
    seed_households(rng, HOUSEHOLDS)
    seed_listings(rng, max_households=HOUSEHOLDS)
    sellers = list(
        Household.objects.active()
        .with_consent(Purpose.MARKETPLACE)
        .order_by("pk")
        .values_list("pk", "province_id", "commune_id", "province__code")
    )
    on_sale = list(
        Listing.objects.filter(status=ListingStatus.ACTIVE, unit="kg", stock_quantity__gt=0)
        .order_by("pk")
        .values_list(
            "pk", "household_id", "produce_type_id", "province_id", "commune_id",
            "province__code", "available_from", "available_until", "stock_quantity", "price_vnd",
        )
    )  # fmt: skip
    # Popular produce (lychee, rice, coffee…) carries most of the volume.
    type_weights = [1 / (rank + 1) for rank in range(len(type_ids))]
    provinces = list(
        AdministrativeUnit.objects.current()
        .filter(level="province")
        .order_by("code")
        .values_list("pk", "code")
    )
    communes = {}
    for province_id, _code in provinces:
        communes[province_id] = (
            AdministrativeUnit.objects.current()
            .filter(level="commune", province_id=province_id)
            .order_by("code")
            .values_list("pk", flat=True)[:20]
        )
    commune_ids: dict[Any, list[int]] = {key: list(value) for key, value in communes.items()}
    communes = commune_ids  # type: ignore[assignment]
    buyer = User.objects.create_user("+84900000099", full_name="Thương lái thử")
    RoleGrant.objects.create(user=buyer, role=Role.TRADER)
    start = timezone.localdate().toordinal()
    now = timezone.now()

    def candidate_rows() -> Iterable[tuple[Any, ...]]:
        for listing in on_sale[:candidates]:
            pk, household_id, type_id, province_id, commune_id, code, begins, ends, stock, price = (
                listing
            )
            yield ("listing", pk, household_id, None, type_id, province_id, commune_id, code,
                   begins.toordinal(), ends.toordinal(), int(stock), price,
                   rng.choice([0, 0, 0, 1, 1, 2, 4, 8, 9]))  # fmt: skip
        kinds = ["harvest"] * 9 + ["offer"]
        for source_id in range(1, candidates - min(len(on_sale), candidates) + 1):
            household_id, province_id, commune_id, code = sellers[rng.randrange(len(sellers))]
            first = start + rng.randrange(0, 120)
            yield (
                kinds[source_id % 10],
                source_id,
                household_id,
                None,
                rng.choices(type_ids, type_weights)[0],
                province_id,
                commune_id,
                code,
                first,
                first + rng.randrange(6, 45),
                rng.randrange(500, 50_000),
                rng.choice([None, rng.randrange(8_000, 90_000)]),
                rng.choice([0, 0, 0, 1, 1, 2, 4, 8, 9]),
            )

    request_rows: list[tuple[Any, ...]] = []
    produce_rows: list[tuple[Any, ...]] = []
    target_rows: list[tuple[Any, ...]] = []
    slot_rows: list[tuple[Any, ...]] = []
    for request_id in range(1, requests + 1):
        province_id, code = provinces[rng.randrange(len(provinces))]
        first_day = start + rng.randrange(0, 120)
        last_day = first_day + rng.randrange(6, 30)
        days = last_day - first_day + 1
        nationwide = rng.random() < 0.1
        kinds = list(dict.fromkeys(rng.choices(type_ids, type_weights, k=rng.choice([1, 1, 2]))))
        targets = [] if nationwide else rng.sample(provinces, rng.randrange(1, 5))
        low = rng.randrange(5, 60)
        high = low + rng.randrange(0, 60)
        price = rng.choice([None, rng.randrange(10_000, 80_000)])
        mask = rng.choice([0, 0, 0, 1, 2, 3])
        request_rows.append(
            (request_id, buyer.pk, "Thương lái thử", f"Thu mua {request_id}", low, high, "any",
             mask, datetime.date.fromordinal(first_day), datetime.date.fromordinal(last_day),
             first_day, last_day, "pickup", "", province_id, communes[province_id][0],
             nationwide, None, price, "cash_on_pickup", "", "open", now)
        )  # fmt: skip
        for index, kind in enumerate(kinds):
            produce_rows.append((request_id, kind, index == 0))
        for target_id, _target_code in targets:
            target_rows.append((request_id, target_id))
        slot_provinces: list[int | None] = (
            [None] if nationwide else [target_id for target_id, _c in targets]
        )
        per_day = high / (len(slot_provinces) * days)
        for index, kind in enumerate(kinds):
            for slot_province in slot_provinces:
                slot_rows.append(
                    (request_id, kind, slot_province, index == 0, first_day, last_day,
                     high * 1000, price, mask, code, slot_province or province_id,
                     round(per_day, 6) if index == 0 else 0)
                )  # fmt: skip
    _foreign_keys(False)
    try:
        with transaction.atomic():
            written = _write(
                "trade_supplycandidate",
                ["kind", "source_id", "household_id", "cooperative_id", "produce_type_id",
                 "province_id", "commune_id", "province_code", "from_ordinal", "until_ordinal",
                 "quantity_kg", "price_vnd_per_kg", "certification_mask"],
                candidate_rows(),
            )  # fmt: skip
            _write(
                "trade_buyrequest",
                ["id", "buyer_id", "buyer_name", "title", "quantity_min_tonnes",
                 "quantity_max_tonnes", "grade", "certification_mask", "delivery_from",
                 "delivery_until", "delivery_from_ordinal", "delivery_until_ordinal",
                 "delivery_mode", "delivery_address", "province_id", "commune_id",
                 "is_nationwide", "price_min_vnd_per_kg", "price_max_vnd_per_kg",
                 "payment_terms", "note", "status", "created_at"],
                request_rows,
            )  # fmt: skip
            _write(
                "trade_buyrequestproduce",
                ["buy_request_id", "produce_type_id", "is_primary"],
                produce_rows,
            )
            _write(
                "trade_buyrequest_target_provinces",
                ["buyrequest_id", "administrativeunit_id"],
                target_rows,
            )
            slots = _write(
                "trade_demandslot",
                ["buy_request_id", "produce_type_id", "province_id", "is_primary",
                 "from_ordinal", "until_ordinal", "quantity_max_kg", "price_max_vnd_per_kg",
                 "certification_mask", "delivery_province_code", "demand_province_id",
                 "tonnes_per_day"],
                slot_rows,
            )  # fmt: skip
    finally:
        _foreign_keys(True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"candidates": written, "requests": len(request_rows), "demand_slots": slots}


def _baseline_top20(demand: Any) -> list[Any]:
    """Read every candidate and score it in Python."""
    from nongsan.trade.matching import CANDIDATE_COLUMNS, rank
    from nongsan.trade.models import SupplyCandidate

    rows = list(SupplyCandidate.objects.values_list(*CANDIDATE_COLUMNS).iterator(chunk_size=20_000))
    # Only a candidate of the request's produce in its window can match at all; everything
    # is read and filtered here, as a design without the prefilter would.
    wanted = demand.primary_types | demand.alternative_types
    fitting = [
        row
        for row in rows
        if row[4] in wanted and row[7] >= demand.from_ordinal and row[6] <= demand.until_ordinal
    ]
    return rank(demand, fitting)[:20]


def _baseline_harvest(candidate: Any) -> list[Any]:
    """Read every demand slot and score the harvest against each in Python."""
    from nongsan.trade.matching import CANDIDATE_COLUMNS, Demand, score
    from nongsan.trade.models import DemandSlot

    row = tuple(getattr(candidate, column) for column in CANDIDATE_COLUMNS)
    best: dict[int, Any] = {}
    slots = DemandSlot.objects.values_list(
        "buy_request_id", "produce_type_id", "province_id", "is_primary", "from_ordinal",
        "until_ordinal", "quantity_max_kg", "price_max_vnd_per_kg", "certification_mask",
        "delivery_province_code",
    ).iterator(chunk_size=20_000)  # fmt: skip
    for request_id, type_id, province_id, primary, first, last, kg, price, mask, code in slots:
        if type_id != candidate.produce_type_id or (
            province_id is not None and province_id != candidate.province_id
        ):
            continue
        if last < candidate.from_ordinal or first > candidate.until_ordinal:
            continue
        demand = Demand(
            primary_types=frozenset([type_id] if primary else []),
            alternative_types=frozenset([] if primary else [type_id]),
            from_ordinal=first,
            until_ordinal=last,
            quantity_max_kg=kg,
            price_max_vnd_per_kg=price,
            certification_mask=mask,
            province_code=code,
        )
        item = score(demand, row, None)
        if request_id not in best or item.score > best[request_id].score:
            best[request_id] = item
    return sorted(best.values(), key=lambda item: -item.score)[:20]


def run(*, size: int | None = None, seed: int = SEED) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from nongsan.trade.matching import demand_of, request_matches, supply_request_matches
    from nongsan.trade.models import BuyRequest, SupplyCandidate

    size = size or DEFAULT_SIZE
    rng = random.Random(seed)
    began = time.perf_counter()
    counts = _seed(rng, size, max(1, size // 10))
    seed_seconds = time.perf_counter() - began
    today = timezone.localdate()
    request_ids = rng.sample(range(1, counts["requests"] + 1), min(SAMPLES, counts["requests"]))
    sample_requests = [
        BuyRequest.objects.select_related("province").get(pk=pk) for pk in request_ids
    ]
    harvest_ids = list(
        SupplyCandidate.objects.filter(kind="harvest").order_by("pk").values_list("pk", flat=True)
    )
    sample_harvests = list(
        SupplyCandidate.objects.filter(
            pk__in=rng.sample(harvest_ids, min(SAMPLES, len(harvest_ids)))
        )
    )
    request_matches(sample_requests[0], today=today)  # warm caches (distance table, types)
    found_sizes: list[int] = []
    shown: list[int] = []
    explained: list[int] = []

    def record(found: Any) -> None:
        found_sizes.append(found.considered)
        shown.append(len(found.matches))
        explained.append(sum(1 for item in found.matches if item.reasons_vi and item.reasons_en))

    def top20(row: BuyRequest) -> Callable[[], None]:
        return lambda: record(request_matches(row, today=today))

    top20_timings = _timed((top20(row) for row in sample_requests), "top20")
    matched: list[int] = []

    def harvest(row: SupplyCandidate) -> Callable[[], None]:
        return lambda: matched.append(len(supply_request_matches(row, limit=None)))

    harvest_timings = _timed((harvest(row) for row in sample_harvests), "harvest")
    baseline_top20 = _timed(
        (lambda row=row: _baseline_top20(demand_of(row)))  # type: ignore[misc]
        for row in sample_requests[:BASELINE_RUNS]
    )
    baseline_harvest = _timed(
        (lambda row=row: _baseline_harvest(row))  # type: ignore[misc]
        for row in sample_harvests[:BASELINE_RUNS]
    )
    top20_p50 = statistics.median(top20_timings)
    harvest_p50 = statistics.median(harvest_timings)
    return {
        "scenario": NAME,
        "database": connection.vendor,
        "size": size,
        **counts,
        "seed_seconds": round(seed_seconds, 1),
        "top20_samples": len(top20_timings),
        "top20_scored_median": int(statistics.median(found_sizes)),
        "top20_shown_median": int(statistics.median(shown)),
        "top20_explained_share": round(sum(explained) / max(1, sum(shown)), 2),
        "top20_p50_ms": _ms(top20_p50),
        "top20_p95_ms": _ms(_percentile(top20_timings, 0.95)),
        "harvest_samples": len(harvest_timings),
        "harvest_requests_matched_median": int(statistics.median(matched)),
        "harvest_p50_ms": _ms(harvest_p50),
        "harvest_p95_ms": _ms(_percentile(harvest_timings, 0.95)),
        "top20_cpu_p50_ms": _ms(statistics.median(CPU_TIMINGS["top20"])),
        "top20_cpu_p95_ms": _ms(_percentile(CPU_TIMINGS["top20"], 0.95)),
        "harvest_cpu_p50_ms": _ms(statistics.median(CPU_TIMINGS["harvest"])),
        "harvest_cpu_p95_ms": _ms(_percentile(CPU_TIMINGS["harvest"], 0.95)),
        "load_average": round(os.getloadavg()[0], 1),
        "baseline_top20_p50_ms": _ms(statistics.median(baseline_top20)),
        "baseline_harvest_p50_ms": _ms(statistics.median(baseline_harvest)),
        "top20_ratio": round(statistics.median(baseline_top20) / top20_p50, 1),
        "harvest_ratio": round(statistics.median(baseline_harvest) / harvest_p50, 1),
    }
