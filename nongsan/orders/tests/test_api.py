"""The orders API: idempotent checkout, scoped reads, lifecycle steps."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from nongsan.orders.models import Checkout, Order, OrderStatus
from nongsan.orders.tests.factories import buyer, on_sale, placed_order
from nongsan.producers.tests.factories import current_commune, make_user

pytestmark = pytest.mark.django_db


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _body(*rows, **fields):
    return {
        "lines": [{"listing": row.pk, "quantity": "2"} for row in rows],
        "buyer_name": "Trần Thị Mua",
        "buyer_phone": "0987654321",
        "delivery_address": "Số 5, thôn Đông",
        "delivery_commune": current_commune("79").code,
        "payment_method": "cod",
        **fields,
    }


def test_checkout_through_the_api_makes_orders_per_seller(admin_units):
    first, second = on_sale(), on_sale()
    answer = _client(buyer()).post("/api/v1/checkouts/", _body(first, second), format="json")
    assert answer.status_code == 201
    assert len(answer.json()["orders"]) == 2


def test_a_retried_checkout_with_the_same_key_returns_the_same_orders(admin_units):
    row = on_sale(stock_quantity=10)
    client = _client(buyer())
    headers = {"Idempotency-Key": "dat-hang-1"}
    first = client.post("/api/v1/checkouts/", _body(row), format="json", headers=headers)
    again = client.post("/api/v1/checkouts/", _body(row), format="json", headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Checkout.objects.count() == 1
    row.refresh_from_db()
    assert row.stock_quantity == 8


def test_the_same_key_with_another_body_is_refused(admin_units):
    row = on_sale()
    client = _client(buyer())
    headers = {"Idempotency-Key": "dat-hang-2"}
    client.post("/api/v1/checkouts/", _body(row), format="json", headers=headers)
    other = client.post(
        "/api/v1/checkouts/", _body(row, buyer_name="Người khác"), format="json", headers=headers
    )
    assert other.status_code == 422
    assert "đã dùng cho một yêu cầu khác" in other.json()["detail"]


def test_checkout_needs_a_sign_in(admin_units):
    assert APIClient().post("/api/v1/checkouts/", {}, format="json").status_code in (401, 403)


def test_a_refused_checkout_answers_in_vietnamese_and_writes_nothing(admin_units):
    row = on_sale(stock_quantity=1)
    answer = _client(buyer()).post("/api/v1/checkouts/", _body(row), format="json")
    assert answer.status_code == 400
    assert "chỉ còn 1 kg" in answer.json()["detail"]
    assert not Order.objects.exists()


def test_an_unknown_commune_is_refused(admin_units):
    answer = _client(buyer()).post(
        "/api/v1/checkouts/", _body(on_sale(), delivery_commune="00000"), format="json"
    )
    assert answer.status_code == 400
    assert "xã, phường hiện hành" in answer.json()["detail"]


def test_another_buyers_order_is_invisible(admin_units):
    order = placed_order()
    stranger = _client(buyer())
    assert stranger.get(f"/api/v1/orders/{order.pk}/").status_code == 404
    assert stranger.get("/api/v1/orders/").json()["results"] == []
    assert _client(order.buyer).get(f"/api/v1/orders/{order.pk}/").status_code == 200


def test_another_sellers_orders_are_invisible_to_a_seller(admin_units):
    mine = placed_order()
    theirs = placed_order()
    seller = make_user()
    household = mine.household
    assert household is not None
    household.user = seller
    household.save(update_fields=["user"])
    ids = [row["id"] for row in _client(seller).get("/api/v1/orders/").json()["results"]]
    assert ids == [mine.pk]
    assert _client(seller).get(f"/api/v1/orders/{theirs.pk}/").status_code == 404


def test_the_buyer_cancels_through_the_api_and_sees_the_timeline(admin_units):
    order = placed_order()
    client = _client(order.buyer)
    answer = client.post(
        f"/api/v1/orders/{order.pk}/status/", {"status": "cancelled", "note": "nhầm"}, format="json"
    )
    assert answer.status_code == 200
    assert [event["to_status"] for event in answer.json()["events"]] == ["placed", "cancelled"]


def test_the_buyer_may_not_confirm_through_the_api(admin_units):
    order = placed_order()
    answer = _client(order.buyer).post(
        f"/api/v1/orders/{order.pk}/status/", {"status": "confirmed"}, format="json"
    )
    assert answer.status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED


def test_the_order_list_costs_the_same_queries_for_more_orders(
    admin_units, django_assert_max_num_queries
):
    who = buyer()
    for _ in range(2):
        placed_order(who=who)
    client = _client(who)
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/orders/").json()["results"]) == 2
    for _ in range(6):
        placed_order(who=who)
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/orders/").json()["results"]) == 8


def test_a_paused_listing_is_refused_through_the_api_as_paused(admin_units):
    from nongsan.catalog.models import Listing, ListingStatus

    row = on_sale(title="Vải thiều")
    Listing.objects.filter(pk=row.pk).update(status=ListingStatus.PAUSED)
    answer = _client(buyer()).post("/api/v1/checkouts/", _body(row), format="json")
    assert answer.status_code == 400
    assert "“Vải thiều” đang tạm ngừng bán." in answer.json()["detail"]
    english = _client(buyer()).post(
        "/api/v1/checkouts/", _body(row), format="json", headers={"Accept-Language": "en"}
    )
    assert "“Vải thiều” is paused." in english.json()["detail"]
    assert not Order.objects.exists()
