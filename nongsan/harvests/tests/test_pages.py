"""The calendar page: month grid, in season now and soon, officers' correction form."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import officer
from nongsan.catalog.tests.factories import lychee, pineapple
from nongsan.harvests.tests.factories import calendar_entry
from nongsan.producers.tests.factories import current_commune, province_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def june(monkeypatch):
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2026, 6, 10)
    )


def test_the_calendar_shows_in_season_and_coming_produce_of_the_province(admin_units, client, june):
    province = province_of(current_commune("01"))
    calendar_entry(lychee(), province)  # June–July
    calendar_entry(pineapple(), None, harvest_from_month=7, harvest_from_day=1,
                   harvest_until_month=8)  # fmt: skip
    calendar_entry(lychee(), province_of(current_commune("79")), season_name="Sài Gòn")
    response = client.get(reverse("harvests:calendar"), {"province": "01"})
    assert response.status_code == 200
    now = [entry.produce_type.slug for entry, *_ in response.context["in_season"]]
    coming = [entry.produce_type.slug for entry, *_ in response.context["coming"]]
    assert now == ["vai-thieu"]
    assert coming == ["dua"]
    assert b"S\xc3\xa0i G\xc3\xb2n" not in response.content
    row = next(r for r in response.context["grid"] if r.produce_type.slug == "vai-thieu")
    assert row.months[5:8] == [True, True, False]


def test_the_calendar_page_costs_the_same_queries_for_many_entries(
    admin_units, client, django_assert_max_num_queries, june
):
    for _ in range(30):
        calendar_entry(lychee(), None)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("harvests:calendar")).status_code == 200


def test_an_unknown_province_code_shows_the_whole_country_with_the_error(admin_units, client):
    response = client.get(reverse("harvests:calendar"), {"province": "99"})
    assert response.status_code == 200
    assert response.context["province"] is None
    assert response.context["form"].errors["province"]


def test_a_province_officer_corrects_an_entry_from_the_page(admin_units, client):
    province = province_of(current_commune("01"))
    entry = calendar_entry(lychee(), province)
    client.force_login(officer(Role.PROVINCE_OFFICER, province))
    page = client.get(reverse("harvests:entry-edit", args=[entry.pk]))
    assert page.status_code == 200
    data = {name: "" for name in page.context["form"].fields}
    data.update({"harvest_from_month": "5", "harvest_until_month": "6"})
    data["yield_tonnes_per_ha"] = "7,5"
    response = client.post(reverse("harvests:entry-edit", args=[entry.pk]), data)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.yield_tonnes_per_ha == Decimal("7.5")


def test_the_form_says_in_vietnamese_what_is_wrong(admin_units, client):
    province = province_of(current_commune("01"))
    entry = calendar_entry(lychee(), province)
    client.force_login(officer(Role.PROVINCE_OFFICER, province))
    response = client.post(
        reverse("harvests:entry-edit", args=[entry.pk]),
        {"harvest_from_month": 14, "maturity_days_min": 90, "maturity_days_max": 80},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["harvest_from_month"]


def test_another_provinces_officer_gets_404_on_the_form(admin_units, client):
    entry = calendar_entry(lychee(), province_of(current_commune("79")))
    client.force_login(officer(Role.PROVINCE_OFFICER, province_of(current_commune("01"))))
    assert client.get(reverse("harvests:entry-edit", args=[entry.pk])).status_code == 404
    assert client.post(reverse("harvests:entry-edit", args=[entry.pk])).status_code == 404


def test_the_produce_type_page_shows_its_calendar(admin_units, client):
    calendar_entry(lychee(), province_of(current_commune("01")), season_name="vụ sớm thử")
    response = client.get(reverse("catalog:produce-type-page", args=["vai-thieu"]))
    assert response.status_code == 200
    assert "vụ sớm thử" in response.content.decode()
