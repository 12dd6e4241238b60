"""The stage rules: order, no silent backward move, recorded jumps, trained from attendance,
stages derived from activity with the 90-day lapse."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nongsan.accounts.models import AssistantKind, Role
from nongsan.accounts.tests.factories import UserFactory, grant, ministry_user, officer
from nongsan.audit.models import AuditEntry
from nongsan.onboarding import services
from nongsan.onboarding.models import (
    STAGE_ORDER,
    STAGE_RANK,
    Attendance,
    Channel,
    ChannelStage,
    Stage,
    StageEvent,
    StageSource,
)
from nongsan.onboarding.tests.factories import (
    channel,
    current_commune,
    household,
    session,
)
from nongsan.producers.models import HouseholdStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 1)


def _record(row, channel_code, stage, day, user, **fields):
    return services.stage_record(
        household=row,
        channel=channel(channel_code),
        stage=stage,
        occurred_on=day,
        recorded_by=user,
        today=TODAY,
        **fields,
    )


def _current(row, channel_code):
    return ChannelStage.objects.get(household=row, channel=channel(channel_code))


def test_the_stages_are_ordered_as_the_programme_counts_them():
    assert STAGE_ORDER == (
        "registered",
        "trained",
        "account_created",
        "first_listing",
        "first_sale",
        "active_seller",
    )
    assert [STAGE_RANK[stage] for stage in STAGE_ORDER] == [1, 2, 3, 4, 5, 6]


def test_the_data_migration_created_the_three_channels_with_this_platform_once():
    codes = set(Channel.objects.values_list("code", flat=True))
    assert {"nong-san", "postmart", "voso"} <= codes
    assert list(Channel.objects.filter(is_this_platform=True).values_list("code", flat=True)) == [
        "nong-san"
    ]


def test_recording_a_stage_keeps_the_current_stage_history_area_and_audit(admin_units):
    commune = current_commune()
    user = officer(Role.COMMUNE_OFFICER, commune)
    row = household(commune)
    recording = _record(row, "postmart", Stage.REGISTERED, datetime.date(2026, 5, 1), user)
    assert recording.created
    current = _current(row, "postmart")
    assert (current.stage, current.rank, current.reached_on) == (
        Stage.REGISTERED,
        1,
        datetime.date(2026, 5, 1),
    )
    assert (current.province_id, current.commune_id) == (commune.province_id, commune.pk)
    event = recording.event
    assert event is not None
    assert (event.from_stage, event.to_stage, event.recorded_by, event.source) == (
        "",
        Stage.REGISTERED,
        user,
        StageSource.OFFICER,
    )
    entry = AuditEntry.objects.get(action="onboarding.stage_record")
    assert entry.commune_id == commune.pk


def test_a_stage_does_not_go_backwards_without_a_reason(admin_units):
    commune = current_commune()
    user = officer(Role.COMMUNE_OFFICER, commune)
    row = household(commune)
    _record(row, "voso", Stage.ACCOUNT_CREATED, datetime.date(2026, 5, 1), user)
    with pytest.raises(ValidationError) as refused:
        _record(row, "voso", Stage.TRAINED, datetime.date(2026, 5, 2), user)
    assert "Không thể lùi giai đoạn khi chưa ghi lý do" in str(refused.value)
    assert _current(row, "voso").stage == Stage.ACCOUNT_CREATED
    with pytest.raises(ValidationError):
        _record(row, "voso", Stage.TRAINED, datetime.date(2026, 5, 2), user, reason="   ")
    recording = _record(
        row, "voso", Stage.TRAINED, datetime.date(2026, 5, 2), user, reason="Ghi nhầm kênh"
    )
    assert recording.event is not None
    assert recording.event.is_backward
    assert recording.event.reason == "Ghi nhầm kênh"
    assert _current(row, "voso").stage == Stage.TRAINED


def test_a_forward_jump_is_allowed_and_records_the_stages_it_skipped(admin_units):
    commune = current_commune()
    user = officer(Role.PROVINCE_OFFICER, commune.province)
    row = household(commune)
    _record(row, "postmart", Stage.REGISTERED, datetime.date(2026, 4, 1), user)
    recording = _record(row, "postmart", Stage.FIRST_SALE, datetime.date(2026, 5, 1), user)
    assert recording.event is not None
    assert recording.event.skipped_stages == [
        Stage.TRAINED,
        Stage.ACCOUNT_CREATED,
        Stage.FIRST_LISTING,
    ]
    assert not recording.event.is_backward
    assert _current(row, "postmart").rank == STAGE_RANK[Stage.FIRST_SALE]


def test_recording_the_same_stage_and_day_again_changes_nothing(admin_units):
    commune = current_commune()
    user = officer(Role.COMMUNE_OFFICER, commune)
    row = household(commune)
    first = _record(row, "postmart", Stage.TRAINED, datetime.date(2026, 5, 1), user)
    again = _record(row, "postmart", Stage.TRAINED, datetime.date(2026, 5, 1), user)
    assert not again.created
    assert again.event == first.event
    # A retry after the household moved on is still a retry, not a backward move.
    _record(row, "postmart", Stage.ACCOUNT_CREATED, datetime.date(2026, 5, 3), user)
    late = _record(row, "postmart", Stage.TRAINED, datetime.date(2026, 5, 1), user)
    assert not late.created
    assert _current(row, "postmart").stage == Stage.ACCOUNT_CREATED
    assert StageEvent.objects.filter(household=row).count() == 2


def test_a_move_back_and_forward_on_the_same_day_is_a_new_move(admin_units):
    commune = current_commune()
    user = officer(Role.COMMUNE_OFFICER, commune)
    row = household(commune)
    day = datetime.date(2026, 5, 1)
    _record(row, "voso", Stage.ACCOUNT_CREATED, day, user)
    _record(row, "voso", Stage.REGISTERED, day, user, reason="Nhầm hộ")
    recording = _record(row, "voso", Stage.ACCOUNT_CREATED, day, user)
    assert recording.created
    assert _current(row, "voso").stage == Stage.ACCOUNT_CREATED


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"stage": "famous"}, "Giai đoạn không hợp lệ."),
        ({"occurred_on": datetime.date(2026, 6, 2)}, "Ngày xảy ra không được ở tương lai."),
        ({"occurred_on": "2026-05-01"}, "Ngày xảy ra phải là một ngày"),
        ({"reason": "x" * 301}, "Lý do dài tối đa 300 ký tự."),
        ({"source": "rumour"}, "Nguồn ghi nhận không hợp lệ."),
    ],
)
def test_bad_input_is_refused_in_vietnamese(admin_units, fields, message):
    commune = current_commune()
    user = officer(Role.COMMUNE_OFFICER, commune)
    arguments = {
        "household": household(commune),
        "channel": channel("postmart"),
        "stage": Stage.TRAINED,
        "occurred_on": datetime.date(2026, 5, 1),
        "recorded_by": user,
        "today": TODAY,
        **fields,
    }
    with pytest.raises(ValidationError) as refused:
        services.stage_record(**arguments)
    assert message in str(refused.value)
    assert not ChannelStage.objects.exists()


def test_listing_and_sale_stages_of_this_platform_cannot_be_recorded_by_hand(admin_units):
    commune = current_commune()
    user = officer(Role.COMMUNE_OFFICER, commune)
    with pytest.raises(ValidationError) as refused:
        _record(household(commune), "nong-san", Stage.FIRST_SALE, TODAY, user)
    assert "được suy ra từ tin đăng và đơn hàng thật" in str(refused.value)


def test_inactive_channels_and_merged_households_are_refused(admin_units):
    commune = current_commune()
    user = officer(Role.COMMUNE_OFFICER, commune)
    closed = Channel.objects.create(code="cho-cu", name="Chợ cũ", is_active=False)
    with pytest.raises(ValidationError, match="Kênh này đã ngừng sử dụng"):
        services.stage_record(
            household=household(commune),
            channel=closed,
            stage=Stage.REGISTERED,
            occurred_on=TODAY,
            recorded_by=user,
            today=TODAY,
        )
    survivor = household(commune)
    merged = household(commune, status=HouseholdStatus.MERGED, merged_into=survivor)
    with pytest.raises(ValidationError, match="không còn hoạt động"):
        _record(merged, "voso", Stage.REGISTERED, TODAY, user)


def test_people_outside_the_area_and_the_ministry_cannot_record(admin_units):
    row = household(current_commune("79"))
    for user in (
        officer(Role.PROVINCE_OFFICER, current_commune().province),
        ministry_user(),
        UserFactory.create(),
    ):
        with pytest.raises(PermissionDenied):
            _record(row, "voso", Stage.REGISTERED, TODAY, user)
    assert not ChannelStage.objects.exists()


def test_an_assistant_records_in_their_commune(admin_units):
    commune = current_commune()
    assistant = UserFactory.create()
    grant(assistant, Role.ASSISTANT, commune, assistant_kind=AssistantKind.TRAINER)
    assert _record(household(commune), "voso", Stage.REGISTERED, TODAY, assistant).created


# -- trained from attendance -------------------------------------------------------------
def test_attendance_makes_households_trained_on_this_platform_and_registered_channels(
    admin_units,
):
    commune = current_commune()
    user = officer(Role.COMMUNE_OFFICER, commune)
    came, absent, further = household(commune), household(commune), household(commune)
    _record(came, "postmart", Stage.REGISTERED, datetime.date(2026, 1, 5), user)
    _record(further, "postmart", Stage.ACCOUNT_CREATED, datetime.date(2026, 1, 5), user)
    sitting = session(commune, held_on=datetime.date(2026, 3, 10))
    services.attendance_record(
        session=sitting,
        recorded_by=user,
        attendance={came.pk: True, absent.pk: False, further.pk: True},
        today=TODAY,
    )
    assert _current(came, "nong-san").stage == Stage.TRAINED
    assert _current(came, "nong-san").reached_on == datetime.date(2026, 3, 10)
    assert _current(came, "postmart").stage == Stage.TRAINED
    assert not ChannelStage.objects.filter(household=came, channel=channel("voso")).exists()
    assert not ChannelStage.objects.filter(household=absent).exists()
    # Never moved back: already past "trained" on Postmart.
    assert _current(further, "postmart").stage == Stage.ACCOUNT_CREATED
    assert _current(further, "nong-san").stage == Stage.TRAINED
    jump = StageEvent.objects.get(household=came, channel=channel("nong-san"))
    assert jump.skipped_stages == [Stage.REGISTERED]


def test_recording_attendance_again_changes_nothing(admin_units):
    commune = current_commune()
    user = officer(Role.COMMUNE_OFFICER, commune)
    row = household(commune)
    sitting = session(commune)
    for _attempt in range(2):
        services.attendance_record(
            session=sitting, recorded_by=user, attendance={row.pk: True}, today=TODAY
        )
    assert Attendance.objects.count() == 1
    assert StageEvent.objects.filter(household=row).count() == 1
    assert AuditEntry.objects.filter(action="onboarding.attendance_record").count() == 1
    services.attendance_record(
        session=sitting, recorded_by=user, attendance={row.pk: False}, today=TODAY
    )
    assert not Attendance.objects.get().attended
    assert _current(row, "nong-san").stage == Stage.TRAINED


def test_attendance_is_refused_before_the_session_and_outside_the_area(admin_units):
    commune = current_commune()
    user = officer(Role.COMMUNE_OFFICER, commune)
    with pytest.raises(ValidationError, match="chưa diễn ra"):
        services.attendance_record(
            session=session(commune, held_on=datetime.date(2026, 7, 1)),
            recorded_by=user,
            attendance={household(commune).pk: True},
            today=TODAY,
        )
    far = household(current_commune("79"))
    with pytest.raises(ValidationError, match="trong địa bàn của bạn"):
        services.attendance_record(
            session=session(commune), recorded_by=user, attendance={far.pk: True}, today=TODAY
        )
    with pytest.raises(PermissionDenied):
        services.attendance_record(
            session=session(current_commune("79")),
            recorded_by=user,
            attendance={far.pk: True},
            today=TODAY,
        )
    assert not Attendance.objects.exists()


# -- derived from activity -----------------------------------------------------------------
def _derive(row, **activity):
    activity.setdefault("has_listing", False)
    activity.setdefault("first_sale_on", None)
    activity.setdefault("last_sale_on", None)
    activity.setdefault("today", TODAY)
    return services.stage_derive_from_activity(
        household=row, channel=channel("nong-san"), **activity
    )


def test_activity_derives_listing_first_sale_and_active_seller(admin_units):
    row = household(current_commune())
    assert _derive(row).event is None
    listed = _derive(row, has_listing=True)
    assert listed.event is not None
    assert (listed.event.to_stage, listed.event.source) == (
        Stage.FIRST_LISTING,
        StageSource.DERIVED,
    )
    assert listed.event.recorded_by is None
    sold = _derive(
        row,
        has_listing=True,
        first_sale_on=datetime.date(2026, 5, 20),
        last_sale_on=datetime.date(2026, 5, 20),
    )
    assert sold.event is not None
    assert sold.event.to_stage == Stage.ACTIVE_SELLER
    assert sold.event.skipped_stages == [Stage.FIRST_SALE]
    assert _current(row, "nong-san").reached_on == datetime.date(2026, 5, 20)
    again = _derive(
        row,
        has_listing=True,
        first_sale_on=datetime.date(2026, 5, 20),
        last_sale_on=datetime.date(2026, 5, 20),
    )
    assert not again.created


def test_an_active_seller_lapses_to_first_sale_after_90_days_with_a_reason(admin_units):
    row = household(current_commune())
    first, last = datetime.date(2026, 1, 10), datetime.date(2026, 3, 1)
    _derive(row, has_listing=True, first_sale_on=first, last_sale_on=last, today=last)
    assert _current(row, "nong-san").stage == Stage.ACTIVE_SELLER
    # Day 90 after the last sale: still active.
    still = _derive(
        row,
        has_listing=True,
        first_sale_on=first,
        last_sale_on=last,
        today=last + datetime.timedelta(days=90),
    )
    assert not still.created
    lapsed = _derive(
        row,
        has_listing=True,
        first_sale_on=first,
        last_sale_on=last,
        today=last + datetime.timedelta(days=120),
    )
    assert lapsed.event is not None
    assert lapsed.event.is_backward
    assert lapsed.event.to_stage == Stage.FIRST_SALE
    assert lapsed.event.occurred_on == last + datetime.timedelta(days=91)
    assert "Không có đơn bán trong 90 ngày" in lapsed.event.reason
    assert "01/03/2026" in lapsed.event.reason
    assert _current(row, "nong-san").stage == Stage.FIRST_SALE
    # A new sale makes the household active again.
    again = _derive(
        row,
        has_listing=True,
        first_sale_on=first,
        last_sale_on=datetime.date(2026, 8, 1),
        today=datetime.date(2026, 8, 2),
    )
    assert again.event is not None
    assert again.event.to_stage == Stage.ACTIVE_SELLER


def test_derivation_never_moves_a_household_back_except_the_lapse(admin_units):
    row = household(current_commune())
    _derive(row, first_sale_on=datetime.date(2026, 5, 1), last_sale_on=datetime.date(2026, 5, 1))
    assert not _derive(row, has_listing=True).created
    assert _current(row, "nong-san").stage == Stage.ACTIVE_SELLER


def test_derivation_refuses_a_last_sale_before_the_first(admin_units):
    with pytest.raises(ValidationError, match="không được trước ngày bán đầu tiên"):
        _derive(
            household(current_commune()),
            first_sale_on=datetime.date(2026, 5, 1),
            last_sale_on=datetime.date(2026, 4, 1),
        )


# -- consent, deliberate moves back, households that left -----------------------------------
def _withdraw_registry_consent(row):
    from nongsan.producers.models import ConsentPurpose, Purpose

    ConsentPurpose.objects.filter(household=row, purpose=Purpose.REGISTRY).update(
        withdrawn_at=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC)
    )


def test_a_household_that_withdrew_registry_consent_gets_no_stage(admin_units):
    commune = current_commune()
    user = officer(Role.COMMUNE_OFFICER, commune)
    row = household(commune)
    _withdraw_registry_consent(row)
    with pytest.raises(ValidationError, match="rút lại sự đồng ý lưu trong sổ đăng ký"):
        _record(row, "voso", Stage.REGISTERED, TODAY, user)
    assert not ChannelStage.objects.filter(household=row).exists()


def test_attendance_refuses_a_household_that_withdrew_registry_consent(admin_units):
    commune = current_commune()
    user = officer(Role.COMMUNE_OFFICER, commune)
    kept, withdrawn = household(commune), household(commune)
    _withdraw_registry_consent(withdrawn)
    with pytest.raises(ValidationError, match="rút lại sự đồng ý") as refused:
        services.attendance_record(
            session=session(commune),
            recorded_by=user,
            attendance={kept.pk: True, withdrawn.pk: True},
            today=TODAY,
        )
    assert str(withdrawn.pk) in str(refused.value)
    assert not Attendance.objects.exists()
    assert not ChannelStage.objects.exists()


def test_a_move_back_to_an_earlier_stage_of_the_same_day_is_recorded_not_taken_for_a_retry(
    admin_units,
):
    commune = current_commune()
    user = officer(Role.COMMUNE_OFFICER, commune)
    row = household(commune)
    day = datetime.date(2026, 5, 1)
    _record(row, "postmart", Stage.TRAINED, day, user)
    _record(row, "postmart", Stage.ACCOUNT_CREATED, day, user)  # by mistake
    back = _record(row, "postmart", Stage.TRAINED, day, user, reason="ghi nhầm")
    assert back.created
    assert back.event.is_backward
    assert _current(row, "postmart").stage == Stage.TRAINED
    # Retrying that same move back is a retry.
    again = _record(row, "postmart", Stage.TRAINED, day, user, reason="ghi nhầm")
    assert not again.created
    assert again.event == back.event
    assert StageEvent.objects.filter(household=row).count() == 3


def test_derived_moves_leave_erased_and_merged_households_alone(admin_units):
    commune = current_commune()
    row = household(commune, status=HouseholdStatus.ERASED)
    recording = services.stage_derive_from_activity(
        household=row,
        channel=channel("nong-san"),
        has_listing=True,
        first_sale_on=datetime.date(2026, 1, 1),
        last_sale_on=datetime.date(2026, 1, 1),
        today=TODAY,
    )
    assert recording.event is None
    assert not ChannelStage.objects.filter(household=row).exists()
