"""Registry rules: registration with consent, protected citizen IDs, duplicates, merges,
consent withdrawal, export and erasure, cooperatives."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from nongsan.accounts.models import Assistance, AssistantKind, Role
from nongsan.accounts.tests.factories import grant, ministry_user, officer
from nongsan.audit.models import AuditEntry
from nongsan.geo.models import AdministrativeUnit
from nongsan.producers import services
from nongsan.producers.models import (
    ERASED_NAME,
    ConsentMethod,
    ConsentPurpose,
    ConsentRecord,
    DuplicateFlag,
    DuplicateReason,
    DuplicateStatus,
    Household,
    HouseholdStatus,
    MergeRecord,
    Purpose,
)
from nongsan.producers.permissions import editable_households, visible_households
from nongsan.producers.selectors import household_consent_given, household_list
from nongsan.producers.tests.factories import (
    JPEG_BYTES,
    cooperative,
    current_commune,
    household,
    make_user,
    province_of,
    registry_consent,
    staff_user,
)

pytestmark = pytest.mark.django_db

CITIZEN_ID = "001095012345"


def _raw_column(household_id: int, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM producers_household WHERE id = %s",  # noqa: S608 - test constant
            [household_id],
        )
        return str(cursor.fetchone()[0])


# -- registration --------------------------------------------------------------------------
def test_register_normalises_and_keeps_the_address_verbatim(admin_units):
    commune = current_commune()
    row = household(
        commune,
        head_name="  Nguyễn   Thị  Hoa ",
        phone="0912 345 678",
        extra_phones=["0987654321", "0912345678"],
        address_as_written="Thôn Đông, xã Hồng Giang, huyện Lục Ngạn, tỉnh Bắc Giang",
        village="thôn  Đông",
        farm_area_hectares="1,25",
        bank_bin="970405",
        bank_account_number="1234 5678 9012",
        bank_account_holder="Nguyễn Thị Hoa",
    )
    assert row.head_name == "Nguyễn Thị Hoa"
    assert row.head_name_folded == "nguyen thi hoa"
    assert row.phone == "+84912345678"
    assert [p.phone for p in row.extra_phones.all()] == ["+84987654321"]
    assert row.address_as_written == "Thôn Đông, xã Hồng Giang, huyện Lục Ngạn, tỉnh Bắc Giang"
    assert row.farm_area_hectares == Decimal("1.25")
    assert row.province_id == commune.province_id
    assert row.bank_account_holder == "NGUYEN THI HOA"
    assert row.bank_account_masked == "********9012"
    assert row.bank is not None
    assert row.bank.short_name == "Agribank"
    entry = AuditEntry.objects.get(action="producers.household_register")
    assert entry.commune_id == commune.pk
    assert "+84912345678" not in str(entry.changes)


def test_register_without_registry_consent_is_refused_in_vietnamese(admin_units):
    with pytest.raises(ValidationError) as error:
        household(consent=registry_consent(Purpose.MARKETPLACE))
    assert "chưa đồng ý" in str(error.value.message_dict["consent_purposes"])
    with pytest.raises(ValidationError) as error:
        household(consent=None)
    assert "đồng ý" in str(error.value.message_dict["consent_purposes"])
    assert not Household.objects.exists()
    assert not ConsentRecord.objects.exists()


def test_register_reports_every_bad_field_at_once_and_writes_nothing(admin_units):
    legacy = AdministrativeUnit.objects.filter(level="commune", valid_until__isnull=False).first()
    with pytest.raises(ValidationError) as error:
        services.household_register(
            registered_by=staff_user(),
            head_name="  ",
            phone="12345",
            commune=legacy,
            citizen_id="123456789",
            farm_area_hectares="-3",
            bank_bin="999999",
            bank_account_number="12",
            consent=services.ConsentInput(purposes=[Purpose.REGISTRY], method="telepathy"),
        )
    errors = error.value.message_dict
    assert set(errors) >= {
        "head_name",
        "phone",
        "commune",
        "citizen_id",
        "farm_area_hectares",
        "bank_bin",
        "bank_account_number",
        "bank_account_holder",
        "consent_method",
    }
    assert "CMND" in errors["citizen_id"][0]
    assert "hiện hành" in errors["commune"][0]
    assert not Household.objects.exists()
    assert not AuditEntry.objects.exists()


def test_spoken_consent_needs_a_witness_and_paper_consent_a_real_image(admin_units):
    with pytest.raises(ValidationError) as error:
        household(consent=services.ConsentInput(purposes=[Purpose.REGISTRY], method="spoken"))
    assert "witness_name" in error.value.message_dict
    fake = SimpleUploadedFile("giay.jpg", b"<script>alert(1)</script>", "image/jpeg")
    with pytest.raises(ValidationError) as error:
        household(
            consent=services.ConsentInput(
                purposes=[Purpose.REGISTRY], method=ConsentMethod.SIGNED_PAPER, paper_photo=fake
            )
        )
    assert "không phải là ảnh" in error.value.message_dict["paper_photo"][0]
    photo = SimpleUploadedFile("giay.jpg", JPEG_BYTES, "image/jpeg")
    row = household(
        consent=services.ConsentInput(
            purposes=[Purpose.REGISTRY], method=ConsentMethod.SIGNED_PAPER, paper_photo=photo
        )
    )
    record = row.consent_records.get()
    assert record.paper_photo.name.startswith("consent/")
    assert record.paper_photo.storage.exists(record.paper_photo.name)


def test_a_photo_stored_for_a_refused_registration_is_removed(admin_units, settings, monkeypatch):
    """The failure comes after the photo is saved (the audit entry), so the clean-up runs."""
    import pathlib

    photo = SimpleUploadedFile("giay.jpg", JPEG_BYTES, "image/jpeg")
    consent = services.ConsentInput(
        purposes=[Purpose.REGISTRY], method=ConsentMethod.SIGNED_PAPER, paper_photo=photo
    )
    saved: list[str] = []
    store = services._store_consent_photo

    def store_and_note(record, consent_input, saved_files):
        store(record, consent_input, saved_files)
        saved.extend(saved_files)

    def failing_audit(**kwargs):
        raise RuntimeError("the trail cannot be written")

    monkeypatch.setattr(services, "_store_consent_photo", store_and_note)
    monkeypatch.setattr(services, "audit_record", failing_audit)
    with pytest.raises(RuntimeError):
        household(head_name="Hộ Có Ảnh", consent=consent)
    assert saved, "the photo was stored before the failure"
    media = pathlib.Path(settings.MEDIA_ROOT)
    assert not media.exists() or not list(media.rglob("*.img"))
    assert not Household.objects.filter(head_name="Hộ Có Ảnh").exists()


def test_nothing_is_assumed_consented(admin_units):
    row = household(consent=registry_consent(Purpose.REGISTRY))
    assert household_consent_given(row, Purpose.REGISTRY)
    for purpose in (Purpose.MARKETPLACE, Purpose.PARTNER_SHARING, Purpose.TRADER_CONTACT):
        assert not household_consent_given(row, purpose)


def test_an_assistant_registers_only_in_their_commune(admin_units):
    home, elsewhere = current_commune("01"), current_commune("79")
    assistant = make_user()
    grant(assistant, Role.ASSISTANT, home, assistant_kind=AssistantKind.TRAINER)
    assert household(home, registered_by=assistant).registered_by == assistant
    with pytest.raises(PermissionDenied):
        household(elsewhere, registered_by=assistant)
    with pytest.raises(PermissionDenied):
        household(home, registered_by=ministry_user())


def test_an_assistant_who_registers_a_household_is_assigned_to_it(admin_units):
    from nongsan.accounts.services import can_act_for_household

    commune = current_commune()
    assistant = make_user()
    grant(assistant, Role.ASSISTANT, commune, assistant_kind=AssistantKind.TRAINER)
    row = household(commune, registered_by=assistant)
    assistance = Assistance.objects.get(household=row)
    assert (assistance.assistant, assistance.assigned_by) == (assistant, assistant)
    assert (assistance.commune, assistance.province) == (commune, commune.province)
    assert assistance.ended_at is None
    assert can_act_for_household(assistant, row)
    assert AuditEntry.objects.filter(
        action="accounts.assistance_assign", target_id=str(assistance.pk)
    ).exists()
    # Acting rests on the registry consent, as for any assignment.
    services.consent_withdraw(withdrawn_by=staff_user(), household=row, purpose=Purpose.REGISTRY)
    assert not can_act_for_household(assistant, row)


def test_officers_and_staff_who_register_are_not_assigned(admin_units):
    commune = current_commune()
    commune_officer = officer(Role.COMMUNE_OFFICER, commune)
    household(commune, registered_by=commune_officer)
    household(commune, registered_by=staff_user())
    assert not Assistance.objects.exists()


def test_registration_and_its_consent_are_one_audit_entry(admin_units):
    row = household(consent=registry_consent(Purpose.REGISTRY, Purpose.MARKETPLACE))
    entries = AuditEntry.objects.filter(target_id=str(row.pk), action__startswith="producers.")
    entry = entries.get()
    assert entry.action == "producers.household_register"
    record = row.consent_records.get()
    assert entry.changes["consent_record"] == [None, record.pk]
    assert entry.changes["consent_purposes"] == [None, ["marketplace", "registry"]]
    assert entry.changes["consent_method"] == [None, record.method]
    assert not AuditEntry.objects.filter(action="producers.consent_record").exists()


# -- citizen ID ----------------------------------------------------------------------------
def test_the_citizen_id_is_encrypted_at_rest_and_shown_masked(admin_units):
    row = household(citizen_id="001 095 012 345")
    assert row.citizen_id_masked == "001*******45"
    stored = _raw_column(row.pk, "citizen_id_encrypted") + _raw_column(row.pk, "citizen_id_index")
    assert CITIZEN_ID not in stored
    assert Household.objects.filter(citizen_id_index=row.citizen_id_index).count() == 1
    assert CITIZEN_ID not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_revealing_the_citizen_id_is_audited_and_limited_to_editors(admin_units):
    commune = current_commune()
    row = household(commune, citizen_id=CITIZEN_ID)
    commune_officer = officer(Role.COMMUNE_OFFICER, commune)
    assert services.household_reveal_citizen_id(user=commune_officer, household=row) == CITIZEN_ID
    entry = AuditEntry.objects.get(is_reveal=True)
    assert entry.actor == commune_officer
    assert entry.changes == {"field": "citizen_id"}
    with pytest.raises(PermissionDenied):
        services.household_reveal_citizen_id(user=ministry_user(), household=row)
    other_area = officer(Role.COMMUNE_OFFICER, current_commune("79"))
    with pytest.raises(PermissionDenied):
        services.household_reveal_citizen_id(user=other_area, household=row)
    assert AuditEntry.objects.filter(is_reveal=True).count() == 1


def test_a_missing_key_setting_is_a_clear_configuration_error(admin_units, settings):
    del settings.PERSONAL_DATA_KEYS
    with pytest.raises(ImproperlyConfigured, match="PERSONAL_DATA_KEYS"):
        household(citizen_id=CITIZEN_ID)


def test_keys_rotate_old_values_still_decrypt(admin_units, settings):
    from cryptography.fernet import Fernet

    row = household(citizen_id=CITIZEN_ID)
    settings.PERSONAL_DATA_KEYS = [Fernet.generate_key().decode(), *settings.PERSONAL_DATA_KEYS]
    assert services.household_reveal_citizen_id(user=staff_user(), household=row) == CITIZEN_ID


# -- duplicates and merges -----------------------------------------------------------------
def test_same_phone_citizen_id_or_name_in_commune_is_flagged_never_silently_kept(admin_units):
    commune = current_commune()
    first = household(commune, head_name="Lê Văn Bình", phone="0912000111", citizen_id=CITIZEN_ID)
    by_phone = household(current_commune("79"), head_name="Ai Khác", phone="0912 000 111")
    by_id = household(current_commune("79"), head_name="Người Khác", citizen_id=CITIZEN_ID)
    by_name = household(commune, head_name="LE VAN BINH")
    namesake_elsewhere = household(current_commune("79"), head_name="Lê Văn Bình")
    reasons = {
        (flag.household_id, flag.reason)
        for flag in DuplicateFlag.objects.filter(other=first, status=DuplicateStatus.OPEN)
    }
    assert reasons == {
        (by_phone.pk, DuplicateReason.SAME_PHONE),
        (by_id.pk, DuplicateReason.SAME_CITIZEN_ID),
        (by_name.pk, DuplicateReason.SAME_NAME_IN_COMMUNE),
    }
    assert not DuplicateFlag.objects.filter(household=namesake_elsewhere).exists()


def test_an_extra_phone_matching_another_household_is_flagged(admin_units):
    first = household(phone="0912000222")
    second = household(phone="0912000333", extra_phones=["0912000222"])
    assert DuplicateFlag.objects.filter(
        household=second, other=first, reason=DuplicateReason.SAME_PHONE
    ).exists()


def test_dismissing_a_flag_closes_it_and_is_audited(admin_units):
    commune = current_commune()
    household(commune, head_name="Trần Văn An")
    second = household(commune, head_name="Trần Văn An")
    flag = DuplicateFlag.objects.get(household=second)
    services.duplicate_flag_dismiss(
        dismissed_by=staff_user(), flag=flag, note="Hai người khác nhau"
    )
    flag.refresh_from_db()
    assert flag.status == DuplicateStatus.DISMISSED
    assert AuditEntry.objects.filter(action="producers.duplicate_dismiss").exists()
    with pytest.raises(ValidationError):
        services.duplicate_flag_dismiss(dismissed_by=staff_user(), flag=flag)


def test_merging_moves_everything_to_the_survivor_and_keeps_both_histories(admin_units):
    commune = current_commune()
    staff = staff_user()
    survivor = household(commune, head_name="Phạm Văn Cường", phone="0912000444")
    absorbed = household(
        commune,
        head_name="Phạm Văn Cường",
        phone="0912000555",
        citizen_id=CITIZEN_ID,
        consent=registry_consent(Purpose.REGISTRY, Purpose.MARKETPLACE),
    )
    services.certification_add(
        added_by=staff, household=absorbed, kind="ocop", ocop_stars=4, number="OCOP-1"
    )
    coop = cooperative(commune)
    services.cooperative_member_add(added_by=staff, cooperative=coop, household=absorbed)
    merge = services.households_merge(merged_by=staff, survivor=survivor, absorbed=absorbed)
    survivor.refresh_from_db()
    absorbed.refresh_from_db()
    assert absorbed.status == HouseholdStatus.MERGED
    assert absorbed.merged_into == survivor
    assert absorbed.head_name == "Phạm Văn Cường"  # the absorbed record stays readable
    assert survivor.citizen_id_masked == "001*******45"
    assert "+84912000555" in {p.phone for p in survivor.extra_phones.all()}
    assert survivor.certifications.get().ocop_stars == 4
    assert survivor.memberships.get().cooperative == coop
    assert household_consent_given(survivor, Purpose.MARKETPLACE)
    assert merge.snapshot["phone"] == "+84912000555"
    assert merge.snapshot["citizen_id_masked"] == "001*******45"
    assert MergeRecord.objects.get() == merge
    assert not DuplicateFlag.objects.filter(status=DuplicateStatus.OPEN).exists()
    assert AuditEntry.objects.filter(action="producers.household_merge").count() == 2
    with pytest.raises(ValidationError):
        services.households_merge(merged_by=staff, survivor=survivor, absorbed=absorbed)
    with pytest.raises(ValidationError):
        services.households_merge(merged_by=staff, survivor=survivor, absorbed=survivor)


# -- updates and consent ---------------------------------------------------------------------
def test_update_changes_fields_audits_them_and_rechecks_duplicates(admin_units):
    other = household(phone="0912000666")
    row = household(phone="0912000777")
    moved_to = current_commune("79")
    services.household_update(
        updated_by=staff_user(),
        household=row,
        changes={"phone": "0912000666", "commune": moved_to, "citizen_id": CITIZEN_ID},
    )
    row.refresh_from_db()
    assert row.province_id == moved_to.province_id
    assert row.citizen_id_masked == "001*******45"
    entry = AuditEntry.objects.get(action="producers.household_update")
    assert entry.changes["citizen_id"] == ["***", "***"]
    assert "+84912000666" not in str(entry.changes)
    assert DuplicateFlag.objects.filter(household=row, other=other).exists()


def test_update_refuses_bad_input_without_writing(admin_units):
    row = household(phone="0912000888")
    with pytest.raises(ValidationError) as error:
        services.household_update(
            updated_by=staff_user(), household=row, changes={"phone": "abc", "head_name": ""}
        )
    assert set(error.value.message_dict) == {"phone", "head_name"}
    row.refresh_from_db()
    assert row.phone == "+84912000888"


def test_withdrawing_registry_consent_stops_the_processing(admin_units):
    commune = current_commune()
    staff = staff_user()
    row = household(commune, consent=registry_consent(Purpose.REGISTRY, Purpose.MARKETPLACE))
    assert household_list(user=staff).filter(pk=row.pk).exists()
    services.consent_withdraw(withdrawn_by=staff, household=row, purpose=Purpose.MARKETPLACE)
    assert not Household.objects.with_consent(Purpose.MARKETPLACE).filter(pk=row.pk).exists()
    assert household_list(user=staff).filter(pk=row.pk).exists()
    services.consent_withdraw(withdrawn_by=staff, household=row, purpose=Purpose.REGISTRY)
    assert not household_list(user=staff).filter(pk=row.pk).exists()
    with pytest.raises(ValidationError):
        services.household_update(updated_by=staff, household=row, changes={"village": "Thôn Mới"})
    with pytest.raises(ValidationError):
        services.consent_withdraw(withdrawn_by=staff, household=row, purpose=Purpose.REGISTRY)
    withdrawn = ConsentPurpose.objects.get(household=row, purpose=Purpose.REGISTRY)
    assert withdrawn.withdrawn_by == staff
    assert withdrawn.withdrawn_at is not None
    services.consent_record(recorded_by=staff, household=row, consent=registry_consent())
    assert household_list(user=staff).filter(pk=row.pk).exists()


def test_consent_already_given_is_not_recorded_twice(admin_units):
    row = household()
    with pytest.raises(ValidationError) as error:
        services.consent_record(recorded_by=staff_user(), household=row, consent=registry_consent())
    assert "đã đồng ý" in error.value.message_dict["consent_purposes"][0]


# -- export and erasure ----------------------------------------------------------------------
def test_the_export_holds_everything_including_consent_and_audit_history(admin_units):
    import json

    staff = staff_user()
    row = household(citizen_id=CITIZEN_ID, phone="0912000999", village="Thôn Đoài")
    services.growing_area_code_add(added_by=staff, household=row, code=" vn-hn-001 ")
    services.consent_withdraw(withdrawn_by=staff, household=row, purpose=Purpose.REGISTRY)
    data = services.household_data_export(requested_by=staff, household=row)
    json.dumps(data)
    assert data["household"]["phone"] == "+84912000999"
    assert data["household"]["citizen_id"] == "001*******45"
    assert data["growing_area_codes"] == ["VN-HN-001"]
    assert data["consents"][0]["purposes"][0]["withdrawn_at"]
    actions = [entry["action"] for entry in data["audit"]]
    assert "producers.household_register" in actions
    assert "producers.consent_withdraw" in actions
    assert CITIZEN_ID not in json.dumps(data)
    assert AuditEntry.objects.filter(is_reveal=True, changes={"field": "data_export"}).exists()


def test_erasure_removes_personal_fields_and_keeps_anonymous_statistics(admin_units):
    staff = staff_user()
    photo = SimpleUploadedFile("giay.jpg", JPEG_BYTES, "image/jpeg")
    commune = current_commune()
    row = household(
        commune,
        citizen_id=CITIZEN_ID,
        extra_phones=["0987000111"],
        main_produce="Vải thiều",
        farm_area_hectares="2.5",
        bank_bin="970436",
        bank_account_number="0123456789",
        bank_account_holder="A",
        address_as_written="Thôn Đông",
        consent=services.ConsentInput(
            purposes=[Purpose.REGISTRY], method=ConsentMethod.SIGNED_PAPER, paper_photo=photo
        ),
    )
    photo_name = row.consent_records.get().paper_photo.name
    storage = row.consent_records.get().paper_photo.storage
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda callback, using=None: callback())
        services.household_erase(erased_by=staff, household=row)
    row.refresh_from_db()
    assert row.head_name == ERASED_NAME
    assert row.phone == row.citizen_id_encrypted == row.citizen_id_index == ""
    assert row.bank_account_number == row.address_as_written == ""
    assert not row.extra_phones.exists()
    assert row.status == HouseholdStatus.ERASED
    assert (row.commune_id, row.main_produce, row.farm_area_hectares) == (
        commune.pk,
        "Vải thiều",
        Decimal("2.5000"),
    )
    assert not storage.exists(photo_name)
    assert not row.consent_records.get().paper_photo
    assert not household_consent_given(row, Purpose.REGISTRY)
    with pytest.raises(ValidationError):
        services.household_erase(erased_by=staff, household=row)


def test_erasing_also_erases_the_records_merged_into_it(admin_units):
    staff = staff_user()
    survivor = household(head_name="Võ Thị Lan")
    absorbed = household(head_name="Võ Thị Lan")
    services.households_merge(merged_by=staff, survivor=survivor, absorbed=absorbed)
    services.household_erase(erased_by=staff, household=survivor)
    absorbed.refresh_from_db()
    assert absorbed.head_name == ERASED_NAME
    assert MergeRecord.objects.get().snapshot == {"erased": True}


# -- scope -----------------------------------------------------------------------------------
def test_scope_officers_by_area_own_account_and_assigned_assistants(admin_units):
    commune = current_commune()
    owner = make_user()
    grant(owner, Role.HOUSEHOLD_SELLER)
    row = household(commune, user=owner)
    province_officer = officer(Role.PROVINCE_OFFICER, commune.province)
    assistant = make_user()
    grant(assistant, Role.ASSISTANT, commune, assistant_kind=AssistantKind.TRAINER)
    assert not visible_households(assistant).filter(pk=row.pk).exists()
    Assistance.objects.create(
        assistant=assistant, seller=owner, commune=commune, province=province_of(commune),
        assigned_by=province_officer,
    )  # fmt: skip
    for user in (owner, province_officer, assistant):
        assert editable_households(user).filter(pk=row.pk).exists()
    ministry = ministry_user()
    assert visible_households(ministry).filter(pk=row.pk).exists()
    assert not editable_households(ministry).filter(pk=row.pk).exists()


# -- cooperatives and certifications ---------------------------------------------------------
def test_cooperatives_members_and_selling_on_behalf(admin_units):
    commune = current_commune()
    commune_officer = officer(Role.COMMUNE_OFFICER, commune)
    coop = cooperative(commune, created_by=commune_officer, registration_number="01-htx-123")
    assert coop.registration_number == "01-HTX-123"
    with pytest.raises(ValidationError) as error:
        cooperative(commune, registration_number="01-HTX-123")
    assert "registration_number" in error.value.message_dict
    member = household(commune)
    membership = services.cooperative_member_add(
        added_by=commune_officer, cooperative=coop, household=member, sells_on_behalf=True
    )
    assert membership.sells_on_behalf
    with pytest.raises(ValidationError):
        services.cooperative_member_add(
            added_by=commune_officer, cooperative=coop, household=member
        )
    services.cooperative_member_remove(removed_by=commune_officer, membership=membership)
    membership.refresh_from_db()
    assert membership.left_on is not None
    with pytest.raises(PermissionDenied):
        services.cooperative_update(
            updated_by=officer(Role.COMMUNE_OFFICER, current_commune("79")),
            cooperative=coop,
            changes={"name": "Khác"},
        )


def test_certification_rules(admin_units):
    staff = staff_user()
    row = household()
    with pytest.raises(ValidationError) as error:
        services.certification_add(added_by=staff, household=row, kind="ocop", ocop_stars=6)
    assert "3 đến 5 sao" in error.value.message_dict["ocop_stars"][0]
    with pytest.raises(ValidationError):
        services.certification_add(added_by=staff, household=row, kind="vietgap", ocop_stars=3)
    certification = services.certification_add(
        added_by=staff,
        household=row,
        kind="vietgap",
        issued_on=datetime.date(2024, 1, 1),
        expires_on=datetime.date(2025, 1, 1),
    )
    assert not certification.is_valid_now
    assert certification.is_valid_on(datetime.date(2024, 6, 1))
    assert household_list(user=staff, certification="vietgap").count() == 0
    with pytest.raises(ValidationError) as error:
        services.growing_area_code_add(added_by=staff, household=row, code="mã có dấu!")
    assert "code" in error.value.message_dict
