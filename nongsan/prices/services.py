"""Writes of the price board: reports, officers' review of flagged reports, the daily
statistics rollup. Statistics are computed by grouped queries in the database."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from nongsan.accounts.models import User
from nongsan.audit.services import audit_record
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


def usual_price(
    *, produce_type: ProduceType, province: AdministrativeUnit, kind: str, day: datetime.date
) -> int | None:
    """Median of the counted reports of the last window of days (None with too few).

    The even case averages the two middle prices. Two small queries: a count, then the
    one or two middle values in price order.
    """
    window = settings.PRICE_OUTLIER_WINDOW_DAYS
    reports = PriceReport.objects.filter(
        produce_type=produce_type,
        province=province,
        kind=kind,
        status__in=COUNTED_STATUSES,
        reported_on__gte=day - datetime.timedelta(days=window),
        reported_on__lte=day,
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


def is_outlier(price_vnd: int, usual: int | None) -> bool:
    if usual is None:
        return False
    factor = Decimal(str(settings.PRICE_OUTLIER_FACTOR))
    return Decimal(price_vnd) > usual * factor or Decimal(price_vnd) * factor < usual


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
    with transaction.atomic():
        usual = usual_price(
            produce_type=produce_type, province=province, kind=kind, day=reported_on
        )
        report = PriceReport.objects.create(
            produce_type=produce_type,
            province=province,
            commune=commune,
            market_name=market_name.strip()[:120],
            kind=kind,
            price_vnd=amount,
            reported_on=reported_on,
            usual_price_vnd=usual,
            status=ReportStatus.FLAGGED if is_outlier(amount, usual) else ReportStatus.ACCEPTED,
            source=source,
            source_reference=source_reference,
            reported_by=user,
        )
        audit_record(
            action="prices.report_create",
            target=report,
            changes={"price_vnd": [None, amount], "status": [None, report.status]},
        )
        daily_statistics_refresh(days=[reported_on], produce_type=produce_type, province=province)
    return report


def price_report_review(*, user: User, report: PriceReport, accept: bool) -> PriceReport:
    """An officer confirms a flagged report (it then counts) or rejects it (it never will)."""
    if not editable_price_reports(user).filter(pk=report.pk).exists():
        raise PermissionDenied(_("Bạn không được xem xét báo giá này."))
    if report.status != ReportStatus.FLAGGED:
        raise ValidationError({"status": [_("Chỉ xem xét được báo giá đang bị nghi sai.")]})
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
            days=[report.reported_on], produce_type=report.produce_type, province=report.province
        )
    return report


def daily_statistics_refresh(
    *,
    days: Iterable[datetime.date],
    produce_type: ProduceType | None = None,
    province: AdministrativeUnit | None = None,
) -> int:
    """Recompute the rollup rows of the given days (optionally one series): min, max, mean
    (rounded half up to a đồng) and modal price, the most frequent price of the day, the
    lowest of them when several are equally frequent. Returns the rows written."""
    days = sorted(set(days))
    scope = Q(reported_on__in=days)
    if produce_type is not None:
        scope &= Q(produce_type=produce_type)
    if province is not None:
        scope &= Q(province=province)
    counted = PriceReport.objects.filter(scope, status__in=COUNTED_STATUSES)
    keys = ("produce_type_id", "province_id", "kind", "reported_on")
    summary = counted.values(*keys).annotate(
        low=Min("price_vnd"), high=Max("price_vnd"), mean=Avg("price_vnd"), count=Count("pk")
    )
    # The first row per series in (count desc, price asc) order is the modal price.
    frequencies = (
        counted.values(*keys, "price_vnd")
        .annotate(times=Count("pk"))
        .order_by(*keys, "-times", "price_vnd")
    )
    modal: dict[tuple[Any, ...], int] = {}
    for row in frequencies:
        modal.setdefault(tuple(row[key] for key in keys), row["price_vnd"])
    statistics = [
        DailyPriceStatistic(
            produce_type_id=row["produce_type_id"],
            province_id=row["province_id"],
            kind=row["kind"],
            day=row["reported_on"],
            minimum_vnd=row["low"],
            maximum_vnd=row["high"],
            mean_vnd=int(Decimal(str(row["mean"])).to_integral_value(ROUND_HALF_UP)),
            modal_vnd=modal[tuple(row[key] for key in keys)],
            report_count=row["count"],
        )
        for row in summary
    ]
    stale = Q(day__in=days)
    if produce_type is not None:
        stale &= Q(produce_type=produce_type)
    if province is not None:
        stale &= Q(province=province)
    with transaction.atomic():
        DailyPriceStatistic.objects.filter(stale).delete()
        DailyPriceStatistic.objects.bulk_create(statistics)
    return len(statistics)
