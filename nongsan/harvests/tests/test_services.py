"""Plantings, announcements and their status: derived from the calendar, validated, audited,
done only by those who may."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import officer
from nongsan.audit.models import AuditEntry
from nongsan.catalog.tests.factories import lychee
from nongsan.harvests.models import (
    AnnouncementStatus,
    HarvestAnnouncement,
    Planting,
    PlantingStatus,
)
from nongsan.harvests.services import (
    announcement_transition,
    calendar_entry_update,
    harvest_announce,
    planting_record,
)
from nongsan.harvests.tests.factories import announcement, assistant_for, calendar_entry
from nongsan.producers.tests.factories import (
    current_commune,
    household,
    make_user,
    province_of,
    staff_user,
)

pytestmark = pytest.mark.django_db
MAY_1 = datetime.date(2026, 5, 1)


def test_a_planting_takes_its_harvest_window_and_tonnes_from_the_calendar(admin_units):
    row = household()
    calendar_entry(lychee(), province_of(row.commune), yield_tonnes_per_ha=Decimal("6.5"))
    planting = planting_record(
        user=staff_user(),
        household=row,
        produce_type=lychee(),
        planted_on=datetime.date(2026, 2, 1),
        area_ha="1,5",
    )
    expected = planting.announcement
    assert (expected.harvest_from, expected.harvest_until) == (
        datetime.date(2026, 6, 1),
        datetime.date(2026, 7, 31),
    )
    assert expected.tonnes == Decimal("9.750")
    assert (planting.province_id, planting.commune_id) == (row.province_id, row.commune_id)


def test_days_to_maturity_win_over_the_season_months(admin_units):
    row = household()
    calendar_entry(lychee(), None, maturity_days_min=80, maturity_days_max=85)
    planting = planting_record(
        user=staff_user(), household=row, produce_type=lychee(), planted_on=MAY_1, area_ha="1"
    )
    assert planting.announcement.harvest_from == MAY_1 + datetime.timedelta(days=80)
    # 80–85 days is six days; a window is at least a week, so it ends on day 86.
    assert planting.announcement.harvest_until == MAY_1 + datetime.timedelta(days=86)


def test_a_planting_without_area_or_trees_is_refused_in_vietnamese(admin_units):
    row = household()
    calendar_entry(lychee(), province_of(row.commune))
    with pytest.raises(ValidationError) as caught:
        planting_record(user=staff_user(), household=row, produce_type=lychee(), planted_on=MAY_1)
    assert "diện tích" in caught.value.message_dict["area_ha"][0]
    assert not Planting.objects.exists()


def test_trees_without_a_yield_per_tree_need_the_expected_tonnes(admin_units):
    row = household()
    calendar_entry(lychee(), province_of(row.commune))
    with pytest.raises(ValidationError) as caught:
        planting_record(
            user=staff_user(), household=row, produce_type=lychee(), planted_on=MAY_1, tree_count=40
        )
    assert "expected_tonnes" in caught.value.message_dict
    assert not Planting.objects.exists()
    assert not HarvestAnnouncement.objects.exists()


def test_a_planting_the_calendar_cannot_time_must_be_announced_directly(admin_units):
    with pytest.raises(ValidationError) as caught:
        planting_record(
            user=staff_user(), household=household(), produce_type=lychee(), planted_on=MAY_1,
            area_ha="1",
        )  # fmt: skip
    assert "báo thu hoạch trực tiếp" in caught.value.message_dict["planted_on"][0]


def test_an_assistant_announces_for_the_household_and_the_trail_says_so(admin_units):
    row = household()
    assistant = assistant_for(row)
    made = announcement(
        row, by=assistant, harvest_from=MAY_1, harvest_until=MAY_1 + datetime.timedelta(days=9)
    )
    entry = AuditEntry.objects.get(action="harvests.announcement_create", target_id=str(made.pk))
    assert entry.actor == assistant
    assert entry.commune_id == row.commune_id


def test_a_stranger_cannot_announce_for_a_household(admin_units):
    with pytest.raises(PermissionDenied):
        harvest_announce(
            user=make_user(), household=household(), produce_type=lychee(),
            harvest_from=MAY_1, harvest_until=MAY_1, tonnes="1",
        )  # fmt: skip
    assert not HarvestAnnouncement.objects.exists()


@pytest.mark.parametrize(
    ("tonnes", "field"), [("0", "tonnes"), ("abc", "tonnes"), ("1,2345", "tonnes")]
)
def test_bad_tonnes_are_refused(admin_units, tonnes, field):
    with pytest.raises(ValidationError) as caught:
        harvest_announce(
            user=staff_user(), household=household(), produce_type=lychee(),
            harvest_from=MAY_1, harvest_until=MAY_1, tonnes=tonnes,
        )  # fmt: skip
    assert field in caught.value.message_dict


def test_a_window_ending_before_it_starts_is_refused(admin_units):
    with pytest.raises(ValidationError) as caught:
        harvest_announce(
            user=staff_user(), household=household(), produce_type=lychee(),
            harvest_from=MAY_1, harvest_until=MAY_1 - datetime.timedelta(days=1), tonnes="1",
        )  # fmt: skip
    assert "harvest_until" in caught.value.message_dict


def test_an_announcement_is_confirmed_revised_then_harvested(admin_units):
    made = announcement(harvest_from=MAY_1, harvest_until=MAY_1 + datetime.timedelta(days=9))
    user = staff_user()
    announcement_transition(user=user, announcement=made, status=AnnouncementStatus.CONFIRMED)
    announcement_transition(
        user=user, announcement=made, status=AnnouncementStatus.REVISED, tonnes="5,5"
    )
    announcement_transition(user=user, announcement=made, status=AnnouncementStatus.HARVESTED)
    made.refresh_from_db()
    assert made.status == AnnouncementStatus.HARVESTED
    assert made.tonnes == Decimal("5.500")
    assert AuditEntry.objects.filter(action="harvests.announcement_transition").count() == 3


def test_a_harvested_announcement_cannot_move_again(admin_units):
    made = announcement(harvest_from=MAY_1, harvest_until=MAY_1)
    user = staff_user()
    announcement_transition(user=user, announcement=made, status=AnnouncementStatus.HARVESTED)
    with pytest.raises(ValidationError) as caught:
        announcement_transition(user=user, announcement=made, status=AnnouncementStatus.LOST,
                                loss_reason="weather")  # fmt: skip
    assert "Không thể chuyển" in caught.value.message_dict["status"][0]


def test_a_lost_harvest_needs_a_reason_and_marks_its_planting_lost(admin_units):
    row = household()
    calendar_entry(lychee(), province_of(row.commune))
    planting = planting_record(
        user=staff_user(), household=row, produce_type=lychee(), planted_on=MAY_1, area_ha="1"
    )
    made = planting.announcement
    with pytest.raises(ValidationError):
        announcement_transition(user=staff_user(), announcement=made, status="lost")
    made.refresh_from_db()
    assert made.status == AnnouncementStatus.ANNOUNCED
    announcement_transition(
        user=staff_user(), announcement=made, status="lost", loss_reason="disease"
    )
    planting.refresh_from_db()
    assert planting.status == PlantingStatus.LOST


def test_a_revision_needs_new_dates_or_tonnes(admin_units):
    made = announcement(harvest_from=MAY_1, harvest_until=MAY_1)
    with pytest.raises(ValidationError):
        announcement_transition(user=staff_user(), announcement=made, status="revised")


def test_a_province_officer_corrects_the_calendar_of_their_province_only(admin_units):
    commune = current_commune("01")
    own = calendar_entry(lychee(), province_of(commune))
    other = calendar_entry(lychee(), province_of(current_commune("79")))
    national = calendar_entry(lychee(), None)
    user = officer(Role.PROVINCE_OFFICER, province_of(commune))
    calendar_entry_update(user=user, entry=own, yield_tonnes_per_ha=Decimal("7"))
    for entry in (other, national):
        with pytest.raises(PermissionDenied):
            calendar_entry_update(user=user, entry=entry, yield_tonnes_per_ha=Decimal("7"))
    commune_officer = officer(Role.COMMUNE_OFFICER, commune)
    with pytest.raises(PermissionDenied):
        calendar_entry_update(user=commune_officer, entry=own, yield_tonnes_per_ha=Decimal("8"))


def test_a_calendar_correction_with_a_thirteenth_month_is_refused(admin_units):
    entry = calendar_entry(lychee(), None)
    with pytest.raises(ValidationError) as caught:
        calendar_entry_update(user=staff_user(), entry=entry, harvest_from_month=13)
    assert "harvest_from_month" in caught.value.message_dict
    entry.refresh_from_db()
    assert entry.harvest_from_month == 6
    assert entry.edited_at is None
