"""The trade home page: a read that writes nothing, whose queries do not grow with the rows
it shows, and lists that page by twenty."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nongsan.catalog.tests.factories import selling_household
from nongsan.producers.tests.factories import current_commune, make_user
from nongsan.trade import services, views
from nongsan.trade.models import SupplyCandidate
from nongsan.trade.tests.factories import buy_request, harvest, offer_on, trader

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_home_page_writes_nothing_on_a_visit(admin_units, client):
    seller = make_user()
    grower = selling_household(current_commune("01"), user=seller)
    harvest(seller=grower)  # its candidate row is written only after the commit
    suiting = buy_request(title="Thu mua vải sớm")
    client.force_login(seller)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("trade:home")).content.decode()
    assert reverse("trade:request", args=[suiting.pk]) in page
    assert "thu hoạch trùng 14/14 ngày" in page
    writes = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert not SupplyCandidate.objects.exists()


def _grower_with(announcements: int, django_capture_on_commit_callbacks):
    seller = make_user()
    grower = selling_household(current_commune("01"), user=seller)
    buyer = trader()
    with django_capture_on_commit_callbacks(execute=True):
        sources = [harvest(seller=grower, tonnes=str(10 + index)) for index in range(announcements)]
    for index, source in enumerate(sources):
        request = buy_request(buyer=buyer, title=f"Thu mua {index}")
        offer_on(request, source)
    return seller


def test_a_growers_home_page_costs_the_same_queries_for_one_harvest_or_many(
    admin_units, client, django_capture_on_commit_callbacks
):
    one = _grower_with(1, django_capture_on_commit_callbacks)
    many = _grower_with(4, django_capture_on_commit_callbacks)
    client.force_login(one)
    few_queries = _queries(client, reverse("trade:home"))
    client.force_login(many)
    page = client.get(reverse("trade:home")).content.decode()
    assert page.count('class="card stack" id="offer-') == 4
    assert _queries(client, reverse("trade:home")) == few_queries


def _trader_with(deals: int):
    buyer = trader()
    for index in range(deals):
        seller = make_user()
        grower = selling_household(current_commune("01"), user=seller)
        offer = offer_on(buy_request(buyer=buyer, title=f"Thu mua {index}"), harvest(seller=grower))
        services.offer_accept(user=seller, offer=offer)
    return buyer


def test_a_traders_home_page_costs_the_same_queries_for_one_deal_or_many(admin_units, client):
    one = _trader_with(1)
    many = _trader_with(3)
    client.force_login(one)
    few_queries = _queries(client, reverse("trade:home"))
    client.force_login(many)
    assert _queries(client, reverse("trade:home")) == few_queries


def test_the_home_lists_page_by_twenty(admin_units, client, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    buyer = trader()
    titles = [f"Thu mua lô {index}" for index in range(5)]
    for title in titles:
        buy_request(buyer=buyer, title=title)
    client.force_login(buyer)
    first = client.get(reverse("trade:home")).content.decode()
    second = client.get(reverse("trade:home") + "?requests_page=2").content.decode()
    third = client.get(reverse("trade:home") + "?requests_page=3").content.decode()
    # newest first: 4, 3 | 2, 1 | 0
    assert "Thu mua lô 4" in first
    assert "Thu mua lô 2" not in first
    assert "Thu mua lô 2" in second
    assert "Thu mua lô 1" in second
    assert "Thu mua lô 4" not in second
    assert "Thu mua lô 0" not in second
    assert "requests_page=3#mine-heading" in second
    assert "requests_page=1#mine-heading" in second
    assert "Thu mua lô 0" in third
    assert 'rel="next"' not in third


def test_the_page_size_is_twenty():
    assert views.PAGE_SIZE == 20
