"""Writes of the price board: reports, officers' review of flagged reports, the daily
statistics rollup. Statistics are computed by grouped queries in the database."""

from __future__ import annotations

import datetime
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Avg, Count, Exists, Max, Min, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from nongsan.accounts.models import User
from nongsan.audit.services import AuditBatch, audit_record
from nongsan.catalog.models import ProduceType
from nongsan.catalog.services import parse_price_vnd
from nongsan.geo.models import AdministrativeUnit
from nongsan.prices.models import (
    COUNTED_STATUSES,
    DailyPriceStatistic,
    PriceKind,
    PriceReport,
    ReportSource,
    ReportStatus,
)
from nongsan.prices.permissions import can_report_price, editable_price_reports

_LOCK_NAMESPACE = 0x5052 << 48  # "PR": keeps these advisory keys apart from other uses


def counted_reports(scope: Q | None = None) -> QuerySet[PriceReport]:
    """The reports the statistics count: one voice per reporter per produce × province ×
    kind × day (their newest counted, not superseded report there), so one account cannot
    move the board by repeating a price or spreading it over communes. Reports without a
    reporter (reference data, prices from orders) count each."""
    counted = PriceReport.objects.filter(status__in=COUNTED_STATUSES, is_superseded=False)
    newer_by_same_reporter = counted.filter(
        reported_by=OuterRef("reported_by"),
        produce_type=OuterRef("produce_type"),
        province=OuterRef("province"),
        kind=OuterRef("kind"),
        reported_on=OuterRef("reported_on"),
        pk__gt=OuterRef("pk"),
    )
    if scope is not None:
        counted = counted.filter(scope)
    return counted.filter(~Exists(newer_by_same_reporter))


def usual_price(
    *, produce_type: ProduceType, province: AdministrativeUnit, kind: str, day: datetime.date
) -> int | None:
    """Median of the counted reports (one voice per reporter and day) of the last window of
    days (None with too few).

    The even case averages the two middle prices. Two small queries: a count, then the
    one or two middle values in price order.
    """
    window = settings.PRICE_OUTLIER_WINDOW_DAYS
    reports = counted_reports(
        Q(
            produce_type=produce_type,
            province=province,
            kind=kind,
            reported_on__gte=day - datetime.timedelta(days=window),
            reported_on__lte=day,
        )
    )
    count = reports.count()
    if count < settings.PRICE_OUTLIER_MIN_REPORTS:
        return None
    middle = list(
        reports.order_by("price_vnd").values_list("price_vnd", flat=True)[
            (count - 1) // 2 : count // 2 + 1
        ]
    )
    return int((Decimal(sum(middle)) / len(middle)).to_integral_value(ROUND_HALF_UP))


def series_lock(*, produce_type_ids: Iterable[int], province_ids: Iterable[int]) -> None:
    """Make writers of the same produce × province take turns until their transaction ends
    (PostgreSQL advisory locks). A writer locks every pair it may touch at once, in one
    sorted order, so two writers cannot deadlock; the second then reads what the first
    committed: no lost figures, no duplicate voice. SQLite serialises writers already."""
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError("series_lock must be taken inside transaction.atomic")
    provinces = set(province_ids)
    keys = sorted(
        {
            _LOCK_NAMESPACE | zlib.crc32(f"{produce_id}:{province_id}".encode())
            for produce_id in set(produce_type_ids)
            for province_id in provinces
        }
    )
    if keys:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(key) FROM unnest(%s::bigint[]) AS key", [keys]
            )


def is_outlier(price_vnd: int, usual: int | None) -> bool:
    if usual is None:
        return False
    factor = Decimal(str(settings.PRICE_OUTLIER_FACTOR))
    return Decimal(price_vnd) > usual * factor or Decimal(price_vnd) * factor < usual


@dataclass(frozen=True)
class NewPriceReport:
    """A checked price, ready to be written by :func:`price_reports_write`."""

    produce_type: ProduceType
    province: AdministrativeUnit
    kind: str
    price_vnd: int
    reported_on: datetime.date
    commune: AdministrativeUnit | None = None
    market_name: str = ""
    source: str = ReportSource.ENTERED
    source_reference: str = ""

    @property
    def series(self) -> tuple[int, int, str]:
        return (self.produce_type.pk, self.province.pk, self.kind)

    @property
    def voice_key(self) -> tuple[int, int, int | None, str, datetime.date]:
        """One counted report per reporter for this key; a later one supersedes."""
        commune_id = self.commune.pk if self.commune is not None else None
        return (self.produce_type.pk, self.province.pk, commune_id, self.kind, self.reported_on)


def price_report_create(
    *,
    user: User | None,
    produce_type: ProduceType,
    province: AdministrativeUnit,
    commune: AdministrativeUnit | None = None,
    market_name: str = "",
    kind: str,
    price_vnd: Any,
    reported_on: datetime.date,
    today: datetime.date | None = None,
    source: str = ReportSource.ENTERED,
    source_reference: str = "",
) -> PriceReport:
    """Record a price; one far from the usual price is flagged and left out of the
    statistics until an officer confirms it. The day's statistics are refreshed."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    try:
        amount = parse_price_vnd(price_vnd)
    except ValidationError as error:
        errors["price_vnd"] = error.messages
        amount = 0
    if kind not in PriceKind.values:
        errors["kind"] = [_("Loại giá không hợp lệ.")]
    if reported_on > today:
        errors["reported_on"] = [_("Không báo giá cho ngày chưa tới.")]
    if province.level != "province" or not province.is_current:
        errors["province"] = [_("Hãy chọn một tỉnh / thành phố hiện hành.")]
    if commune is not None and commune.province_id != province.pk:
        errors["commune"] = [_("Xã / phường không thuộc tỉnh đã chọn.")]
    if errors:
        raise ValidationError(errors)
    if user is not None and not can_report_price(user, province=province, commune=commune):
        raise PermissionDenied(_("Bạn không được báo giá ở địa bàn này."))
    [report] = price_reports_write(
        user=user,
        reports=[
            NewPriceReport(
                produce_type=produce_type,
                province=province,
                commune=commune,
                market_name=market_name,
                kind=kind,
                price_vnd=amount,
                reported_on=reported_on,
                source=source,
                source_reference=source_reference,
            )
        ],
    )
    return report


def price_reports_write(
    *, user: User | None, reports: Sequence[NewPriceReport]
) -> list[PriceReport]:
    """Write checked reports (the caller validated them and the user's right to report
    there) in one transaction, with a number of queries that does not grow with the rows:

    - the series are locked, so concurrent writers of a series take turns;
    - the user's standing reports with the same produce, province, commune, kind and day
      are marked superseded, and so is an earlier row of ``reports`` with the key of a later
      one (one voice per reporter; the rows stay for the history);
    - each report is compared with the usual price of its series and day (computed once
      per series and day, before this batch) and flagged when far from it;
    - the statistics of the touched series and days are refreshed once.
    """
    if not reports:
        return []
    days = {report.reported_on for report in reports}
    produce_ids = {report.produce_type.pk for report in reports}
    province_ids = {report.province.pk for report in reports}
    with transaction.atomic():
        series_lock(produce_type_ids=produce_ids, province_ids=province_ids)
        superseded: dict[tuple[Any, ...], list[int]] = {}
        if user is not None:
            keys = {report.voice_key for report in reports}
            standing = PriceReport.objects.filter(
                reported_by=user,
                is_superseded=False,
                reported_on__in=days,
                produce_type_id__in=produce_ids,
                province_id__in=province_ids,
            ).values_list(
                "pk", "produce_type_id", "province_id", "commune_id", "kind", "reported_on"
            )
            for pk, *standing_key in standing:
                if tuple(standing_key) in keys:
                    superseded.setdefault(tuple(standing_key), []).append(pk)
            ids = [pk for pks in superseded.values() for pk in pks]
            if ids:
                PriceReport.objects.filter(pk__in=ids).update(is_superseded=True)
        last_of_key = {report.voice_key: index for index, report in enumerate(reports)}
        usual: dict[tuple[int, int, str, datetime.date], int | None] = {}
        for report in reports:
            produce_id, province_id, kind = report.series
            day_key = (produce_id, province_id, kind, report.reported_on)
            if day_key not in usual:
                usual[day_key] = usual_price(
                    produce_type=report.produce_type,
                    province=report.province,
                    kind=kind,
                    day=report.reported_on,
                )
        rows = []
        for index, report in enumerate(reports):
            produce_id, province_id, kind = report.series
            expected = usual[(produce_id, province_id, kind, report.reported_on)]
            rows.append(
                PriceReport(
                    produce_type=report.produce_type,
                    province=report.province,
                    commune=report.commune,
                    market_name=report.market_name.strip()[:120],
                    kind=report.kind,
                    price_vnd=report.price_vnd,
                    reported_on=report.reported_on,
                    usual_price_vnd=expected,
                    status=(
                        ReportStatus.FLAGGED
                        if is_outlier(report.price_vnd, expected)
                        else ReportStatus.ACCEPTED
                    ),
                    source=report.source,
                    source_reference=report.source_reference,
                    reported_by=user,
                    is_superseded=user is not None and last_of_key[report.voice_key] != index,
                )
            )
        created = PriceReport.objects.bulk_create(rows)
        audit = AuditBatch()
        for row in created:
            changes: dict[str, Any] = {
                "price_vnd": [None, row.price_vnd],
                "status": [None, row.status],
            }
            row_key = (
                row.produce_type_id,
                row.province_id,
                row.commune_id,
                row.kind,
                row.reported_on,
            )
            if not row.is_superseded and row_key in superseded:
                changes["supersedes"] = superseded[row_key]
            audit.add(action="prices.report_create", target=row, changes=changes)
        audit.write()
        daily_statistics_refresh(days=days, produce_type_ids=produce_ids, province_ids=province_ids)
    return created


def price_report_review(*, user: User, report: PriceReport, accept: bool) -> PriceReport:
    """An officer confirms a flagged report (it then counts) or rejects it (it never will)."""
    if not editable_price_reports(user).filter(pk=report.pk).exists():
        raise PermissionDenied(_("Bạn không được xem xét báo giá này."))
    if report.status != ReportStatus.FLAGGED:
        raise ValidationError({"status": [_("Chỉ xem xét được báo giá đang bị nghi sai.")]})
    if report.is_superseded:
        raise ValidationError(
            {"status": [_("Người báo đã thay báo giá này bằng một báo giá mới hơn.")]}
        )
    before = report.status
    with transaction.atomic():
        report.status = ReportStatus.CONFIRMED if accept else ReportStatus.REJECTED
        report.reviewed_by = user
        report.save(update_fields=["status", "reviewed_by"])
        audit_record(
            action="prices.report_review",
            target=report,
            changes={"status": [before, report.status]},
        )
        daily_statistics_refresh(
            days=[report.reported_on],
            produce_type_ids={report.produce_type_id},
            province_ids={report.province_id},
        )
    return report


def modal_price(frequencies: Sequence[tuple[int, int]]) -> int:
    """The most frequent price among ``(price, times)`` pairs (sorted by price); when
    several are equally frequent, the one nearest the median of all the voices, the lower
    of two equally near. (The lowest of the tied, the earlier rule, let one voice with a
    low price set the modal of a day whose prices all differ.)"""
    total = sum(times for _price, times in frequencies)

    def nth(position: int) -> int:
        seen = 0
        for price, times in frequencies:
            seen += times
            if position < seen:
                return price
        raise IndexError(position)

    median = Decimal(nth((total - 1) // 2) + nth(total // 2)) / 2
    most = max(times for _price, times in frequencies)
    tied = [price for price, times in frequencies if times == most]
    return min(tied, key=lambda price: (abs(price - median), price))


def daily_statistics_refresh(
    *,
    days: Iterable[datetime.date],
    produce_type_ids: Iterable[int] | None = None,
    province_ids: Iterable[int] | None = None,
) -> int:
    """Recompute the rollup rows of the given days (optionally only of the given produce
    types and provinces) from the counted reports, one voice per reporter: min, max, mean
    (rounded half up to a đồng), modal (see :func:`modal_price`) and the number of voices.
    Rows are upserted, and a row whose day has no voice left is deleted; the series are
    locked first, so concurrent refreshes of a series take turns. Returns the rows written."""
    days = sorted(set(days))
    scope = Q(reported_on__in=days)
    stale = Q(day__in=days)
    produce_ids = sorted(set(produce_type_ids)) if produce_type_ids is not None else None
    provinces = sorted(set(province_ids)) if province_ids is not None else None
    if produce_ids is not None:
        scope &= Q(produce_type_id__in=produce_ids)
        stale &= Q(produce_type_id__in=produce_ids)
    if provinces is not None:
        scope &= Q(province_id__in=provinces)
        stale &= Q(province_id__in=provinces)
    keys = ("produce_type_id", "province_id", "kind", "reported_on")
    with transaction.atomic():
        if produce_ids is not None and provinces is not None:
            series_lock(produce_type_ids=produce_ids, province_ids=provinces)
        counted = counted_reports(scope)
        summary = counted.values(*keys).annotate(
            low=Min("price_vnd"), high=Max("price_vnd"), mean=Avg("price_vnd"), count=Count("pk")
        )
        frequencies: dict[tuple[Any, ...], list[tuple[int, int]]] = {}
        for row in (
            counted.values(*keys, "price_vnd")
            .annotate(times=Count("pk"))
            .order_by(*keys, "price_vnd")
        ):
            frequencies.setdefault(tuple(row[key] for key in keys), []).append(
                (row["price_vnd"], row["times"])
            )
        statistics = [
            DailyPriceStatistic(
                produce_type_id=row["produce_type_id"],
                province_id=row["province_id"],
                kind=row["kind"],
                day=row["reported_on"],
                minimum_vnd=row["low"],
                maximum_vnd=row["high"],
                mean_vnd=int(Decimal(str(row["mean"])).to_integral_value(ROUND_HALF_UP)),
                modal_vnd=modal_price(frequencies[tuple(row[key] for key in keys)]),
                report_count=row["count"],
            )
            for row in summary
        ]
        written = {(row.produce_type_id, row.province_id, row.kind, row.day) for row in statistics}
        emptied = [
            pk
            for pk, *key in DailyPriceStatistic.objects.filter(stale).values_list(
                "pk", "produce_type_id", "province_id", "kind", "day"
            )
            if tuple(key) not in written
        ]
        if emptied:
            DailyPriceStatistic.objects.filter(pk__in=emptied).delete()
        DailyPriceStatistic.objects.bulk_create(
            statistics,
            batch_size=1_000,
            update_conflicts=True,
            unique_fields=["produce_type", "province", "kind", "day"],
            update_fields=["minimum_vnd", "maximum_vnd", "mean_vnd", "modal_vnd", "report_count"],
        )
    return len(statistics)
