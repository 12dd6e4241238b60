"""Sending: validation, dispatch after commit, failures recorded and never raised, purging."""

from __future__ import annotations

import datetime
import logging
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from nongsan.accounts.models import User
from nongsan.messaging import services
from nongsan.messaging.models import LOCAL_BACKEND, Channel, OutboundMessage, Status
from nongsan.messaging.services import (
    BODY_MAX_LENGTH,
    dispatch,
    message_send,
    message_send_to_user,
    messages_purge,
)
from nongsan.messaging.tests.backends import PATH, CountingBackend
from nongsan.messaging.tests.factories import OutboundMessageFactory

pytestmark = pytest.mark.django_db

CODE_TEXT = "Mã xác nhận Nông Sàn: 123456. Không đưa mã này cho ai."


def _send(**overrides: object) -> OutboundMessage:
    fields: dict[str, object] = {
        "channel": "sms",
        "recipient": "0912 345 678",
        "body": CODE_TEXT,
        "purpose": "sign_up_code",
    }
    fields.update(overrides)
    return message_send(**fields)  # type: ignore[arg-type]


def _send_then_fail(**overrides: object) -> None:
    """A transaction that requests a message and then fails, as a sign-up might."""
    with pytest.raises(RuntimeError, match="after the message"), transaction.atomic():  # noqa: PT012
        _send(**overrides)
        raise RuntimeError("the sign-up failed after the message was requested")


def test_message_send_stores_the_phone_in_e164_and_sends_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = _send()
    assert message.recipient == "+84912345678"
    assert OutboundMessage.objects.get().status == Status.QUEUED
    assert len(callbacks) == 1

    callbacks[0]()

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.backend == LOCAL_BACKEND
    assert message.sent_at is not None
    assert message.attempts == 1
    assert message.provider_message_id == f"local-{message.pk}"
    assert message.body == CODE_TEXT


@pytest.fixture
def counting_backend(settings) -> type[CountingBackend]:
    """SMS through a backend that remembers, outside the database, what it sent."""
    settings.MESSAGING_BACKENDS = {"sms": f"{PATH}.CountingBackend"}
    CountingBackend.reset()
    return CountingBackend


def test_a_rolled_back_transaction_sends_nothing(
    counting_backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _send_then_fail()
    assert callbacks == []
    assert counting_backend.sent == []
    assert not OutboundMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_message_is_dispatched_only_when_the_real_transaction_commits(counting_backend):
    with transaction.atomic():
        message = _send()
        assert counting_backend.sent == []
        assert OutboundMessage.objects.get(pk=message.pk).status == Status.QUEUED
    assert counting_backend.sent == [message.pk]
    assert OutboundMessage.objects.get(pk=message.pk).status == Status.SENT

    _send_then_fail(recipient="0912 345 679")
    assert counting_backend.sent == [message.pk]
    assert not OutboundMessage.objects.filter(recipient="+84912345679").exists()


def test_a_backend_that_raises_is_recorded_as_failed_not_raised(
    settings, django_capture_on_commit_callbacks, caplog
):
    settings.MESSAGING_BACKENDS = {"sms": f"{PATH}.ExplodingBackend"}
    with django_capture_on_commit_callbacks(execute=True):
        message = _send()
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.backend == f"{PATH}.ExplodingBackend"
    assert message.error == "RuntimeError: gateway client crashed"
    assert message.sent_at is None
    assert "backend nongsan.messaging.tests.backends.ExplodingBackend raised" in caplog.text


@pytest.mark.parametrize(
    ("path", "error"),
    [
        (f"{PATH}.Missing", "cannot be imported"),
        ("no.such.module.Backend", "cannot be imported"),
        (f"{PATH}.NotABackend", "is not a MessageBackend subclass"),
    ],
)
def test_a_backend_that_cannot_be_loaded_is_recorded_as_failed(
    settings, django_capture_on_commit_callbacks, path, error
):
    settings.MESSAGING_BACKENDS = {"sms": path}
    with django_capture_on_commit_callbacks(execute=True):
        message = _send()
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert error in message.error


def test_a_failing_dispatch_never_reaches_the_caller(
    monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def broken(message_id: int) -> None:
        raise ConnectionError("database went away while recording")

    monkeypatch.setattr(services, "dispatch", broken)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        message = _send()
    assert message.pk is not None
    assert "database went away while recording" in caplog.text


def test_channels_not_configured_keep_the_local_backend(settings):
    settings.MESSAGING_BACKENDS = {"email": "nongsan.messaging.backends.email.EmailBackend"}
    assert _send().backend == LOCAL_BACKEND


def test_dispatch_sends_a_message_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _send()
    assert dispatch(message.pk) is None
    message.refresh_from_db()
    assert message.attempts == 1
    assert message.status == Status.SENT


def test_dispatch_of_a_purged_message_does_nothing():
    assert dispatch(987654) is None


@pytest.mark.django_db(transaction=True)
def test_two_workers_dispatching_one_message_send_it_once(counting_backend):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are tested on PostgreSQL")
    counting_backend.reset(hold=True)
    message = OutboundMessageFactory.create(
        backend=f"{PATH}.CountingBackend", status=Status.QUEUED, sent_at=None, attempts=0
    )
    results: list[object] = []

    def worker() -> None:
        try:
            results.append(dispatch(message.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    counting_backend.release.set()
    for thread in threads:
        thread.join(timeout=10)

    assert counting_backend.sent == [message.pk]
    assert sum(result is not None for result in results) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)


def test_an_unknown_channel_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown message channel 'telegram'"):
        _send(channel="telegram")
    assert not OutboundMessage.objects.exists()


@pytest.mark.parametrize("purpose", ["", "Sign Up", "sign-up", "mã", "x" * 41, "1code"])
def test_a_malformed_purpose_is_refused(purpose):
    with pytest.raises(ValueError, match="purpose"):
        _send(purpose=purpose)


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="language"):
        _send(language="fr")


@pytest.mark.parametrize("recipient", ["", "không phải số", "0912", "+1 202 555 0101", "1900 1234"])
def test_a_bad_phone_is_refused_with_a_vietnamese_message(recipient):
    with pytest.raises(ValidationError) as raised:
        _send(recipient=recipient)
    assert raised.value.messages[0]
    assert not OutboundMessage.objects.exists()


@pytest.mark.parametrize("body", ["", "   \n  ", None])
def test_an_empty_body_is_refused(body):
    with pytest.raises(ValidationError, match="không có nội dung"):
        _send(body=body)


def test_an_sms_longer_than_the_limit_is_refused_and_one_at_the_limit_is_sent():
    limit = BODY_MAX_LENGTH[Channel.SMS]
    assert _send(body="a" * limit).body == "a" * limit
    with pytest.raises(ValidationError) as raised:
        _send(body="a" * (limit + 1))
    assert raised.value.messages == [
        f"Tin nhắn dài {limit + 1} ký tự, quá giới hạn {limit} ký tự của kênh này."
    ]


def test_an_email_is_stored_with_its_domain_lower_cased():
    message = _send(channel="email", recipient=" Nong.Dan@Example.VN ", subject="Mã xác nhận")
    assert message.recipient == "Nong.Dan@example.vn"
    assert message.subject == "Mã xác nhận"


@pytest.mark.parametrize("recipient", ["", "nong.dan", "nong dan@example.vn", "a@b@c.vn"])
def test_a_bad_email_address_is_refused(recipient):
    with pytest.raises(ValidationError):
        _send(channel="email", recipient=recipient, subject="Mã xác nhận")


def test_an_email_needs_a_one_line_subject():
    with pytest.raises(ValidationError, match="cần có tiêu đề"):
        _send(channel="email", recipient="a@example.vn")
    with pytest.raises(ValidationError, match="một dòng"):
        _send(channel="email", recipient="a@example.vn", subject="Mã\nBcc: x@example.vn")


def test_template_data_must_be_text():
    with pytest.raises(ValueError, match="template data"):
        _send(channel="zalo", template_data={"otp": 123456})
    message = _send(channel="zalo", template_data={"otp": "123456"})
    assert message.template_data == {"otp": "123456"}


def test_message_send_to_user_uses_the_phone_email_and_language_of_the_account(
    django_capture_on_commit_callbacks,
):
    user = User.objects.create_user("0912 345 678", email="ba@example.vn", preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        messages = message_send_to_user(
            user=user,
            body="Your Nông Sàn code: 123456",
            purpose="password_reset_code",
            channels=("sms", "zalo", "email", "sms"),
            subject="Nông Sàn code",
        )
    assert [(m.channel, m.recipient, m.language) for m in messages] == [
        ("sms", "+84912345678", "en"),
        ("zalo", "+84912345678", "en"),
        ("email", "ba@example.vn", "en"),
    ]
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {Status.SENT}


def test_message_send_to_user_skips_a_channel_the_person_cannot_be_reached_on():
    user = User.objects.create_user("0912 345 678")
    messages = message_send_to_user(
        user=user, body=CODE_TEXT, purpose="sign_up_code", channels=("email", "sms")
    )
    assert [message.channel for message in messages] == ["sms"]


def test_message_send_to_user_refuses_an_unknown_channel_before_sending_anything():
    user = User.objects.create_user("0912 345 678")
    with pytest.raises(ValueError, match="unknown message channel"):
        message_send_to_user(
            user=user, body=CODE_TEXT, purpose="sign_up_code", channels=("sms", "fax")
        )
    assert not OutboundMessage.objects.exists()


def test_messages_purge_deletes_only_messages_older_than_the_given_days():
    now = timezone.now()
    old = OutboundMessageFactory.create_batch(3, created_at=now - datetime.timedelta(days=31))
    boundary = OutboundMessageFactory.create(created_at=now - datetime.timedelta(days=30))
    recent = OutboundMessageFactory.create(created_at=now - datetime.timedelta(hours=1))

    assert messages_purge(older_than_days=30, now=now) == 3

    remaining = set(OutboundMessage.objects.values_list("pk", flat=True))
    assert remaining == {boundary.pk, recent.pk}
    assert not remaining & {message.pk for message in old}


def test_messages_purge_works_in_batches(monkeypatch):
    monkeypatch.setattr(services, "PURGE_BATCH_SIZE", 2)
    OutboundMessageFactory.create_batch(5, created_at=timezone.now() - datetime.timedelta(days=10))
    assert messages_purge(older_than_days=1) == 5
    assert not OutboundMessage.objects.exists()


@pytest.mark.parametrize(("days", "error"), [(0, ValueError), (-3, ValueError), (1.5, TypeError)])
def test_messages_purge_refuses_a_bad_number_of_days(days, error):
    OutboundMessageFactory.create(created_at=timezone.now() - datetime.timedelta(days=10))
    with pytest.raises(error):
        messages_purge(older_than_days=days)
    assert OutboundMessage.objects.count() == 1
