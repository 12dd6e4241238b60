"""Demo harvests for seed_demo: the calendar, plantings with expected harvests, once."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db.models import F
from django.utils import timezone

from nongsan.accounts.demo import DEMO_ADMIN_PHONE
from nongsan.catalog.produce_types import produce_types_load
from nongsan.harvests.demo import seed_calendar, seed_harvests
from nongsan.harvests.models import HarvestAnnouncement
from nongsan.harvests.selectors import supply_forecast
from nongsan.producers.demo import seed_households
from nongsan.producers.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_demo_harvests_feed_the_forecast_and_are_seeded_once(admin_units):
    produce_types_load()
    make_user(phone=DEMO_ADMIN_PHONE)
    seed_households(random.Random(3), 60)
    assert seed_calendar().created > 50
    created = seed_harvests(random.Random(3))
    assert created >= 10
    assert seed_harvests(random.Random(3)) == 0
    assert HarvestAnnouncement.objects.count() == created
    assert not HarvestAnnouncement.objects.exclude(province=F("household__province")).exists()
    rows = supply_forecast(today=timezone.localdate(), weeks=12)
    assert sum(row.expected_tonnes for row in rows) > 0
    assert all(row.week_start >= timezone.localdate() - datetime.timedelta(days=6) for row in rows)
