"""Scenario: programme dashboards over ``size`` households and twice as many orders.

Default 10,000,000 households and 20,000,000 orders (the issue's scale); ``--size`` sets the
households. Rows are written straight into the tables with ``generate_series`` on
PostgreSQL (spread over the 3,321 current communes, registered over the last 18 months,
orders over the last 12, a third of the households with a listing), then the roll-up is
rebuilt once (its time is printed). Timed, each 30 times:

- national dashboard data, as the page reads it (``dashboard_figures`` and ``freshness``):
  every indicator for the nation and the headline indicator with its target for each of the
  34 provinces, for the current quarter;
- provincial dashboard data: the same for a province and its communes;
- baseline, in the same run: the households registered, households with a first sale, active
  sellers, orders, delivered orders and gross sales per province (national) or per commune
  (provincial) by GROUP BY over the raw tables — a subset of the figures, so the ratio is a
  lower bound of what the roll-up saves;
- keeping the roll-up current: the scheduled rebuild is the contract (decision 0022), so its
  cost per order is the rebuild's time over the orders it counted.

PostgreSQL only (``--database-url postgres://...``): SQLite has no generate_series.
"""

from __future__ import annotations

import datetime
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

NAME = "programme_dashboards"
DEFAULT_SIZE = 10_000_000
SEED = 20260701
ROUNDS = 30
HISTORY_MONTHS = 18
ORDER_MONTHS = 12


def _timed(function: Callable[[], Any], rounds: int = ROUNDS) -> tuple[float, float]:
    timings = []
    for _ in range(rounds):
        began = time.perf_counter()
        function()
        timings.append(time.perf_counter() - began)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return statistics.median(timings) * 1000, p95 * 1000


def _generate(cursor: Any, households: int, now: datetime.datetime) -> None:
    """Households, checkouts, orders and listings written by the database itself."""
    cursor.execute(
        "CREATE TEMP TABLE bench_communes AS SELECT row_number() OVER (ORDER BY id) - 1 AS n,"
        " id, province_id FROM geo_administrativeunit"
        " WHERE level = 'commune' AND valid_until IS NULL"
    )
    # Without statistics and a key the planner joins millions of rows to it in a loop.
    cursor.execute("CREATE UNIQUE INDEX ON bench_communes (n)")
    cursor.execute("ANALYZE bench_communes")
    cursor.execute("SELECT count(*) FROM bench_communes")
    communes = cursor.fetchone()[0]
    cursor.execute("SELECT coalesce(max(id), 0) FROM producers_household")
    first_household = cursor.fetchone()[0] + 1
    history_seconds = HISTORY_MONTHS * 30 * 86400
    cursor.execute(
        "INSERT INTO producers_household (id, head_name, head_name_folded, phone,"
        " citizen_id_encrypted, citizen_id_index, citizen_id_masked, province_id, commune_id,"
        " address_as_written, village, village_folded, main_produce, bank_bin,"
        " bank_account_number, bank_account_holder, status, registered_via,"
        " external_reference, created_at, updated_at)"
        " SELECT %s + g - 1, 'Hộ ' || g, 'ho ' || g, '', '', '', '', c.province_id, c.id,"
        " '', '', '', '', '', '', '', 'active', 'demo', '',"
        " %s - make_interval(secs => (g::bigint * 7919) %% %s), %s"
        " FROM generate_series(1, %s) g JOIN bench_communes c ON c.n = g %% %s",
        [first_household, now, history_seconds, now, households, communes],
    )
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence('producers_household', 'id'),"
        " (SELECT max(id) FROM producers_household))"
    )
    orders = households * 2
    cursor.execute("SELECT coalesce(max(id), 0) FROM orders_checkout")
    first_checkout = cursor.fetchone()[0] + 1
    order_seconds = ORDER_MONTHS * 30 * 86400
    cursor.execute(
        "INSERT INTO orders_checkout (id, buyer_name, buyer_phone, delivery_address,"
        " delivery_province_id, delivery_commune_id, payment_method, created_at)"
        " SELECT %s + g - 1, 'Người mua', '+84900000000', 'Hà Nội', c.province_id, c.id,"
        " 'cod', %s - make_interval(secs => (g::bigint * 104729) %% %s)"
        " FROM generate_series(1, %s) g JOIN bench_communes c ON c.n = (g::bigint * 31) %% %s",
        [first_checkout, now, order_seconds, orders, communes],
    )
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence('orders_checkout', 'id'),"
        " (SELECT max(id) FROM orders_checkout))"
    )
    # Seller: household k = (g * 7) mod households, whose commune is (k + 1) mod communes.
    cursor.execute(
        "INSERT INTO orders_order (reference, checkout_id, buyer_phone, household_id,"
        " province_id, commune_id, delivery_province_id, delivery_commune_id, status,"
        " payment_method, payment_status, shipping_service, goods_vnd, shipping_vnd,"
        " total_vnd, placed_at, status_changed_at, escalation_level)"
        " SELECT 'B' || lpad(ch.id::text, 14, '0'), ch.id, ch.buyer_phone, %s + s.k,"
        " c.province_id, c.id, ch.delivery_province_id, ch.delivery_commune_id,"
        " CASE WHEN ch.id %% 20 < 14 THEN 'completed' WHEN ch.id %% 20 < 16 THEN 'delivered'"
        " WHEN ch.id %% 20 < 18 THEN 'cancelled' ELSE 'placed' END,"
        " 'cod', 'unpaid', 'standard', 50000 + (ch.id %% 50) * 10000, 20000 + (ch.id %% 7) * 5000,"
        " 70000 + (ch.id %% 50) * 10000 + (ch.id %% 7) * 5000, ch.created_at, ch.created_at, 0"
        " FROM orders_checkout ch"
        " CROSS JOIN LATERAL (SELECT (ch.id::bigint * 7) %% %s AS k) s"
        " JOIN bench_communes c ON c.n = (s.k + 1) %% %s"
        " WHERE ch.id >= %s",
        [first_household, households, communes, first_checkout],
    )
    cursor.execute("SELECT id FROM catalog_producetype ORDER BY id LIMIT 1")
    produce = cursor.fetchone()[0]
    cursor.execute(
        "INSERT INTO catalog_listing (household_id, province_id, commune_id, produce_type_id,"
        " title, description, title_folded, produce_folded, description_folded,"
        " search_document, price_vnd, unit, stock_quantity, minimum_order_quantity,"
        " available_from, available_until, growing_area_code, status, created_at, updated_at,"
        " published_at)"
        " SELECT h.id, h.province_id, h.commune_id, %s, 'Vải', '', 'vai', 'vai', '', 'vai',"
        " 40000, 'kg', 100, 1, %s, %s, '', 'active', h.created_at, h.created_at,"
        " h.created_at + interval '3 days'"
        " FROM producers_household h WHERE h.id >= %s AND h.id %% 3 = 0",
        [produce, now.date(), (now + datetime.timedelta(days=90)).date(), first_household],
    )
    cursor.execute("ANALYZE")


def _baseline(unit_column: str, unit_filter: str, params: list[Any], start: Any, end: Any) -> Any:
    from django.db import connection

    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {unit_column}, count(*) FROM producers_household"  # noqa: S608
                f" WHERE status <> 'merged' AND created_at < %s {unit_filter} GROUP BY 1",
                [end, *params],
            )
            cursor.fetchall()
            cursor.execute(
                f"SELECT {unit_column}, count(*), count(*) FILTER (WHERE status IN"  # noqa: S608
                " ('delivered', 'completed')), sum(goods_vnd) FILTER (WHERE status IN"
                " ('delivered', 'completed')) FROM orders_order"
                f" WHERE placed_at >= %s AND placed_at < %s {unit_filter} GROUP BY 1",
                [start, end, *params],
            )
            cursor.fetchall()
            cursor.execute(
                f"SELECT {unit_column}, count(DISTINCT household_id) FROM orders_order"  # noqa: S608
                " WHERE status IN ('delivered', 'completed') AND placed_at < %s"
                f" {unit_filter} GROUP BY 1",
                [end, *params],
            )
            cursor.fetchall()
            cursor.execute(
                f"SELECT {unit_column}, count(DISTINCT household_id) FROM orders_order"  # noqa: S608
                " WHERE status IN ('delivered', 'completed') AND placed_at >= %s"
                f" AND placed_at < %s {unit_filter} GROUP BY 1",
                [end - datetime.timedelta(days=90), end, *params],
            )
            cursor.fetchall()

    return run


def run(*, size: int | None = None, seed: int = SEED) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from nongsan.catalog.produce_types import produce_types_load
    from nongsan.geo.models import AdministrativeUnit
    from nongsan.orders.models import Order
    from nongsan.producers.models import Household
    from nongsan.programme import rollup, selectors
    from nongsan.programme.periods import PeriodKind, period_of

    if connection.vendor != "postgresql":
        return {"scenario": NAME, "skipped": "PostgreSQL only (--database-url postgres://...)"}
    size = size or DEFAULT_SIZE
    rng = random.Random(seed)
    produce_types_load()
    now = timezone.now()
    started = time.perf_counter()
    if not Household.objects.exists():
        with connection.cursor() as cursor:
            _generate(cursor, size, now)
    generate_seconds = time.perf_counter() - started
    households = Household.objects.count()
    orders = Order.objects.count()
    started = time.perf_counter()
    run_row = rollup.rollup_rebuild()
    rebuild_seconds = time.perf_counter() - started

    period = period_of(PeriodKind.QUARTER, timezone.localdate())
    span = selectors.span_of(period)
    indicators = list(selectors.indicator_list())
    headline = [next(i for i in indicators if i.code == "households_first_sale")]
    from nongsan.onboarding.models import Channel

    channels = list(Channel.objects.filter(is_active=True).order_by("position", "code"))
    provinces = list(AdministrativeUnit.objects.current().filter(level="province"))

    def national() -> None:
        selectors.dashboard_figures(
            parent=None,
            span=span,
            indicators=indicators,
            row_indicators=headline,
            channels=channels,
        )
        selectors.freshness()

    def provincial() -> None:
        selectors.dashboard_figures(
            parent=rng.choice(provinces),
            span=span,
            indicators=indicators,
            row_indicators=headline,
            channels=channels,
        )
        selectors.freshness()

    start = datetime.datetime.combine(period.start, datetime.time(), tzinfo=rollup.VIETNAM)
    end = datetime.datetime.combine(
        period.end + datetime.timedelta(days=1), datetime.time(), tzinfo=rollup.VIETNAM
    )
    national_p50, national_p95 = _timed(national)
    provincial_p50, provincial_p95 = _timed(provincial)
    base_national_p50, base_national_p95 = _timed(
        _baseline("province_id", "", [], start, end), rounds=3
    )
    province = provinces[0]
    base_provincial_p50, base_provincial_p95 = _timed(
        _baseline("commune_id", "AND province_id = %s", [province.pk], start, end), rounds=3
    )
    import os

    return {
        "scenario": NAME,
        "database": connection.vendor,
        "load_average_1m": round(os.getloadavg()[0], 1),
        "households": households,
        "orders": orders,
        "generate_seconds": round(generate_seconds, 1),
        "rollup_rebuild_seconds": round(rebuild_seconds, 1),
        "rollup_rows": run_row.rows,
        "national_p50_ms": round(national_p50, 1),
        "national_p95_ms": round(national_p95, 1),
        "provincial_p50_ms": round(provincial_p50, 1),
        "provincial_p95_ms": round(provincial_p95, 1),
        "baseline_national_p50_ms": round(base_national_p50, 1),
        "baseline_national_p95_ms": round(base_national_p95, 1),
        "baseline_provincial_p50_ms": round(base_provincial_p50, 1),
        "baseline_provincial_p95_ms": round(base_provincial_p95, 1),
        "ratio_national": round(base_national_p50 / national_p50, 1),
        "ratio_provincial": round(base_provincial_p50 / provincial_p50, 1),
        # No per-order hook: the scheduled rebuild keeps the roll-up current, so its cost per
        # order is the rebuild's time spread over the orders it counted.
        "rollup_rebuild_ms_per_order": round(rebuild_seconds * 1000 / max(orders, 1), 3),
    }
