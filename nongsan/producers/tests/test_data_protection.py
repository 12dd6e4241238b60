"""Issue #4, the registry under the personal-data law (91/2025/QH15): erasure leaves nothing
personal behind, a withdrawn consent stops the processing, moves stay in the mover's area,
names of other areas stay hidden, the registered stage is recorded, merges keep onboarding."""

from __future__ import annotations

import datetime
import json

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import grant, ministry_user, officer
from nongsan.audit.models import AuditEntry
from nongsan.imports.models import ImportJob, ImportRow, RowStatus
from nongsan.onboarding.models import (
    STAGE_RANK,
    Attendance,
    Channel,
    ChannelStage,
    Course,
    Organiser,
    Stage,
    StageEvent,
    StageSource,
    TrainingSession,
)
from nongsan.onboarding.selectors import funnel
from nongsan.producers import services
from nongsan.producers.bulk import households_register_bulk
from nongsan.producers.models import (
    ConsentPurpose,
    ConsentRecord,
    Cooperative,
    DuplicateFlag,
    Household,
    MergeRecord,
    Purpose,
)
from nongsan.producers.selectors import household_consent_given
from nongsan.producers.tests.factories import (
    cooperative,
    current_commune,
    household,
    make_user,
    province_of,
    registry_consent,
    staff_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("nongsan.producers.tests.urls")]

NAME, ADDRESS, VILLAGE = "Trần Thị Bí Mật", "Số 9 ngõ Kín, thôn Ẩn", "Thôn Ẩn Danh"


def _trail_text() -> str:
    rows = AuditEntry.objects.values_list("target_repr", "changes", "on_behalf_of_label")
    return json.dumps(list(rows), ensure_ascii=False)


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _this_platform() -> Channel:
    channel, _created = Channel.objects.get_or_create(
        code="nong-san", defaults={"name": "Nông Sàn", "is_this_platform": True}
    )
    return channel


# -- 1. erasure ------------------------------------------------------------------------------
def test_the_trail_never_holds_the_name_address_or_village_in_clear(admin_units):
    staff = staff_user()
    commune = current_commune()
    row = household(commune, head_name=NAME, address_as_written=ADDRESS, village=VILLAGE)
    services.household_update(
        updated_by=staff,
        household=row,
        changes={"head_name": NAME + " Hai", "village": VILLAGE + " Hai"},
    )
    coop = cooperative(commune)
    services.cooperative_member_add(added_by=staff, cooperative=coop, household=row)
    services.household_erase(erased_by=staff, household=row)
    trail = _trail_text()
    for secret in ("Bí Mật", "ngõ Kín", "Ẩn Danh", "Ẩn"):
        assert secret not in trail
    entry = AuditEntry.objects.get(action="producers.household_register")
    assert entry.target_repr == f"Hộ #{row.pk}"
    assert entry.changes["head_name"][1].startswith("sha256:")
    assert entry.changes["address_as_written"][1].startswith("sha256:")
    update = AuditEntry.objects.get(action="producers.household_update")
    assert update.changes["head_name"][0] != update.changes["head_name"][1]
    member = AuditEntry.objects.get(action="producers.cooperative_member_add")
    assert member.target_repr.startswith(f"Hộ #{row.pk} · ")


def test_erasure_clears_the_spreadsheet_rows_that_registered_the_household(admin_units):
    staff = staff_user()
    commune = current_commune()
    row, other = household(commune, head_name=NAME), household(commune)
    job = ImportJob.objects.create(
        file="imports/ds.xlsx",
        original_name="ds.xlsx",
        sha256="0" * 64,
        uploaded_by=staff,
        province=province_of(commune),
    )
    data = {"head_name": NAME, "phone": "+84912000001", "bank_account_number": "0123456789"}
    ImportRow.objects.create(
        job=job, row_number=2, status=RowStatus.IMPORTED, data=data, household=row
    )
    ImportRow.objects.create(
        job=job, row_number=3, status=RowStatus.IMPORTED, data=dict(data), household=other
    )
    services.household_erase(erased_by=staff, household=row)
    erased = ImportRow.objects.get(row_number=2)
    assert erased.data == {}
    assert (erased.status, erased.household_id) == (RowStatus.IMPORTED, row.pk)
    assert ImportRow.objects.get(row_number=3).data == data


def test_erasure_follows_the_whole_chain_of_merges(admin_units):
    staff = staff_user()
    first, middle, last = (household(head_name=NAME) for _index in range(3))
    services.households_merge(merged_by=staff, survivor=middle, absorbed=first)
    services.households_merge(merged_by=staff, survivor=last, absorbed=middle)
    services.household_erase(erased_by=staff, household=last)
    for row in (first, middle):
        row.refresh_from_db()
        assert row.head_name != NAME
        assert row.phone == ""
    assert list(MergeRecord.objects.values_list("snapshot", flat=True)) == [{"erased": True}] * 2


# -- 2. withdrawn consent --------------------------------------------------------------------
def test_a_withdrawn_registry_consent_stops_reveals_certifications_codes_and_members(
    admin_units,
):
    staff = staff_user()
    commune = current_commune()
    row = household(commune, citizen_id="001095012345")
    coop = cooperative(commune)
    services.consent_withdraw(withdrawn_by=staff, household=row, purpose=Purpose.REGISTRY)
    attempts = [
        lambda: services.household_reveal_citizen_id(user=staff, household=row),
        lambda: services.certification_add(added_by=staff, household=row, kind="vietgap"),
        lambda: services.growing_area_code_add(added_by=staff, household=row, code="VN-HN-001"),
        lambda: services.cooperative_member_add(added_by=staff, cooperative=coop, household=row),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as error:
            attempt()
        assert "rút lại sự đồng ý" in error.value.messages[0]
    assert not AuditEntry.objects.filter(is_reveal=True).exists()


def test_a_merge_does_not_restore_a_consent_the_survivor_withdrew(admin_units):
    staff = staff_user()
    survivor = household(consent=registry_consent(Purpose.REGISTRY, Purpose.MARKETPLACE))
    absorbed = household(consent=registry_consent(Purpose.REGISTRY, Purpose.MARKETPLACE))
    services.consent_withdraw(withdrawn_by=staff, household=survivor, purpose=Purpose.MARKETPLACE)
    services.households_merge(merged_by=staff, survivor=survivor, absorbed=absorbed)
    assert not household_consent_given(survivor, Purpose.MARKETPLACE)
    assert household_consent_given(survivor, Purpose.REGISTRY)
    assert not Household.objects.with_consent(Purpose.MARKETPLACE).filter(pk=survivor.pk).exists()


def test_a_partner_reads_only_households_consenting_to_partner_sharing(admin_units):
    partner = make_user()
    grant(partner, Role.PARTNER_PLATFORM)
    shared = household(
        registered_by=partner, consent=registry_consent(Purpose.REGISTRY, Purpose.PARTNER_SHARING)
    )
    kept = household(registered_by=partner)
    client = _api(partner)
    listed = client.get(reverse("api-household-list"))
    assert [item["id"] for item in listed.data["results"]] == [shared.pk]
    assert client.get(reverse("api-household-detail", args=[shared.pk])).status_code == 200
    assert client.get(reverse("api-household-detail", args=[kept.pk])).status_code == 404


# -- 3. moves --------------------------------------------------------------------------------
def test_a_household_moves_only_to_a_commune_the_officer_covers(admin_units):
    home, far = current_commune(), current_commune("79")
    commune_officer = officer(Role.COMMUNE_OFFICER, home)
    row = household(home)
    with pytest.raises(PermissionDenied):
        services.household_update(
            updated_by=commune_officer, household=row, changes={"commune": far}
        )
    row.refresh_from_db()
    assert row.commune_id == home.pk
    response = _api(commune_officer).patch(
        reverse("api-household-detail", args=[row.pk]), {"commune": far.code}, format="json"
    )
    assert response.status_code == 403
    assert "xã ngoài địa bàn" in response.data["detail"]
    row.refresh_from_db()
    assert row.commune_id == home.pk


def test_a_moved_household_takes_its_area_rows_and_funnel_place_along(admin_units):
    home, other = current_commune(), current_commune(index=1)
    province_officer = officer(Role.PROVINCE_OFFICER, home.province)
    _this_platform()
    household(home, phone="0912777001")
    row = household(home, phone="0912777001")  # flagged as a duplicate of the first
    services.household_update(
        updated_by=province_officer, household=row, changes={"commune": other}
    )
    for model in (ConsentRecord, DuplicateFlag, ChannelStage, StageEvent):
        rows = model.objects.filter(household=row)
        assert set(rows.values_list("commune_id", flat=True)) == {other.pk}, model
    commune_officer = officer(Role.COMMUNE_OFFICER, other)
    by_channel = {result.channel.code: result for result in funnel(user=commune_officer)}
    assert by_channel["nong-san"].stages[0].households == 1


def test_a_cooperative_moves_only_within_the_officers_area_with_its_members(admin_units):
    home, other, far = current_commune(), current_commune(index=1), current_commune("79")
    province_officer = officer(Role.PROVINCE_OFFICER, home.province)
    coop = cooperative(home, created_by=province_officer)
    services.cooperative_member_add(
        added_by=province_officer, cooperative=coop, household=household(home)
    )
    with pytest.raises(PermissionDenied) as refusal:
        services.cooperative_update(
            updated_by=province_officer, cooperative=coop, changes={"commune": far}
        )
    assert "xã ngoài địa bàn" in str(refusal.value)
    with translation.override("en"), pytest.raises(PermissionDenied) as refusal:
        services.cooperative_update(
            updated_by=province_officer, cooperative=coop, changes={"commune": far}
        )
    assert "outside your area" in str(refusal.value)
    assert Cooperative.objects.get(pk=coop.pk).commune_id == home.pk
    services.cooperative_update(
        updated_by=province_officer, cooperative=coop, changes={"commune": other}
    )
    assert set(coop.memberships.values_list("commune_id", flat=True)) == {other.pk}


# -- 4. names of other areas -----------------------------------------------------------------
def test_the_household_page_hides_the_name_of_a_duplicate_in_another_area(admin_units, client):
    home = current_commune()
    row = household(home, phone="0912888001")
    household(current_commune("79"), head_name="Hộ Ở Phương Nam", phone="0912888001")
    client.force_login(officer(Role.COMMUNE_OFFICER, home))
    page = client.get(reverse("producers:household-detail", args=[row.pk])).content.decode()
    assert "Hộ Ở Phương Nam" not in page
    assert "một hộ ở địa bàn khác" in page
    province_officer = officer(Role.PROVINCE_OFFICER, home.province)
    client.force_login(province_officer)
    page = client.get(reverse("producers:household-detail", args=[row.pk])).content.decode()
    assert "Hộ Ở Phương Nam" not in page
    client.force_login(ministry_user())
    page = client.get(reverse("producers:household-detail", args=[row.pk])).content.decode()
    assert "Hộ Ở Phương Nam" in page


# -- 5. the ministry reads only --------------------------------------------------------------
def test_the_ministry_cannot_withdraw_or_record_consent(admin_units, client):
    row = household(consent=registry_consent(Purpose.REGISTRY, Purpose.MARKETPLACE))
    ministry = ministry_user()
    with pytest.raises(PermissionDenied):
        services.consent_withdraw(withdrawn_by=ministry, household=row, purpose=Purpose.MARKETPLACE)
    with pytest.raises(PermissionDenied):
        services.consent_record(
            recorded_by=ministry, household=row, consent=registry_consent(Purpose.TRADER_CONTACT)
        )
    client.force_login(ministry)
    page = client.get(reverse("producers:household-detail", args=[row.pk])).content.decode()
    assert "Hộ rút lại" not in page
    response = client.post(
        reverse("producers:consent-withdraw", args=[row.pk]), {"purpose": Purpose.MARKETPLACE}
    )
    assert response.status_code == 403
    assert household_consent_given(row, Purpose.MARKETPLACE)


# -- 6. the registered stage -----------------------------------------------------------------
def test_registering_records_the_registered_stage_on_this_platform(admin_units):
    channel = _this_platform()
    row = household()
    stage = ChannelStage.objects.get(household=row, channel=channel)
    assert (stage.stage, stage.rank, stage.commune_id) == (
        Stage.REGISTERED,
        STAGE_RANK[Stage.REGISTERED],
        row.commune_id,
    )
    assert StageEvent.objects.filter(household=row, to_stage=Stage.REGISTERED).count() == 1


def test_bulk_registration_records_the_stages_in_one_insert_per_batch(
    admin_units, django_assert_max_num_queries
):
    channel = _this_platform()
    commune = current_commune()
    rows = [
        services.RegistrationInput(
            head_name=f"Hộ Nhập {index}",
            phone=f"0913{index:06d}",
            commune=commune.pk,
            consent=registry_consent(),
        )
        for index in range(30)
    ]
    staff = staff_user()
    result = households_register_bulk(registered_by=staff, rows=rows[:1])
    assert result.created == 1
    with django_assert_max_num_queries(30):
        result = households_register_bulk(registered_by=staff, rows=rows[1:])
    assert result.created == 29
    assert ChannelStage.objects.filter(channel=channel, stage=Stage.REGISTERED).count() == 30
    assert StageEvent.objects.filter(channel=channel, to_stage=Stage.REGISTERED).count() == 30


# -- 7. merges keep onboarding ---------------------------------------------------------------
def test_a_merge_keeps_the_higher_stage_and_the_training_attendance(admin_units):
    staff = staff_user()
    commune = current_commune()
    channel = _this_platform()
    postmart, _created = Channel.objects.get_or_create(
        code="postmart", defaults={"name": "Postmart"}
    )
    survivor, absorbed = household(commune), household(commune)
    day = datetime.date(2026, 3, 1)
    ChannelStage.objects.create(
        household=absorbed,
        channel=postmart,
        stage=Stage.FIRST_LISTING,
        rank=STAGE_RANK[Stage.FIRST_LISTING],
        reached_on=day,
        source=StageSource.PARTNER,
        province=province_of(commune),
        commune=commune,
    )
    ChannelStage.objects.filter(household=absorbed, channel=channel).update(
        stage=Stage.TRAINED, rank=STAGE_RANK[Stage.TRAINED]
    )
    course = Course.objects.create(topic="Mở gian hàng")
    session = TrainingSession.objects.create(
        course=course,
        held_on=day,
        place="Nhà văn hoá",
        province=province_of(commune),
        commune=commune,
        organiser=Organiser.FARMERS_ASSOCIATION,
    )
    Attendance.objects.create(
        session=session, household=absorbed, province=province_of(commune), commune=commune
    )
    merge = services.households_merge(merged_by=staff, survivor=survivor, absorbed=absorbed)
    kept = ChannelStage.objects.get(household=survivor, channel=postmart)
    assert (kept.stage, kept.reached_on) == (Stage.FIRST_LISTING, day)
    event = StageEvent.objects.get(household=survivor, channel=postmart)
    assert event.to_stage == Stage.FIRST_LISTING
    assert event.skipped_stages == [Stage.REGISTERED, Stage.TRAINED, Stage.ACCOUNT_CREATED]
    assert ChannelStage.objects.get(household=survivor, channel=channel).stage == Stage.TRAINED
    assert Attendance.objects.get(session=session).household_id == survivor.pk
    assert merge.moved["attendances"] == 1


# -- 8. the admin reads only -----------------------------------------------------------------
@pytest.mark.parametrize(
    "model", [Household, ConsentRecord, ConsentPurpose, DuplicateFlag, MergeRecord]
)
def test_the_registry_admin_changes_nothing(model):
    request = RequestFactory().get("/")
    request.user = staff_user()
    model_admin = site._registry[model]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
