"""Who may grant what, assistance on behalf of a household, and the grants page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nongsan.accounts import services
from nongsan.accounts.models import AssistantKind, Role, RoleGrant
from nongsan.accounts.permissions import grantable_roles, user_scope
from nongsan.accounts.tests.factories import UserFactory, grant, ministry_user, officer
from nongsan.audit.models import AuditEntry
from nongsan.geo.models import AdministrativeUnit

pytestmark = pytest.mark.django_db


def _province(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.current().get(level="province", code=code)


def _commune_of(code: str) -> AdministrativeUnit:
    return (
        AdministrativeUnit.objects.current()
        .filter(level="commune", province__code=code)
        .order_by("code")[:1]
        .get()
    )


def test_the_ministry_grants_province_officers(admin_units):
    ministry = ministry_user()
    person = UserFactory.create()
    created = services.role_grant(
        granted_by=ministry, user=person, role=Role.PROVINCE_OFFICER, unit=_province("01")
    )
    assert created.province == _province("01")
    assert user_scope(person).covers(province_id=_province("01").pk)
    entry = AuditEntry.objects.get(action="accounts.role_grant")
    assert entry.actor == ministry
    assert entry.province == _province("01")


def test_a_province_grant_covers_all_its_communes(admin_units):
    person = officer(Role.PROVINCE_OFFICER, _province("01"))
    commune = _commune_of("01")
    assert user_scope(person).covers(province_id=commune.province_id, commune_id=commune.pk)
    other = _commune_of("79")
    assert not user_scope(person).covers(province_id=other.province_id, commune_id=other.pk)


def test_a_province_officer_grants_inside_the_province_only(admin_units):
    province_officer = officer(Role.PROVINCE_OFFICER, _province("01"))
    person = UserFactory.create()
    services.role_grant(
        granted_by=province_officer,
        user=person,
        role=Role.ASSISTANT,
        unit=_commune_of("01"),
        assistant_kind=AssistantKind.POSTAL_STAFF,
    )
    with pytest.raises(PermissionDenied):
        services.role_grant(
            granted_by=province_officer,
            user=person,
            role=Role.COMMUNE_OFFICER,
            unit=_commune_of("79"),
        )
    with pytest.raises(PermissionDenied):
        services.role_grant(
            granted_by=province_officer,
            user=person,
            role=Role.PROVINCE_OFFICER,
            unit=_province("01"),
        )


def test_a_commune_officer_cannot_grant(admin_units):
    commune = _commune_of("01")
    commune_officer = officer(Role.COMMUNE_OFFICER, commune)
    assert grantable_roles(commune_officer, commune) == frozenset()
    with pytest.raises(PermissionDenied):
        services.role_grant(
            granted_by=commune_officer,
            user=UserFactory.create(),
            role=Role.ASSISTANT,
            unit=commune,
            assistant_kind=AssistantKind.TRAINER,
        )
    assert not AuditEntry.objects.filter(action="accounts.role_grant").exists()


@pytest.mark.parametrize(
    ("role", "unit_getter", "message"),
    [
        (Role.PROVINCE_OFFICER, lambda: None, "cần chọn địa bàn"),
        (Role.PROVINCE_OFFICER, lambda: _commune_of("01"), "không đúng cấp"),
        (Role.COMMUNE_OFFICER, lambda: _province("01"), "không đúng cấp"),
        (
            Role.COMMUNE_OFFICER,
            lambda: AdministrativeUnit.objects.legacy().filter(level="commune").first(),
            "hiện hành",
        ),
        (Role.ASSISTANT, lambda: _commune_of("01"), "loại người hỗ trợ"),
        (Role.BUYER, lambda: _province("01"), "không gắn với địa bàn"),
    ],
)
def test_grant_refuses_bad_input(admin_units, role, unit_getter, message):
    ministry = ministry_user()
    person = UserFactory.create()
    unit = unit_getter()
    before = RoleGrant.objects.count()
    with pytest.raises(ValidationError, match=message):
        services.role_grant(granted_by=ministry, user=person, role=role, unit=unit)
    assert RoleGrant.objects.count() == before


def test_the_same_grant_twice_is_refused(admin_units):
    ministry = ministry_user()
    person = UserFactory.create()
    services.role_grant(
        granted_by=ministry, user=person, role=Role.PROVINCE_OFFICER, unit=_province("01")
    )
    with pytest.raises(ValidationError, match="đã có vai trò"):
        services.role_grant(
            granted_by=ministry, user=person, role=Role.PROVINCE_OFFICER, unit=_province("01")
        )


def test_revoke_ends_the_scope_and_is_audited(admin_units):
    ministry = ministry_user()
    person = UserFactory.create()
    created = services.role_grant(
        granted_by=ministry, user=person, role=Role.PROVINCE_OFFICER, unit=_province("01")
    )
    services.role_revoke(revoked_by=ministry, grant=created)
    person = type(person).objects.get(pk=person.pk)  # a fresh object: no cached scope
    assert user_scope(person).is_empty
    assert AuditEntry.objects.filter(action="accounts.role_revoke").exists()
    with pytest.raises(ValidationError, match="đã được thu hồi"):
        services.role_revoke(revoked_by=ministry, grant=created)


def _assistance_setup():
    commune = _commune_of("01")
    province_officer = officer(Role.PROVINCE_OFFICER, commune.province)
    assistant = officer(Role.ASSISTANT, commune)
    seller = UserFactory.create()
    grant(seller, Role.HOUSEHOLD_SELLER)
    return commune, province_officer, assistant, seller


def test_an_assistant_acts_for_a_household_only_after_consent(admin_units):
    commune, province_officer, assistant, seller = _assistance_setup()
    assistance = services.assistance_assign(
        assigned_by=province_officer, assistant=assistant, seller=seller, commune=commune
    )
    assert not services.can_act_for(assistant, seller)
    with pytest.raises(PermissionDenied), services.on_behalf_of(assistant=assistant, seller=seller):
        pass
    services.assistance_record_consent(recorded_by=assistant, assistance=assistance)
    assert services.can_act_for(assistant, seller)
    with services.on_behalf_of(assistant=assistant, seller=seller):
        services.profile_update(
            user=seller, full_name="Hộ Lò Văn Sơn", email="", preferred_language="vi"
        )
    entry = AuditEntry.objects.get(action="accounts.profile_update")
    assert entry.actor == assistant
    assert entry.on_behalf_of == seller
    services.assistance_end(ended_by=province_officer, assistance=assistance)
    assert not services.can_act_for(assistant, seller)


def test_assignment_outside_the_officers_area_is_refused(admin_units):
    commune, _officer, assistant, seller = _assistance_setup()
    stranger = officer(Role.PROVINCE_OFFICER, _province("79"))
    with pytest.raises(PermissionDenied):
        services.assistance_assign(
            assigned_by=stranger, assistant=assistant, seller=seller, commune=commune
        )


def test_assignment_needs_an_assistant_grant_and_a_seller(admin_units):
    commune, province_officer, assistant, seller = _assistance_setup()
    with pytest.raises(ValidationError, match="vai trò hỗ trợ"):
        services.assistance_assign(
            assigned_by=province_officer,
            assistant=UserFactory.create(),
            seller=seller,
            commune=commune,
        )
    with pytest.raises(ValidationError, match="hộ sản xuất"):
        services.assistance_assign(
            assigned_by=province_officer,
            assistant=assistant,
            seller=UserFactory.create(),
            commune=commune,
        )


def test_the_grants_page_grants_and_revokes(admin_units, client):
    province_officer = officer(Role.PROVINCE_OFFICER, _province("01"))
    person = UserFactory.create(phone="+84987654321")
    commune = _commune_of("01")
    client.force_login(province_officer)
    response = client.post(
        reverse("accounts:grants"),
        {"phone": "0987 654 321", "role": Role.COMMUNE_OFFICER, "unit_code": commune.code},
    )
    assert response.status_code == 302
    created = RoleGrant.objects.get(user=person, role=Role.COMMUNE_OFFICER)
    page = client.get(reverse("accounts:grants"))
    assert commune.name in page.content.decode()
    client.post(reverse("accounts:grant-revoke", args=[created.pk]))
    created.refresh_from_db()
    assert created.revoked_at is not None


def test_the_grants_page_explains_refusals(admin_units, client):
    province_officer = officer(Role.PROVINCE_OFFICER, _province("01"))
    UserFactory.create(phone="+84987654321")
    client.force_login(province_officer)
    outside = _commune_of("79")
    response = client.post(
        reverse("accounts:grants"),
        {"phone": "0987654321", "role": Role.COMMUNE_OFFICER, "unit_code": outside.code},
    )
    assert "không có quyền" in response.content.decode()
    response = client.post(
        reverse("accounts:grants"),
        {"phone": "0987654321", "role": Role.COMMUNE_OFFICER, "unit_code": "9"},
    )
    assert "5 chữ số" in response.content.decode()
    response = client.post(
        reverse("accounts:grants"),
        {"phone": "0900000009", "role": Role.COMMUNE_OFFICER, "unit_code": "99999"},
    )
    assert "Không có địa bàn" in response.content.decode()


def test_the_grants_page_costs_the_same_queries_for_many_rows(admin_units, client):
    ministry = ministry_user()
    client.force_login(ministry)

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("accounts:grants")).status_code == 200
        return len(captured)

    grant(UserFactory.create(), Role.PROVINCE_OFFICER, _province("01"))
    few = queries_for_page()
    for _ in range(30):
        grant(UserFactory.create(), Role.PROVINCE_OFFICER, _province("01"))
    assert queries_for_page() == few
    assert few <= 16


def test_rules_answer_who_may_grant(admin_units):
    commune = _commune_of("01")
    assert ministry_user().has_perm("accounts.grant_roles")
    assert officer(Role.PROVINCE_OFFICER, _province("01")).has_perm("accounts.grant_roles")
    commune_officer = officer(Role.COMMUNE_OFFICER, commune)
    assert not commune_officer.has_perm("accounts.grant_roles")
    assert commune_officer.has_perm("accounts.view_area_grants")
    assert not UserFactory.create().has_perm("accounts.view_area_grants")


def test_rules_answer_who_may_revoke_a_grant(admin_units):
    inside = grant(UserFactory.create(), Role.COMMUNE_OFFICER, _commune_of("01"))
    outside = grant(UserFactory.create(), Role.COMMUNE_OFFICER, _commune_of("79"))
    province_officer = officer(Role.PROVINCE_OFFICER, _province("01"))
    assert province_officer.has_perm("accounts.revoke_grant", inside)
    assert not province_officer.has_perm("accounts.revoke_grant", outside)


def test_a_commune_officer_sees_the_grants_page_without_the_grant_form(admin_units, client):
    commune_officer = officer(Role.COMMUNE_OFFICER, _commune_of("01"))
    client.force_login(commune_officer)
    page = client.get(reverse("accounts:grants"))
    assert page.status_code == 200
    assert 'name="unit_code"' not in page.content.decode()
    response = client.post(
        reverse("accounts:grants"),
        {"phone": "0987654321", "role": Role.ASSISTANT, "unit_code": _commune_of("01").code},
    )
    assert response.status_code == 403


def test_people_without_an_area_role_get_a_403_on_the_grants_page(client):
    client.force_login(UserFactory.create())
    assert client.get(reverse("accounts:grants")).status_code == 403
