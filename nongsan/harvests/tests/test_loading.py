"""Loading the shipped calendar: idempotent, officers' corrections kept."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from nongsan.catalog.produce_types import produce_types_load
from nongsan.harvests.loading import calendar_load
from nongsan.harvests.models import CalendarEntry
from nongsan.harvests.services import calendar_entry_update
from nongsan.producers.tests.factories import staff_user

pytestmark = pytest.mark.django_db


def test_loading_twice_creates_once_and_maps_old_provinces_to_todays(admin_units):
    produce_types_load()
    first = calendar_load()
    second = calendar_load()
    assert first.created == CalendarEntry.objects.count() > 50
    assert second.created == 0
    assert second.unchanged == first.created
    early_lychee = CalendarEntry.objects.get(reference="10-24")
    assert early_lychee.province is not None
    assert early_lychee.province.name == "Tỉnh Bắc Ninh"
    assert (early_lychee.harvest_from_month, early_lychee.harvest_from_day) == (5, 25)


def test_the_loader_keeps_an_officers_correction(admin_units):
    produce_types_load()
    calendar_load()
    entry = CalendarEntry.objects.get(reference="10-24")
    calendar_entry_update(user=staff_user(), entry=entry, harvest_until_month=7)
    report = calendar_load()
    entry.refresh_from_db()
    assert entry.harvest_until_month == 7
    assert report.kept_edited == 1


def test_a_type_not_loaded_is_reported_not_invented(admin_units, capsys):
    call_command("load_crop_calendar")
    assert CalendarEntry.objects.count() == 0
    assert "vai-thieu" in capsys.readouterr().out
