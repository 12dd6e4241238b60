"""The two seams the reports and exports apps use: ``unit_figures`` (tested for arithmetic in
test_rollup and test_reform) and ``dashboard_document``: its shape, its figures, its scope."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import UserFactory, grant, officer
from nongsan.onboarding.tests.factories import staff_user
from nongsan.programme import rollup, services
from nongsan.programme.models import Indicator
from nongsan.programme.periods import period_parse
from nongsan.programme.selectors import dashboard_document, unit_figures
from nongsan.programme.tests import factories as make

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 15)
D = datetime.date


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> make.World:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    w = make.world()
    seller = make.household(w.commune_a, D(2026, 1, 10))
    make.order(seller, D(2026, 2, 20))
    make.order(seller, D(2026, 3, 20))
    services.target_set(
        user=staff_user(),
        indicator=Indicator.objects.get(code="orders"),
        unit=w.province,
        period=period_parse("2026-Q1"),
        value=4,
    )
    rollup.rollup_rebuild(today=TODAY)
    return w


def test_the_document_of_a_province_has_its_figures_and_its_communes(world):
    user = officer(Role.PROVINCE_OFFICER, world.province)
    document = dashboard_document(
        user=user, unit=world.province, start=D(2026, 1, 1), end=D(2026, 3, 31)
    )
    assert set(document) == {"title", "subtitle", "generated_at", "sections"}
    assert world.province.name in document["title"]
    assert document["subtitle"] == "Quý 1/2026"
    datetime.datetime.fromisoformat(document["generated_at"])
    own, communes = document["sections"]
    assert set(own) == {"heading", "text", "columns", "rows"}
    orders = next(row for row in own["rows"] if row[0] == "Đơn hàng")
    assert orders[1:4] == [2, 4, 50.0]  # 2 orders of a target of 4: 50 %
    assert all(len(row) == len(own["columns"]) for row in own["rows"])
    names = [row[1] for row in communes["rows"]]
    assert names == [world.commune_a.name, world.commune_b.name]
    assert all(len(row) == len(communes["columns"]) for row in communes["rows"])


def test_the_document_is_refused_outside_the_persons_area(world):
    user = officer(Role.PROVINCE_OFFICER, world.other_province)
    with pytest.raises(PermissionDenied):
        dashboard_document(user=user, unit=world.province, start=D(2026, 1, 1), end=D(2026, 3, 31))
    with pytest.raises(PermissionDenied):
        dashboard_document(user=user, unit=None, start=D(2026, 1, 1), end=D(2026, 3, 31))


def test_the_national_document_lists_the_provinces(world):
    user = UserFactory.create()
    grant(user, Role.MINISTRY)
    document = dashboard_document(user=user, unit=None, start=D(2026, 1, 1), end=D(2026, 3, 31))
    assert "Toàn quốc" in document["title"]
    assert [row[0] for row in document["sections"][1]["rows"]] == [
        world.province.code,
        world.other_province.code,
    ]


def test_unit_figures_refuses_a_reversed_range(world):
    with pytest.raises(ValueError, match="end before start"):
        unit_figures(unit=None, start=D(2026, 3, 1), end=D(2026, 1, 1))
