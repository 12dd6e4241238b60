"""Reads of the price board: the daily statistics (a rollup table, so every read is a plain
indexed query) and the reports waiting for an officer."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from nongsan.catalog.models import ProduceType
from nongsan.geo.models import AdministrativeUnit
from nongsan.prices.models import DailyPriceStatistic, PriceReport, ReportStatus

MAX_CHART_DAYS = 366 * 3


def daily_statistic_list(
    *,
    produce_type: ProduceType | None = None,
    provinces: list[AdministrativeUnit] | None = None,
    kind: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[DailyPriceStatistic]:
    statistics = DailyPriceStatistic.objects.select_related("produce_type", "province")
    if produce_type is not None:
        statistics = statistics.filter(produce_type=produce_type)
    if provinces:
        statistics = statistics.filter(province__in=provinces)
    if kind:
        statistics = statistics.filter(kind=kind)
    if date_from is not None:
        statistics = statistics.filter(day__gte=date_from)
    if date_to is not None:
        statistics = statistics.filter(day__lte=date_to)
    return statistics.order_by("day", "produce_type__name_vi", "province__code", "kind")


def latest_statistics(
    *,
    province: AdministrativeUnit | None = None,
    kind: str = "",
    since: datetime.date | None = None,
) -> QuerySet[DailyPriceStatistic]:
    """The newest day of each produce × province × kind: the board's table.

    With ``since``, only series with a day from then on, and both the rows and the
    newest-day lookup stay inside that window (an index range on the unique
    produce × province × kind × day index), instead of scanning every stored day."""
    newest = DailyPriceStatistic.objects.filter(
        produce_type=OuterRef("produce_type"),
        province=OuterRef("province"),
        kind=OuterRef("kind"),
    )
    statistics = DailyPriceStatistic.objects.select_related("produce_type", "province")
    if since is not None:
        newest = newest.filter(day__gte=since)
        statistics = statistics.filter(day__gte=since)
    if province is not None:
        statistics = statistics.filter(province=province)
    if kind:
        statistics = statistics.filter(kind=kind)
    statistics = statistics.filter(day=Subquery(newest.order_by("-day").values("day")[:1]))
    return statistics.order_by("produce_type__name_vi", "province__code", "kind", "pk")


def chart_series(
    *,
    produce_type: ProduceType,
    provinces: list[AdministrativeUnit],
    kind: str,
    date_from: datetime.date,
    date_to: datetime.date,
) -> dict[str, Any]:
    """Days and, per province, the modal, minimum and maximum price of each day (None where
    no report counted), in the shape the chart script draws."""
    rows = daily_statistic_list(
        produce_type=produce_type,
        provinces=provinces,
        kind=kind,
        date_from=date_from,
        date_to=date_to,
    ).values_list("province_id", "day", "modal_vnd", "minimum_vnd", "maximum_vnd")
    days: list[datetime.date] = sorted({row[1] for row in rows})
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
    for province_id, day, modal, low, high in rows:
        entry: dict[str, Any] = series[province_id]
        entry["modal"][index[day]] = modal
        entry["minimum"][index[day]] = low
        entry["maximum"][index[day]] = high
    return {
        "produce": produce_type.slug,
        "produce_name": produce_type.name_vi,
        "kind": kind,
        "days": [day.isoformat() for day in days],
        "series": list(series.values()),
    }


def flagged_report_list(reports: QuerySet[PriceReport]) -> QuerySet[PriceReport]:
    return (
        reports.filter(status=ReportStatus.FLAGGED, is_superseded=False)
        .select_related("produce_type", "province", "commune")
        .order_by("-reported_on", "-pk")
    )
