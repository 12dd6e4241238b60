"""audit_record, its decorator and reveal helper, and the changes they record."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from nongsan.accounts.models import Role, RoleGrant
from nongsan.accounts.tests.factories import UserFactory
from nongsan.audit.context import AuditContext, acting, audit_context
from nongsan.audit.models import AuditEntry
from nongsan.audit.services import (
    REVEAL_ACTION,
    AuditBatch,
    audit_record,
    audit_reveal,
    audited,
    changes_between,
    json_safe,
    mask_personal_numbers,
    snapshot,
)
from nongsan.audit.tests.factories import area, grant_role
from nongsan.geo.models import AdministrativeUnit

pytestmark = pytest.mark.django_db


class ServiceFailed(Exception):
    pass


def test_audit_record_takes_actor_ip_agent_and_request_id_from_the_context():
    user = UserFactory.create()
    context = AuditContext(ip="203.0.113.4", user_agent="Chrome", request_id="0123abcd")

    with audit_context(context), acting(actor=user):
        entry = audit_record(action="accounts.profile_update", target=user)

    entry.refresh_from_db()
    assert (entry.actor, entry.ip, entry.user_agent, entry.request_id) == (
        user,
        "203.0.113.4",
        "Chrome",
        "0123abcd",
    )
    assert entry.target_type == ContentType.objects.get_for_model(user)
    assert entry.target_id == str(user.pk)
    assert entry.target_repr == str(user)
    assert entry.occurred_at is not None
    assert entry.occurred_at.tzinfo is not None


def test_an_explicit_actor_wins_over_the_context():
    in_context, explicit = UserFactory.create(), UserFactory.create()
    with acting(actor=in_context):
        entry = audit_record(action="accounts.role_grant", actor=explicit)
    assert entry.actor == explicit


def test_outside_any_request_the_system_acts():
    entry = audit_record(action="geo.units_load")
    assert entry.actor is None
    assert entry.ip is None
    assert entry.request_id == ""


def test_a_rolled_back_service_leaves_no_entry():
    user = UserFactory.create()

    def failing_service() -> None:
        with transaction.atomic():
            audit_record(action="accounts.profile_update", target=user)
            raise ServiceFailed

    with pytest.raises(ServiceFailed):
        failing_service()

    assert not AuditEntry.objects.exists()


def test_the_decorator_records_the_returned_object_in_the_services_transaction():
    places = area("Lạng Sơn")

    @audited(action="geo.unit_rename", scope=lambda unit: (unit.province, unit))
    def rename(unit: AdministrativeUnit, name: str) -> AdministrativeUnit:
        unit.name = name
        unit.save(update_fields=["name"])
        return unit

    renamed = rename(places.commune, "Xã Tân Thanh")

    entry = AuditEntry.objects.get()
    assert entry.action == "geo.unit_rename"
    assert entry.target_id == str(renamed.pk)
    assert (entry.province, entry.commune) == (places.province, places.commune)
    assert rename.__name__ == "rename"


def test_a_decorated_service_that_fails_leaves_neither_its_writes_nor_an_entry():
    places = area("Cao Bằng")

    @audited(action="geo.unit_rename")
    def rename_then_fail(unit: AdministrativeUnit) -> AdministrativeUnit:
        unit.name = "Xã Đổi Tên"
        unit.save(update_fields=["name"])
        raise ServiceFailed

    with pytest.raises(ServiceFailed):
        rename_then_fail(places.commune)

    assert not AuditEntry.objects.exists()
    places.commune.refresh_from_db()
    assert places.commune.name != "Xã Đổi Tên"


def test_the_decorator_can_record_changes_from_the_result():
    places = area("Bắc Kạn")

    @audited(action="test.rename", changes=lambda unit: {"name": [None, unit.name]})
    def touch(unit: AdministrativeUnit) -> AdministrativeUnit:
        return unit

    touch(places.province)
    assert AuditEntry.objects.get().changes == {"name": [None, places.province.name]}


def test_the_scope_comes_from_the_targets_own_columns_when_not_given():
    places = area("Hà Giang")
    officer = UserFactory.create()
    grant = grant_role(officer, Role.COMMUNE_OFFICER, places.commune)

    grant_entry = audit_record(action="accounts.role_grant", target=grant)
    commune_entry = audit_record(action="geo.unit_rename", target=places.commune)
    province_entry = audit_record(action="geo.unit_rename", target=places.province)

    assert (grant_entry.province_id, grant_entry.commune_id) == (places.province.pk, None)
    assert (commune_entry.province_id, commune_entry.commune_id) == (
        places.province.pk,
        places.commune.pk,
    )
    assert (province_entry.province_id, province_entry.commune_id) == (places.province.pk, None)


def test_a_commune_brings_its_province_so_the_province_officers_see_it():
    places = area("Tuyên Quang")

    by_instance = audit_record(action="test.scoped", commune=places.commune)
    by_id = audit_record(action="test.scoped", commune=places.other_commune.pk)

    assert by_instance.province_id == places.province.pk
    assert by_id.province_id == places.province.pk


def test_audit_record_refuses_a_malformed_action():
    for action in ("", "role_grant", "Accounts.RoleGrant", "accounts.", "accounts role.grant"):
        with pytest.raises(ValueError, match="dotted slug"):
            audit_record(action=action)


def test_audit_record_refuses_an_unsaved_target_and_bad_changes():
    with pytest.raises(ValueError, match="after saving"):
        audit_record(action="test.unsaved", target=RoleGrant(role=Role.BUYER))
    with pytest.raises(TypeError):
        audit_record(action="test.bad_changes", changes=["not", "a", "mapping"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="bytes"):
        audit_record(action="test.bad_value", changes={"blob": [None, b"\x00"]})
    assert not AuditEntry.objects.exists()


def test_changes_are_stored_as_json_safe_values():
    places = area("Điện Biên")
    moment = datetime.datetime(
        2026, 11, 23, 14, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=7))
    )

    entry = audit_record(
        action="test.values",
        changes={
            "harvest_day": [datetime.date(2026, 6, 1), datetime.date(2026, 6, 15)],
            "confirmed_at": [None, moment],
            "weight_kg": [Decimal("1250.50"), Decimal("0.1")],
            "commune": [None, places.commune],
            "roles": {Role.BUYER, Role.TRADER},
        },
    )

    entry.refresh_from_db()
    assert entry.changes == {
        "harvest_day": ["2026-06-01", "2026-06-15"],
        "confirmed_at": [None, "2026-11-23T07:05:00+00:00"],
        "weight_kg": ["1250.50", "0.1"],
        "commune": [None, {"id": places.commune.pk, "repr": str(places.commune)}],
        "roles": ["buyer", "trader"],
    }
    json.dumps(entry.changes)


def test_changes_between_records_only_what_changed_with_dates_and_foreign_keys():
    first, second = area("Sơn La"), area("Lai Châu")
    unit = first.commune
    original_name = unit.name
    before = snapshot(unit, ["name", "valid_from", "province", "parent", "code"])

    unit.name = "Xã Mới"
    unit.valid_from = datetime.date(2026, 4, 30)
    unit.province = second.province
    unit.parent = second.province

    changes = changes_between(before, unit, ["name", "valid_from", "province", "parent", "code"])

    assert set(changes) == {"name", "valid_from", "province", "parent"}
    assert changes["name"] == [original_name, "Xã Mới"]
    assert changes["valid_from"] == ["2025-07-01", "2026-04-30"]
    assert changes["province"] == [
        {"id": first.province.pk, "repr": str(first.province)},
        {"id": second.province.pk, "repr": str(second.province)},
    ]


def test_changes_between_compares_decimals_by_value_and_related_rows_by_id():
    places = area("Yên Bái")
    renamed_province = {"id": places.province.pk, "repr": "Tên mới"}

    assert changes_between({"weight": Decimal("2.50")}, {"weight": Decimal("2.5")}, ["weight"]) == {
        "weight": ["2.50", "2.5"]
    }
    assert changes_between({"weight": Decimal("2.5")}, {"weight": Decimal("2.5")}, ["weight"]) == {}
    assert (
        changes_between({"province": places.province}, {"province": renamed_province}, ["province"])
        == {}
    )


def test_changes_between_two_instances_and_a_creation():
    places = area("Hòa Bình")
    other = area("Phú Thọ")

    assert changes_between(places.commune, places.commune, ["name", "province"]) == {}
    assert changes_between(places.commune, other.commune, ["province"]) == {
        "province": [
            {"id": places.province.pk, "repr": str(places.province)},
            {"id": other.province.pk, "repr": str(other.province)},
        ]
    }
    created = changes_between({}, places.commune, ["code", "district"])
    assert created == {"code": [None, places.commune.code]}


def test_secret_fields_are_recorded_as_changed_without_their_values():
    user = UserFactory.create()
    before = snapshot(user, ["password", "full_name"])
    user.set_password("mot-mat-khau-moi-123")

    changes = changes_between(before, user, ["password", "full_name"])

    assert changes == {"password": ["***", "***"]}
    assert user.password not in json.dumps(before)


def test_snapshot_refuses_what_is_not_a_field():
    places = area("Thái Nguyên")
    with pytest.raises(ValueError, match="not a field"):
        snapshot(places.province, ["children"])


def test_a_person_acted_for_is_named_at_the_time_and_phones_are_masked():
    assistant = UserFactory.create()
    seller = UserFactory.create(full_name="", phone="+84912345678")

    with acting(actor=assistant, on_behalf_of=seller):
        entry = audit_record(action="catalog.listing_create", target=seller)

    assert entry.on_behalf_of == seller
    assert entry.on_behalf_of_label == "+8491****678"
    assert entry.target_repr == "+8491****678"


def test_a_household_without_an_account_is_named_by_its_label():
    with acting(
        actor=UserFactory.create(), on_behalf_of_label="Hộ bà Lê Thị Năm, CCCD 001234567845"
    ):
        entry = audit_record(action="producers.household_update")

    assert entry.on_behalf_of is None
    assert entry.on_behalf_of_label == "Hộ bà Lê Thị Năm, CCCD 001*******45"


def test_mask_personal_numbers_leaves_other_numbers_alone():
    assert mask_personal_numbers("Đơn 2026-0001, 12 kg") == "Đơn 2026-0001, 12 kg"
    assert mask_personal_numbers("+84912345678 và 0012345678901") == "+8491****678 và 0012345678901"


def test_audit_reveal_records_the_field_and_never_the_value():
    places = area("Quảng Ninh")
    officer, household = UserFactory.create(), UserFactory.create(phone="+84987654321")

    entry = audit_reveal(
        actor=officer, target=household, field_name="phone", province=places.province
    )

    assert entry.is_reveal
    assert entry.action == REVEAL_ACTION
    assert entry.actor == officer
    assert entry.changes == {"field": "phone"}
    assert "987654321" not in json.dumps(entry.changes) + entry.target_repr
    assert entry.province == places.province
    with pytest.raises(ValueError, match="which field"):
        audit_reveal(actor=officer, target=household, field_name="")


def test_json_safe_handles_times_floats_and_lazy_text():
    from django.utils.translation import gettext_lazy

    assert json_safe(datetime.time(7, 30)) == "07:30:00"
    assert json_safe(float("nan")) == "nan"
    assert json_safe(gettext_lazy("Người mua")) == "Người mua"
    assert json_safe(datetime.timedelta(minutes=5)) == "300.0"


def test_a_batch_writes_the_entries_audit_record_would_write():
    places = area("Lào Cai")
    actor, helped = UserFactory.create(), UserFactory.create()
    targets: list[Any] = [grant_role(UserFactory.create(), Role.COMMUNE_OFFICER, places.commune)]
    targets += [places.commune, places.province]
    context = AuditContext(ip="203.0.113.9", user_agent="Zalo", request_id="feedbeef")
    fields = ("action", "actor_id", "on_behalf_of_id", "on_behalf_of_label", "target_type_id",
              "target_id", "target_repr", "changes", "ip", "user_agent", "request_id",
              "is_reveal", "province_id", "commune_id")  # fmt: skip
    with audit_context(context), acting(actor=actor, on_behalf_of=helped):
        one_by_one = [
            audit_record(action="tests.batch", target=target, changes={"n": [None, number]})
            for number, target in enumerate(targets)
        ]
        batch = AuditBatch()
        for number, target in enumerate(targets):
            batch.add(action="tests.batch", target=target, changes={"n": [None, number]})
        assert len(batch) == 3
        batch.write()
    assert len(batch) == 0
    written = AuditEntry.objects.exclude(pk__in=[entry.pk for entry in one_by_one])
    expected = AuditEntry.objects.filter(pk__in=[entry.pk for entry in one_by_one])
    assert list(written.order_by("pk").values(*fields)) == list(
        expected.order_by("pk").values(*fields)
    )


def test_a_batch_refuses_a_malformed_action_and_an_unsaved_target():
    batch = AuditBatch()
    with pytest.raises(ValueError, match="dotted slug"):
        batch.add(action="Bad Action", target=area("Hà Giang").commune, changes={})
    with pytest.raises(ValueError, match="after saving"):
        batch.add(action="tests.batch", target=AdministrativeUnit(), changes={})
