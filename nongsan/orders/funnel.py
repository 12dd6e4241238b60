"""Sales move households along this platform's onboarding funnel.

The funnel's "first sale" and "active seller" stages on this platform count real deliveries,
never what someone typed (issue 4): an order delivered for a household, or for a member a
cooperative sold for, passes the household's first and latest delivery dates to
:func:`nongsan.onboarding.services.platform_stage_derive`, which only moves forward,
except that an active seller without a sale for 90 days lapses with the reason recorded.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from nongsan.onboarding.models import ACTIVE_SELLER_DAYS, ChannelStage, Stage
from nongsan.onboarding.services import platform_stage_derive
from nongsan.orders.models import Order, OrderEvent, OrderStatus
from nongsan.producers.models import Household

logger = logging.getLogger(__name__)


def _sold_by(household: Household) -> Q:
    """Orders the household sold itself, or a cooperative sold from its listings."""
    return Q(household=household) | Q(cooperative__isnull=False, items__listing__grower=household)


def _delivery_dates(household: Household) -> tuple[datetime.date | None, datetime.date | None]:
    orders = Order.objects.filter(_sold_by(household)).values("pk")
    span = OrderEvent.objects.filter(order__in=orders, to_status=OrderStatus.DELIVERED).aggregate(
        first=Min("occurred_at"), last=Max("occurred_at")
    )
    first, last = span["first"], span["last"]
    return (
        timezone.localdate(first) if first else None,
        timezone.localdate(last) if last else None,
    )


def order_sellers(order: Order) -> list[Household]:
    """The households whose sale an order is: its seller, or the growers a cooperative sold for."""
    if order.household is not None:
        return [order.household]
    return list(
        Household.objects.filter(pk__in=order.items.values("listing__grower")).order_by("pk")
    )


def sale_stages_derive(*, households: list[Household], today: datetime.date) -> int:
    """Bring each household's sale stage on this platform in line with its deliveries;
    answers how many stages moved."""
    moved = 0
    for household in households:
        first, last = _delivery_dates(household)
        if first is None:
            continue
        recording = platform_stage_derive(
            household=household,
            has_listing=True,
            first_sale_on=first,
            last_sale_on=last,
            today=today,
        )
        moved += int(recording.created)
    return moved


def active_sellers_refresh(*, today: datetime.date | None = None) -> int:
    """Daily: active sellers whose latest delivery is more than 90 days old lapse to
    "first sale" (the lapse needs no new activity, so nothing else would notice it). The
    latest deliveries come from two grouped queries; only the lapsed households are touched.

    Erased and merged households have left the funnel and are skipped; one household whose
    move fails is logged and skipped so that every other lapsed household still lapses."""
    today = today or timezone.localdate()
    active = ChannelStage.objects.filter(
        channel__is_this_platform=True, stage=Stage.ACTIVE_SELLER
    ).values("household_id")
    delivered = OrderEvent.objects.filter(to_status=OrderStatus.DELIVERED)
    latest: dict[int, datetime.datetime] = {}
    for key in ("order__household", "order__items__listing__grower"):
        rows = (
            delivered.filter(**{f"{key}__in": active})
            .values(key)
            .annotate(last=Max("occurred_at"))
            .values_list(key, "last")
        )
        for household_id, last in rows:
            if household_id is not None and (
                household_id not in latest or last > latest[household_id]
            ):
                latest[household_id] = last
    cutoff = today - datetime.timedelta(days=ACTIVE_SELLER_DAYS)
    lapsed = [pk for pk, last in latest.items() if timezone.localdate(last) < cutoff]
    households = list(Household.objects.active().filter(pk__in=lapsed).order_by("pk"))
    moved = 0
    for household in households:
        try:
            with transaction.atomic():
                moved += sale_stages_derive(households=[household], today=today)
        except Exception:
            logger.exception("active seller lapse failed for household %s", household.pk)
    return moved
