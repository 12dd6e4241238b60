"""The demo onboarding data obeys the rules the services enforce."""

from __future__ import annotations

import random

import pytest
from django.db.models import F
from django.utils import timezone

from nongsan.onboarding.demo import seed_onboarding
from nongsan.onboarding.models import STAGE_RANK, Attendance, ChannelStage, StageEvent
from nongsan.onboarding.tests.factories import channel, current_commune, household

pytestmark = pytest.mark.django_db


def test_seed_onboarding_creates_consistent_stages_and_training(admin_units):
    for code in ("nong-san", "postmart", "voso"):
        channel(code)
    households = [household(current_commune("01", index % 3)) for index in range(60)]
    created = seed_onboarding(random.Random(7), households)
    assert created["stages"] == ChannelStage.objects.count() > 0
    assert created["events"] == StageEvent.objects.count() == created["stages"]
    assert created["sessions"] <= 3
    assert not ChannelStage.objects.filter(reached_on__gt=timezone.localdate()).exists()
    trained_on_platform = ChannelStage.objects.filter(
        channel=channel("nong-san"), rank__gte=STAGE_RANK["trained"]
    ).values_list("household_id", flat=True)
    attended = set(Attendance.objects.filter(attended=True).values_list("household_id", flat=True))
    assert set(trained_on_platform) == attended
    assert not Attendance.objects.exclude(commune=F("household__commune")).exists()
    again = seed_onboarding(random.Random(7), [])
    assert again["stages"] == 0
