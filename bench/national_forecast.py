"""Scenario: the national supply forecast (every produce × 34 provinces × 12 weeks) over
``size`` harvest announcements (default 1,000,000).

Households come from ``nongsan.producers.demo`` (20,000, spread over the communes); the
announcements are written directly (PostgreSQL: ``generate_series``; SQLite: executemany),
their windows 7–42 days long, starting from 120 days before to 240 days after the forecast's
Monday, a sixth of them harvested and a sixth lost. The weekly roll-up is then rebuilt
(``weekly_supply_rebuild``, timed). Measured: ``supply_forecast`` as the pages and the API
call it (the roll-up), and the baseline, the same answer from the announcements
(``use_rollup=False``), checked equal; and what the roll-up costs a write
(``harvest_announce`` keeps it). A database that already holds the announcements is reused.
"""

from __future__ import annotations

import datetime
import random
import statistics
import time
from decimal import Decimal
from typing import Any

NAME = "national_forecast"
DEFAULT_SIZE = 1_000_000
HOUSEHOLDS = 20_000
SEED = 20260601
TODAY = datetime.date(2026, 6, 1)
FIRST_START = TODAY - datetime.timedelta(days=120)
SPAN_DAYS = 360
BATCH = 250_000
STATUSES = ["announced", "announced", "confirmed", "revised", "harvested", "lost"]

POSTGRES_BATCH = """
INSERT INTO harvests_harvestannouncement (
    household_id, province_id, commune_id, produce_type_id, planting_id,
    harvest_from, harvest_until, harvest_from_ordinal, harvest_until_ordinal,
    tonnes, status, loss_reason, note, created_by_id, created_at, updated_at)
SELECT h.id, h.province_id, h.commune_id, p.id, NULL,
    s.start, s.start + s.length, (s.start - DATE '0001-01-01') + 1,
    (s.start + s.length - DATE '0001-01-01') + 1,
    s.tonnes, s.status, CASE WHEN s.status = 'lost' THEN 'weather' ELSE '' END, '',
    %(user)s, now(), now()
FROM (
    SELECT 1 + floor(random() * %(households)s)::int AS household_number,
        1 + floor(random() * %(produce)s)::int AS produce_number,
        %(first)s::date + floor(random() * %(span)s)::int AS start,
        6 + floor(random() * 36)::int AS length,
        round((0.5 + random() * 29.5)::numeric, 3) AS tonnes,
        (ARRAY['announced', 'announced', 'confirmed', 'revised', 'harvested', 'lost'])[
            1 + floor(random() * 6)::int] AS status
    FROM generate_series(1, %(rows)s)
) AS s
JOIN bench_households AS h ON h.number = s.household_number
JOIN bench_produce AS p ON p.number = s.produce_number
"""


def _generate(count: int, user_id: int, rng: random.Random) -> None:
    from django.db import connection, transaction

    from nongsan.catalog.models import ProduceType
    from nongsan.producers.models import Household

    households = list(
        Household.objects.order_by("pk").values_list("pk", "province_id", "commune_id")
    )
    produce = list(ProduceType.objects.order_by("pk").values_list("pk", flat=True))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.2026)")
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS bench_households AS SELECT row_number()"
                " OVER (ORDER BY id) AS number, id, province_id, commune_id"
                " FROM producers_household"
            )
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS bench_produce AS SELECT row_number()"
                " OVER (ORDER BY id) AS number, id FROM catalog_producetype"
            )
            for offset in range(0, count, BATCH):
                with transaction.atomic():
                    cursor.execute(
                        POSTGRES_BATCH,
                        {
                            "user": user_id,
                            "households": len(households),
                            "produce": len(produce),
                            "first": FIRST_START,
                            "span": SPAN_DAYS,
                            "rows": min(BATCH, count - offset),
                        },
                    )
            cursor.execute("ANALYZE harvests_harvestannouncement")
        return
    columns = (
        "household_id, province_id, commune_id, produce_type_id, harvest_from, harvest_until,"
        " harvest_from_ordinal, harvest_until_ordinal, tonnes, status, loss_reason, note,"
        " created_by_id, created_at, updated_at"
    )
    sql = f"INSERT INTO harvests_harvestannouncement ({columns}) VALUES ({', '.join(['%s'] * 15)})"  # noqa: S608 - constant
    now = datetime.datetime.now(datetime.UTC).isoformat()
    for offset in range(0, count, BATCH):
        rows = []
        for _index in range(min(BATCH, count - offset)):
            household_id, province_id, commune_id = rng.choice(households)
            start = FIRST_START + datetime.timedelta(days=rng.randrange(SPAN_DAYS))
            end = start + datetime.timedelta(days=rng.randint(6, 41))
            status = rng.choice(STATUSES)
            rows.append(
                (
                    household_id, province_id, commune_id, rng.choice(produce), start, end,
                    start.toordinal(), end.toordinal(),
                    str(Decimal(rng.randint(500, 30000)) / 1000), status,
                    "weather" if status == "lost" else "", "", user_id, now, now,
                )
            )  # fmt: skip
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def _timed(function: Any, repeat: int) -> tuple[list[float], Any]:
    timings, result = [], None
    for _round in range(repeat):
        began = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - began)
    timings.sort()
    return timings, result


def _p95(timings: list[float]) -> float:
    return round(timings[max(0, int(len(timings) * 0.95 + 0.5) - 1)] * 1000, 1)


def run(*, size: int | None = None, seed: int = SEED) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection

    from nongsan.accounts.models import User
    from nongsan.catalog.models import ProduceType
    from nongsan.catalog.produce_types import produce_types_load
    from nongsan.harvests.models import HarvestAnnouncement, WeeklySupply
    from nongsan.harvests.rollup import weekly_supply_rebuild
    from nongsan.harvests.selectors import forecast_series, supply_forecast
    from nongsan.harvests.services import harvest_announce
    from nongsan.producers.demo import seed_households
    from nongsan.producers.models import Household
    from nongsan.producers.personal_data import development_keys

    size = size or DEFAULT_SIZE
    if not getattr(settings, "PERSONAL_DATA_KEYS", None):
        keys, index_key = development_keys("bench")
        settings.PERSONAL_DATA_KEYS = keys
        settings.PERSONAL_DATA_INDEX_KEY = index_key
    rng = random.Random(seed)
    produce_types_load()
    user, _created = User.objects.get_or_create(
        phone="+84900009001", defaults={"is_staff": True, "is_superuser": True}
    )
    started = time.perf_counter()
    missing_households = HOUSEHOLDS - Household.objects.count()
    if missing_households > 0:
        seed_households(rng, missing_households)
    missing = size - HarvestAnnouncement.objects.count()
    if missing > 0:
        _generate(missing, user.pk, rng)
    seed_seconds = time.perf_counter() - started
    rebuild_seconds = None
    if not WeeklySupply.objects.exists():  # kept by the services once built
        began = time.perf_counter()
        weekly_supply_rebuild()
        rebuild_seconds = round(time.perf_counter() - began, 1)

    rolled_timings, rolled = _timed(lambda: supply_forecast(today=TODAY, weeks=12), 30)
    raw_timings, raw = _timed(lambda: supply_forecast(today=TODAY, weeks=12, use_rollup=False), 5)
    differences = [
        abs(mine.expected_tonnes - theirs.expected_tonnes)
        for mine, theirs in zip(rolled, raw, strict=True)
    ]
    same_households = all(
        (mine.produce_type_id, mine.province_id, mine.week_start, mine.households)
        == (theirs.produce_type_id, theirs.province_id, theirs.week_start, theirs.households)
        for mine, theirs in zip(rolled, raw, strict=True)
    )
    # What /api/v1/forecasts/ answers without parameters: one series of 12 weeks per produce
    # (one GROUP BY over the roll-up), against the same series added up from the rows.
    series_timings, series = _timed(lambda: forecast_series(today=TODAY, weeks=12), 30)

    def national_from_rows() -> dict[int, list[Decimal]]:
        totals: dict[int, list[Decimal]] = {}
        for row in supply_forecast(today=TODAY, weeks=12):
            weeks = totals.setdefault(row.produce_type_id, [Decimal(0)] * 12)
            index = (row.week_start - TODAY).days // 7
            weeks[index] += row.expected_tonnes
        return totals

    series_raw_timings, from_rows = _timed(national_from_rows, 10)
    same_series = {
        item.produce_type_id: item.expected_tonnes for item in series if any(item.expected_tonnes)
    } == {key: weeks for key, weeks in from_rows.items() if any(weeks)}
    # What a produce's page asks: one produce × 34 provinces × 12 weeks.
    lychee = ProduceType.objects.get(slug="vai-thieu")
    one_timings, _rows = _timed(
        lambda: supply_forecast(today=TODAY, weeks=12, produce_type=lychee), 30
    )
    one_raw_timings, _rows = _timed(
        lambda: supply_forecast(today=TODAY, weeks=12, produce_type=lychee, use_rollup=False), 10
    )
    # What the roll-up costs a write: announcing one harvest, the service keeping it.
    household = Household.objects.order_by("pk").first()
    write_timings = []
    for day in range(10):
        began = time.perf_counter()
        assert household is not None  # noqa: S101 - made above
        harvest_announce(
            user=user, household=household, produce_type=lychee,
            harvest_from=TODAY + datetime.timedelta(days=day),
            harvest_until=TODAY + datetime.timedelta(days=day + 20), tonnes="5",
        )  # fmt: skip
        write_timings.append(time.perf_counter() - began)
    write_timings.sort()
    return {
        "scenario": NAME,
        "database": connection.vendor,
        "announcements": HarvestAnnouncement.objects.count(),
        "households": Household.objects.count(),
        "produce_types": ProduceType.objects.count(),
        "forecast_rows": len(rolled),
        "seed_seconds": round(seed_seconds, 1),
        "rollup_rows": WeeklySupply.objects.count(),
        "rollup_rebuild_seconds": rebuild_seconds,
        "median_ms": round(statistics.median(rolled_timings) * 1000, 1),
        "p95_ms": _p95(rolled_timings),
        "baseline_median_ms": round(statistics.median(raw_timings) * 1000, 1),
        "baseline_p95_ms": _p95(raw_timings),
        "ratio_median": round(
            statistics.median(raw_timings) / statistics.median(rolled_timings), 1
        ),
        "same_answer": same_households and max(differences, default=Decimal(0)) <= Decimal("0.001"),
        "max_tonnes_difference": str(max(differences, default=Decimal(0))),
        "national_series": len(series),
        "national_series_p95_ms": _p95(series_timings),
        "national_series_from_rows_p95_ms": _p95(series_raw_timings),
        "national_series_ratio_p95": round(_p95(series_raw_timings) / _p95(series_timings), 1),
        "national_series_same_answer": same_series,
        "one_produce_p95_ms": _p95(one_timings),
        "one_produce_baseline_p95_ms": _p95(one_raw_timings),
        "one_produce_ratio_p95": round(_p95(one_raw_timings) / _p95(one_timings), 1),
        "announce_with_rollup_median_ms": round(statistics.median(write_timings) * 1000, 1),
    }
