"""The admin shows the trail read-only: no adding, changing or deleting, even for superusers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import UserFactory
from nongsan.audit.services import audit_record
from nongsan.audit.tests.factories import area, grant_role

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:audit_auditentry_changelist")


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    return client


def test_superusers_can_list_search_filter_and_read_entries(superuser_client):
    places = area("Kon Tum")
    entry = audit_record(
        action="accounts.role_grant", province=places.province, changes={"role": [None, "buyer"]}
    )

    listing = superuser_client.get(CHANGELIST)
    searched = superuser_client.get(CHANGELIST, {"q": "role_grant"})
    filtered = superuser_client.get(CHANGELIST, {"is_reveal__exact": "1"})
    entry_url = reverse("admin:audit_auditentry_change", args=[entry.pk])
    detail = superuser_client.get(entry_url)

    assert listing.status_code == searched.status_code == filtered.status_code == 200
    assert entry_url in searched.content.decode()
    assert entry_url not in filtered.content.decode()
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()


def test_nobody_may_add_change_or_delete_entries_in_the_admin(superuser_client):
    entry = audit_record(action="accounts.role_grant")

    add = superuser_client.get(reverse("admin:audit_auditentry_add"))
    change = superuser_client.post(
        reverse("admin:audit_auditentry_change", args=[entry.pk]), {"action": "x.y"}
    )
    delete = superuser_client.post(
        reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    bulk = superuser_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [entry.pk]}
    )

    assert add.status_code == 403
    assert change.status_code == 403
    assert delete.status_code == 403
    assert bulk.status_code in (200, 302)
    entry.refresh_from_db()
    assert entry.action == "accounts.role_grant"
    assert "delete_selected" not in superuser_client.get(CHANGELIST).content.decode()


def test_a_staff_member_sees_only_their_areas_entries_in_the_admin(client):
    home, elsewhere = area("Gia Lai"), area("Đắk Lắk")
    staff = UserFactory.create(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    grant_role(staff, Role.PROVINCE_OFFICER, home.province)
    mine = audit_record(action="test.mine", province=home.province)
    theirs = audit_record(action="test.theirs", province=elsewhere.province)
    client.force_login(staff)

    body = client.get(CHANGELIST).content.decode()

    assert reverse("admin:audit_auditentry_change", args=[mine.pk]) in body
    assert reverse("admin:audit_auditentry_change", args=[theirs.pk]) not in body
    assert client.get(reverse("admin:audit_auditentry_change", args=[theirs.pk])).status_code == 302
