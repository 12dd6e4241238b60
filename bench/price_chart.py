"""Scenario: the price board's chart — one produce × one province × one kind over one year —
with ``size`` price reports in the table (default 10,000,000).

Reports are written directly (PostgreSQL: ``generate_series``; SQLite: executemany) over the
two years before the chart's last day: produce and province drawn with a square-law skew,
so a few series (a lychee of Bắc Giang) are reported far more often than most, prices
around a base per produce in steps of 500 đồng, 1 % flagged (left out of the statistics).
The daily statistics are then computed (timed): on SQLite by the service that keeps them
(``daily_statistics_refresh``, a week at a time); on PostgreSQL by one set-based INSERT per
60 days with the service's rules, since the service's row-by-row write of millions of
statistics would take hours. Measured: ``chart_series`` as
``/gia/du-lieu.json`` calls it (reads the daily statistics), and the baseline, the same
answer computed from the reports (min, max, modal per day in grouped queries), checked
equal, over the busiest series and 19 others. A database that already holds the reports is
reused.
"""

from __future__ import annotations

import datetime
import random
import statistics
import time
from typing import Any

NAME = "price_chart"
DEFAULT_SIZE = 10_000_000
SEED = 20260601
LAST_DAY = datetime.date(2026, 6, 1)
DAYS = 730
BATCH = 500_000
KINDS = ["farm_gate", "wholesale", "retail"]

POSTGRES_BATCH = """
INSERT INTO prices_pricereport (
    produce_type_id, province_id, commune_id, market_name, kind, price_vnd, reported_on,
    status, usual_price_vnd, source, source_reference, reported_by_id, reviewed_by_id,
    created_at)
SELECT p.id, v.id, NULL, '', s.kind,
    greatest(500, (p.base + (floor(random() * 21)::int - 10) * 500)), s.day,
    CASE WHEN random() < 0.01 THEN 'flagged' ELSE 'accepted' END, NULL, 'imported', '',
    NULL, NULL, now()
FROM (
    SELECT 1 + floor(%(produce)s * random() ^ 2)::int AS produce_number,
        1 + floor(%(provinces)s * random() ^ 2)::int AS province_number,
        (ARRAY['farm_gate', 'wholesale', 'retail'])[1 + floor(random() * 3)::int] AS kind,
        %(first)s::date + floor(random() * %(days)s)::int AS day
    FROM generate_series(1, %(rows)s)
) AS s
JOIN bench_produce AS p ON p.number = s.produce_number
JOIN bench_provinces AS v ON v.number = s.province_number
"""


def _generate(count: int, rng: random.Random) -> None:
    from django.db import connection, transaction

    from nongsan.catalog.models import ProduceType
    from nongsan.geo.models import AdministrativeUnit

    first = LAST_DAY - datetime.timedelta(days=DAYS - 1)
    produce = list(ProduceType.objects.order_by("pk").values_list("pk", flat=True))
    provinces = list(
        AdministrativeUnit.objects.current()
        .filter(level="province")
        .order_by("code")
        .values_list("pk", flat=True)
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.601)")
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS bench_produce AS SELECT row_number()"
                " OVER (ORDER BY id) AS number, id, 10000 + mod(id, 12) * 5000 AS base"
                " FROM catalog_producetype"
            )
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS bench_provinces AS SELECT row_number()"
                " OVER (ORDER BY code) AS number, id FROM geo_administrativeunit"
                " WHERE level = 'province' AND valid_until IS NULL"
            )
            for offset in range(0, count, BATCH):
                with transaction.atomic():
                    cursor.execute(
                        POSTGRES_BATCH,
                        {
                            "produce": len(produce),
                            "provinces": len(provinces),
                            "first": first,
                            "days": DAYS,
                            "rows": min(BATCH, count - offset),
                        },
                    )
            cursor.execute("ANALYZE prices_pricereport")
        return
    columns = (
        "produce_type_id, province_id, market_name, kind, price_vnd, reported_on, status,"
        " source, source_reference, created_at"
    )
    sql = f"INSERT INTO prices_pricereport ({columns}) VALUES ({', '.join(['%s'] * 10)})"  # noqa: S608 - constant
    now = datetime.datetime.now(datetime.UTC).isoformat()
    for offset in range(0, count, BATCH):
        rows = []
        for _index in range(min(BATCH, count - offset)):
            produce_id = produce[int(len(produce) * rng.random() ** 2)]
            base = 10000 + (produce_id % 12) * 5000
            rows.append(
                (
                    produce_id, provinces[int(len(provinces) * rng.random() ** 2)],
                    "", rng.choice(KINDS), max(500, base + rng.randint(-10, 10) * 500),
                    first + datetime.timedelta(days=rng.randrange(DAYS)),
                    "flagged" if rng.random() < 0.01 else "accepted", "imported", "", now,
                )
            )  # fmt: skip
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)


STATISTICS_SQL = """
INSERT INTO prices_dailypricestatistic (
    produce_type_id, province_id, kind, day, minimum_vnd, maximum_vnd, mean_vnd, modal_vnd,
    report_count)
SELECT produce_type_id, province_id, kind, reported_on, min(price_vnd), max(price_vnd),
    round(avg(price_vnd)), mode() WITHIN GROUP (ORDER BY price_vnd), count(*)
FROM prices_pricereport
WHERE status IN ('accepted', 'confirmed') AND reported_on BETWEEN %(first)s AND %(last)s
GROUP BY produce_type_id, province_id, kind, reported_on
"""


def _statistics_in_sql(first: datetime.date) -> None:
    """The daily statistics of ten million reports, set-based, by the rules of
    ``daily_statistics_refresh`` (mean rounded half up, the modal the lowest of the most
    frequent prices): the service's row-by-row write would take hours here. The answers are
    checked against the reports below (``same_answer``)."""
    from django.db import connection, transaction

    for offset in range(0, DAYS, 60):
        start = first + datetime.timedelta(days=offset)
        end = min(first + datetime.timedelta(days=DAYS - 1), start + datetime.timedelta(days=59))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(STATISTICS_SQL, {"first": start, "last": end})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE prices_dailypricestatistic")


def chart_from_reports(
    *, produce_type: Any, provinces: list[Any], kind: str, date_from: Any, date_to: Any
) -> dict[str, Any]:
    """The baseline: ``chart_series``'s answer computed from the reports themselves."""
    from django.db.models import Count, Max, Min

    from nongsan.prices.models import COUNTED_STATUSES, PriceReport

    counted = PriceReport.objects.filter(
        produce_type=produce_type,
        province__in=provinces,
        kind=kind,
        reported_on__gte=date_from,
        reported_on__lte=date_to,
        status__in=COUNTED_STATUSES,
    )
    keys = ("province_id", "reported_on")
    summary = list(
        counted.values(*keys).annotate(low=Min("price_vnd"), high=Max("price_vnd")).order_by()
    )
    modal: dict[tuple[Any, ...], int] = {}
    for row in (
        counted.values(*keys, "price_vnd")
        .annotate(times=Count("pk"))
        .order_by(*keys, "-times", "price_vnd")
    ):
        modal.setdefault((row["province_id"], row["reported_on"]), row["price_vnd"])
    days = sorted({row["reported_on"] for row in summary})
    index = {day: position for position, day in enumerate(days)}
    series = {
        province.pk: {
            "province": province.code,
            "name": province.name,
            "modal": [None] * len(days),
            "minimum": [None] * len(days),
            "maximum": [None] * len(days),
        }
        for province in provinces
    }
    for row in summary:
        entry: dict[str, Any] = series[row["province_id"]]
        position = index[row["reported_on"]]
        entry["modal"][position] = modal[(row["province_id"], row["reported_on"])]
        entry["minimum"][position] = row["low"]
        entry["maximum"][position] = row["high"]
    return {
        "produce": produce_type.slug,
        "produce_name": produce_type.name_vi,
        "kind": kind,
        "days": [day.isoformat() for day in days],
        "series": list(series.values()),
    }


def _p95(timings: list[float]) -> float:
    return round(sorted(timings)[max(0, int(len(timings) * 0.95 + 0.5) - 1)] * 1000, 1)


def run(*, size: int | None = None, seed: int = SEED) -> dict[str, Any]:
    from django.db import connection

    from nongsan.catalog.models import ProduceType
    from nongsan.catalog.produce_types import produce_types_load
    from nongsan.geo.models import AdministrativeUnit
    from nongsan.prices.models import DailyPriceStatistic, PriceReport
    from nongsan.prices.selectors import chart_series
    from nongsan.prices.services import daily_statistics_refresh

    size = size or DEFAULT_SIZE
    rng = random.Random(seed)
    produce_types_load()
    started = time.perf_counter()
    missing = size - PriceReport.objects.count()
    if missing > 0:
        _generate(missing, rng)
        DailyPriceStatistic.objects.all().delete()
    seed_seconds = time.perf_counter() - started
    began = time.perf_counter()
    first = LAST_DAY - datetime.timedelta(days=DAYS - 1)
    if DailyPriceStatistic.objects.filter(day__gte=LAST_DAY).count() == 0:
        DailyPriceStatistic.objects.all().delete()
        if connection.vendor == "postgresql":
            _statistics_in_sql(first)
        else:
            for offset in range(0, DAYS, 7):
                days = [first + datetime.timedelta(days=offset + day) for day in range(7)]
                daily_statistics_refresh(days=[day for day in days if day <= LAST_DAY])
    statistics_seconds = time.perf_counter() - began

    produce = list(ProduceType.objects.order_by("pk"))
    provinces = list(AdministrativeUnit.objects.current().filter(level="province").order_by("code"))
    # The busiest series (first produce, first province in the skew) and 19 drawn at random.
    series = [(produce[0], provinces[0], "farm_gate")] + [
        (rng.choice(produce), rng.choice(provinces), rng.choice(KINDS)) for _index in range(19)
    ]
    year = {"date_from": LAST_DAY - datetime.timedelta(days=364), "date_to": LAST_DAY}
    chart_timings: list[float] = []
    raw_timings: list[float] = []
    same = True
    busiest = {}
    for number, (produce_type, province, kind) in enumerate(series):
        arguments: dict[str, Any] = {
            "produce_type": produce_type, "provinces": [province], "kind": kind, **year
        }  # fmt: skip
        for _round in range(3):
            began = time.perf_counter()
            chart = chart_series(**arguments)
            chart_timings.append(time.perf_counter() - began)
            began = time.perf_counter()
            raw = chart_from_reports(**arguments)
            raw_timings.append(time.perf_counter() - began)
        same = same and chart == raw
        if number == 0:
            busiest = {
                "busiest_series_reports_in_year": PriceReport.objects.filter(
                    produce_type=produce_type,
                    province=province,
                    kind=kind,
                    reported_on__gte=year["date_from"],
                ).count(),
                "busiest_chart_ms": round(min(chart_timings) * 1000, 1),
                "busiest_baseline_ms": round(min(raw_timings) * 1000, 1),
            }
    return {
        "scenario": NAME,
        "database": connection.vendor,
        "price_reports": PriceReport.objects.count(),
        "daily_statistics": DailyPriceStatistic.objects.count(),
        "seed_seconds": round(seed_seconds, 1),
        "statistics_seconds": round(statistics_seconds, 1),
        "charts": len(chart_timings),
        "median_ms": round(statistics.median(chart_timings) * 1000, 1),
        "p95_ms": _p95(chart_timings),
        "baseline_median_ms": round(statistics.median(raw_timings) * 1000, 1),
        "baseline_p95_ms": _p95(raw_timings),
        "ratio_median": round(statistics.median(raw_timings) / statistics.median(chart_timings), 1),
        "ratio_p95": round(_p95(raw_timings) / _p95(chart_timings), 1),
        "same_answer": same,
        **busiest,
    }
