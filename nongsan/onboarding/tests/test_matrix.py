"""The onboarding rows of the permission matrix, with the pages and API mounted as the lead
will mount them (the shared matrix test checks the URLs once config/urls.py includes them)."""

from __future__ import annotations

import pytest

from nongsan.accounts.models import AssistantKind, Role
from nongsan.accounts.tests.factories import UserFactory, grant
from nongsan.common.testing.permission_matrix import REGISTRY
from nongsan.onboarding.tests import matrix  # noqa: F401 - registers the models
from nongsan.onboarding.tests.factories import current_commune

pytestmark = [pytest.mark.django_db, pytest.mark.urls("nongsan.onboarding.tests.urls")]
LABELS = ["onboarding.channelstage", "onboarding.trainingsession"]


def _person_with(role, commune):
    user = UserFactory.create()
    unit = commune.province if role == Role.PROVINCE_OFFICER else commune
    extra = {"assistant_kind": AssistantKind.TRAINER} if role == Role.ASSISTANT else {}
    grant(user, role, unit, **extra)
    return user


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize("role", [Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.ASSISTANT])
def test_another_areas_onboarding_rows_answer_404(admin_units, client, label, role):
    scoped = REGISTRY[label]
    row = scoped.create_in(current_commune("79"))
    user = _person_with(role, current_commune("01"))
    urls = scoped.page_urls(row) + scoped.api_urls(row)
    assert len(urls) == 2
    assert not scoped.visible(user).filter(pk=row.pk).exists()
    assert scoped.editable is not None
    assert not scoped.editable(user).filter(pk=row.pk).exists()
    client.force_login(user)
    for url in urls:
        assert client.get(url).status_code == 404, url
    for url in scoped.write_urls(row):
        assert client.post(url).status_code == 404, url


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize("role", [Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.ASSISTANT])
def test_the_rows_own_area_sees_and_changes_them(admin_units, client, label, role):
    scoped = REGISTRY[label]
    commune = current_commune("01")
    row = scoped.create_in(commune)
    user = _person_with(role, commune)
    assert scoped.visible(user).filter(pk=row.pk).exists()
    assert scoped.editable is not None
    assert scoped.editable(user).filter(pk=row.pk).exists()
    client.force_login(user)
    for url in scoped.page_urls(row) + scoped.api_urls(row):
        assert client.get(url).status_code == 200, url
