"""The order pages: cart for guests and buyers, checkout, the order with its timeline."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nongsan.orders.models import CartItem, Order, OrderStatus
from nongsan.orders.tests.factories import buyer, on_sale, placed_order
from nongsan.producers.models import Household
from nongsan.producers.tests.factories import current_commune, make_user

pytestmark = pytest.mark.django_db


def _add(client, row, quantity="2"):
    return client.post(reverse("orders:cart-add"), {"listing": row.pk, "quantity": quantity})


def test_a_guest_cart_lives_in_the_session_and_groups_sellers(client, admin_units):
    first, second = on_sale(title="Vải Lục Ngạn"), on_sale(title="Bưởi Diễn")
    _add(client, first)
    _add(client, second, "1,5")
    page = client.get(reverse("orders:cart")).content.decode()
    assert "Vải Lục Ngạn" in page
    assert "Bưởi Diễn" in page
    assert page.count('class="card stack order-seller"') == 2
    assert not CartItem.objects.exists()


def test_a_guest_cart_joins_the_account_on_sign_in(client, admin_units):
    row = on_sale()
    _add(client, row)
    who = buyer()
    client.force_login(who)
    client.get(reverse("orders:cart"))
    assert CartItem.objects.get(user=who).listing == row


def test_a_bad_quantity_is_refused_in_vietnamese(client, admin_units):
    answer = _add(client, on_sale(), "nhiều")
    assert answer.status_code == 302
    page = client.get(reverse("orders:cart")).content.decode()
    assert "Số lượng phải là một số" in page


def test_checkout_page_places_the_orders_from_a_written_address(client, admin_units):
    first, second = on_sale(), on_sale(current_commune("01", 3))
    who = buyer()
    client.force_login(who)
    _add(client, first)
    _add(client, second)
    commune = current_commune("79")
    province = commune.province
    assert province is not None
    answer = client.post(
        reverse("orders:checkout"),
        {
            "buyer_name": "Trần Thị Mua",
            "buyer_phone": "0987654321",
            "delivery_address": f"Số 5, {commune.name}, {province.name}",
            "delivery_commune": commune.pk,
            "payment_method": "cod",
        },
    )
    assert answer.status_code == 302
    assert Order.objects.filter(buyer=who).count() == 2
    assert set(Order.objects.values_list("delivery_commune", flat=True)) == {commune.pk}
    assert not CartItem.objects.filter(user=who).exists()


def test_the_checkout_page_needs_a_sign_in(client, admin_units):
    _add(client, on_sale())
    assert client.get(reverse("orders:checkout")).status_code == 302


def test_the_seller_sees_the_timeline_and_can_confirm(client, admin_units):
    order = placed_order()
    seller = make_user()
    Household.objects.filter(orders=order).update(user=seller)
    client.force_login(seller)
    page = client.get(reverse("orders:order", args=[order.pk])).content.decode()
    assert order.reference in page
    assert 'value="confirmed"' in page
    assert 'class="timeline"' in page
    client.post(reverse("orders:order-status", args=[order.pk]), {"status": "confirmed"})
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED


def test_the_buyer_cannot_confirm_from_the_page(client, admin_units):
    order = placed_order()
    client.force_login(order.buyer)
    page = client.get(reverse("orders:order", args=[order.pk])).content.decode()
    assert 'value="confirmed"' not in page
    assert 'value="cancelled"' in page


def test_a_vietqr_order_shows_the_payment_qr(client, admin_units):
    row = on_sale()
    Household.objects.filter(listings=row).update(
        bank_bin="970405", bank_account_number="1234567890", bank_account_holder="NGUYEN VAN A"
    )
    order = placed_order(row, payment_method="vietqr")
    client.force_login(order.buyer)
    page = client.get(reverse("orders:order", args=[order.pk])).content.decode()
    assert "<svg" in page
    assert "<script" not in page.split("<main")[-1]


def test_another_persons_order_page_is_not_found(client, admin_units):
    order = placed_order()
    client.force_login(buyer())
    assert client.get(reverse("orders:order", args=[order.pk])).status_code == 404


def test_my_orders_page_costs_the_same_queries_for_more_orders(
    client, admin_units, django_assert_max_num_queries
):
    who = buyer()
    placed_order(who=who)
    client.force_login(who)
    with django_assert_max_num_queries(12):
        client.get(reverse("orders:mine"))
    for _ in range(5):
        placed_order(who=who)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("orders:mine")).content.decode()
    assert page.count('class="card"') == 6


def test_my_orders_come_a_page_at_a_time_and_none_is_lost(client, admin_units, monkeypatch):
    from nongsan.orders import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    who = buyer()
    references = {placed_order(who=who).reference for _ in range(3)}
    client.force_login(who)
    first = client.get(reverse("orders:mine")).content.decode()
    assert first.count('class="card"') == 2
    assert "?page=2" in first
    second = client.get(reverse("orders:mine") + "?page=2").content.decode()
    assert second.count('class="card"') == 1
    assert "?page=1" in second
    assert {ref for ref in references if ref in first + second} == references
    assert client.get(reverse("orders:mine") + "?page=abc").status_code == 200


def _checkout(client):
    commune = current_commune("79")
    assert commune.province is not None
    return client.post(
        reverse("orders:checkout"),
        {
            "buyer_name": "Trần Thị Mua",
            "buyer_phone": "0987654321",
            "delivery_address": f"Số 5, {commune.name}, {commune.province.name}",
            "delivery_commune": commune.pk,
            "payment_method": "cod",
        },
    )


def test_a_listing_paused_after_it_went_in_the_cart_is_refused_not_dropped(client, admin_units):
    from nongsan.catalog.models import Listing, ListingStatus

    kept, paused = on_sale(title="Vải Lục Ngạn"), on_sale(title="Bưởi Diễn")
    who = buyer()
    client.force_login(who)
    _add(client, kept)
    _add(client, paused)
    Listing.objects.filter(pk=paused.pk).update(status=ListingStatus.PAUSED)
    cart_page = client.get(reverse("orders:cart")).content.decode()
    assert "“Bưởi Diễn” đang tạm ngừng bán." in cart_page
    answer = _checkout(client)
    assert answer.status_code == 200
    assert "“Bưởi Diễn” đang tạm ngừng bán." in answer.content.decode()
    assert not Order.objects.exists()
    assert CartItem.objects.filter(user=who).count() == 2
    client.post(reverse("orders:cart-add"), {"listing": paused.pk, "quantity": "0", "remove": "1"})
    assert list(CartItem.objects.filter(user=who).values_list("listing", flat=True)) == [kept.pk]
    assert _checkout(client).status_code == 302
    assert Order.objects.filter(buyer=who).count() == 1


def test_the_cart_says_a_sold_out_line_is_sold_out_in_english_too(client, admin_units):
    from nongsan.catalog.models import Listing, ListingStatus

    row = on_sale(title="Bưởi Diễn")
    _add(client, row)
    Listing.objects.filter(pk=row.pk).update(status=ListingStatus.SOLD_OUT, stock_quantity=0)
    page = client.get(reverse("orders:cart"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "“Bưởi Diễn” is sold out." in page
