"""Checkout: one order per seller, stock reserved at once, everything refused together."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nongsan.audit.models import AuditEntry
from nongsan.catalog.models import Listing, ListingStatus
from nongsan.messaging.models import OutboundMessage
from nongsan.orders import services
from nongsan.orders.models import (
    Checkout,
    Order,
    OrderEvent,
    OrderStatus,
    ReservationStatus,
    StockReservation,
)
from nongsan.orders.tests.factories import buyer, on_sale, place
from nongsan.producers.tests.factories import current_commune

pytestmark = pytest.mark.django_db


def test_checkout_makes_one_order_per_seller_with_the_sellers_area(admin_units):
    first = on_sale(current_commune("01"), price_vnd=40000)
    second = on_sale(current_commune("01", 1), price_vnd=25000)
    also_first = on_sale(seller=first.household, price_vnd=10000)
    who = buyer()

    checkout = place(who, (first, 2), (second, "1.5"), (also_first, 3))

    orders = {order.household_id: order for order in checkout.orders.all()}
    assert set(orders) == {first.household_id, second.household_id}
    mine = orders[first.household_id]
    assert (mine.goods_vnd, mine.total_vnd) == (110000, 110000)
    assert (mine.province_id, mine.commune_id) == (first.province_id, first.commune_id)
    assert mine.delivery_commune == current_commune("79")
    assert mine.status == OrderStatus.PLACED
    assert orders[second.household_id].goods_vnd == 37500
    assert mine.reference.startswith("DH")
    assert len(mine.reference) == 10


def test_checkout_takes_the_stock_off_the_listing_and_holds_it(admin_units):
    row = on_sale(stock_quantity=10)
    order = place(buyer(), (row, 4)).orders.get()
    row.refresh_from_db()
    assert row.stock_quantity == Decimal(6)
    reservation = StockReservation.objects.get(order=order)
    assert (reservation.quantity, reservation.status) == (Decimal(4), ReservationStatus.HELD)


def test_buying_the_last_units_marks_the_listing_sold_out(admin_units):
    row = on_sale(stock_quantity=3)
    place(buyer(), (row, 3))
    row.refresh_from_db()
    assert (row.stock_quantity, row.status) == (0, ListingStatus.SOLD_OUT)


def test_checkout_refuses_more_than_stock_and_writes_nothing(admin_units):
    plenty = on_sale(stock_quantity=100)
    scarce = on_sale(stock_quantity=2, title="Bưởi da xanh")
    with pytest.raises(ValidationError) as raised:
        place(buyer(), (plenty, 5), (scarce, 3))
    assert "“Bưởi da xanh” chỉ còn 2 kg." in raised.value.message_dict["lines"]
    assert not Checkout.objects.exists()
    assert not Order.objects.exists()
    plenty.refresh_from_db()
    assert plenty.stock_quantity == 100


def test_checkout_refuses_less_than_the_minimum_order(admin_units):
    row = on_sale(minimum_order_quantity=5)
    with pytest.raises(ValidationError, match="mua tối thiểu 5 kg"):
        place(buyer(), (row, 2))


def test_checkout_refuses_a_paused_listing_as_paused_not_sold_out(admin_units):
    paused = on_sale(title="Vải thiều")
    Listing.objects.filter(pk=paused.pk).update(status=ListingStatus.PAUSED)
    with pytest.raises(ValidationError) as raised:
        place(buyer(), (paused, 1))
    assert raised.value.message_dict["lines"] == ["“Vải thiều” đang tạm ngừng bán."]


def test_checkout_refuses_a_sold_out_listing_as_sold_out(admin_units):
    row = on_sale(stock_quantity=2, title="Bưởi Diễn")
    place(buyer(), (row, 2))
    with pytest.raises(ValidationError) as raised:
        place(buyer(), (row, 1))
    assert raised.value.message_dict["lines"] == ["“Bưởi Diễn” đã hết hàng."]


def test_a_listing_paused_while_the_checkout_reads_is_refused_as_paused(admin_units):
    """Paused between the read and the stock update: the conditional update refuses it, and
    the buyer is told it is paused, not that it has "0 kg left"."""
    from unittest import mock

    from nongsan.orders import services

    row = on_sale(title="Xoài cát")
    taking = services._stock_take

    def pause_first(listings, wanted, now):
        Listing.objects.filter(pk=row.pk).update(status=ListingStatus.PAUSED)
        return taking(listings, wanted, now)

    with (
        mock.patch.object(services, "_stock_take", pause_first),
        pytest.raises(ValidationError) as raised,
    ):
        place(buyer(), (row, 1))
    assert raised.value.message_dict["lines"] == ["“Xoài cát” đang tạm ngừng bán."]
    assert not Order.objects.exists()


def test_checkout_refuses_a_listing_gone_from_sale(admin_units):
    row = on_sale(title="Na Chi Lăng")
    Listing.objects.filter(pk=row.pk).update(status=ListingStatus.EXPIRED)
    with pytest.raises(ValidationError, match="“Na Chi Lăng” không còn bán"):
        place(buyer(), (row, 1))


def test_checkout_uses_the_price_tier_the_quantity_reaches(admin_units):
    row = on_sale(
        price_vnd=45000,
        stock_quantity=500,
        price_tiers=[
            {"min_quantity": "50", "price_vnd": "38000"},
            {"min_quantity": "100", "price_vnd": "35000"},
        ],
    )
    assert place(buyer(), (row, 60)).orders.get().goods_vnd == 60 * 38000


def test_checkout_records_the_timeline_the_audit_and_tells_the_seller(admin_units):
    row = on_sale()
    who = buyer()
    order = place(who, (row, 1)).orders.get()
    event = OrderEvent.objects.get(order=order)
    assert (event.to_status, event.actor, event.actor_role) == ("placed", who, "buyer")
    assert AuditEntry.objects.filter(action="orders.order_place", target_id=str(order.pk)).exists()
    assert row.household is not None
    message = OutboundMessage.objects.get(purpose="order_placed")
    assert message.recipient == row.household.phone
    assert order.reference in message.body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("buyer_name", "  ", "Vui lòng nhập tên người nhận."),
        ("buyer_phone", "0912", "Số điện thoại"),
        ("delivery_address", "", "Vui lòng nhập địa chỉ nhận hàng"),
        ("payment_method", "bitcoin", "Vui lòng chọn cách thanh toán"),
    ],
)
def test_checkout_refuses_bad_contact_details_in_vietnamese(admin_units, field, value, message):
    row = on_sale()
    arguments: dict[str, Any] = {
        "buyer": None,
        "lines": [services.CheckoutLine(listing_id=row.pk, quantity=Decimal(1))],
        "buyer_name": "Lê Văn Mua",
        "buyer_phone": "0987654321",
        "delivery_address": "Số 1",
        "delivery_commune": current_commune("79"),
        "payment_method": "cod",
    }
    arguments[field] = value
    with pytest.raises(ValidationError) as raised:
        services.checkout_place(**arguments)
    assert any(message in text for text in raised.value.message_dict[field])
    assert not Order.objects.exists()


def test_checkout_refuses_an_old_commune(admin_units):
    from nongsan.geo.models import AdministrativeUnit

    old = AdministrativeUnit.objects.filter(level="commune", valid_until__isnull=False)[0]
    row = on_sale()
    with pytest.raises(ValidationError, match="xã, phường hiện hành"):
        services.checkout_place(
            buyer=None,
            lines=[services.CheckoutLine(listing_id=row.pk, quantity=Decimal(1))],
            buyer_name="Lê Văn Mua",
            buyer_phone="0987654321",
            delivery_address="Số 1",
            delivery_commune=old,
            payment_method="cod",
        )


def test_an_empty_cart_cannot_check_out(admin_units):
    with pytest.raises(ValidationError, match="Giỏ hàng đang trống"):
        place(buyer())


def test_vietqr_checkout_needs_a_seller_bank_account(admin_units):
    row = on_sale()
    with pytest.raises(ValidationError, match="chưa có tài khoản ngân hàng"):
        place(buyer(), (row, 1), payment_method="vietqr")


@pytest.mark.parametrize(
    ("text", "expected"), [("2", "2.000"), ("1,5", "1.500"), (" 0.25 ", "0.250")]
)
def test_parse_quantity_reads_what_phones_send(text, expected):
    assert services.parse_quantity(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "0", "-1", "1.2345", "NaN", "1e12"])
def test_parse_quantity_refuses_nonsense(text):
    with pytest.raises(ValidationError):
        services.parse_quantity(text)


def test_a_reservation_expires_and_gives_the_stock_back(admin_units):
    row = on_sale(stock_quantity=5)
    placed_at = timezone.now()
    order = place(buyer(), (row, 5), now=placed_at).orders.get()
    assert services.reservations_expire(now=placed_at + datetime.timedelta(hours=1)) == 0
    assert services.reservations_expire(now=placed_at + datetime.timedelta(hours=25)) == 1
    order.refresh_from_db()
    row.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert (row.stock_quantity, row.status) == (5, ListingStatus.ACTIVE)
    assert StockReservation.objects.get(order=order).status == ReservationStatus.RELEASED
    assert services.reservations_expire(now=placed_at + datetime.timedelta(hours=26)) == 0


def test_a_seller_phone_sms_cannot_reach_does_not_stop_the_order(admin_units):
    from nongsan.producers.models import Household

    row = on_sale()
    Household.objects.filter(listings=row).update(phone="+84895337305")
    assert place(buyer(), (row, 1)).orders.count() == 1
    assert not OutboundMessage.objects.filter(purpose="order_placed").exists()
