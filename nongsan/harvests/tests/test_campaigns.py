"""Rescue campaigns: opened by the ministry or the province, a public page gathering the
produce's listings of the province against the target."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import officer
from nongsan.catalog.tests.factories import listing, lychee, pineapple, selling_household
from nongsan.harvests import selectors
from nongsan.harvests.gluts import campaign_create, campaign_listed_tonnes
from nongsan.harvests.models import Campaign
from nongsan.orders.models import Order, OrderStatus
from nongsan.orders.tests.factories import buyer, on_sale, place
from nongsan.producers.tests.factories import current_commune, province_of

pytestmark = pytest.mark.django_db
START = datetime.date(2026, 6, 1)
END = START + datetime.timedelta(days=20)  # 21/06/2026
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def _campaign(user, province, **fields):
    fields.setdefault("title", "Giải cứu vải thiều")
    fields.setdefault("target_tonnes", "100")
    return campaign_create(
        user=user, produce_type=lychee(), province=province, starts_on=START,
        ends_on=START + datetime.timedelta(days=20), **fields,
    )  # fmt: skip


def test_a_province_officer_opens_a_campaign_in_the_province_only(admin_units):
    home = province_of(current_commune("24"))
    user = officer(Role.PROVINCE_OFFICER, home)
    assert _campaign(user, home).target_tonnes == Decimal("100.000")
    with pytest.raises(PermissionDenied):
        _campaign(user, province_of(current_commune("79")))
    with pytest.raises(PermissionDenied):
        _campaign(officer(Role.COMMUNE_OFFICER, current_commune("24")), home)


def test_a_campaign_without_a_name_or_with_a_bad_target_is_refused(admin_units):
    home = province_of(current_commune("24"))
    with pytest.raises(ValidationError) as caught:
        _campaign(officer(Role.PROVINCE_OFFICER, home), home, title=" ", target_tonnes="-1")
    assert set(caught.value.message_dict) == {"title", "target_tonnes"}
    assert not Campaign.objects.exists()


def test_the_campaign_page_shows_the_listings_and_the_tonnes_on_sale(admin_units, client):
    commune = current_commune("24")
    home = province_of(commune)
    campaign = _campaign(officer(Role.PROVINCE_OFFICER, home), home)
    seller = selling_household(commune)
    listing(seller, kind=lychee(), unit="kg", stock_quantity=2000, publish=True,
            title="Vải thiều Lục Ngạn loại một")  # fmt: skip
    assert campaign_listed_tonnes(campaign, today=timezone.localdate()) == Decimal("2.000")
    response = client.get(reverse("harvests:campaign", args=[campaign.pk]))
    assert response.status_code == 200
    assert "Vải thiều Lục Ngạn loại một" in response.content.decode()
    assert response.context["percent"] == 2


def test_campaigns_are_listed_publicly_and_opened_through_the_api(admin_units, client):
    home = province_of(current_commune("24"))
    lychee()
    client.force_login(officer(Role.PROVINCE_OFFICER, home))
    created = client.post(
        reverse("api-campaign-list"),
        {"title": "Giải cứu vải", "produce": "vai-thieu", "province": "24",
         "target_tonnes": "50", "starts_on": "2026-06-01", "ends_on": "2026-06-20"},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    client.logout()
    assert client.get(reverse("api-campaign-list")).json()["count"] == 1


def _vn(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=VIETNAM)


def _on_sale(commune, kind=None, unit="kg"):
    return on_sale(commune, kind=kind or lychee(), unit=unit, stock_quantity=100_000,
                   available_from=START - datetime.timedelta(days=10),
                   available_until=END + datetime.timedelta(days=10),
                   now=_vn(START - datetime.timedelta(days=10), 8))  # fmt: skip


def _order(row, quantity, placed_at, status=OrderStatus.PLACED) -> Order:
    order = place(buyer(), (row, quantity), now=_vn(START - datetime.timedelta(days=10), 9))
    placed = order.orders.get()
    Order.objects.filter(pk=placed.pk).update(placed_at=placed_at, status=status)
    return placed


def _sold(campaign) -> Decimal:
    return selectors.campaign_sold_tonnes(selectors.campaign_list().get(pk=campaign.pk))


def test_what_has_been_sold_counts_the_campaign_days_in_vietnam_time(admin_units):
    commune = current_commune("24")
    home = province_of(commune)
    campaign = _campaign(officer(Role.PROVINCE_OFFICER, home), home)
    row = _on_sale(commune)
    assert _sold(campaign) == Decimal("0.000")
    _order(row, 1_000, _vn(START, 0, 30))  # 17:30 UTC the day before: counted
    _order(row, 200, _vn(END, 23, 30), OrderStatus.DELIVERED)  # last day, late evening
    _order(row, "30.6", _vn(END - datetime.timedelta(days=5), 12), OrderStatus.COMPLETED)
    _order(row, 7_000, _vn(START - datetime.timedelta(days=1), 23, 59))  # day before start
    _order(row, 9_000, _vn(END + datetime.timedelta(days=1), 6))  # 23:00 UTC on the last day
    assert _sold(campaign) == Decimal("1.231")  # 1000 + 200 + 30.6 kg, to the kilogram


@pytest.mark.parametrize(
    "status",
    [OrderStatus.CANCELLED, OrderStatus.REJECTED, OrderStatus.RETURNED, OrderStatus.REFUNDED],
)
def test_orders_that_did_not_sell_are_not_counted(admin_units, status):
    commune = current_commune("24")
    home = province_of(commune)
    campaign = _campaign(officer(Role.PROVINCE_OFFICER, home), home)
    row = _on_sale(commune)
    _order(row, 4_000, _vn(START, 10), status)
    _order(row, 500, _vn(START, 11), OrderStatus.CONFIRMED)
    assert _sold(campaign) == Decimal("0.500")


def test_other_provinces_other_produce_and_counted_units_are_not_counted(admin_units):
    commune = current_commune("24")
    home = province_of(commune)
    campaign = _campaign(officer(Role.PROVINCE_OFFICER, home), home)
    _order(_on_sale(current_commune("79")), 3_000, _vn(START, 10))  # another province
    _order(_on_sale(commune, kind=pineapple()), 2_000, _vn(START, 10))  # another produce
    _order(_on_sale(commune, unit="qua"), 800, _vn(START, 10))  # by the piece: no weight
    _order(_on_sale(commune), 250, _vn(START, 10))
    assert _sold(campaign) == Decimal("0.250")


def _running_campaign(commune, **dates):
    home = province_of(commune)
    today = timezone.localdate()
    dates.setdefault("starts_on", today - datetime.timedelta(days=2))
    dates.setdefault("ends_on", today + datetime.timedelta(days=5))
    return campaign_create(
        user=officer(Role.PROVINCE_OFFICER, home), title="Giải cứu vải", produce_type=lychee(),
        province=home, target_tonnes="2", **dates,
    )  # fmt: skip


def test_the_campaign_page_shows_what_has_been_sold_and_refreshes_every_minute(admin_units, client):
    commune = current_commune("24")
    campaign = _running_campaign(commune)
    row = on_sale(commune, kind=lychee(), unit="kg", stock_quantity=5_000)
    place(buyer(), (row, 500))
    page = client.get(reverse("harvests:campaign", args=[campaign.pk]))
    assert page.context["sold_tonnes"] == Decimal("0.500")
    assert page.context["sold_percent"] == 25
    html = page.content.decode()
    assert 'hx-trigger="every 60s"' in html
    fragment_url = reverse("harvests:campaign-progress", args=[campaign.pk])
    assert f'hx-get="{fragment_url}"' in html
    place(buyer(), (row, 1_000))
    fragment = client.get(fragment_url)
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert "<html" not in body
    assert 'id="campaign-progress"' in body
    assert fragment.context["sold_tonnes"] == Decimal("1.500")
    assert 'value="75"' in body
    assert "<strong>1,5\xa0tấn</strong>" in body


def test_a_campaign_that_has_ended_stops_refreshing(admin_units, client):
    today = timezone.localdate()
    campaign = _running_campaign(
        current_commune("24"),
        starts_on=today - datetime.timedelta(days=9),
        ends_on=today - datetime.timedelta(days=1),
    )
    fragment = client.get(reverse("harvests:campaign-progress", args=[campaign.pk]))
    assert fragment.status_code == 200
    assert "hx-trigger" not in fragment.content.decode()
    assert (
        client.get(reverse("harvests:campaign-progress", args=[campaign.pk + 99])).status_code
        == 404
    )


def test_the_api_gives_sold_tonnes_with_one_subquery_for_the_page(admin_units, client):
    commune = current_commune("24")
    home = province_of(commune)
    user = officer(Role.PROVINCE_OFFICER, home)
    campaigns = [_campaign(user, home, title=f"Giải cứu {index}") for index in range(3)]
    row = _on_sale(commune)
    _order(row, 1_500, _vn(START, 10))
    _order(row, 9_000, _vn(START, 10), OrderStatus.CANCELLED)
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(reverse("api-campaign-list"))
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [item["sold_tonnes"] for item in results] == ["1.500"] * 3
    assert {item["id"] for item in results} == {campaign.pk for campaign in campaigns}
    assert len(queries) == 2  # the count and the page, whatever the number of campaigns
    page_query = queries[-1]["sql"]
    assert page_query.count("orders_orderitem") == 1


def test_a_campaign_opened_through_the_api_answers_with_what_has_been_sold(admin_units, client):
    home = province_of(current_commune("24"))
    lychee()
    client.force_login(officer(Role.PROVINCE_OFFICER, home))
    created = client.post(
        reverse("api-campaign-list"),
        {"title": "Giải cứu vải", "produce": "vai-thieu", "province": "24",
         "target_tonnes": "50", "starts_on": "2026-06-01", "ends_on": "2026-06-20"},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201
    assert created.json()["sold_tonnes"] == "0.000"
