"""Batch registration: the same households, flags, consent and trail as one by one, the same
refusals, idempotent by external reference, and a query count that does not grow per row."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import officer
from nongsan.audit.models import AuditEntry
from nongsan.producers import services
from nongsan.producers.bulk import CREATED, REFUSED, UNCHANGED, households_register_bulk
from nongsan.producers.models import (
    ConsentMethod,
    ConsentRecord,
    DuplicateFlag,
    Household,
    HouseholdPhone,
    Purpose,
)
from nongsan.producers.services import RegistrationInput
from nongsan.producers.tests.factories import (
    current_commune,
    household,
    registry_consent,
    staff_user,
)

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    """Undoes the single path's writes so the batch path starts from the same registry."""


def _rows(commune: Any, other_commune: Any) -> list[RegistrationInput]:
    consent = registry_consent(Purpose.REGISTRY, Purpose.MARKETPLACE)
    return [
        RegistrationInput(head_name="Lê Thị Một", phone="0912000001", commune=commune.pk,
                          consent=consent, citizen_id="001095012345", village="Thôn Đông",
                          farm_area_hectares="1,5", extra_phones=["0912000099"]),
        # Refused: bad phone, bad citizen ID, negative area.
        RegistrationInput(head_name="Sai Số", phone="0123", commune=commune.pk, consent=consent,
                          citizen_id="99999", farm_area_hectares="-1"),
        # Same phone as the household already registered.
        RegistrationInput(head_name="Trần Văn Hai", phone="0912000500", commune=commune,
                          consent=consent),
        # Same folded name in the same commune as row 0, and its citizen ID.
        RegistrationInput(head_name="LE THI MOT", phone="0912000003", commune=commune.pk,
                          consent=consent, citizen_id="001095012345"),
        # Its main phone is row 0's extra phone.
        RegistrationInput(head_name="Phạm Bốn", phone="0912000099", commune=other_commune.pk,
                          consent=consent, bank_bin="970405",
                          bank_account_number="1234 5678 9012", bank_account_holder="Phạm Bốn"),
        # Refused: no consent; a legacy commune id that does not exist.
        RegistrationInput(head_name="Không Đồng Ý", phone="0912000006", commune=99_999_999,
                          consent=None),
        RegistrationInput(head_name="Chỉ Bán Hàng", phone="0912000007", commune=commune.pk,
                          consent=registry_consent(Purpose.MARKETPLACE)),
    ]  # fmt: skip


def _snapshot() -> dict[str, Any]:
    """The registry and trail with ids replaced by their order, so two runs compare."""
    households = {
        pk: n for n, pk in enumerate(Household.objects.order_by("pk").values_list("pk", flat=True))
    }
    records = {
        pk: n
        for n, pk in enumerate(ConsentRecord.objects.order_by("pk").values_list("pk", flat=True))
    }
    flags = {
        pk: n
        for n, pk in enumerate(DuplicateFlag.objects.order_by("pk").values_list("pk", flat=True))
    }
    ignored = {"id", "created_at", "updated_at", "citizen_id_encrypted"}
    rows = [
        {key: value for key, value in row.items() if key not in ignored}
        for row in Household.objects.order_by("pk").values()
    ]
    targets = {"household": households, "consentrecord": records, "duplicateflag": flags}
    entries = []
    for entry in AuditEntry.objects.select_related("target_type").order_by("pk"):
        model = entry.target_type.model if entry.target_type else ""
        changes = dict(entry.changes)
        if "other" in changes:
            changes["other"] = [None, households[changes["other"][1]]]
        if "consent_record" in changes:
            changes["consent_record"] = [None, records[changes["consent_record"][1]]]
        entries.append(
            (entry.action, model, targets.get(model, {}).get(int(entry.target_id or 0)),
             changes, entry.target_repr == f"Hộ #{entry.target_id}" if model == "household"
             else "", entry.actor_id,
             entry.province_id, entry.commune_id)
        )  # fmt: skip
    return {
        "households": rows,
        "phones": sorted(
            (households[pk], phone)
            for pk, phone in HouseholdPhone.objects.values_list("household_id", "phone")
        ),
        "flags": sorted(
            (households[h], households[o], reason, status)
            for h, o, reason, status in DuplicateFlag.objects.values_list(
                "household_id", "other_id", "reason", "status"
            )
        ),
        "consent": sorted(
            (
                households[record.household_id],
                record.method,
                tuple(record.data_types),
                record.controller,
                record.collected_by_id,
                record.witness_name,
                record.note,
                tuple(sorted(record.purposes.values_list("purpose", flat=True))),
            )
            for record in ConsentRecord.objects.all()
        ),  # fmt: skip
        "audit": sorted(entries, key=repr),
    }


def _register_one_by_one(user: Any, rows: list[RegistrationInput]) -> list[Any]:
    outcomes: list[Any] = []
    for row in rows:
        try:
            registered = services.household_register(
                registered_by=user, registered_via="import", **vars(row)
            )
        except ValidationError as error:
            outcomes.append(error.message_dict)
        except PermissionDenied as error:
            outcomes.append({"__all__": [str(error)]})
        else:
            outcomes.append(registered.pk)
    return outcomes


def test_bulk_registration_writes_what_one_by_one_registration_writes(admin_units):
    commune, other_commune = current_commune(), current_commune(index=1)
    user = staff_user()
    household(commune, head_name="Người Có Sẵn", phone="0912000500", registered_by=user)
    rows = _rows(commune, other_commune)
    try:
        with transaction.atomic():
            single = _register_one_by_one(user, rows)
            expected = _snapshot()
            raise _Rollback
    except _Rollback:
        pass
    result = households_register_bulk(registered_by=user, rows=rows)
    assert _snapshot() == expected
    assert [row.status for row in result.rows] == [
        CREATED, REFUSED, CREATED, CREATED, CREATED, REFUSED, REFUSED,
    ]  # fmt: skip
    assert [row.errors for row in result.rows if row.status == REFUSED] == [
        outcome for outcome in single if isinstance(outcome, dict)
    ]
    assert len(expected["flags"]) == 4  # the registry phone, name, citizen ID, extra phone


def test_bulk_registration_refusals_name_each_field_in_vietnamese(admin_units):
    commune = current_commune()
    result = households_register_bulk(registered_by=staff_user(), rows=_rows(commune, commune))
    errors = result.rows[1].errors
    assert set(errors) == {"phone", "citizen_id", "farm_area_hectares"}
    assert "hiện hành" in result.rows[5].errors["commune"][0]
    assert "consent_purposes" in result.rows[5].errors
    assert "chưa đồng ý" in result.rows[6].errors["consent_purposes"][0]
    assert result.rows[1].messages()[0].startswith("phone: ")
    assert result.refused == 3
    assert Household.objects.count() == result.created == 4


def test_bulk_registration_refuses_communes_outside_the_officers_area(admin_units):
    own, foreign = current_commune(), current_commune("79")
    commune_officer = officer(Role.COMMUNE_OFFICER, own)
    consent = registry_consent()
    rows = [
        RegistrationInput(head_name="Hộ Trong Xã", phone="0912100001", commune=own.pk,
                          consent=consent),
        RegistrationInput(head_name="Hộ Xã Khác", phone="0912100002", commune=foreign.pk,
                          consent=consent),
    ]  # fmt: skip
    result = households_register_bulk(registered_by=commune_officer, rows=rows)
    assert [row.status for row in result.rows] == [CREATED, REFUSED]
    assert result.rows[1].errors == {"__all__": ["Bạn không được đăng ký hộ ở xã này."]}
    assert list(Household.objects.values_list("head_name", flat=True)) == ["Hộ Trong Xã"]


def test_bulk_registration_is_idempotent_by_external_reference(admin_units):
    commune, user = current_commune(), staff_user()
    rows = [
        RegistrationInput(head_name=f"Hộ Số {number}", phone=f"09121000{number:02d}",
                          commune=commune.pk, consent=registry_consent(),
                          external_reference=f"BG-{number}")
        for number in range(5)
    ]  # fmt: skip
    first = households_register_bulk(registered_by=user, rows=rows)
    entries = AuditEntry.objects.count()
    again = households_register_bulk(registered_by=user, rows=[*rows, rows[0]])
    assert first.created == 5
    assert again.unchanged == 6
    assert [row.household_id for row in again.rows] == [
        *(row.household_id for row in first.rows),
        first.rows[0].household_id,
    ]
    assert Household.objects.count() == 5
    assert AuditEntry.objects.count() == entries


def test_bulk_registration_counts_a_repeated_reference_in_one_batch_once(admin_units):
    commune = current_commune()
    row = RegistrationInput(head_name="Hộ Lặp", phone="0912200001", commune=commune.pk,
                            consent=registry_consent(), external_reference="X-1")  # fmt: skip
    result = households_register_bulk(registered_by=staff_user(), rows=[row, row])
    assert [item.status for item in result.rows] == [CREATED, UNCHANGED]
    assert result.rows[0].household_id == result.rows[1].household_id
    assert Household.objects.count() == 1


def test_bulk_registration_records_an_imported_paper_list_consent(admin_units):
    consent = services.ConsentInput(
        purposes=[Purpose.REGISTRY], method=ConsentMethod.IMPORTED_LIST, note="Danh sách xã"
    )
    row = RegistrationInput(head_name="Hộ Giấy", phone="0912300001",
                            commune=current_commune().pk, consent=consent)  # fmt: skip
    households_register_bulk(registered_by=staff_user(), rows=[row])
    record = ConsentRecord.objects.get()
    assert record.method == ConsentMethod.IMPORTED_LIST
    assert record.get_method_display() == "Danh sách giấy có chữ ký, nhập từ bảng tính"


def _queries(user: Any, commune: Any, start: int, count: int) -> int:
    rows = [
        RegistrationInput(head_name=f"Hộ Đếm {number}", phone=f"0913{number:06d}",
                          commune=commune.pk, consent=registry_consent(),
                          citizen_id=f"001095{number:06d}")
        for number in range(start, start + count)
    ]  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        result = households_register_bulk(registered_by=user, rows=rows)
    assert result.created == count
    return len(queries)


def test_bulk_registration_queries_do_not_grow_with_the_rows(admin_units):
    commune, user = current_commune(), staff_user()
    small = _queries(user, commune, 0, 5)
    large = _queries(user, commune, 100, 25)
    assert large == small
    # 12 before the "registered" stages: the platform's channel, its stages, their events.
    assert large <= 15


def test_an_assistant_importing_households_is_assigned_to_each_as_one_by_one(admin_units):
    from nongsan.accounts.models import Assistance, AssistantKind, Role
    from nongsan.accounts.tests.factories import grant
    from nongsan.producers.tests.factories import make_user

    commune = current_commune()
    assistant = make_user()
    grant(assistant, Role.ASSISTANT, commune, assistant_kind=AssistantKind.POSTAL_STAFF)
    rows = [
        RegistrationInput(head_name=f"Hộ Được Giúp {n}", phone=f"091200010{n}",
                          commune=commune.pk, consent=registry_consent())
        for n in range(3)
    ]  # fmt: skip
    result = households_register_bulk(registered_by=assistant, rows=rows)
    assert result.created == 3
    assigned = set(
        Assistance.objects.filter(assistant=assistant, ended_at__isnull=True).values_list(
            "household_id", flat=True
        )
    )
    assert assigned == {row.household_id for row in result.rows}
    assert AuditEntry.objects.filter(action="accounts.assistance_assign").count() == 3


def test_a_protected_citizen_id_is_stored_as_given_and_both_forms_are_refused(admin_units):
    from nongsan.producers.personal_data import ProtectedCitizenId

    commune = current_commune()
    protected = ProtectedCitizenId.from_number("001095012345")
    row = RegistrationInput(head_name="Đỗ Văn Bảo", phone="0912000201", commune=commune.pk,
                            consent=registry_consent(), protected_citizen_id=protected)  # fmt: skip
    result = households_register_bulk(registered_by=staff_user(), rows=[row])
    stored = Household.objects.get(pk=int(result.rows[0].household_id or 0))
    assert (stored.citizen_id_encrypted, stored.citizen_id_index, stored.citizen_id_masked) == (
        protected.encrypted, protected.index, protected.masked,
    )  # fmt: skip
    both = RegistrationInput(head_name="Đỗ Văn Cả", phone="0912000202", commune=commune.pk,
                             consent=registry_consent(), citizen_id="001095012346",
                             protected_citizen_id=protected)  # fmt: skip
    with pytest.raises(ValueError, match="not both"):
        households_register_bulk(registered_by=staff_user(), rows=[both])
