"""The buyer sees the shipping cost before paying (per seller: zone, weight, each service by
carrier, or why not), chooses a service per seller; the seller sees the shipping's share."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from nongsan.catalog.tests.factories import produce_type
from nongsan.orders.models import Order
from nongsan.orders.tests.factories import buyer, on_sale, place
from nongsan.producers.models import Household
from nongsan.producers.tests.factories import current_commune, make_user
from nongsan.shipping.quotes import checkout_quotes, seller_key_of
from nongsan.shipping.services import shipping_rates_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates():
    shipping_rates_load()


def test_each_seller_is_quoted_every_service_or_told_why_not(admin_units, rates):
    near = on_sale(current_commune("79", 2), price_vnd=30000)
    fragile = on_sale(current_commune("01"), kind=produce_type(shelf_life_days=2))
    counted = on_sale(current_commune("01", 3), unit="qua")
    quotes = checkout_quotes(
        lines=[(near.pk, Decimal(3)), (fragile.pk, Decimal(5)), (counted.pk, Decimal(4))],
        to_commune=current_commune("79"),
    )
    by_seller = {quote.key: quote for quote in quotes}
    first = by_seller[seller_key_of(near)]
    assert (first.zone, first.weight_grams) == ("same_province", 3000)
    standard = next(option for option in first.options if option.service == "standard")
    assert standard.quote is not None
    assert standard.quote.price_vnd == 38000  # the price checkout charges (test_shipping)
    slow = by_seller[seller_key_of(fragile)]
    assert slow.zone == "far_region"
    refused = {option.service: option.refusal for option in slow.options if option.quote is None}
    assert "chỉ giữ được 2 ngày" in refused["standard"]
    assert slow.cheapest is not None
    assert slow.cheapest.service != "standard"
    by_count = by_seller[seller_key_of(counted)]
    assert "cần khối lượng" in by_count.refusal
    assert by_count.options == []


def test_the_buyer_chooses_a_service_per_seller_at_checkout(admin_units, rates):
    first = on_sale(current_commune("79", 2), price_vnd=30000)
    second = on_sale(current_commune("01"))
    checkout = place(buyer(), (first, 3), (second, 2), shipping_service=None)
    assert {order.shipping_vnd for order in checkout.orders.all()} == {0}
    from nongsan.orders import services

    chosen = services.checkout_place(
        buyer=buyer(),
        lines=[
            services.CheckoutLine(listing_id=first.pk, quantity=Decimal(3)),
            services.CheckoutLine(listing_id=second.pk, quantity=Decimal(2)),
        ],
        buyer_name="Trần Thị Mua",
        buyer_phone="0987654321",
        delivery_address="Số 5",
        delivery_commune=current_commune("79"),
        payment_method="cod",
        shipping_by_seller={seller_key_of(first): "standard"},
    )
    orders = {order.household_id: order for order in chosen.orders.all()}
    assert orders[first.household_id].shipping_vnd == 38000
    assert orders[first.household_id].shipping_service == "standard"
    assert orders[second.household_id].shipping_vnd == 0
    assert orders[second.household_id].shipping_service == ""


def _checkout_data(commune, **extra):
    province = commune.province
    assert province is not None
    return {
        "buyer_name": "Trần Thị Mua",
        "buyer_phone": "0987654321",
        "delivery_address": f"Số 5, {commune.name}, {province.name}",
        "delivery_commune": commune.pk,
        "payment_method": "cod",
        **extra,
    }


def test_the_checkout_page_shows_the_quotes_then_charges_the_chosen_one(client, admin_units, rates):
    row = on_sale(current_commune("79", 2), price_vnd=30000)
    client.force_login(buyer())
    client.post(reverse("orders:cart-add"), {"listing": row.pk, "quantity": "3"})
    commune = current_commune("79")
    page = client.post(reverse("orders:checkout"), _checkout_data(commune, quote="1"))
    text = page.content.decode()
    field = f"shipping_household_{row.household_id}"
    assert page.status_code == 200
    assert f'name="{field}" value="standard"' in text
    assert "38.000" in text
    assert "Cùng tỉnh, thành phố" in text
    assert not Order.objects.exists()
    client.post(reverse("orders:checkout"), _checkout_data(commune, **{field: "express"}))
    order = Order.objects.get()
    assert order.shipping_service == "express"
    assert order.shipping_vnd > 38000


def test_a_tampered_service_choice_is_ignored(client, admin_units, rates):
    row = on_sale(current_commune("79", 2))
    client.force_login(buyer())
    client.post(reverse("orders:cart-add"), {"listing": row.pk, "quantity": "3"})
    field = f"shipping_household_{row.household_id}"
    client.post(
        reverse("orders:checkout"), _checkout_data(current_commune("79"), **{field: "rocket"})
    )
    assert Order.objects.get().shipping_vnd == 0


def test_the_seller_sees_the_share_of_the_order_that_pays_shipping(client, admin_units, rates):
    row = on_sale(current_commune("79", 2), price_vnd=30000)
    order = place(buyer(), (row, 3), shipping_service="standard").orders.get()
    assert order.shipping_share_percent == Decimal("29.7")  # 38.000 of 128.000
    seller = make_user()
    Household.objects.filter(listings=row).update(user=seller)
    client.force_login(seller)
    page = client.get(reverse("orders:order", args=[order.pk])).content.decode()
    assert "29,7% giá trị đơn là phí vận chuyển" in page


def test_the_quote_api_answers_per_seller(client, admin_units, rates):
    row = on_sale(current_commune("79", 2))
    commune = current_commune("79")
    answer = client.post(
        reverse("api-shipping-quote"),
        {"delivery_commune": commune.code, "lines": [{"listing": row.pk, "quantity": "3"}]},
        content_type="application/json",
    )
    assert answer.status_code == 200
    seller = answer.json()["sellers"][0]
    assert (seller["seller_kind"], seller["seller_id"]) == ("household", row.household_id)
    assert seller["weight_grams"] == 3000
    standard = next(option for option in seller["options"] if option["service"] == "standard")
    assert standard["price_vnd"] == 38000


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"delivery_commune": "99999", "lines": [{"listing": 1, "quantity": "1"}]}, "xã"),
        ({"delivery_commune": "COMMUNE", "lines": [{"listing": 1, "quantity": "-1"}]}, "lớn hơn 0"),
        (
            {"delivery_commune": "COMMUNE", "lines": [{"listing": 999999, "quantity": "1"}]},
            "không còn bán",
        ),
        ({"delivery_commune": "COMMUNE", "lines": []}, "không hợp lệ"),
        ({"lines": "rubbish"}, "không hợp lệ"),
    ],
)
def test_the_quote_api_refuses_bad_input_in_vietnamese(client, admin_units, rates, body, message):
    if body.get("delivery_commune") == "COMMUNE":
        body["delivery_commune"] = current_commune("79").code
    answer = client.post(reverse("api-shipping-quote"), body, content_type="application/json")
    assert answer.status_code == 400
    assert message in answer.json()["detail"]
