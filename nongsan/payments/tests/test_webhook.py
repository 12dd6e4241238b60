"""The payment webhook: only signed, fresh notices count; nothing is credited twice."""

from __future__ import annotations

import json
import time

import pytest

from nongsan.orders.models import PaymentStatus
from nongsan.orders.tests.factories import on_sale, placed_order
from nongsan.payments.models import BankNotification, NotificationOutcome
from nongsan.payments.selectors import notifications_to_reconcile
from nongsan.payments.services import reference_in
from nongsan.payments.webhook import sign
from nongsan.producers.models import Household

pytestmark = pytest.mark.django_db

SECRET = "bi-mat-thu-nghiem"
URL = "/api/v1/payments/webhook/"


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.PAYMENTS_WEBHOOK_SECRET = SECRET


def _vietqr_order():
    row = on_sale()
    Household.objects.filter(listings=row).update(
        bank_bin="970405", bank_account_number="1234567890", bank_account_holder="NGUYEN VAN A"
    )
    return placed_order(row, quantity=2, payment_method="vietqr")


def _post(client, payload, *, timestamp=None, secret=SECRET, signature=None):
    body = json.dumps(payload).encode()
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return client.post(
        URL,
        data=body,
        content_type="application/json",
        headers={
            "X-Nongsan-Timestamp": stamp,
            "X-Nongsan-Signature": signature or sign(secret, stamp, body),
        },
    )


def _notice(order, **fields):
    return {
        "id": "GD-1",
        "amount": order.total_vnd,
        "description": f"MBVCB.123 {order.reference} chuyen tien",
        **fields,
    }


def test_a_signed_notice_for_the_right_amount_pays_the_order(client, admin_units):
    order = _vietqr_order()
    answer = _post(client, _notice(order))
    assert answer.status_code == 200
    assert answer.json() == {"outcome": "credited", "duplicate": False}
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PAID
    assert not notifications_to_reconcile().exists()


def test_a_repeated_notice_is_answered_but_not_credited_twice(client, admin_units):
    order = _vietqr_order()
    _post(client, _notice(order))
    again = _post(client, _notice(order))
    assert again.json() == {"outcome": "credited", "duplicate": True}
    assert BankNotification.objects.count() == 1


def test_a_second_transfer_for_a_paid_order_waits_for_reconciliation(client, admin_units):
    order = _vietqr_order()
    _post(client, _notice(order))
    answer = _post(client, _notice(order, id="GD-2"))
    assert answer.json()["outcome"] == NotificationOutcome.ALREADY_PAID
    assert list(notifications_to_reconcile().values_list("notification_id", flat=True)) == ["GD-2"]


def test_a_wrong_amount_credits_nothing_and_is_kept_for_staff(client, admin_units):
    order = _vietqr_order()
    answer = _post(client, _notice(order, amount=order.total_vnd - 1000))
    assert answer.json()["outcome"] == NotificationOutcome.AMOUNT_MISMATCH
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.UNPAID
    assert notifications_to_reconcile().get().order == order


def test_an_unknown_reference_is_kept_for_staff(client, admin_units):
    answer = _post(client, {"id": "GD-9", "amount": 50000, "description": "tien hang"})
    assert answer.json()["outcome"] == NotificationOutcome.UNKNOWN_REFERENCE
    assert notifications_to_reconcile().get().order is None


def test_a_bad_signature_is_refused_and_nothing_recorded(client, admin_units):
    order = _vietqr_order()
    answer = _post(client, _notice(order), secret="khoa-khac")
    assert answer.status_code == 401
    assert "Chữ ký không đúng" in answer.json()["detail"]
    assert not BankNotification.objects.exists()


def test_a_stale_notice_is_refused(client, admin_units):
    order = _vietqr_order()
    answer = _post(client, _notice(order), timestamp=int(time.time()) - 600)
    assert answer.status_code == 401
    assert not BankNotification.objects.exists()


def test_a_missing_signature_is_refused(client):
    answer = client.post(URL, data=b"{}", content_type="application/json")
    assert answer.status_code == 401


def test_a_malformed_notice_is_refused_in_vietnamese(client):
    answer = _post(client, {"id": "GD-1", "amount": "nhiều", "description": "x"})
    assert answer.status_code == 400
    assert "số nguyên đồng" in answer.json()["detail"]


def test_without_a_secret_the_webhook_refuses_everything(client, settings):
    settings.PAYMENTS_WEBHOOK_SECRET = ""
    assert _post(client, {"id": "x", "amount": 1, "description": ""}).status_code == 503


@pytest.mark.parametrize(
    ("description", "reference"),
    [
        ("DHABCD2345", "DHABCD2345"),
        ("mbvcb 123 dh abcd2345 ck", "DHABCD2345"),
        ("khong co ma", ""),
    ],
)
def test_the_reference_is_found_in_what_banks_write(description, reference):
    assert reference_in(description) == reference
