"""Glut early warning: raise (or update) alerts from the supply forecast and the price board.

Supply: a week's forecast tonnes for a produce and province above what the area harvested
per week over the last ``GLUT_DEMAND_WEEKS`` weeks, by more than ``GLUT_SUPPLY_MARGIN``.
Without the orders app, recent harvests are the only measure of what the area moves; when
orders exist, the demand estimate should come from them (``_demand``). No history, no alert:
nothing is guessed. Price: the newest farm-gate modal price of a produce and province
``GLUT_PRICE_DROP_PERCENT`` or more below its mean over the two weeks before.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, OuterRef, Subquery
from django.utils import timezone

from nongsan.audit.services import audit_record
from nongsan.harvests.models import AnnouncementStatus, GlutAlert, GlutKind, GlutSeverity
from nongsan.harvests.selectors import supply_forecast
from nongsan.prices.models import DailyPriceStatistic, PriceKind
from nongsan.prices.selectors import latest_statistics

PRICE_LOOKBACK_DAYS = 14


def _demand(today: datetime.date) -> dict[tuple[int, int], Decimal]:
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
    demand = _demand(today)
    alerts: list[dict[str, Any]] = []
    for row in supply_forecast(today=today, weeks=weeks):
        usual = demand.get((row.produce_type_id, row.province_id))
        if not usual or row.expected_tonnes <= usual * (1 + margin):
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
    recent = latest_statistics(kind=PriceKind.FARM_GATE).filter(
        day__gte=today - datetime.timedelta(days=7)
    )
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
        for alert in alerts:
            key = {name: alert.pop(name) for name in ("produce_type_id", "province_id")}
            key.update(week_start=alert.pop("week_start"), kind=alert.pop("kind"))
            GlutAlert.objects.update_or_create(**key, defaults={**alert, "raised_at": now})
        audit_record(action="harvests.glut_alerts_raise", changes={"alerts": [None, len(alerts)]})
    return len(alerts)
