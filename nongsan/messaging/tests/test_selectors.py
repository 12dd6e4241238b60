"""Reading the outbox: by recipient however it is written, by purpose, newest first."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from nongsan.messaging.selectors import (
    latest_message_for,
    message_list,
    messages_for,
    recipient_key,
)
from nongsan.messaging.tests.factories import OutboundMessageFactory

pytestmark = pytest.mark.django_db

PHONE = "+84912345678"


def _at(minutes_ago: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=minutes_ago)


def test_messages_for_finds_a_phone_however_it_is_written():
    older = OutboundMessageFactory.create(recipient=PHONE, created_at=_at(10))
    newer = OutboundMessageFactory.create(recipient=PHONE, created_at=_at(1))
    OutboundMessageFactory.create(recipient="+84912345679", created_at=_at(0))

    for spelling in ("0912 345 678", "+84 912 345 678", "84912345678", PHONE):
        assert messages_for(spelling) == [newer, older]


def test_messages_for_filters_by_purpose_and_limits():
    OutboundMessageFactory.create_batch(3, recipient=PHONE, purpose="sign_up_code")
    reset = OutboundMessageFactory.create(recipient=PHONE, purpose="password_reset_code")

    assert messages_for(PHONE, purpose="password_reset_code") == [reset]
    assert len(messages_for(PHONE, purpose="sign_up_code")) == 3
    assert len(messages_for(PHONE, limit=2)) == 2


def test_latest_message_for_is_the_newest_or_none():
    OutboundMessageFactory.create(recipient=PHONE, body="Mã cũ: 111111", created_at=_at(5))
    OutboundMessageFactory.create(recipient=PHONE, body="Mã mới: 222222", created_at=_at(1))

    latest = latest_message_for("0912345678")
    assert latest is not None
    assert latest.body == "Mã mới: 222222"
    assert latest_message_for("0912345678", purpose="phone_change_code") is None
    assert latest_message_for("0988 888 888") is None


def test_messages_created_in_the_same_instant_come_newest_id_first():
    moment = _at(1)
    first = OutboundMessageFactory.create(recipient=PHONE, created_at=moment)
    second = OutboundMessageFactory.create(recipient=PHONE, created_at=moment)
    assert messages_for(PHONE) == [second, first]


def test_an_email_address_matches_with_any_case_of_its_domain():
    message = OutboundMessageFactory.create(channel="email", recipient="Ba@example.vn")
    assert latest_message_for("Ba@EXAMPLE.VN") == message


def test_text_that_is_no_address_matches_nothing_instead_of_failing():
    OutboundMessageFactory.create(recipient=PHONE)
    assert recipient_key("  không phải số ") == "không phải số"
    assert messages_for("không phải số") == []


@pytest.mark.parametrize(
    ("recipient", "limit", "error"),
    [("", 20, "recipient"), ("   ", 20, "recipient"), (PHONE, 0, "limit"), (PHONE, -1, "limit")],
)
def test_messages_for_refuses_a_missing_recipient_or_a_bad_limit(recipient, limit, error):
    with pytest.raises(ValueError, match=error):
        messages_for(recipient, limit=limit)


def test_message_list_without_filters_lists_everything_newest_first():
    older = OutboundMessageFactory.create(created_at=_at(3))
    newer = OutboundMessageFactory.create(created_at=_at(2))
    assert list(message_list()) == [newer, older]
