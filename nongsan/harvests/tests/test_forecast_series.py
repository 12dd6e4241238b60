"""The forecast as series (``forecast_series`` and /api/v1/forecasts/): the national view
per produce from one GROUP BY over the roll-up, a produce's provinces, places with listings
or orders and no announcement, exact values."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nongsan.catalog.tests.factories import lychee, pineapple
from nongsan.harvests.selectors import forecast_series, supply_forecast, week_starts
from nongsan.harvests.tests.factories import announcement
from nongsan.orders.tests.factories import buyer, on_sale, place
from nongsan.producers.tests.factories import current_commune, household, province_of

pytestmark = pytest.mark.django_db
WEEKS = 3


def _zeros(*values: str) -> list[str]:
    return [*values, *["0.000"] * (WEEKS - len(values))]


@pytest.fixture
def country(admin_units):
    """Lychee announced in Hà Nội (01) and Bắc Ninh (24); lychee only listed in TP HCM (79);
    pineapple listed and ordered in Khánh Hoà (56), announced nowhere."""
    monday = week_starts(timezone.localdate(), 1)[0]
    week = datetime.timedelta(days=6)
    announcement(
        household(current_commune("01")),
        harvest_from=monday,
        harvest_until=monday + week,
        tonnes="7",
    )
    announcement(
        household(current_commune("01", 1)),
        harvest_from=monday + week,
        harvest_until=monday + week + datetime.timedelta(days=14),
        tonnes="15",
    )
    announcement(
        household(current_commune("24")),
        harvest_from=monday,
        harvest_until=monday + week,
        tonnes="3.5",
    )
    on_sale(
        current_commune("79"),
        kind=lychee(),
        unit="kg",
        stock_quantity=2500,
        available_from=monday,
        available_until=monday + datetime.timedelta(days=3),
    )
    fruit = on_sale(
        current_commune("56"),
        kind=pineapple(),
        unit="kg",
        stock_quantity=4000,
        available_from=monday - week,
        available_until=monday + 4 * week,
    )
    place(buyer(), (fruit, 600))
    fruit.refresh_from_db()
    return {"monday": monday, "pineapple_stock": fruit.stock_quantity}


def test_the_national_view_gives_one_series_per_produce(country):
    series = {row.produce_type_id: row for row in forecast_series(
        today=country["monday"], weeks=WEEKS)}  # fmt: skip
    assert set(series) == {lychee().pk, pineapple().pk}
    fruit = series[lychee().pk]
    assert fruit.province_id is None
    # 15 t over 15 days from week 0's Sunday: 1 + 7 + 7; week 0 adds 7 (01) and 3.5 (24).
    assert fruit.expected_tonnes == [Decimal("11.500"), Decimal("7.000"), Decimal("7.000")]
    assert fruit.households == [3, 1, 1]
    assert fruit.listed_tonnes == [Decimal("2.500"), Decimal(0), Decimal(0)]
    assert fruit.ordered_tonnes == [Decimal(0)] * WEEKS
    other = series[pineapple().pk]
    assert other.expected_tonnes == [Decimal(0)] * WEEKS
    assert other.households == [0] * WEEKS
    assert other.ordered_tonnes == [Decimal("0.600"), Decimal(0), Decimal(0)]
    assert other.listed_tonnes == [country["pineapple_stock"] / 1000] * WEEKS


def test_the_national_supply_is_one_group_by_over_the_rollup(country):
    with CaptureQueriesContext(connection) as queries:
        forecast_series(today=country["monday"], weeks=WEEKS)
    supply = [query["sql"] for query in queries if "harvests_weeklysupply" in query["sql"]]
    assert len(supply) == 1
    assert "GROUP BY" in supply[0]
    assert not any("harvests_harvestannouncement" in query["sql"] for query in queries)
    assert len(queries) == 4  # supply, listings, open orders, buy requests


def test_a_produce_gives_its_provinces_with_a_listed_only_one(country):
    series = forecast_series(today=country["monday"], weeks=WEEKS, produce_type=lychee())
    by_province = {row.province_id: row for row in series}
    codes = {"01", "24", "79"}
    assert {province_of(current_commune(code)).pk for code in codes} == set(by_province)
    hanoi = by_province[province_of(current_commune("01")).pk]
    assert hanoi.expected_tonnes == [Decimal("8.000"), Decimal("7.000"), Decimal("7.000")]
    assert hanoi.households == [2, 1, 1]
    saigon = by_province[province_of(current_commune("79")).pk]
    assert saigon.expected_tonnes == [Decimal(0)] * WEEKS
    assert saigon.listed_tonnes == [Decimal("2.500"), Decimal(0), Decimal(0)]
    # The country is the sum of its provinces.
    national = next(
        row for row in forecast_series(today=country["monday"], weeks=WEEKS)
        if row.produce_type_id == lychee().pk
    )  # fmt: skip
    for index in range(WEEKS):
        assert national.expected_tonnes[index] == sum(row.expected_tonnes[index] for row in series)


def test_the_row_forecast_also_keeps_places_without_announcements(country):
    rows = supply_forecast(today=country["monday"], weeks=WEEKS)
    saigon = province_of(current_commune("79")).pk
    listed = [row for row in rows if row.province_id == saigon]
    assert [row.listed_tonnes for row in listed] == [Decimal("2.500"), Decimal(0), Decimal(0)]
    assert all(row.expected_tonnes == 0 for row in listed)


def test_the_api_answers_series(country, client):
    answer = client.get(reverse("api-forecast-list"), {"weeks": str(WEEKS)})
    assert answer.status_code == 200
    body = answer.json()
    monday = country["monday"]
    assert [week["week_start"] for week in body["weeks"]] == [
        (monday + datetime.timedelta(weeks=index)).isoformat() for index in range(WEEKS)
    ]
    assert body["weeks"][0]["iso_week"] == "{}-W{:02d}".format(*monday.isocalendar()[:2])
    national = {row["produce"]: row for row in body["series"]}
    assert set(national) == {"vai-thieu", "dua"}
    assert national["vai-thieu"] == {
        "produce": "vai-thieu",
        "province": None,
        "expected_tonnes": ["11.500", "7.000", "7.000"],
        "listed_tonnes": _zeros("2.500"),
        "ordered_tonnes": _zeros(),
        "requested_tonnes": _zeros(),
        "households": [3, 1, 1],
    }
    assert national["dua"]["ordered_tonnes"] == _zeros("0.600")
    by_produce = client.get(reverse("api-forecast-list"), {"produce": "vai-thieu", "weeks": "3"})
    provinces = {row["province"]: row for row in by_produce.json()["series"]}
    assert set(provinces) == {"01", "24", "79"}
    assert provinces["24"]["expected_tonnes"] == _zeros("3.500")
    assert provinces["79"]["listed_tonnes"] == _zeros("2.500")
    one = client.get(reverse("api-forecast-list"), {"province": "56", "weeks": "3"}).json()
    assert [(row["produce"], row["province"]) for row in one["series"]] == [("dua", "56")]


def test_the_api_refuses_an_unknown_produce_in_vietnamese(admin_units, client):
    answer = client.get(reverse("api-forecast-list"), {"produce": "khong-co"})
    assert answer.status_code == 400
    assert answer.json()["parameter"] == "produce"
