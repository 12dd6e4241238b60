"""Demo harvest data for ``manage.py seed_demo``: the shipped calendar, and plantings with
their expected harvests for a few households whose province has a timed season, spread over
the coming weeks so the forecast has something to add up. Written straight to the tables in
batches (no audit entries), like the other apps' demo data; deterministic for a given
``rng`` and day."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from nongsan.accounts.demo import DEMO_ADMIN_PHONE
from nongsan.accounts.models import User
from nongsan.harvests.loading import CalendarLoadReport, calendar_load
from nongsan.harvests.models import (
    AnnouncementStatus,
    HarvestAnnouncement,
    Planting,
)
from nongsan.harvests.rollup import weekly_supply_rebuild
from nongsan.harvests.selectors import calendar_entry_list
from nongsan.producers.models import Household


def seed_calendar() -> CalendarLoadReport:
    return calendar_load()


def seed_harvests(rng: random.Random, *, max_households: int = 60) -> int:
    """Plantings and announcements for up to ``max_households`` households; returns how many
    announcements were created (none when some exist already)."""
    if HarvestAnnouncement.objects.exists():
        return 0
    recorder = User.objects.filter(phone=DEMO_ADMIN_PHONE).first()
    if recorder is None:
        return 0
    today = timezone.localdate()
    now = timezone.now()
    created = 0
    households = Household.objects.select_related("province").order_by("pk")[:max_households]
    with transaction.atomic():
        for household in households:
            # A season of the household's province, its region or the country, with a yield.
            entries = list(
                calendar_entry_list(province=household.province).filter(
                    yield_tonnes_per_ha__isnull=False
                )
            )
            if not entries:
                continue
            entry = rng.choice(entries)
            produce_type = entry.produce_type
            assert entry.yield_tonnes_per_ha is not None  # noqa: S101 - filtered above
            area = Decimal(rng.choice([3, 5, 8, 10, 15, 20])) / 10
            start = today + datetime.timedelta(days=rng.randint(0, 70))
            length = rng.randint(7, 28)
            planting = Planting.objects.create(
                household=household,
                province_id=household.province_id,
                commune_id=household.commune_id,
                produce_type=produce_type,
                calendar_entry=entry,
                area_ha=area,
                planted_on=start - datetime.timedelta(days=90),
                created_by=recorder,
                created_at=now,
            )
            until = start + datetime.timedelta(days=length)
            HarvestAnnouncement.objects.create(
                household=household,
                province_id=household.province_id,
                commune_id=household.commune_id,
                produce_type=produce_type,
                planting=planting,
                harvest_from=start,
                harvest_until=until,
                harvest_from_ordinal=start.toordinal(),
                harvest_until_ordinal=until.toordinal(),
                tonnes=(area * entry.yield_tonnes_per_ha).quantize(Decimal("0.001")),
                status=rng.choice([AnnouncementStatus.ANNOUNCED, AnnouncementStatus.CONFIRMED]),
                created_by=recorder,
                created_at=now,
                updated_at=now,
            )
            created += 1
    weekly_supply_rebuild()
    return created
