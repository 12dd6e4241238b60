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


def _figure_reads(captured) -> dict[str, int]:
    """Queries of a page on the roll-up, the targets, the rebuild runs and the unit list."""
    counts = {"fact": 0, "target": 0, "run": 0, "units": 0}
    for query in captured.captured_queries:
        sql = query["sql"]
        if sql.startswith("SAVEPOINT") or sql.startswith("RELEASE"):
            continue
        if '"programme_fact"' in sql:
            counts["fact"] += 1
        elif '"programme_target"' in sql:
            counts["target"] += 1
        elif '"programme_rolluprun"' in sql:
            counts["run"] += 1
        elif 'FROM "geo_administrativeunit"' in sql and "ORDER BY" in sql and "LIMIT" not in sql:
            counts["units"] += 1
    return counts


def _more_units(world: make.World, number: int) -> None:
    for n in range(number):
        province = make.AdministrativeUnitFactory.create(level="province", short_name=f"Thêm {n}")
        make.household(make.AdministrativeUnitFactory.create(parent=province), D(2026, 1, 5))
        make.household(make.AdministrativeUnitFactory.create(parent=world.province), D(2026, 1, 5))
    rollup.rollup_rebuild(today=TODAY)


@pytest.mark.parametrize("geography", ["current", "legacy"])
def test_the_national_dashboard_reads_its_figures_in_three_queries(client, world, geography):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(ministry())
    url = reverse("programme:dashboard")
    query = {"period": "2026-Q1", "geography": geography}
    client.get(url, query)  # session and caches warm
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, query).status_code == 200
    _more_units(world, 4)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url, query).status_code == 200
    assert _figure_reads(small) == {"fact": 1, "target": 1, "run": 1, "units": 1}
    assert _figure_reads(large) == _figure_reads(small)
    assert len(large) == len(small)


def test_the_provincial_dashboard_reads_its_figures_in_three_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer(Role.PROVINCE_OFFICER, world.province))
    url = reverse("programme:province", args=[world.province.code])
    client.get(url, {"period": "2026-Q1"})
    with CaptureQueriesContext(connection) as small:
        response = client.get(url, {"period": "2026-Q1"})
    assert response.status_code == 200
    assert response.context["headline"].target == 4  # set by the ministry
    _more_units(world, 4)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url, {"period": "2026-Q1"})
    assert len(response.context["rows"]) == 6
    assert _figure_reads(small) == {"fact": 1, "target": 1, "run": 1, "units": 1}
    assert len(large) == len(small)


def test_a_provincial_dashboard_reads_the_targets_of_its_own_province_only(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    period = period_parse("2026-Q1")
    first_sale = Indicator.objects.get(code="households_first_sale")
    for unit, value in ((world.commune_a, 3), (world.other_commune, 7)):
        services.target_set(
            user=staff_user(), indicator=first_sale, unit=unit, period=period, value=value
        )
    client.force_login(officer(Role.PROVINCE_OFFICER, world.province))
    url = reverse("programme:province", args=[world.province.code])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"period": "2026-Q1"})
    rows = {row.unit: row.figure("households_first_sale") for row in response.context["rows"]}
    assert rows[world.commune_a].target == 3
    assert response.context["headline"].target == 4  # the province's own, set by the ministry
    target_reads = [q["sql"] for q in captured.captured_queries if "programme_target" in q["sql"]]
    assert len(target_reads) == 1
    assert str(world.province.pk) in target_reads[0]
    # The legacy province's page reads the targets of its own legacy units only.
    legacy = world.legacy_province
    with CaptureQueriesContext(connection) as captured:
        client.force_login(ministry())
        client.get(
            reverse("programme:province", args=[legacy.code]),
            {"period": "2026-Q1", "geography": "legacy"},
        )
    target_reads = [q["sql"] for q in captured.captured_queries if "programme_target" in q["sql"]]
    assert len(target_reads) == 1
    assert str(legacy.pk) in target_reads[0]
