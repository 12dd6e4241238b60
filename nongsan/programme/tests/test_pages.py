"""Dashboards: who sees which, what they show, drill-down links, map and chart data, and a
query count that does not grow with the number of units or rows."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import UserFactory, grant, officer
from nongsan.onboarding.tests.factories import staff_user
from nongsan.programme import rollup, services
from nongsan.programme.models import Indicator
from nongsan.programme.periods import period_parse
from nongsan.programme.tests import factories as make

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 15)
D = datetime.date


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> make.World:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    w = make.world()
    seller = make.household(w.commune_a, D(2026, 1, 10))
    make.household(w.commune_b, D(2026, 2, 10))
    make.order(seller, D(2026, 2, 20))
    services.target_set(
        user=staff_user(),
        indicator=Indicator.objects.get(code="households_first_sale"),
        unit=w.province,
        period=period_parse("2026-Q1"),
        value=4,
    )
    rollup.rollup_rebuild(today=TODAY)
    return w


def ministry():
    user = UserFactory.create()
    grant(user, Role.MINISTRY)
    return user


def test_the_ministry_sees_the_nation_sorted_by_progress_with_freshness(client, world):
    client.force_login(ministry())
    response = client.get(reverse("programme:dashboard"), {"period": "2026-Q1"})
    assert response.status_code == 200
    text = response.content.decode()
    assert world.province.name in text
    assert "25 %" in text  # 1 first sale of a target of 4
    assert "data-freshness" in text
    assert "Số liệu tổng hợp lúc" in text
    assert reverse("programme:province", args=[world.province.code]) in text
    rows = response.context["rows"]
    assert rows[0].unit == world.province  # the only one with a target: first


def test_a_province_officer_lands_on_the_province_and_sees_its_communes(client, world):
    client.force_login(officer(Role.PROVINCE_OFFICER, world.province))
    response = client.get(reverse("programme:dashboard"))
    assert response.status_code == 302
    response = client.get(response["Location"], {"period": "2026-Q1"})
    assert response.status_code == 200
    assert {row.unit for row in response.context["rows"]} == {world.commune_a, world.commune_b}
    assert (
        client.get(reverse("programme:province", args=[world.other_province.code])).status_code
        == 404
    )
    assert client.get(reverse("programme:map-data")).status_code == 404


def test_a_commune_page_links_its_counts_to_the_registry(client, world):
    client.force_login(officer(Role.COMMUNE_OFFICER, world.commune_a))
    response = client.get(
        reverse("programme:commune", args=[world.commune_a.code]), {"period": "2026-Q1"}
    )
    assert response.status_code == 200
    links = response.context["links"]
    assert links["households_registered"].endswith(f"?commune={world.commune_a.code}")
    assert "stage=first_sale" in links["households_first_sale"]
    assert links["households_registered"] in response.content.decode().replace("&amp;", "&")
    other = reverse("programme:commune", args=[world.commune_b.code])
    assert client.get(other).status_code == 404


def test_people_without_an_officer_role_are_told_why(client, world):
    client.force_login(UserFactory.create())
    response = client.get(reverse("programme:dashboard"))
    assert response.status_code == 403
    assert "chưa được giao vai trò cán bộ" in response.content.decode()


def test_a_bad_period_is_explained_not_a_crash(client, world):
    client.force_login(ministry())
    response = client.get(reverse("programme:dashboard"), {"period": "quý 2"})
    assert response.status_code == 200
    assert "Kỳ không hợp lệ" in response.content.decode()


def test_map_and_chart_data(client, world):
    client.force_login(ministry())
    data = client.get(reverse("programme:map-data"), {"period": "2026-Q1"}).json()
    row = data["provinces"][world.province.code]
    assert row["band"] == "behind"
    assert row["progress"] == pytest.approx(0.25)
    chart = client.get(
        reverse("programme:series"),
        {"period": "2026-Q1", "indicator": "orders", "unit": world.province.code},
    ).json()
    assert len(chart["months"]) == 12
    assert chart["values"][-2] == 1  # February's order
    assert chart["months"][-1] == "03/2026"


def test_the_legacy_geography_lists_the_old_provinces(client, world):
    client.force_login(ministry())
    response = client.get(
        reverse("programme:dashboard"), {"period": "2026-Q1", "geography": "legacy"}
    )
    assert response.status_code == 200
    assert world.legacy_province in {row.unit for row in response.context["rows"]}
    legacy = client.get(
        reverse("programme:province", args=[world.legacy_province.code]),
        {"period": "2026-Q1", "geography": "legacy"},
    )
    assert legacy.status_code == 200


def test_comparison_of_provinces(client, world):
    client.force_login(ministry())
    response = client.get(
        reverse("programme:compare"),
        {"period": "2026-Q1", "province": [world.province.code, world.other_province.code]},
    )
    assert response.status_code == 200
    assert len(response.context["chosen"]) == 2


def test_dashboard_queries_do_not_grow_with_units(client, world, django_assert_max_num_queries):
    user = ministry()
    client.force_login(user)
    url = reverse("programme:dashboard")
    with django_assert_max_num_queries(16) as captured:
        client.get(url, {"period": "2026-Q1"})
    baseline = len(captured)
    for number in range(5):
        province = make.AdministrativeUnitFactory.create(
            level="province", short_name=f"Thêm {number}"
        )
        commune = make.AdministrativeUnitFactory.create(parent=province)
        make.household(commune, D(2026, 1, 5))
    rollup.rollup_rebuild(today=TODAY)
    with django_assert_max_num_queries(baseline):
        client.get(url, {"period": "2026-Q1"})
    province_url = reverse("programme:province", args=[world.province.code])
    with django_assert_max_num_queries(16):
        client.get(province_url, {"period": "2026-Q1"})
