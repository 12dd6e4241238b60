"""The prices API: public daily statistics with filters, scoped reports, reporting."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from nongsan.catalog.tests.factories import lychee
from nongsan.prices.tests.factories import DAY, price_report, trader
from nongsan.producers.tests.factories import current_commune, province_of

pytestmark = pytest.mark.django_db


def test_daily_statistics_filter_by_produce_province_and_dates(
    admin_units, client, django_assert_max_num_queries
):
    for offset in range(20):
        price_report(40000 + offset, reported_on=DAY - datetime.timedelta(days=offset))
    price_report(39000, province=province_of(current_commune("01")))
    with django_assert_max_num_queries(4):
        response = client.get(
            reverse("api-price-list"),
            {
                "produce": "vai-thieu",
                "province": "24",
                "from": (DAY - datetime.timedelta(days=4)).isoformat(),
                "to": DAY.isoformat(),
            },
        )
    body = response.json()
    assert body["count"] == 5
    assert {row["province"] for row in body["results"]} == {"24"}
    assert body["results"][-1]["modal_vnd"] == 40000


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"from": "15/06/2026"}, "from"),
        ({"from": "2026-06-10", "to": "2026-06-01"}, "to"),
        ({"kind": "auction"}, "kind"),
        ({"produce": "khong-co"}, "produce"),
    ],
)
def test_bad_filters_are_refused_by_name(admin_units, client, query, parameter):
    response = client.get(reverse("api-price-list"), query)
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


def test_a_trader_reports_through_the_api_and_sees_their_report(admin_units, client):
    lychee()
    client.force_login(trader())
    created = client.post(
        reverse("api-price-report-list"),
        {"produce": "vai-thieu", "province": "24", "kind": "wholesale", "price_vnd": "52000",
         "reported_on": "2026-06-01"},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    listed = client.get(reverse("api-price-report-list")).json()
    assert [row["id"] for row in listed["results"]] == [created.json()["id"]]


def test_a_report_in_a_province_that_does_not_exist_is_refused(admin_units, client):
    lychee()
    client.force_login(trader())
    response = client.post(
        reverse("api-price-report-list"),
        {"produce": "vai-thieu", "province": "99", "kind": "retail", "price_vnd": "1",
         "reported_on": "2026-06-01"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["parameter"] == "province"
