"""Building the roll-up (``Fact``) the dashboards read, and keeping it current.

``rollup_rebuild`` recomputes everything from the platform's tables with one grouped query
per measure (never a loop over households or orders), turns monthly changes into month,
quarter and year rows, rebuilds the crosswalk weights the legacy geography is read through,
adds the partner-reported figures, and swaps the rows in one transaction. Run it on a
schedule (``rollup_rebuild_task``, ``manage.py rebuild_programme_rollups``).

The scheduled rebuild is the contract: nothing updates the roll-up between rebuilds, so every
figure on a page is as of the "compiled at" time that page shows.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Cast, Coalesce, Greatest, TruncMonth
from django.utils import timezone

from nongsan.catalog.models import Listing
from nongsan.common.bulk_insert import insert_values
from nongsan.geo.models import LEGACY_LAST_DAY, UnitLevel, UnitSuccession
from nongsan.onboarding.models import (
    ACTIVE_SELLER_DAYS,
    STAGE_ORDER,
    STAGE_RANK,
    Attendance,
    ChannelStage,
    Stage,
    StageEvent,
    TrainingSession,
)
from nongsan.orders.models import Order, OrderEvent, OrderStatus
from nongsan.producers.models import (
    Certification,
    CertificationKind,
    ConsentPurpose,
    Household,
    HouseholdStatus,
)
from nongsan.producers.models.consent import Purpose
from nongsan.programme.crosswalk import lock_for_swap, weights_rebuild
from nongsan.programme.measures import LEVEL_MEASURES, Measure
from nongsan.programme.models import (
    CrosswalkWeight,
    Fact,
    Geography,
    PartnerFigure,
    RollupRun,
    Source,
)
from nongsan.programme.periods import PeriodKind, add_months, month_start, period_of

VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# Orders that count as a sale: the goods reached the buyer.
SOLD_STATUSES = (OrderStatus.DELIVERED, OrderStatus.COMPLETED)
# Key of a cell before its period: (measure, channel, province, commune).
Key = tuple[str, int | None, int, int | None]


def _month_of(field: str, *, is_date: bool = False) -> TruncMonth:
    if is_date:
        return TruncMonth(field, output_field=DateField())
    return TruncMonth(field, tzinfo=VIETNAM, output_field=DateField())


def _as_month(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date().replace(day=1)
    return month_start(value)


def _collect(
    deltas: dict[Key, dict[datetime.date, float]],
    measure: str,
    rows: Iterable[dict[str, Any]],
    *,
    sign: float = 1,
    value: str = "value",
) -> None:
    for row in rows:
        if row["month"] is None or row[value] is None:
            continue
        key = (measure, row.get("channel_id"), row["province_id"], row["commune_id"])
        month = _as_month(row["month"])
        deltas[key][month] = deltas[key].get(month, 0.0) + sign * float(row[value])


def _grouped(queryset: QuerySet[Any], month: Any, *, count: str = "pk") -> QuerySet[Any]:
    return (
        queryset.annotate(month=month)
        .values("month", "province_id", "commune_id")
        .annotate(value=Count(count))
        .order_by()
    )


def _first(queryset: QuerySet[Any], field: str, output: Any) -> Subquery:
    return Subquery(queryset.order_by(field).values(field)[:1], output_field=output)


def _households() -> QuerySet[Household]:
    return Household.objects.exclude(status=HouseholdStatus.MERGED)


def platform_deltas() -> dict[Key, dict[datetime.date, float]]:
    """Month by month, what changed (levels) or happened (flows), per commune, in the
    platform's own tables: one grouped query per measure."""
    deltas: dict[Key, dict[datetime.date, float]] = defaultdict(dict)
    _collect(
        deltas, Measure.HOUSEHOLDS_REGISTERED, _grouped(_households(), _month_of("created_at"))
    )
    consents = ConsentPurpose.objects.filter(purpose=Purpose.MARKETPLACE).exclude(
        household__status=HouseholdStatus.MERGED
    )
    given = consents.annotate(month=_month_of("record__given_at"))
    withdrawn = consents.filter(withdrawn_at__isnull=False).annotate(
        month=_month_of("withdrawn_at")
    )
    for sign, rows in ((1, given), (-1, withdrawn)):
        _collect(
            deltas,
            Measure.HOUSEHOLDS_WITH_CONSENT,
            rows.annotate(
                province_id=F("household__province_id"), commune_id=F("household__commune_id")
            )
            .values("month", "province_id", "commune_id")
            .annotate(value=Count("pk"))
            .order_by(),
            sign=sign,
        )
    attended = Attendance.objects.filter(household=OuterRef("pk"), attended=True)
    trained = (
        _households()
        .annotate(first_on=_first(attended, "session__held_on", DateField()))
        .filter(first_on__isnull=False)
    )
    _collect(
        deltas,
        Measure.HOUSEHOLDS_TRAINED,
        _grouped(trained, _month_of("first_on", is_date=True)),
    )
    account_rank = STAGE_RANK[Stage.ACCOUNT_CREATED]
    account_stages = [stage for stage in STAGE_ORDER if STAGE_RANK[stage] >= account_rank]
    reached = StageEvent.objects.filter(
        household=OuterRef("household"), channel=OuterRef("channel"), to_stage__in=account_stages
    )
    accounts = (
        ChannelStage.objects.filter(rank__gte=account_rank)
        .exclude(household__status=HouseholdStatus.MERGED)
        .annotate(first_on=Coalesce(_first(reached, "occurred_on", DateField()), F("reached_on")))
        .annotate(month=_month_of("first_on", is_date=True))
        .values("month", "province_id", "commune_id", "channel_id")
        .annotate(value=Count("pk"))
        .order_by()
    )
    _collect(deltas, Measure.HOUSEHOLDS_WITH_ACCOUNT, accounts)
    published = Listing.objects.filter(household=OuterRef("pk"), published_at__isnull=False)
    listed = (
        _households()
        .annotate(first_at=_first(published, "published_at", DateTimeField()))
        .filter(first_at__isnull=False)
    )
    _collect(deltas, Measure.HOUSEHOLDS_LISTED, _grouped(listed, _month_of("first_at")))
    sold = Order.objects.filter(household=OuterRef("pk"), status__in=SOLD_STATUSES)
    first_sale = (
        _households()
        .annotate(first_at=_first(sold, "placed_at", DateTimeField()))
        .filter(first_at__isnull=False)
    )
    _collect(deltas, Measure.HOUSEHOLDS_FIRST_SALE, _grouped(first_sale, _month_of("first_at")))
    _collect(
        deltas,
        Measure.PRODUCTS_LISTED,
        _grouped(Listing.objects.filter(published_at__isnull=False), _month_of("published_at")),
    )
    ocop = Certification.objects.filter(kind=CertificationKind.OCOP)
    _collect(deltas, Measure.OCOP_KNOWN, _grouped(ocop, _month_of("created_at")))
    holder_listings = Listing.objects.filter(published_at__isnull=False).filter(
        Q(household=OuterRef("household")) | Q(cooperative=OuterRef("cooperative"))
    )
    ocop_listed = (
        ocop.annotate(first_at=_first(holder_listings, "published_at", DateTimeField()))
        .filter(first_at__isnull=False)
        .annotate(listed_at=Greatest("created_at", "first_at"))
    )
    _collect(deltas, Measure.OCOP_LISTED, _grouped(ocop_listed, _month_of("listed_at")))
    is_sold = Q(status__in=SOLD_STATUSES)
    orders = (
        Order.objects.annotate(month=_month_of("placed_at"))
        .values("month", "province_id", "commune_id")
        .annotate(
            orders=Count("pk"),
            delivered=Count("pk", filter=is_sold),
            gross=Sum("goods_vnd", filter=is_sold),
            share=Sum(
                Cast("shipping_vnd", FloatField()) / Cast("goods_vnd", FloatField()),
                filter=is_sold & Q(goods_vnd__gt=0),
            ),
        )
        .order_by()
    )
    for row in orders:
        for measure, column in (
            (Measure.ORDERS, "orders"),
            (Measure.DELIVERED_ORDERS, "delivered"),
            (Measure.GROSS_SALES_VND, "gross"),
            (Measure.SHIPPING_SHARE_SUM, "share"),
        ):
            _collect(deltas, measure, [row], value=column)
    confirmed = OrderEvent.objects.filter(order=OuterRef("pk"), to_status=OrderStatus.CONFIRMED)
    unconfirmed = Order.objects.filter(
        status__in=[OrderStatus.PLACED, OrderStatus.CANCELLED]
    ).filter(~Exists(confirmed))
    _collect(deltas, Measure.UNCONFIRMED_ORDERS, _grouped(unconfirmed, _month_of("placed_at")))
    _collect(
        deltas,
        Measure.TRAINING_SESSIONS,
        _grouped(TrainingSession.objects.all(), _month_of("held_on", is_date=True)),
    )
    _collect(
        deltas,
        Measure.TRAINEES,
        _grouped(
            Attendance.objects.filter(attended=True), _month_of("session__held_on", is_date=True)
        ),
    )
    return deltas


def active_sellers_by_month(months: list[datetime.date]) -> dict[Key, dict[datetime.date, float]]:
    """Households with a sale in the 90 days up to each month's end (or ``today``), per
    commune: one grouped query per month over the orders of those 90 days."""
    levels: dict[Key, dict[datetime.date, float]] = defaultdict(dict)
    today = timezone.localdate()
    for month in months:
        last_day = min(add_months(month, 1) - datetime.timedelta(days=1), today)
        end = datetime.datetime.combine(
            last_day + datetime.timedelta(days=1), datetime.time(), tzinfo=VIETNAM
        )
        start = end - datetime.timedelta(days=ACTIVE_SELLER_DAYS)
        rows = (
            Order.objects.filter(
                status__in=SOLD_STATUSES,
                household__isnull=False,
                placed_at__gte=start,
                placed_at__lt=end,
            )
            .values("province_id", "commune_id")
            .annotate(value=Count("household", distinct=True))
            .order_by()
        )
        for row in rows:
            key = (Measure.ACTIVE_SELLERS.value, None, row["province_id"], row["commune_id"])
            levels[key][month] = float(row["value"])
    return levels


def _month_rows(
    deltas: dict[Key, dict[datetime.date, float]], last_month: datetime.date
) -> dict[Key, dict[datetime.date, float]]:
    """Levels become running totals carried to ``last_month``; flows stay as they are."""
    result: dict[Key, dict[datetime.date, float]] = {}
    for key, by_month in deltas.items():
        if key[0] not in LEVEL_MEASURES:
            result[key] = {month: value for month, value in by_month.items() if value}
            continue
        first = min(by_month)
        running = 0.0
        series: dict[datetime.date, float] = {}
        month = first
        while month <= last_month:
            running += by_month.get(month, 0.0)
            if running:
                series[month] = running
            month = add_months(month, 1)
        result[key] = series
    return result


def _period_rows(
    months: dict[Key, dict[datetime.date, float]], last_month: datetime.date
) -> list[tuple[Key, str, datetime.date, float]]:
    """Month rows plus quarter and year rows: flows summed, levels at the last month (or the
    latest month computed, for a period not over yet)."""
    rows: list[tuple[Key, str, datetime.date, float]] = []
    for key, series in months.items():
        is_level = key[0] in LEVEL_MEASURES
        for kind in (PeriodKind.QUARTER, PeriodKind.YEAR):
            totals: dict[datetime.date, float] = defaultdict(float)
            for month, value in series.items():
                period = period_of(kind, month)
                if is_level:
                    if month == min(period.last_month, last_month):
                        totals[period.start] = value
                else:
                    totals[period.start] += value
            rows.extend((key, kind, start, value) for start, value in totals.items() if value)
        rows.extend((key, PeriodKind.MONTH, month, value) for month, value in series.items())
    return rows


def _fact(
    key: Key, kind: str, start: datetime.date, value: float, *, source: str = Source.PLATFORM
) -> dict[str, Any]:
    measure, channel, province, commune = key
    return {
        "geography": Geography.CURRENT,
        "period_kind": kind,
        "period_start": start,
        "province_id": province,
        "commune_id": commune,
        "channel_id": channel,
        "measure": measure,
        "source": source,
        "value": value,
        "estimated": False,
        "estimated_province": False,
        "is_carried": False,
        "level": "commune" if commune is not None else "province",
    }


def partner_rows(last_month: datetime.date) -> list[dict[str, Any]]:
    """Partner-reported figures as roll-up rows, in both geographies.

    A figure filed against a current unit is read as filed in today's geography and shared
    back into legacy communes like the platform's (when it names a commune). One filed against
    a legacy unit is kept as filed in the legacy geography and carried forward: a legacy
    commune through the forward shares (estimated when it was split), a legacy province wholly
    into its successor province.
    """
    forward: dict[int, list[tuple[int, int, float, bool, bool]]] = defaultdict(list)
    for weight in CrosswalkWeight.objects.values_list(
        "legacy_commune_id",
        "current_commune_id",
        "current_province_id",
        "forward_share",
        "forward_estimated",
        "forward_estimated_province",
    ):
        forward[weight[0]].append(weight[1:])
    province_successor = dict(
        UnitSuccession.objects.filter(
            predecessor__level=UnitLevel.PROVINCE,
            successor__level=UnitLevel.PROVINCE,
            predecessor__valid_until=LEGACY_LAST_DAY,
        ).values_list("predecessor_id", "successor_id")
    )
    current: dict[Key, dict[datetime.date, float]] = defaultdict(dict)
    carried: dict[Key, dict[datetime.date, float]] = defaultdict(dict)
    legacy: dict[Key, dict[datetime.date, float]] = defaultdict(dict)
    flags: dict[tuple[Key, datetime.date], tuple[bool, bool]] = {}
    figures = PartnerFigure.objects.values(
        "indicator__measure",
        "channel_id",
        "province_id",
        "commune_id",
        "month",
        "value",
        "unit_id",
        "unit__level",
        "unit__province_id",
        "unit__valid_until",
    )
    key: Key
    target: Key
    for figure in figures:
        measure, channel, month = (
            figure["indicator__measure"],
            figure["channel_id"],
            figure["month"],
        )
        value = float(figure["value"])
        if figure["unit__valid_until"] is None:
            key = (measure, channel, figure["province_id"], figure["commune_id"])
            current[key][month] = current[key].get(month, 0.0) + value
            continue
        # Filed against a legacy unit: kept as filed in the legacy geography.
        if figure["unit__level"] == UnitLevel.PROVINCE:
            key = (measure, channel, figure["unit_id"], None)
            legacy[key][month] = legacy[key].get(month, 0.0) + value
            successor = province_successor.get(figure["unit_id"])
            if successor is not None:
                target = (measure, channel, successor, None)
                carried[target][month] = carried[target].get(month, 0.0) + value
            continue
        key = (measure, channel, int(figure["unit__province_id"] or 0), figure["unit_id"])
        legacy[key][month] = legacy[key].get(month, 0.0) + value
        for commune, province, share, estimated, estimated_province in forward.get(
            figure["unit_id"], []
        ):
            target = (measure, channel, province, commune)
            carried[target][month] = carried[target].get(month, 0.0) + value * share
            old = flags.get((target, month), (False, False))
            flags[target, month] = (old[0] or estimated, old[1] or estimated_province)
    rows: list[dict[str, Any]] = []
    tables = (
        (Geography.CURRENT, current, False),
        (Geography.CURRENT, carried, True),
        (Geography.LEGACY, legacy, False),
    )
    for geography, table, is_carried in tables:
        for key, kind, start, value in _period_rows(_month_rows(table, last_month), last_month):
            row = _fact(key, kind, start, value, source=Source.PARTNER)
            row["geography"] = geography
            row["is_carried"] = is_carried
            if is_carried:
                months = [start] if kind == PeriodKind.MONTH else None
                marks = [
                    mark
                    for (flag_key, flag_month), mark in flags.items()
                    if flag_key == key and (months is None or flag_month in months)
                ]
                row["estimated"] = any(mark[0] for mark in marks)
                row["estimated_province"] = any(mark[1] for mark in marks)
            rows.append(row)
    return rows


def rollup_rows(*, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """Every roll-up row, computed (not saved)."""
    today = today or timezone.localdate()
    last_month = month_start(today)
    deltas = platform_deltas()
    first_months = [min(series) for series in deltas.values() if series]
    first_month = min(first_months) if first_months else last_month
    months = []
    month = first_month
    while month <= last_month:
        months.append(month)
        month = add_months(month, 1)
    monthly = _month_rows(deltas, last_month)
    monthly.update(active_sellers_by_month(months))
    current = [
        _fact(key, kind, start, value)
        for key, kind, start, value in _period_rows(monthly, last_month)
    ]
    partner = partner_rows(last_month)
    return current + partner + province_rows(current + partner)


def province_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each province's totals from its communes' cells (today's geography only; the legacy
    geography is read through the crosswalk). Province-wide partner figures are already
    province rows and stay as they are."""
    totals: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        if row["geography"] != Geography.CURRENT or row["commune_id"] is None:
            continue
        key = (
            row["period_kind"],
            row["period_start"],
            row["province_id"],
            row["channel_id"],
            row["measure"],
            row["source"],
        )
        total = totals.get(key)
        if total is None:
            total = totals[key] = {
                **row,
                "commune_id": None,
                "level": "province",
                "value": 0.0,
                "estimated": False,
                "estimated_province": False,
                "is_carried": False,
            }
        total["value"] += row["value"]
        total["estimated"] |= row["estimated"]
        total["estimated_province"] |= row["estimated_province"]
    return list(totals.values())


FACT_COLUMNS = (
    "geography",
    "period_kind",
    "period_start",
    "province_id",
    "commune_id",
    "channel_id",
    "measure",
    "source",
    "value",
    "estimated",
    "estimated_province",
    "is_carried",
    "level",
)


def _write(rows: list[dict[str, Any]]) -> None:
    """Insert the roll-up rows: COPY on PostgreSQL (millions of rows at national scale),
    multi-row inserts elsewhere."""
    if connection.vendor != "postgresql":
        insert_values(Fact, rows)
        return
    table = connection.ops.quote_name(Fact._meta.db_table)
    columns = ", ".join(FACT_COLUMNS)
    # Written in the order dashboards read them (one period's rows together, by province),
    # so a page reads a few hundred pages of the table, not one per row.
    rows.sort(
        key=lambda row: (
            row["geography"],
            row["level"],
            row["period_kind"],
            row["period_start"],
            row["province_id"],
            row["measure"],
        )
    )
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(tuple(row[column] for column in FACT_COLUMNS))


def _tidy() -> None:
    """After a rebuild on PostgreSQL: fresh statistics, and (outside a transaction) a vacuum
    that sets the visibility map, so the covering index answers without the table."""
    if connection.vendor != "postgresql":
        return
    table = connection.ops.quote_name(Fact._meta.db_table)
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            cursor.execute(f"ANALYZE {table}")
        else:
            cursor.execute(f"VACUUM ANALYZE {table}")


def rollup_rebuild(*, today: datetime.date | None = None) -> RollupRun:
    """Recompute the crosswalk weights and every roll-up row, and swap them in at once."""
    run = RollupRun.objects.create()
    try:
        weights_rebuild()
        rows = rollup_rows(today=today)
        with transaction.atomic():
            lock_for_swap(Fact)
            Fact.objects.all().delete()
            _write(rows)
        _tidy()
    except Exception as error:
        RollupRun.objects.filter(pk=run.pk).update(
            status=RollupRun.Status.FAILED, finished_at=timezone.now(), error=repr(error)[:2000]
        )
        raise
    run.status = RollupRun.Status.DONE
    run.finished_at = timezone.now()
    run.rows = len(rows)
    run.save(update_fields=["status", "finished_at", "rows"])
    return run


def latest_run() -> RollupRun | None:
    return RollupRun.objects.filter(status=RollupRun.Status.DONE).order_by("-finished_at").first()
