"""Demo trade for ``manage.py seed_demo``: a trader (log in with ``DEMO_TRADER_PHONE`` and the
demo password) posting buy requests for produce with announced harvests, offers to the best
matches, a counter-offer and a deal. Goes through the services, so the matching, the
notices and the audit trail are real; deterministic for a given ``rng`` and day."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from nongsan.accounts.demo import DEMO_ADMIN_PHONE, DEMO_PASSWORD
from nongsan.accounts.models import Role, RoleGrant, User
from nongsan.geo.models import AdministrativeUnit
from nongsan.harvests.models import OPEN_STATUSES, HarvestAnnouncement
from nongsan.trade import services
from nongsan.trade.candidates import candidates_rebuild
from nongsan.trade.matching import request_matches
from nongsan.trade.models import BuyRequest

DEMO_TRADER_PHONE = "+84900000005"


def _trader() -> User:
    user = User.objects.filter(phone=DEMO_TRADER_PHONE).first()
    if user is None:
        user = User.objects.create_user(
            DEMO_TRADER_PHONE, DEMO_PASSWORD, full_name="Công ty Thu mua Nông sản Việt"
        )
    if not RoleGrant.objects.active().filter(user=user, role=Role.TRADER).exists():
        RoleGrant.objects.create(user=user, role=Role.TRADER)
    return user


def seed_trade(rng: random.Random, *, requests: int = 6) -> int:
    """Buy requests (with offers, one counter and one deal); how many requests were made
    (none when some exist already)."""
    if BuyRequest.objects.exists():
        return 0
    staff = User.objects.filter(phone=DEMO_ADMIN_PHONE).first()
    if staff is None:
        return 0
    candidates_rebuild()
    trader = _trader()
    today = timezone.localdate()
    announcements = list(
        HarvestAnnouncement.objects.filter(status__in=OPEN_STATUSES, harvest_until__gte=today)
        .select_related("province", "commune", "produce_type")
        .order_by("pk")
    )
    rng.shuffle(announcements)
    made = []
    for announcement in announcements[:requests]:
        commune = (
            AdministrativeUnit.objects.current()
            .filter(level="commune", province_id=announcement.province_id)
            .order_by("code")
            .first()
        )
        low = max(1, int(announcement.tonnes))
        made.append(
            services.buy_request_create(
                buyer=trader,
                buyer_name=trader.full_name,
                produce_types=[announcement.produce_type],
                quantity_min_tonnes=str(low),
                quantity_max_tonnes=str(low * 2),
                delivery_from=max(today, announcement.harvest_from - datetime.timedelta(days=3)),
                delivery_until=announcement.harvest_until + datetime.timedelta(days=7),
                delivery_mode=rng.choice(["pickup", "deliver"]),
                delivery_address="Kho số 2, đường Quốc lộ 1A",
                commune=commune,
                target_provinces=[announcement.province],
                price_max_vnd_per_kg=rng.choice(["", "25000", "40000"]),
                payment_terms=rng.choice(["cash_on_pickup", "transfer_on_delivery", "deposit"]),
            )
        )
    for index, buy_request in enumerate(made[:3]):
        found = request_matches(buy_request, limit=1, today=today)
        if not found.matches:
            continue
        best = found.matches[0]
        offer = services.offer_make(
            buyer=trader,
            buy_request=buy_request,
            candidate_kind=best.kind,
            candidate_source_id=best.source_id,
            quantity_tonnes=str(buy_request.quantity_min_tonnes),
            price_vnd_per_kg=rng.choice([18000, 22000, 30000]),
            message="Thu mua tại vườn, trả tiền ngay.",
        )
        if index == 0:
            services.offer_accept(user=staff, offer=offer)
        elif index == 1:
            services.offer_counter(
                user=staff,
                offer=offer,
                quantity_tonnes=offer.quantity_tonnes,
                price_vnd_per_kg=offer.price_vnd_per_kg + 3000,
                message="Hàng loại 1, xin thêm 3.000 đ/kg.",
            )
    return len(made)
