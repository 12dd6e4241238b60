"""The harvests API: public calendar and forecast, scoped plantings and announcements."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import officer
from nongsan.catalog.tests.factories import lychee
from nongsan.harvests.models import HarvestAnnouncement
from nongsan.harvests.tests.factories import announcement, calendar_entry
from nongsan.producers.tests.factories import current_commune, household, province_of

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 2)


def test_the_calendar_lists_the_seasons_of_a_province(admin_units, client):
    calendar_entry(lychee(), province_of(current_commune("01")))
    calendar_entry(lychee(), province_of(current_commune("79")))
    response = client.get(reverse("api-crop-calendar-list"), {"province": "01"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["harvest_months"] == [6, 7]


def test_a_bad_province_is_refused_by_name(admin_units, client):
    response = client.get(reverse("api-crop-calendar-list"), {"province": "xx"})
    assert response.status_code == 400
    assert response.json()["parameter"] == "province"


def test_an_officer_sees_the_announcements_of_the_area_only(
    admin_units, client, django_assert_max_num_queries
):
    home, elsewhere = current_commune("01"), current_commune("79")
    for _ in range(5):
        announcement(household(home), harvest_from=DAY, harvest_until=DAY)
    announcement(household(elsewhere), harvest_from=DAY, harvest_until=DAY)
    client.force_login(officer(Role.COMMUNE_OFFICER, home))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("api-harvest-list"))
    assert response.json()["count"] == 5
    assert {row["commune"] for row in response.json()["results"]} == {home.code}


def test_an_officer_announces_and_confirms_through_the_api(admin_units, client):
    commune = current_commune("01")
    row = household(commune)
    client.force_login(officer(Role.COMMUNE_OFFICER, commune))
    created = client.post(
        reverse("api-harvest-list"),
        {
            "household": row.pk,
            "produce": lychee().slug,
            "harvest_from": "2026-06-01",
            "harvest_until": "2026-06-10",
            "tonnes": "3,5",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["tonnes"] == "3.500"
    moved = client.post(
        reverse("api-harvest-detail", args=[created.json()["id"]]),
        {"status": "confirmed"},
        content_type="application/json",
    )
    assert moved.json()["status"] == "confirmed"


def test_an_impossible_status_change_is_refused_in_the_chosen_language(admin_units, client):
    commune = current_commune("01")
    made = announcement(household(commune), harvest_from=DAY, harvest_until=DAY)
    client.force_login(officer(Role.COMMUNE_OFFICER, commune))
    url = reverse("api-harvest-detail", args=[made.pk])
    client.post(url, {"status": "harvested"}, content_type="application/json")
    refused = client.post(
        url, {"status": "confirmed"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 400
    assert refused.json()["parameter"] == "status"
    assert "Cannot move" in refused.json()["detail"]


def test_a_planting_through_the_api_gets_its_expected_harvest(admin_units, client):
    commune = current_commune("01")
    row = household(commune)
    calendar_entry(lychee(), province_of(commune))
    client.force_login(officer(Role.COMMUNE_OFFICER, commune))
    response = client.post(
        reverse("api-planting-list"),
        {"household": row.pk, "produce": "vai-thieu", "planted_on": "2026-02-01", "area_ha": "2"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["announcement"]["tonnes"] == "12.000"
    assert HarvestAnnouncement.objects.count() == 1


def test_another_areas_household_is_not_found(admin_units, client):
    row = household(current_commune("79"))
    client.force_login(officer(Role.COMMUNE_OFFICER, current_commune("01")))
    response = client.post(
        reverse("api-harvest-list"),
        {"household": row.pk, "produce": "vai-thieu", "harvest_from": "2026-06-01",
         "harvest_until": "2026-06-02", "tonnes": "1"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 404


def test_the_forecast_endpoint_gives_weeks_and_refuses_a_bad_count(admin_units, client):
    announcement(household(current_commune("01")), harvest_from=DAY, harvest_until=DAY)
    assert client.get(reverse("api-forecast-list"), {"weeks": "99"}).status_code == 400
    response = client.get(reverse("api-forecast-list"), {"province": "01", "weeks": "3"})
    assert response.status_code == 200
    assert len(response.json()["weeks"]) == 3


def test_a_communes_forecast_is_for_its_areas_people_only(admin_units, client):
    commune = current_commune("01")
    response = client.get(reverse("api-forecast-list"), {"commune": commune.code})
    assert response.status_code == 404
    client.force_login(officer(Role.COMMUNE_OFFICER, commune))
    assert client.get(reverse("api-forecast-list"), {"commune": commune.code}).status_code == 200
