"""An assistant acts for a registry household only while assigned and while the household's
consent to the registry stands; every such write names the household."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nongsan.accounts import services
from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import UserFactory, officer
from nongsan.audit.models import AuditEntry
from nongsan.audit.services import audit_record
from nongsan.producers import services as producer_services
from nongsan.producers.models import Purpose
from nongsan.producers.permissions import editable_households, visible_households
from nongsan.producers.tests.factories import current_commune, household

pytestmark = pytest.mark.django_db


def _setup():
    commune = current_commune()
    province_officer = officer(Role.PROVINCE_OFFICER, commune.province)
    assistant = officer(Role.ASSISTANT, commune)
    return province_officer, assistant, household(commune)


def test_an_assigned_assistant_acts_for_a_consenting_household(admin_units):
    province_officer, assistant, row = _setup()
    assert not services.can_act_for_household(assistant, row)
    services.assistance_assign_household(
        assigned_by=province_officer, assistant=assistant, household=row
    )
    assert services.can_act_for_household(assistant, row)
    assert visible_households(assistant).filter(pk=row.pk).exists()
    assert editable_households(assistant).filter(pk=row.pk).exists()
    with services.on_behalf_of_household(assistant=assistant, household=row):
        audit_record(action="producers.test_write", target=row)
    entry = AuditEntry.objects.get(action="producers.test_write")
    assert entry.actor == assistant
    assert entry.on_behalf_of_label


def test_withdrawn_consent_stops_the_assistant(admin_units):
    province_officer, assistant, row = _setup()
    services.assistance_assign_household(
        assigned_by=province_officer, assistant=assistant, household=row
    )
    producer_services.consent_withdraw(
        withdrawn_by=province_officer, household=row, purpose=Purpose.REGISTRY
    )
    assert not services.can_act_for_household(assistant, row)
    with (
        pytest.raises(PermissionDenied),
        services.on_behalf_of_household(assistant=assistant, household=row),
    ):
        pass


def test_assignment_needs_an_assistant_of_that_commune_and_an_officer_of_the_area(admin_units):
    province_officer, assistant, row = _setup()
    with pytest.raises(ValidationError, match="vai trò hỗ trợ"):
        services.assistance_assign_household(
            assigned_by=province_officer, assistant=UserFactory.create(), household=row
        )
    stranger = officer(Role.PROVINCE_OFFICER, current_commune("79").province)
    with pytest.raises(PermissionDenied):
        services.assistance_assign_household(
            assigned_by=stranger, assistant=assistant, household=row
        )
    services.assistance_assign_household(
        assigned_by=province_officer, assistant=assistant, household=row
    )
    with pytest.raises(ValidationError, match="đã được phân công"):
        services.assistance_assign_household(
            assigned_by=province_officer, assistant=assistant, household=row
        )
