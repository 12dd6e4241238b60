"""show_messages and purge_messages."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from nongsan.messaging.models import OutboundMessage, Status
from nongsan.messaging.tests.factories import OutboundMessageFactory

pytestmark = pytest.mark.django_db

PHONE = "+84912345678"
# 08:05 UTC is 15:05 in Vietnam (UTC+7).
MOMENT = datetime.datetime(2026, 11, 23, 8, 5, tzinfo=datetime.UTC)


def _show(*arguments: str) -> str:
    output = StringIO()
    call_command("show_messages", *arguments, stdout=output)
    return output.getvalue()


def test_show_messages_prints_time_in_vietnam_channel_recipient_status_and_body():
    OutboundMessageFactory.create(
        recipient=PHONE,
        body="Mã xác nhận Nông Sàn: 482913.\nKhông đưa mã này cho ai.",
        created_at=MOMENT,
    )
    assert _show("--phone", "0912 345 678") == (
        "23/11/2026 15:05  sms  +84912345678  sent  sign_up_code\n"
        "    Mã xác nhận Nông Sàn: 482913.\n"
        "    Không đưa mã này cho ai.\n"
    )


def test_show_messages_prints_the_last_n_with_the_newest_at_the_bottom():
    for minute in range(5):
        OutboundMessageFactory.create(
            recipient=PHONE,
            body=f"tin {minute}",
            created_at=MOMENT + datetime.timedelta(minutes=minute),
        )
    output = _show("--last", "2")
    assert "tin 2" not in output
    assert output.index("tin 3") < output.index("tin 4")


def test_show_messages_filters_by_phone_and_purpose():
    OutboundMessageFactory.create(recipient=PHONE, purpose="sign_up_code", body="đăng ký")
    OutboundMessageFactory.create(recipient=PHONE, purpose="password_reset_code", body="đặt lại")
    OutboundMessageFactory.create(
        recipient="+84987654321", purpose="sign_up_code", body="người khác"
    )

    output = _show("--phone", PHONE, "--purpose", "sign_up_code")
    assert "đăng ký" in output
    assert "đặt lại" not in output
    assert "người khác" not in output


def test_show_messages_shows_the_subject_and_the_error_of_a_failed_message():
    OutboundMessageFactory.create(
        channel="email",
        recipient="ba@example.vn",
        subject="Mã xác nhận",
        status=Status.FAILED,
        sent_at=None,
        error="HTTP 503 Service Unavailable",
    )
    output = _show("--recipient", "ba@example.vn")
    assert "email  ba@example.vn  failed" in output
    assert "    Mã xác nhận\n" in output
    assert "    ! HTTP 503 Service Unavailable" in output


def test_show_messages_says_when_there_is_nothing():
    assert _show() == "Không có tin nhắn nào. / No messages.\n"


def test_show_messages_refuses_a_bad_phone_in_vietnamese():
    with pytest.raises(CommandError, match="điện thoại"):
        _show("--phone", "12ab")


@pytest.mark.parametrize("last", ["0", "-2", "mười"])
def test_show_messages_refuses_a_bad_count(last):
    with pytest.raises(CommandError, match="--last"):
        _show("--last", last)


def test_purge_messages_deletes_what_is_older_than_the_days_given():
    now = timezone.now()
    OutboundMessageFactory.create(created_at=now - datetime.timedelta(days=8))
    kept = OutboundMessageFactory.create(created_at=now - datetime.timedelta(days=6))
    output = StringIO()

    call_command("purge_messages", "--days", "7", stdout=output)

    assert list(OutboundMessage.objects.all()) == [kept]
    assert "Đã xoá 1 tin nhắn cũ hơn 7 ngày." in output.getvalue()


def test_purge_messages_defaults_to_the_retention_setting(settings):
    settings.MESSAGING_RETENTION_DAYS = 2
    OutboundMessageFactory.create(created_at=timezone.now() - datetime.timedelta(days=3))
    call_command("purge_messages", stdout=StringIO())
    assert not OutboundMessage.objects.exists()


@pytest.mark.parametrize("days", ["0", "-1", "bảy"])
def test_purge_messages_refuses_a_bad_number_of_days(days):
    OutboundMessageFactory.create(created_at=timezone.now() - datetime.timedelta(days=30))
    with pytest.raises(CommandError, match="--days"):
        call_command("purge_messages", "--days", days, stdout=StringIO())
    assert OutboundMessage.objects.count() == 1
