"""Every role against every scoped model: another area's rows stay invisible and unchangeable,
through querysets, pages and the API; the row's own area sees it where the role should."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import nongsan
from nongsan.accounts.models import AssistantKind, Role
from nongsan.accounts.tests.factories import UserFactory, grant
from nongsan.common.testing.permission_matrix import REGISTRY
from nongsan.geo.models import AdministrativeUnit

pytestmark = pytest.mark.django_db

for app in pkgutil.iter_modules(nongsan.__path__):
    try:
        importlib.import_module(f"nongsan.{app.name}.tests.matrix")
    except ModuleNotFoundError as error:
        if error.name != f"nongsan.{app.name}.tests.matrix":
            raise

AREA_ROLES = [Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.ASSISTANT]
MODELS = sorted(REGISTRY)


def _commune(province_code: str) -> AdministrativeUnit:
    return (
        AdministrativeUnit.objects.current()
        .filter(level="commune", province__code=province_code)
        .select_related("province")
        .order_by("code")[:1]
        .get()
    )


def _person_with(role: str, commune: AdministrativeUnit):
    user = UserFactory.create()
    unit = commune.province if role == Role.PROVINCE_OFFICER else commune
    extra = {"assistant_kind": AssistantKind.TRAINER} if role == Role.ASSISTANT else {}
    grant(user, role, unit, **extra)
    return user


def test_the_matrix_has_models():
    assert {"accounts.rolegrant", "accounts.assistance"} <= set(MODELS)


@pytest.mark.parametrize("label", MODELS)
@pytest.mark.parametrize("role", AREA_ROLES)
def test_another_areas_rows_are_invisible(admin_units, client, label, role):
    scoped = REGISTRY[label]
    home = _commune("01")  # Hà Nội
    elsewhere = _commune("79")  # Thành phố Hồ Chí Minh
    row = scoped.create_in(elsewhere)
    user = _person_with(role, home)
    assert not scoped.visible(user).filter(pk=row.pk).exists()
    if scoped.editable is not None:
        assert not scoped.editable(user).filter(pk=row.pk).exists()
    client.force_login(user)
    for url in scoped.page_urls(row) + scoped.api_urls(row):
        assert client.get(url).status_code == 404, url
    for url in scoped.write_urls(row):
        assert client.post(url).status_code == 404, url


@pytest.mark.parametrize("label", MODELS)
@pytest.mark.parametrize("role", [*AREA_ROLES, Role.MINISTRY])
def test_the_rows_own_area_sees_it_where_the_role_should(admin_units, label, role):
    scoped = REGISTRY[label]
    commune = _commune("01")
    row = scoped.create_in(commune)
    if role == Role.MINISTRY:
        user = UserFactory.create()
        grant(user, Role.MINISTRY)
    else:
        user = _person_with(role, commune)
    visible = scoped.visible(user).filter(pk=row.pk).exists()
    assert visible == (role in scoped.seen_by)


@pytest.mark.parametrize("label", MODELS)
def test_people_without_grants_and_anonymous_visitors_see_nothing(admin_units, label):
    from django.contrib.auth.models import AnonymousUser

    scoped = REGISTRY[label]
    row = scoped.create_in(_commune("01"))
    assert not scoped.visible(AnonymousUser()).filter(pk=row.pk).exists()
    assert not scoped.visible(UserFactory.create()).filter(pk=row.pk).exists()
