"""The trade API and pages: scoped, documented, refusing bad input in Vietnamese."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from nongsan.catalog.tests.factories import lychee, selling_household
from nongsan.producers.tests.factories import current_commune, make_user
from nongsan.trade.models import BuyRequest, Deal, Offer
from nongsan.trade.tests.factories import buy_request, harvest, offer_on, today, trader

pytestmark = pytest.mark.django_db


def _request_body(**fields):
    body = {
        "produce_types": ["vai"],
        "quantity_min_tonnes": "10",
        "quantity_max_tonnes": "20",
        "delivery_from": (today() + datetime.timedelta(days=10)).isoformat(),
        "delivery_until": (today() + datetime.timedelta(days=23)).isoformat(),
        "delivery_mode": "pickup",
        "commune": current_commune("01").code,
        "target_provinces": ["01"],
        "payment_terms": "cash_on_pickup",
    }
    body.update(fields)
    return body


def test_a_trader_posts_a_request_by_a_synonym_and_reads_its_ranked_matches(
    admin_units, client, django_capture_on_commit_callbacks
):
    lychee()
    with django_capture_on_commit_callbacks(execute=True):
        announced = harvest(current_commune("01"))
    buyer = trader()
    client.force_login(buyer)
    created = client.post(
        reverse("api-buy-request-list"), _request_body(), content_type="application/json"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["produce_types"] == ["vai-thieu"]
    matches = client.get(reverse("api-buy-request-matches", args=[created.json()["id"]])).json()
    assert matches["matches"][0]["source_id"] == announced.pk
    assert "covers 100% of the quantity" in matches["matches"][0]["reasons_en"]
    assert "đủ 100% số lượng" in matches["matches"][0]["reasons_vi"]


def test_bad_requests_are_refused_in_vietnamese_and_non_traders_are_forbidden(admin_units, client):
    lychee()
    client.force_login(trader())
    refused = client.post(
        reverse("api-buy-request-list"),
        _request_body(quantity_min_tonnes="nhiều", target_provinces=["99"]),
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "tỉnh" in refused.json()["detail"]
    refused = client.post(
        reverse("api-buy-request-list"),
        _request_body(quantity_min_tonnes="nhiều"),
        content_type="application/json",
    )
    assert refused.json()["errors"]["quantity_min_tonnes"] == [
        "Số tấn phải là một số, ví dụ 20 hoặc 2,5."
    ]
    client.force_login(make_user())
    forbidden = client.post(
        reverse("api-buy-request-list"), _request_body(), content_type="application/json"
    )
    assert forbidden.status_code == 403
    assert not BuyRequest.objects.exists()


def test_only_the_buyer_reads_the_matches(admin_units, client):
    request = buy_request()
    seller = make_user()
    selling_household(current_commune("01"), user=seller)
    client.force_login(seller)
    assert client.get(reverse("api-buy-request-detail", args=[request.pk])).status_code == 200
    assert client.get(reverse("api-buy-request-matches", args=[request.pk])).status_code == 404


def test_offer_counter_accept_and_contact_through_the_api(admin_units, client):
    seller = make_user()
    grower = selling_household(current_commune("01"), user=seller)
    request = buy_request()
    client.force_login(request.buyer)
    made = client.post(
        reverse("api-offer-list"),
        {
            "buy_request": request.pk,
            "candidate_kind": "harvest",
            "candidate_source_id": harvest(seller=grower).pk,
            "quantity_tonnes": "12",
            "price_vnd_per_kg": "30000",
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.json()
    client.force_login(seller)
    counter = client.post(
        reverse("api-offer-answer", args=[made.json()["id"]]),
        {"action": "counter", "price_vnd_per_kg": "33000"},
        content_type="application/json",
    )
    assert counter.status_code == 201
    assert counter.json()["from_side"] == "seller"
    client.force_login(request.buyer)
    deal = client.post(
        reverse("api-offer-answer", args=[counter.json()["id"]]),
        {"action": "accept"},
        content_type="application/json",
    )
    assert deal.status_code == 201
    deal_id = deal.json()["id"]
    assert deal.json()["total_vnd"] == 12_000 * 33_000
    assert client.get(reverse("api-deal-contact", args=[deal_id])).status_code == 403
    client.post(reverse("api-deal-contact", args=[deal_id]))
    client.force_login(seller)
    client.post(reverse("api-deal-contact", args=[deal_id]))
    assert (
        client.get(reverse("api-deal-contact", args=[deal_id])).json()["phone"]
        == request.buyer.phone
    )


def test_lists_cost_the_same_queries_for_many_rows(
    admin_units, client, django_assert_max_num_queries
):
    request = buy_request()
    grower = selling_household(current_commune("01"))
    for _ in range(3):
        offer_on(request, harvest(seller=grower))
    client.force_login(request.buyer)
    with django_assert_max_num_queries(12):
        assert len(client.get(reverse("api-offer-list")).json()["results"]) == 3
    for _ in range(5):
        buy_request(buyer=request.buyer)
    with django_assert_max_num_queries(12):
        assert len(client.get(reverse("api-buy-request-list")).json()["results"]) == 6


def test_the_schema_documents_the_trade_endpoints(client):
    schema = client.get(reverse("api-schema")).content.decode()
    for path in (
        "/api/v1/buy-requests/",
        "/api/v1/buy-requests/{id}/matches/",
        "/api/v1/supply-offers/",
        "/api/v1/offers/",
        "/api/v1/deals/",
    ):
        assert path in schema


def _page_form(kind, commune_name):
    return {
        "produce_type": kind.pk,
        "quantity_min_tonnes": "10",
        "quantity_max_tonnes": "20",
        "grade": "any",
        "delivery_from": (today() + datetime.timedelta(days=10)).isoformat(),
        "delivery_until": (today() + datetime.timedelta(days=23)).isoformat(),
        "delivery_mode": "pickup",
        "province": "01",
        "commune_name": commune_name,
        "target_provinces": ["01"],
        "payment_terms": "cash_on_pickup",
    }


def test_a_trader_posts_a_request_on_the_page_and_sees_matches(
    admin_units, client, django_capture_on_commit_callbacks
):
    kind = lychee()
    hanoi = current_commune("01")
    with django_capture_on_commit_callbacks(execute=True):
        harvest(hanoi)
    client.force_login(trader())
    response = client.post(
        reverse("trade:request-create"),
        _page_form(kind, hanoi.short_name),
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "đủ 100% số lượng" in page
    assert BuyRequest.objects.count() == 1


def test_the_request_page_refuses_an_unknown_commune(admin_units, client):
    client.force_login(trader())
    response = client.post(
        reverse("trade:request-create"),
        _page_form(lychee(), "Không Có Xã Này"),
    )
    assert "Không tìm thấy xã, phường hiện hành" in response.content.decode()
    assert not BuyRequest.objects.exists()


def test_a_grower_answers_an_offer_from_the_trade_page(admin_units, client):
    seller = make_user()
    grower = selling_household(current_commune("01"), user=seller)
    offer = offer_on(buy_request(), harvest(seller=grower))
    client.force_login(seller)
    assert f'id="offer-{offer.pk}"' in client.get(reverse("trade:home")).content.decode()
    response = client.post(
        reverse("trade:offer-answer", args=[offer.pk]), {"action": "accept"}, follow=True
    )
    assert response.status_code == 200
    assert Deal.objects.filter(offer=offer).exists()
    assert Offer.objects.get(pk=offer.pk).status == "accepted"


def test_a_grower_sees_the_requests_that_suit_their_harvest(
    admin_units, client, django_capture_on_commit_callbacks
):
    seller = make_user()
    grower = selling_household(current_commune("01"), user=seller)
    with django_capture_on_commit_callbacks(execute=True):
        harvest(seller=grower)
    suiting = buy_request(title="Thu mua vải sớm")
    buy_request(commune=current_commune("79"), title="Thu mua ở nơi khác")
    client.force_login(seller)
    page = client.get(reverse("trade:home")).content.decode()
    assert reverse("trade:request", args=[suiting.pk]) in page
    assert "thu hoạch trùng 14/14 ngày" in page


def test_a_grower_offers_part_of_an_announced_harvest_through_the_api(admin_units, client):
    seller = make_user()
    grower = selling_household(current_commune("01"), user=seller)
    announced = harvest(seller=grower, tonnes="20")
    client.force_login(seller)
    body = {
        "announcement": announced.pk,
        "quantity_tonnes": "15",
        "available_from": announced.harvest_from.isoformat(),
        "available_until": announced.harvest_until.isoformat(),
        "price_vnd_per_kg": "32000",
    }
    created = client.post(reverse("api-supply-offer-list"), body, content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["produce_type"] == "vai-thieu"
    too_much = client.post(
        reverse("api-supply-offer-list"),
        {**body, "quantity_tonnes": "25"},
        content_type="application/json",
    )
    assert too_much.status_code == 400
    assert too_much.json()["errors"]["quantity_tonnes"] == [
        "Không chào bán nhiều hơn sản lượng đã báo."
    ]
    client.force_login(make_user())
    assert (
        client.post(
            reverse("api-supply-offer-list"), body, content_type="application/json"
        ).status_code
        == 403
    )
