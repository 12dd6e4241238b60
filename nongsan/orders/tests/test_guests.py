"""Guest checkout: a phone confirmed by a one-time code, one checkout per confirmation, the
orders seen through a signed link; wrong, expired and abused codes refused."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from nongsan.accounts.models import OneTimeCode
from nongsan.messaging.models import OutboundMessage
from nongsan.orders import guests
from nongsan.orders.models import Order
from nongsan.orders.tests.factories import buyer, on_sale, place
from nongsan.producers.tests.factories import current_commune

pytestmark = pytest.mark.django_db

PHONE = "0987654321"
NORMALIZED = "+84987654321"


def _code() -> str:
    message = OutboundMessage.objects.filter(purpose="guest_checkout_code").latest("pk")
    return str(message.template_data["otp"])


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_a_code_is_sent_through_the_message_sender_and_confirms_the_phone(admin_units):
    assert guests.guest_code_send(phone=PHONE, ip="10.0.0.1") == NORMALIZED
    message = OutboundMessage.objects.get(purpose="guest_checkout_code")
    assert message.recipient == NORMALIZED
    assert _code() in message.body
    confirmation = guests.guest_phone_confirm(phone=PHONE, code=_code())
    assert guests.confirmed_phone(confirmation) == NORMALIZED
    with pytest.raises(ValidationError, match="đã được dùng"):
        guests.guest_phone_confirm(phone=PHONE, code=_code())


def test_a_wrong_code_is_counted_and_the_fifth_kills_it(admin_units):
    guests.guest_code_send(phone=PHONE, ip=None)
    code = _code()
    for left in (4, 3, 2, 1):
        with pytest.raises(ValidationError, match=f"còn {left} lần"):
            guests.guest_phone_confirm(phone=PHONE, code=_wrong(code))
    with pytest.raises(ValidationError, match="quá nhiều lần"):
        guests.guest_phone_confirm(phone=PHONE, code=_wrong(code))
    with pytest.raises(ValidationError, match="hết hạn"):
        guests.guest_phone_confirm(phone=PHONE, code=code)


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_a_malformed_code_is_refused_without_counting(admin_units, code):
    guests.guest_code_send(phone=PHONE, ip=None)
    with pytest.raises(ValidationError, match="6 chữ số"):
        guests.guest_phone_confirm(phone=PHONE, code=code)
    assert OneTimeCode.objects.get().failed_attempts == 0


def test_an_expired_code_is_refused(admin_units):
    now = timezone.now()
    guests.guest_code_send(phone=PHONE, ip=None, now=now)
    with pytest.raises(ValidationError, match="hết hạn"):
        guests.guest_phone_confirm(
            phone=PHONE, code=_code(), now=now + datetime.timedelta(minutes=11)
        )


def test_asking_for_codes_too_often_is_refused_per_phone_and_per_network(admin_units):
    now = timezone.now()
    guests.guest_code_send(phone=PHONE, ip="10.0.0.9", now=now)
    with pytest.raises(ValidationError, match="quá nhiều lần"):
        guests.guest_code_send(phone=PHONE, ip="10.0.0.9", now=now)
    for number in range(19):
        guests.guest_code_send(phone=f"09123450{number:02d}", ip="10.0.0.9", now=now)
    with pytest.raises(ValidationError, match="mạng này"):
        guests.guest_code_send(phone="0912999999", ip="10.0.0.9", now=now)
    assert OneTimeCode.objects.count() == 20


def test_a_bad_phone_is_refused_in_vietnamese(admin_units):
    with pytest.raises(ValidationError):
        guests.guest_code_send(phone="12ab", ip=None)
    assert not OutboundMessage.objects.exists()


@pytest.mark.parametrize(
    "confirmation",
    [
        None,
        "+84987654321",
        {"phone": "+84987654321"},
        {"phone": "xyz", "confirmed_at": "2026-01-01T00:00:00+00:00"},
        {"phone": "+84987654321", "confirmed_at": "not a time"},
        {"phone": "+84987654321", "confirmed_at": "2026-01-01T00:00:00"},
    ],
)
def test_a_missing_or_altered_confirmation_confirms_nothing(confirmation):
    assert guests.confirmed_phone(confirmation) is None


def test_a_confirmation_lasts_thirty_minutes():
    now = timezone.now()
    confirmation = {"phone": NORMALIZED, "confirmed_at": now.isoformat()}
    assert guests.confirmed_phone(confirmation, now=now + datetime.timedelta(minutes=29))
    assert guests.confirmed_phone(confirmation, now=now + datetime.timedelta(minutes=31)) is None


def test_a_link_names_only_its_guest_checkout(admin_units):
    checkout = place(None, (on_sale(), 2))
    token = guests.guest_link_token(checkout)
    assert guests.guest_checkout_from_token(token) == checkout
    assert guests.guest_checkout_from_token(token[:-2] + "xx") is None
    assert guests.guest_checkout_from_token("rubbish") is None
    member = buyer()
    signed_in = place(member, (on_sale(), 1))
    assert guests.guest_checkout_from_token(guests.guest_link_token(signed_in)) is None


def _add(client, row):
    client.post(reverse("orders:cart-add"), {"listing": row.pk, "quantity": "2"})


def test_a_guest_confirms_the_phone_checks_out_and_follows_the_link(client, admin_units):
    first, second = on_sale(), on_sale(current_commune("01", 3))
    _add(client, first)
    _add(client, second)
    assert client.get(reverse("orders:guest-checkout")).url == reverse("orders:guest-start")
    client.post(reverse("orders:guest-start"), {"send": "1", "phone": PHONE})
    wrong = client.post(reverse("orders:guest-start"), {"verify": "1", "code": _wrong(_code())})
    assert wrong.status_code == 400
    assert "Mã không đúng" in wrong.content.decode()
    answer = client.post(reverse("orders:guest-start"), {"verify": "1", "code": _code()})
    assert answer.url == reverse("orders:guest-checkout")
    commune = current_commune("79")
    province = commune.province
    assert province is not None
    placed = client.post(
        reverse("orders:guest-checkout"),
        {
            "buyer_name": "Khách Lẻ",
            "buyer_phone": "0911111111",  # ignored: the confirmed phone is used
            "delivery_address": f"Số 5, {commune.name}, {province.name}",
            "delivery_commune": commune.pk,
            "payment_method": "cod",
        },
    )
    orders = Order.objects.filter(buyer__isnull=True)
    assert orders.count() == 2
    assert set(orders.values_list("buyer_phone", flat=True)) == {NORMALIZED}
    link = placed.url
    assert link.startswith("/don-hang/khach/")
    sms = OutboundMessage.objects.get(purpose="guest_orders_link")
    assert link in sms.body
    assert sms.recipient == NORMALIZED
    page = client.get(link)
    assert page["Referrer-Policy"] == "no-referrer"
    for order in orders:
        assert order.reference in page.content.decode()
    # The confirmation was spent on that checkout; the link works in another browser.
    assert client.get(reverse("orders:guest-checkout")).status_code == 302
    client.logout()
    assert client.get(link).status_code == 200
    assert client.get(link[:-3] + "abc/").status_code == 404


def test_a_signed_in_buyer_is_sent_to_the_normal_checkout(client, admin_units):
    client.force_login(buyer())
    assert client.get(reverse("orders:guest-start")).url == reverse("orders:checkout")
