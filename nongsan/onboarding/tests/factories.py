"""Households, channels and training for onboarding tests.

Households are made straight through the model (the registry's own rules are tested in
producers); onboarding rows through the services where the rules matter.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from nongsan.accounts.models import User
from nongsan.accounts.tests.factories import UserFactory
from nongsan.common.text import fold
from nongsan.geo.models import AdministrativeUnit
from nongsan.onboarding.models import (
    STAGE_RANK,
    Channel,
    ChannelStage,
    Course,
    Organiser,
    StageSource,
    TrainingSession,
)
from nongsan.producers.models import (
    ConsentMethod,
    ConsentPurpose,
    ConsentRecord,
    Household,
    Purpose,
)

_numbers = itertools.count(1)
CHANNELS = {
    "nong-san": {"name": "Nông Sàn", "is_this_platform": True, "position": 1},
    "postmart": {"name": "Postmart", "is_this_platform": False, "position": 2},
    "voso": {"name": "Voso", "is_this_platform": False, "position": 3},
}


def staff_user() -> User:
    user: User = UserFactory.create(is_superuser=True, is_staff=True)
    return user


def channel(code: str) -> Channel:
    """One of the channels the data migration creates (made again if a flush removed it)."""
    row, _created = Channel.objects.get_or_create(code=code, defaults=CHANNELS[code])
    return row


def current_commune(province_code: str = "01", index: int = 0) -> AdministrativeUnit:
    return (
        AdministrativeUnit.objects.filter(
            level="commune", valid_until__isnull=True, province__code=province_code
        )
        .select_related("province")
        .order_by("code")[index]
    )


def _province_id(commune: AdministrativeUnit) -> int:
    assert commune.province_id is not None  # noqa: S101 - a current commune has a province
    return commune.province_id


def household(
    commune: AdministrativeUnit, *, registry_consent: bool = True, **fields: Any
) -> Household:
    """A household in ``commune``, with its registry consent standing (as registration
    requires) unless ``registry_consent`` is False."""
    number = next(_numbers)
    fields.setdefault("head_name", f"Nguyễn Văn Thử {number}")
    fields.setdefault("phone", f"+84912{number:06d}")
    row = Household.objects.create(
        head_name_folded=fold(fields["head_name"]),
        province_id=_province_id(commune),
        commune=commune,
        **fields,
    )
    if registry_consent:
        record = ConsentRecord.objects.create(
            household=row,
            controller="Nông Sàn",
            method=ConsentMethod.SPOKEN,
            witness_name="Trưởng thôn",
            province_id=row.province_id,
            commune_id=row.commune_id,
        )
        ConsentPurpose.objects.create(record=record, household=row, purpose=Purpose.REGISTRY)
    return row


def stage_row(
    household: Household, channel_row: Channel, stage: str, reached_on: datetime.date | None = None
) -> ChannelStage:
    """A current stage written directly (for building funnel datasets quickly)."""
    return ChannelStage.objects.create(
        household=household,
        channel=channel_row,
        stage=stage,
        rank=STAGE_RANK[stage],
        reached_on=reached_on or datetime.date(2026, 1, 1),
        source=StageSource.OFFICER,
        province_id=household.province_id,
        commune_id=household.commune_id,
    )


def course(topic: str = "Mở gian hàng trên sàn") -> Course:
    return Course.objects.create(topic=topic)


def session(
    commune: AdministrativeUnit, held_on: datetime.date | None = None, **fields: Any
) -> TrainingSession:
    return TrainingSession.objects.create(
        course=fields.pop("course", None) or course(),
        held_on=held_on or datetime.date(2026, 3, 10),
        place="Nhà văn hoá thôn Đông",
        commune=commune,
        province_id=_province_id(commune),
        organiser=fields.pop("organiser", Organiser.FARMERS_ASSOCIATION),
        **fields,
    )


def default_channels_ensure() -> None:
    """The channels the data migration creates, made again if a transactional test (a live
    server, a flush) emptied the table earlier in the same worker."""
    import importlib

    migration = importlib.import_module("nongsan.onboarding.migrations.0002_initial_channels")
    for fields in migration.CHANNELS:
        Channel.objects.get_or_create(
            code=fields["code"], defaults={**fields, "kind": "marketplace", "is_active": True}
        )
