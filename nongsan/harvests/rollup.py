"""The weekly supply roll-up (``WeeklySupply``): refreshed by the services for the weeks an
announcement touches, in the same transaction, and rebuildable from the announcements.

Refresh recomputes the touched weeks of one produce × province from the announcements
(never adds deltas), so a roll-up row is always what the announcements say. On PostgreSQL
an advisory lock per produce × province makes concurrent writers of the same pair take
turns: the second one recomputes after the first has committed, and sees its row.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection, transaction

from nongsan.harvests.models import (
    OPEN_STATUSES,
    HarvestAnnouncement,
    WeeklySupply,
    iso_week_start,
)
from nongsan.harvests.selectors import weekly_totals

# Weeks computed per grouped query (two aggregates per week).
CHUNK_WEEKS = 26
_LOCK_NAMESPACE = 0x4E53 << 48  # "NS": keeps these advisory keys apart from other uses


def _weeks(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    start, end = iso_week_start(first), iso_week_start(last)
    return [start + datetime.timedelta(weeks=index) for index in range((end - start).days // 7 + 1)]


def _recompute(
    weeks: list[datetime.date],
    *,
    announcement_model: Any = HarvestAnnouncement,
    supply_model: Any = WeeklySupply,
    **pair: int,
) -> int:
    """Replace the roll-up rows of ``weeks`` (of one pair, or of every pair) with what the
    open announcements give; returns the rows written. The models can be a migration's."""
    written = 0
    for offset in range(0, len(weeks), CHUNK_WEEKS):
        chunk = weeks[offset : offset + CHUNK_WEEKS]
        announcements = announcement_model.objects.filter(
            status__in=OPEN_STATUSES,
            harvest_from_ordinal__lte=chunk[-1].toordinal() + 6,
            harvest_until_ordinal__gte=chunk[0].toordinal(),
            **pair,
        )
        totals = weekly_totals(announcements, chunk)
        supply_model.objects.filter(week_start__in=chunk, **pair).delete()
        rows = [
            supply_model(
                produce_type_id=produce_id,
                province_id=province_id,
                week_start=chunk[index],
                tonnes=tonnes,
                households=households,
            )
            for (produce_id, province_id), weeks_found in totals.items()
            for index, (tonnes, households) in weeks_found.items()
        ]
        supply_model.objects.bulk_create(rows, batch_size=2000)
        written += len(rows)
    return written


def weekly_supply_refresh(
    *, produce_type_id: int, province_id: int, first: datetime.date, last: datetime.date
) -> None:
    """Recompute the weeks from ``first`` to ``last`` of one produce × province; called by
    the services inside their transaction after writing an announcement."""
    if connection.vendor == "postgresql":
        key = _LOCK_NAMESPACE | (produce_type_id << 24) | province_id
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
    _recompute(_weeks(first, last), produce_type_id=produce_type_id, province_id=province_id)


def weekly_supply_rebuild(
    *, announcement_model: Any = HarvestAnnouncement, supply_model: Any = WeeklySupply
) -> int:
    """Rebuild the whole roll-up from the open announcements; returns the rows written."""
    with transaction.atomic():
        supply_model.objects.all().delete()
        span = announcement_model.objects.filter(status__in=OPEN_STATUSES).order_by()
        first = span.order_by("harvest_from").values_list("harvest_from", flat=True).first()
        last = span.order_by("-harvest_until").values_list("harvest_until", flat=True).first()
        if first is None or last is None:
            return 0
        return _recompute(
            _weeks(first, last), announcement_model=announcement_model, supply_model=supply_model
        )
