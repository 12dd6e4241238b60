"""The local and e-mail backends, choosing backends by setting, and the start-up checks."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from nongsan.messaging.backends import (
    DEFAULT_BACKENDS,
    backend_path_for,
    configured_backends,
    load_backend,
)
from nongsan.messaging.backends.email import EmailBackend
from nongsan.messaging.backends.local import LocalBackend
from nongsan.messaging.backends.sms import HttpSmsBackend
from nongsan.messaging.checks import check_local_backend_in_production, check_message_backends
from nongsan.messaging.models import LOCAL_BACKEND, Channel, OutboundMessage, Status
from nongsan.messaging.services import message_send
from nongsan.messaging.tests.backends import PATH

pytestmark = pytest.mark.django_db

EMAIL_BACKEND = "nongsan.messaging.backends.email.EmailBackend"
SMS_BACKEND = "nongsan.messaging.backends.sms.HttpSmsBackend"
ZALO_BACKEND = "nongsan.messaging.backends.zalo.ZaloZnsBackend"


def _without_backends_setting(settings) -> None:
    if hasattr(settings, "MESSAGING_BACKENDS"):
        del settings.MESSAGING_BACKENDS


def _email(django_capture_on_commit_callbacks) -> OutboundMessage:
    with django_capture_on_commit_callbacks(execute=True):
        message = message_send(
            channel="email",
            recipient="ba@example.vn",
            subject="Mã xác nhận Nông Sàn",
            body="Mã của bạn là 123456.",
            purpose="sign_up_code",
        )
    message.refresh_from_db()
    return message


def test_every_channel_defaults_to_the_local_backend(settings):
    _without_backends_setting(settings)
    assert {channel: LOCAL_BACKEND for channel in Channel.values} == DEFAULT_BACKENDS
    assert configured_backends() == DEFAULT_BACKENDS
    assert isinstance(load_backend(backend_path_for("zalo")), LocalBackend)


def test_a_gateway_is_a_setting(settings):
    settings.MESSAGING_BACKENDS = {"sms": SMS_BACKEND}
    assert backend_path_for("sms") == SMS_BACKEND
    assert backend_path_for("email") == LOCAL_BACKEND


def test_backend_path_for_refuses_an_unknown_channel():
    with pytest.raises(ValueError, match="unknown message channel"):
        backend_path_for("fax")


def test_the_local_backend_sends_nothing_by_email(django_capture_on_commit_callbacks):
    message = _email(django_capture_on_commit_callbacks)
    assert message.status == Status.SENT
    assert mail.outbox == []


def test_the_email_backend_sends_through_django_mail(settings, django_capture_on_commit_callbacks):
    settings.MESSAGING_BACKENDS = {"email": EMAIL_BACKEND}
    settings.DEFAULT_FROM_EMAIL = "Nông Sàn <khong-tra-loi@nongsan.example>"
    message = _email(django_capture_on_commit_callbacks)

    assert message.status == Status.SENT
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["ba@example.vn"]
    assert sent.subject == "Mã xác nhận Nông Sàn"
    assert sent.body == "Mã của bạn là 123456."
    assert sent.from_email == "Nông Sàn <khong-tra-loi@nongsan.example>"
    assert message.provider_message_id == sent.extra_headers["Message-ID"]
    assert message.provider_message_id.startswith("<")


def test_an_smtp_failure_is_recorded(settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.MESSAGING_BACKENDS = {"email": EMAIL_BACKEND}

    def refuse(*args: object, **kwargs: object) -> int:
        raise smtplib.SMTPRecipientsRefused({"ba@example.vn": (550, b"mailbox unavailable")})

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    message = _email(django_capture_on_commit_callbacks)

    assert message.status == Status.FAILED
    assert message.error.startswith("SMTPRecipientsRefused")
    assert "mailbox unavailable" in message.error


def test_the_checks_pass_with_the_defaults(settings):
    _without_backends_setting(settings)
    assert check_message_backends() == []


def test_the_checks_name_what_is_wrong_with_the_settings(settings):
    settings.MESSAGING_BACKENDS = {
        "fax": LOCAL_BACKEND,
        "sms": f"{PATH}.Missing",
        "email": SMS_BACKEND,
        "zalo": ZALO_BACKEND,
    }
    settings.MESSAGING_SMS_GATEWAY = {"URL": "http://sms.example.vn/send"}
    settings.MESSAGING_ZALO_ZNS = {}
    problems = {(problem.id, problem.msg) for problem in check_message_backends()}
    ids = {problem_id for problem_id, _message in problems}
    messages = " | ".join(message for _id, message in problems)

    assert ids == {"messaging.E001", "messaging.E002", "messaging.E003", "messaging.E004"}
    assert "unknown channel 'fax'" in messages
    assert "cannot carry the 'email' channel" in messages
    assert "MESSAGING_SMS_GATEWAY['API_KEY'] is not set" in messages
    assert "must use https://" in messages
    assert "MESSAGING_ZALO_ZNS['ACCESS_TOKEN'] is not set" in messages


def test_a_complete_gateway_configuration_passes_the_checks(settings):
    settings.MESSAGING_BACKENDS = {"sms": SMS_BACKEND, "zalo": ZALO_BACKEND, "email": EMAIL_BACKEND}
    settings.MESSAGING_SMS_GATEWAY = {
        "URL": "https://sms.example.vn/send",
        "API_KEY": "khoa",
        "SENDER": "NONGSAN",
        "TIMEOUT_SECONDS": 5,
    }
    settings.MESSAGING_ZALO_ZNS = {"ACCESS_TOKEN": "token", "TEMPLATES": {"sign_up_code": "1"}}
    assert check_message_backends() == []
    assert check_local_backend_in_production() == []


def test_the_deploy_check_warns_about_channels_left_on_the_local_backend(settings):
    settings.MESSAGING_BACKENDS = {"sms": SMS_BACKEND, "zalo": LOCAL_BACKEND}
    warnings = check_local_backend_in_production()
    assert [warning.id for warning in warnings] == ["messaging.W001"]
    assert "the email channel(s)" in warnings[0].msg


@pytest.mark.parametrize("timeout", [0, -1, "lâu", None])
def test_a_bad_timeout_is_a_configuration_error(settings, timeout):
    settings.MESSAGING_SMS_GATEWAY = {
        "URL": "https://sms.example.vn/send",
        "API_KEY": "khoa",
        "TIMEOUT_SECONDS": timeout,
    }
    assert any("TIMEOUT_SECONDS" in error for error in HttpSmsBackend.configuration_errors())
    with pytest.raises(ImproperlyConfigured, match="TIMEOUT_SECONDS"):
        HttpSmsBackend()


def test_email_backend_only_carries_email():
    assert EmailBackend.channels == {"email"}
    assert LocalBackend.channels == set(Channel.values)
