"""Who reads which entries: the ministry all, officers their area, everyone else nothing."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import UserFactory
from nongsan.audit.context import acting
from nongsan.audit.permissions import visible_audit_entries
from nongsan.audit.selectors import audit_entry_list
from nongsan.audit.services import audit_record, audit_reveal
from nongsan.audit.tests.factories import Area, AuditEntryFactory, area, grant_role
from nongsan.common.formatting import DISPLAY_TIMEZONE

pytestmark = pytest.mark.django_db


@pytest.fixture
def places() -> dict[str, Area]:
    return {"a": area("Bắc Giang"), "b": area("Đồng Tháp")}


@pytest.fixture
def entries(places):
    """One entry in each province, one in each first commune, one with no area."""
    a, b = places["a"], places["b"]
    return {
        "province_a": audit_record(action="test.in_province", province=a.province),
        "commune_a": audit_record(action="test.in_commune", commune=a.commune),
        "other_commune_a": audit_record(action="test.in_commune", commune=a.other_commune),
        "province_b": audit_record(action="test.in_province", province=b.province),
        "commune_b": audit_record(action="test.in_commune", commune=b.commune),
        "national": audit_record(action="accounts.sign_up"),
    }


def _visible(user, entries) -> set[str]:
    ids = set(visible_audit_entries(user).values_list("pk", flat=True))
    return {name for name, entry in entries.items() if entry.pk in ids}


def test_the_ministry_and_superusers_see_everything(entries):
    ministry = UserFactory.create()
    grant_role(ministry, Role.MINISTRY)
    superuser = UserFactory.create(is_superuser=True)

    assert _visible(ministry, entries) == set(entries)
    assert _visible(superuser, entries) == set(entries)


def test_a_province_officer_sees_the_province_and_its_communes_not_another_province(
    places, entries
):
    officer = UserFactory.create()
    grant_role(officer, Role.PROVINCE_OFFICER, places["a"].province)

    assert _visible(officer, entries) == {"province_a", "commune_a", "other_commune_a"}


def test_a_commune_officer_sees_only_the_communes_entries(places, entries):
    officer = UserFactory.create()
    grant_role(officer, Role.COMMUNE_OFFICER, places["a"].commune)

    assert _visible(officer, entries) == {"commune_a"}


def test_people_without_an_officer_grant_see_nothing(places, entries):
    seller, assistant = UserFactory.create(), UserFactory.create()
    grant_role(seller, Role.HOUSEHOLD_SELLER)
    grant_role(assistant, Role.ASSISTANT, places["a"].commune)
    staff = UserFactory.create(is_staff=True)

    for person in (seller, assistant, staff, AnonymousUser()):
        assert _visible(person, entries) == set()


def test_a_revoked_grant_or_a_deactivated_account_sees_nothing(places, entries):
    revoked, inactive = UserFactory.create(), UserFactory.create()
    grant = grant_role(revoked, Role.PROVINCE_OFFICER, places["a"].province)
    grant.revoked_at = datetime.datetime.now(tz=datetime.UTC)
    grant.save(update_fields=["revoked_at"])
    grant_role(inactive, Role.MINISTRY)
    inactive.is_active = False

    assert _visible(revoked, entries) == set()
    assert _visible(inactive, entries) == set()


def test_the_list_filters_by_action_prefix_actor_target_and_reveals(places):
    officer, household = UserFactory.create(), UserFactory.create()
    grant_role(officer, Role.PROVINCE_OFFICER, places["a"].province)
    with acting(actor=officer):
        grant_entry = audit_record(
            action="accounts.role_grant", target=household, province=places["a"].province
        )
        other = audit_record(action="accountsx.other", province=places["a"].province)
    reveal = audit_reveal(
        actor=officer, target=household, field_name="phone", province=places["a"].province
    )
    system = audit_record(action="geo.unit_rename", province=places["a"].province)

    def listed(**filters) -> set[int]:
        return {entry.pk for entry in audit_entry_list(user=officer, **filters)}

    assert listed(action="accounts") == {grant_entry.pk}
    assert listed(action="accounts.role_grant") == {grant_entry.pk}
    assert listed(actor=officer) == {grant_entry.pk, other.pk, reveal.pk}
    assert listed(target=household) == {grant_entry.pk, reveal.pk}
    assert listed(reveals_only=True) == {reveal.pk}
    assert system.pk in listed()


def test_the_list_reads_dates_as_vietnamese_days(places):
    officer = UserFactory.create()
    grant_role(officer, Role.PROVINCE_OFFICER, places["a"].province)

    def at(hour: int, day: int) -> datetime.datetime:
        return datetime.datetime(2026, 11, day, hour, 30, tzinfo=DISPLAY_TIMEZONE)

    # 00:30 on 23/11 in Vietnam is still 22/11 in UTC; 23:30 on 23/11 is 16:30 UTC.
    early = AuditEntryFactory.create(occurred_at=at(0, 23), province=places["a"].province)
    late = AuditEntryFactory.create(occurred_at=at(23, 23), province=places["a"].province)
    before = AuditEntryFactory.create(occurred_at=at(23, 22), province=places["a"].province)
    after = AuditEntryFactory.create(occurred_at=at(0, 24), province=places["a"].province)
    day = datetime.date(2026, 11, 23)

    listed = list(audit_entry_list(user=officer, date_from=day, date_to=day))

    assert listed == [late, early]
    assert {entry.pk for entry in audit_entry_list(user=officer, date_to=day)} == {
        early.pk,
        late.pk,
        before.pk,
    }
    assert after in audit_entry_list(user=officer, date_from=day)


def test_the_list_never_widens_the_scope(places):
    officer = UserFactory.create()
    grant_role(officer, Role.PROVINCE_OFFICER, places["a"].province)
    elsewhere = audit_record(action="accounts.role_grant", province=places["b"].province)

    assert not audit_entry_list(user=officer, action="accounts").filter(pk=elsewhere.pk).exists()
