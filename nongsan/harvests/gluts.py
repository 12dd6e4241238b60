"""Glut early warning and rescue campaigns: alerts from the supply forecast and the price
board, campaigns that call buyers to a produce of a province.

Supply: a week's forecast tonnes for a produce and province above the demand estimate by
more than ``GLUT_SUPPLY_MARGIN``. The estimate adds the sales rate, the open orders due that
week and traders' buy requests for it (``nongsan.harvests.demand``). The sales rate is what
the platform sold in the same ISO week of past seasons; where it sold none then, the tonnes
the area harvested per week over the last ``GLUT_DEMAND_WEEKS`` weeks stand in. No sales
rate either way, no alert: open orders alone do not say what the market takes, and nothing
is guessed. Price: the newest farm-gate modal price of a produce and province
``GLUT_PRICE_DROP_PERCENT`` or more below its mean over the two weeks before.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from nongsan.accounts.models import User
from nongsan.audit.services import audit_record
from nongsan.catalog.models import ProduceType
from nongsan.catalog.permissions import public_listings
from nongsan.geo.models import AdministrativeUnit
from nongsan.harvests.demand import past_season_sales
from nongsan.harvests.glut_notices import glut_alerts_notify, is_worse
from nongsan.harvests.models import (
    AnnouncementStatus,
    Campaign,
    GlutAlert,
    GlutKind,
    GlutSeverity,
    SalesRateBasis,
)
from nongsan.harvests.permissions import can_create_campaign
from nongsan.harvests.selectors import KILOGRAMS_PER_UNIT, TONNE, supply_forecast, week_starts
from nongsan.harvests.services import parse_tonnes
from nongsan.prices.models import DailyPriceStatistic, PriceKind
from nongsan.prices.selectors import latest_statistics

PRICE_LOOKBACK_DAYS = 14


def _recent_harvests(today: datetime.date) -> dict[tuple[int, int], Decimal]:
    """Mean weekly tonnes harvested per produce × province over the last weeks."""
    weeks = settings.GLUT_DEMAND_WEEKS
    past = supply_forecast(
        today=today - datetime.timedelta(weeks=weeks),
        weeks=weeks,
        statuses=(AnnouncementStatus.HARVESTED,),
    )
    totals: dict[tuple[int, int], Decimal] = {}
    for row in past:
        key = (row.produce_type_id, row.province_id)
        totals[key] = totals.get(key, Decimal(0)) + row.expected_tonnes
    return {key: (total / weeks).quantize(Decimal("0.001")) for key, total in totals.items()}


def _supply_severity(ratio: Decimal) -> str:
    if ratio >= 2:
        return GlutSeverity.SEVERE
    if ratio >= Decimal("1.5"):
        return GlutSeverity.WARNING
    return GlutSeverity.WATCH


def _price_severity(drop_percent: int) -> str:
    if drop_percent >= 50:
        return GlutSeverity.SEVERE
    if drop_percent >= 40:
        return GlutSeverity.WARNING
    return GlutSeverity.WATCH


def glut_alerts_raise(
    *, today: datetime.date, weeks: int = 12, now: datetime.datetime | None = None
) -> int:
    """Raise or update the alerts the forecast and the prices call for; returns how many."""
    now = now or timezone.now()
    margin = Decimal(str(settings.GLUT_SUPPLY_MARGIN))
    harvested = _recent_harvests(today)
    starts = week_starts(today, weeks)
    past = past_season_sales(starts)
    alerts: list[dict[str, Any]] = []
    for row in supply_forecast(today=today, weeks=weeks):
        pair = (row.produce_type_id, row.province_id)
        rate = past.get((*pair, starts.index(row.week_start)), Decimal(0)).quantize(TONNE)
        basis = SalesRateBasis.PAST_SEASONS
        if not rate:
            rate, basis = harvested.get(pair, Decimal(0)), SalesRateBasis.RECENT_HARVESTS
        if not rate:
            continue
        usual = rate + row.ordered_tonnes + row.requested_tonnes
        if row.expected_tonnes <= usual * (1 + margin):
            continue
        alerts.append(
            {
                "produce_type_id": row.produce_type_id,
                "province_id": row.province_id,
                "week_start": row.week_start,
                "kind": GlutKind.SUPPLY,
                "severity": _supply_severity(row.expected_tonnes / usual),
                "expected_tonnes": row.expected_tonnes,
                "demand_tonnes": usual,
                "sales_rate_tonnes": rate,
                "sales_rate_basis": basis,
                "ordered_tonnes": row.ordered_tonnes,
                "requested_tonnes": row.requested_tonnes,
                "price_change_percent": None,
                "households": row.households,
            }
        )
    before = (
        DailyPriceStatistic.objects.filter(
            produce_type=OuterRef("produce_type"),
            province=OuterRef("province"),
            kind=OuterRef("kind"),
            day__lt=OuterRef("day"),
            day__gte=OuterRef("day") - datetime.timedelta(days=PRICE_LOOKBACK_DAYS),
        )
        .values("kind")
        .annotate(mean=Avg("modal_vnd"))
        .values("mean")
    )
    # Only the last week's statistics are read (the window keeps the newest-day lookup in
    # an index range instead of scanning every stored day).
    recent = latest_statistics(kind=PriceKind.FARM_GATE, since=today - datetime.timedelta(days=7))
    for statistic in recent.annotate(previous=Subquery(before)).values(
        "produce_type_id", "province_id", "day", "modal_vnd", "previous"
    ):
        previous = statistic["previous"]
        if not previous:
            continue
        drop = int(round((1 - statistic["modal_vnd"] / float(previous)) * 100))
        if drop < settings.GLUT_PRICE_DROP_PERCENT:
            continue
        day = statistic["day"]
        alerts.append(
            {
                "produce_type_id": statistic["produce_type_id"],
                "province_id": statistic["province_id"],
                "week_start": day - datetime.timedelta(days=day.weekday()),
                "kind": GlutKind.PRICE,
                "severity": _price_severity(drop),
                "expected_tonnes": None,
                "demand_tonnes": None,
                "price_change_percent": -drop,
                "households": 0,
            }
        )
    with transaction.atomic():
        worse: list[GlutAlert] = []
        for alert in alerts:
            key = {name: alert.pop(name) for name in ("produce_type_id", "province_id")}
            key.update(week_start=alert.pop("week_start"), kind=alert.pop("kind"))
            was = GlutAlert.objects.filter(**key).values_list("severity", flat=True).first()
            saved, _created = GlutAlert.objects.update_or_create(
                **key, defaults={**alert, "raised_at": now}
            )
            if is_worse(saved.severity, was):
                worse.append(saved)
        # Stored with the alerts, sent once they are committed.
        glut_alerts_notify(worse)
        audit_record(action="harvests.glut_alerts_raise", changes={"alerts": [None, len(alerts)]})
    return len(alerts)


def campaign_create(
    *,
    user: User,
    title: str,
    produce_type: ProduceType,
    province: AdministrativeUnit,
    target_tonnes: Any,
    starts_on: datetime.date,
    ends_on: datetime.date,
    description: str = "",
    glut_alert: GlutAlert | None = None,
) -> Campaign:
    """Open a rescue campaign (ministry, or a province officer in the province)."""
    if not can_create_campaign(user, province):
        raise PermissionDenied(_("Bạn không được mở chiến dịch ở tỉnh này."))
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Hãy đặt tên chiến dịch.")]
    if ends_on < starts_on:
        errors["ends_on"] = [_("Ngày kết thúc phải sau ngày bắt đầu.")]
    try:
        target = parse_tonnes(target_tonnes, "target_tonnes")
    except ValidationError as error:
        errors.update(error.message_dict)
        target = Decimal(0)
    if glut_alert is not None and (
        glut_alert.produce_type_id != produce_type.pk or glut_alert.province_id != province.pk
    ):
        errors["glut_alert"] = [_("Cảnh báo không cùng sản phẩm và tỉnh.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            title=title.strip()[:150],
            produce_type=produce_type,
            province=province,
            glut_alert=glut_alert,
            target_tonnes=target,
            starts_on=starts_on,
            ends_on=ends_on,
            description=description[:2000],
            created_by=user,
        )
        audit_record(
            action="harvests.campaign_create",
            target=campaign,
            province=province,
            changes={
                "target_tonnes": [None, str(target)],
                "produce_type": [None, produce_type.slug],
            },
        )
    return campaign


def campaign_listed_tonnes(campaign: Campaign, *, today: datetime.date) -> Decimal:
    """Tonnes on sale now in public kg listings of the campaign's produce and province."""
    kilograms = (
        public_listings(today=today)
        .filter(
            produce_type=campaign.produce_type_id,
            province=campaign.province_id,
            unit__in=list(KILOGRAMS_PER_UNIT),
        )
        .aggregate(total=Sum("stock_quantity"))["total"]
    )
    return (Decimal(kilograms or 0) / 1000).quantize(Decimal("0.001"))
