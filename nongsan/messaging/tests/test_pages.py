"""The outbox page: staff only, newest first, filtered, paginated, bodies only of local messages."""

from __future__ import annotations

import datetime
import re

import factory
import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from nongsan.messaging.models import Status
from nongsan.messaging.tests.factories import OutboundMessageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("nongsan.messaging.tests.urls")]

PHONE = "+84912345678"
SMS_BACKEND = "nongsan.messaging.backends.sms.HttpSmsBackend"


def _rows(response) -> list[str]:
    return re.findall(r'<tr data-message="(\d+)">', response.content.decode())


def _outbox() -> str:
    return reverse("messaging:outbox")


def test_the_outbox_lives_at_tin_nhan():
    assert _outbox() == "/tin-nhan/"


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    OutboundMessageFactory.create(body="Mã: 482913")
    response = client.get(_outbox() + "?phone=0912345678")
    assert response.status_code == 302
    assert response["Location"] == (
        f"{resolve_url(settings.LOGIN_URL)}?next=/tin-nhan/%3Fphone%3D0912345678"
    )


def test_a_signed_in_person_who_is_not_staff_gets_403_without_any_message(client, plain_user):
    OutboundMessageFactory.create(body="Mã: 482913")
    client.force_login(plain_user)
    response = client.get(_outbox())
    assert response.status_code == 403
    assert "Bạn không có quyền xem trang này" in response.content.decode()
    assert "482913" not in response.content.decode()


def test_staff_see_messages_newest_first_with_their_code(client, staff_user):
    now = timezone.now()
    older = OutboundMessageFactory.create(recipient=PHONE, body="Mã cũ: 111111", created_at=now)
    newer = OutboundMessageFactory.create(
        recipient=PHONE, body="Mã mới: 222222", created_at=now + datetime.timedelta(seconds=1)
    )
    client.force_login(staff_user)
    response = client.get(_outbox())
    content = response.content.decode()

    assert response.status_code == 200
    assert _rows(response) == [str(newer.pk), str(older.pk)]
    assert "Mã mới: 222222" in content
    assert "+84912345678" in content
    assert "no-store" in response["Cache-Control"]
    assert '<link rel="stylesheet"' in content  # the page shell of base.html


def test_a_message_sent_through_a_real_gateway_shows_status_but_not_body(client, staff_user):
    OutboundMessageFactory.create(
        recipient=PHONE,
        body="Mã thật: 935172",
        backend=SMS_BACKEND,
        status=Status.FAILED,
        sent_at=None,
        error="HTTP 401 Unauthorized",
    )
    client.force_login(staff_user)
    content = client.get(_outbox()).content.decode()

    assert "935172" not in content
    assert "+84912345678" not in content
    assert "+84912•••678" in content
    assert "HTTP 401 Unauthorized" in content
    assert "Gửi lỗi" in content


def test_staff_filter_by_phone_however_written_and_by_purpose(client, staff_user):
    wanted = OutboundMessageFactory.create(recipient=PHONE, purpose="password_reset_code")
    OutboundMessageFactory.create(recipient=PHONE, purpose="sign_up_code")
    OutboundMessageFactory.create(recipient="+84987654321", purpose="password_reset_code")
    client.force_login(staff_user)

    response = client.get(_outbox(), {"phone": "0912 345 678", "purpose": "password_reset_code"})

    assert response.status_code == 200
    assert _rows(response) == [str(wanted.pk)]
    assert 'value="0912 345 678"' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"phone": "12ab"}, "Số điện thoại chỉ gồm chữ số"),
        ({"phone": "a@b"}, "Nhập một địa chỉ email hợp lệ"),
        ({"purpose": "Đăng ký"}, "Mục đích chỉ gồm chữ thường không dấu"),
        ({"purpose": "x" * 41}, "40"),
    ],
)
def test_a_bad_filter_answers_400_with_the_reason(client, staff_user, query, error):
    OutboundMessageFactory.create(recipient=PHONE)
    client.force_login(staff_user)
    response = client.get(_outbox(), query)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert _rows(response) == []


def test_the_outbox_pages_by_fifty_and_keeps_the_filter(client, staff_user):
    start = timezone.now()
    OutboundMessageFactory.create_batch(
        51,
        recipient=PHONE,
        created_at=factory.Sequence(lambda number: start + datetime.timedelta(seconds=number)),
    )
    client.force_login(staff_user)

    first = client.get(_outbox(), {"phone": PHONE})
    second = client.get(_outbox(), {"phone": PHONE, "page": 2})

    assert len(_rows(first)) == 50
    assert len(_rows(second)) == 1
    assert "phone=%2B84912345678&amp;page=2" in first.content.decode()
    assert set(_rows(first)).isdisjoint(_rows(second))


@pytest.mark.parametrize("page", ["abc", "999", "-1"])
def test_a_page_number_out_of_range_shows_a_page_instead_of_failing(client, staff_user, page):
    OutboundMessageFactory.create()
    client.force_login(staff_user)
    response = client.get(_outbox(), {"page": page})
    assert response.status_code == 200
    assert len(_rows(response)) == 1


def test_the_outbox_says_when_nothing_was_sent(client, staff_user):
    client.force_login(staff_user)
    assert "Chưa có tin nhắn nào." in client.get(_outbox()).content.decode()


def test_a_page_of_fifty_costs_the_same_queries_as_a_page_of_one(
    client, staff_user, django_assert_max_num_queries
):
    client.force_login(staff_user)
    OutboundMessageFactory.create()
    with django_assert_max_num_queries(4) as small:
        client.get(_outbox())
    OutboundMessageFactory.create_batch(60)
    with django_assert_max_num_queries(4) as large:
        response = client.get(_outbox())
    assert len(_rows(response)) == 50
    assert len(large.captured_queries) == len(small.captured_queries)
