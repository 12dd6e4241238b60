"""Calendar entries, plantings and announcements for tests; writes go through the services."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

from nongsan.accounts.models import Assistance, AssistantKind, Role, User
from nongsan.accounts.tests.factories import grant, officer
from nongsan.catalog.models import ProduceType
from nongsan.catalog.tests.factories import lychee
from nongsan.geo.models import AdministrativeUnit
from nongsan.harvests import services
from nongsan.harvests.models import CalendarEntry, HarvestAnnouncement
from nongsan.producers.models import Household
from nongsan.producers.tests.factories import household, make_user, province_of, staff_user

_references = itertools.count(1)


def calendar_entry(
    produce_type: ProduceType | None = None,
    province: AdministrativeUnit | None = None,
    **fields: Any,
) -> CalendarEntry:
    fields.setdefault("reference", f"test-{next(_references)}")
    fields.setdefault("season_name", "chính vụ")
    fields.setdefault("harvest_from_month", 6)
    fields.setdefault("harvest_from_day", 1)
    fields.setdefault("harvest_until_month", 7)
    fields.setdefault("harvest_until_day", 31)
    fields.setdefault("yield_tonnes_per_ha", Decimal("6.00"))
    return CalendarEntry.objects.create(
        produce_type=produce_type or lychee(), province=province, **fields
    )


def announcement(
    row: Household | None = None,
    *,
    produce_type: ProduceType | None = None,
    harvest_from: datetime.date,
    harvest_until: datetime.date,
    tonnes: str = "7",
    by: User | None = None,
) -> HarvestAnnouncement:
    row = row or household()
    return services.harvest_announce(
        user=by or staff_user(),
        household=row,
        produce_type=produce_type or lychee(),
        harvest_from=harvest_from,
        harvest_until=harvest_until,
        tonnes=tonnes,
    )


def assistant_for(row: Household) -> User:
    """An assistant assigned to the household (whose registry consent stands)."""
    commune = row.commune
    assistant = make_user()
    grant(assistant, Role.ASSISTANT, commune, assistant_kind=AssistantKind.TRAINER)
    Assistance.objects.create(
        assistant=assistant,
        household=row,
        commune=commune,
        province=province_of(commune),
        assigned_by=officer(Role.PROVINCE_OFFICER, province_of(commune)),
    )
    return assistant
