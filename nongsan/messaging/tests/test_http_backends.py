"""The SMS gateway and Zalo ZNS backends against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import socket
import time

import pytest

from nongsan.messaging.models import OutboundMessage, Status
from nongsan.messaging.services import message_send
from nongsan.messaging.tests.gateway import FakeGateway, Reply

pytestmark = pytest.mark.django_db

SMS_BACKEND = "nongsan.messaging.backends.sms.HttpSmsBackend"
ZALO_BACKEND = "nongsan.messaging.backends.zalo.ZaloZnsBackend"
API_KEY = "khoa-bi-mat-sms"
ACCESS_TOKEN = "zalo-oa-access-token"  # noqa: S105 - a test value
CODE_TEXT = "Ma xac nhan Nong San: 482913. Khong dua ma nay cho ai."


@pytest.fixture
def sms_gateway(settings, gateway: FakeGateway) -> FakeGateway:
    settings.MESSAGING_BACKENDS = {"sms": SMS_BACKEND}
    settings.MESSAGING_SMS_GATEWAY = {
        "URL": gateway.url("/v1/sms"),
        "API_KEY": API_KEY,
        "SENDER": "NONGSAN",
        "TIMEOUT_SECONDS": 0.5,
    }
    return gateway


@pytest.fixture
def zalo_gateway(settings, gateway: FakeGateway) -> FakeGateway:
    settings.MESSAGING_BACKENDS = {"zalo": ZALO_BACKEND}
    settings.MESSAGING_ZALO_ZNS = {
        "URL": gateway.url("/message/template"),
        "ACCESS_TOKEN": ACCESS_TOKEN,
        "TEMPLATES": {"sign_up_code": "250001"},
        "TIMEOUT_SECONDS": 0.5,
    }
    gateway.reply = Reply(body=b'{"error": 0, "message": "Success", "data": {"msg_id": "z-77"}}')
    return gateway


def _sent(django_capture_on_commit_callbacks, channel: str, **fields: object) -> OutboundMessage:
    values: dict[str, object] = {
        "recipient": "0912 345 678",
        "body": CODE_TEXT,
        "purpose": "sign_up_code",
        "template_data": {"otp": "482913"},
    }
    values.update(fields)
    with django_capture_on_commit_callbacks(execute=True):
        message = message_send(channel=channel, **values)  # type: ignore[arg-type]
    message.refresh_from_db()
    return message


def test_sms_is_posted_as_json_with_the_api_key(sms_gateway, django_capture_on_commit_callbacks):
    message = _sent(django_capture_on_commit_callbacks, "sms")

    assert message.status == Status.SENT
    assert message.provider_message_id == "gw-1"
    assert message.backend == SMS_BACKEND
    assert message.error == ""
    [request] = sms_gateway.received
    assert request.path == "/v1/sms"
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.headers["content-type"] == "application/json; charset=utf-8"
    assert request.payload == {
        "to": "+84912345678",
        "sender": "NONGSAN",
        "text": CODE_TEXT,
        "reference": str(message.pk),
    }


def test_sms_keeps_the_gateway_id_given_as_id(sms_gateway, django_capture_on_commit_callbacks):
    sms_gateway.reply = Reply(body=b'{"id": 991, "status": "accepted"}')
    assert _sent(django_capture_on_commit_callbacks, "sms").provider_message_id == "991"


def test_sms_vietnamese_text_arrives_intact(sms_gateway, django_capture_on_commit_callbacks):
    _sent(django_capture_on_commit_callbacks, "sms", body="Mã xác nhận Nông Sàn: 482913")
    assert sms_gateway.received[0].payload["text"] == "Mã xác nhận Nông Sàn: 482913"


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (
            Reply(status=400, body=b'{"error": "invalid number"}'),
            'HTTP 400 Bad Request: {"error": "invalid number"}',
        ),
        (Reply(status=401, body=b""), "HTTP 401 Unauthorized"),
        (
            Reply(status=503, body=b"<html>busy</html>", headers={"Content-Type": "text/html"}),
            "HTTP 503 Service Unavailable: <html>busy</html>",
        ),
        (
            Reply(body=b"<html>OK</html>", headers={"Content-Type": "text/html"}),
            "reply is not JSON: <html>OK</html>",
        ),
        (Reply(body=b'{"message_id": '), 'reply is not JSON: {"message_id":'),
        (Reply(body=b'["queued"]'), 'reply is not a JSON object: ["queued"]'),
        (Reply(body=b"\xff\xfe"), "reply is not JSON"),
    ],
)
def test_sms_gateway_refusals_are_recorded_as_failed(
    sms_gateway, django_capture_on_commit_callbacks, reply, error
):
    sms_gateway.reply = reply
    message = _sent(django_capture_on_commit_callbacks, "sms")

    assert message.status == Status.FAILED
    assert message.error.startswith(error)
    assert message.sent_at is None
    assert API_KEY not in message.error
    assert len(sms_gateway.received) == 1


def test_a_long_error_reply_is_cut_short(sms_gateway, django_capture_on_commit_callbacks):
    sms_gateway.reply = Reply(status=500, body=b"x" * 5000)
    message = _sent(django_capture_on_commit_callbacks, "sms")
    assert message.status == Status.FAILED
    assert len(message.error) < 400
    assert message.error.endswith("…")


def test_a_gateway_that_does_not_answer_in_time_fails_the_message(
    sms_gateway, django_capture_on_commit_callbacks
):
    sms_gateway.reply = Reply(delay_seconds=10)
    started = time.monotonic()
    message = _sent(django_capture_on_commit_callbacks, "sms")

    assert time.monotonic() - started < 5
    assert message.status == Status.FAILED
    assert message.error == "timed out after 0.5 s waiting for a reply"


def test_a_redirect_is_not_followed(sms_gateway, django_capture_on_commit_callbacks):
    sms_gateway.reply = Reply(
        status=302, body=b"", headers={"Location": sms_gateway.url("/elsewhere")}
    )
    message = _sent(django_capture_on_commit_callbacks, "sms")

    assert message.status == Status.FAILED
    assert message.error.startswith("HTTP 302")
    assert [request.path for request in sms_gateway.received] == ["/v1/sms"]


def test_a_gateway_that_is_down_fails_the_message(settings, django_capture_on_commit_callbacks):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.MESSAGING_BACKENDS = {"sms": SMS_BACKEND}
    settings.MESSAGING_SMS_GATEWAY = {
        "URL": f"http://127.0.0.1:{closed_port}/v1/sms",
        "API_KEY": API_KEY,
        "TIMEOUT_SECONDS": 0.5,
    }
    message = _sent(django_capture_on_commit_callbacks, "sms")
    assert message.status == Status.FAILED
    assert message.error.startswith("could not connect")


def test_plain_http_to_another_host_is_refused_before_connecting(
    settings, django_capture_on_commit_callbacks
):
    settings.MESSAGING_BACKENDS = {"sms": SMS_BACKEND}
    settings.MESSAGING_SMS_GATEWAY = {"URL": "http://sms.gateway.invalid/send", "API_KEY": "k"}
    message = _sent(django_capture_on_commit_callbacks, "sms")
    assert message.status == Status.FAILED
    assert message.error.startswith("ImproperlyConfigured")
    assert "must use https://" in message.error


def test_an_sms_gateway_without_settings_fails_the_message_clearly(
    settings, django_capture_on_commit_callbacks
):
    settings.MESSAGING_BACKENDS = {"sms": SMS_BACKEND}
    settings.MESSAGING_SMS_GATEWAY = {}
    message = _sent(django_capture_on_commit_callbacks, "sms")
    assert message.status == Status.FAILED
    assert "MESSAGING_SMS_GATEWAY['URL'] is not set" in message.error


def test_zalo_sends_the_purpose_template_with_its_data(
    zalo_gateway, django_capture_on_commit_callbacks
):
    message = _sent(django_capture_on_commit_callbacks, "zalo")

    assert message.status == Status.SENT
    assert message.provider_message_id == "z-77"
    [request] = zalo_gateway.received
    assert request.path == "/message/template"
    assert request.headers["access_token"] == ACCESS_TOKEN
    assert request.payload == {
        "phone": "84912345678",
        "template_id": "250001",
        "template_data": {"otp": "482913"},
        "tracking_id": str(message.pk),
    }


def test_zalo_uses_the_default_template_and_development_mode(
    settings, zalo_gateway, django_capture_on_commit_callbacks
):
    settings.MESSAGING_ZALO_ZNS = {
        **settings.MESSAGING_ZALO_ZNS,
        "TEMPLATE_ID": "250009",
        "DEVELOPMENT_MODE": True,
    }
    _sent(django_capture_on_commit_callbacks, "zalo", purpose="password_reset_code")
    payload = zalo_gateway.received[0].payload
    assert (payload["template_id"], payload["mode"]) == ("250009", "development")


def test_zalo_without_a_template_for_the_purpose_sends_nothing(
    zalo_gateway, django_capture_on_commit_callbacks
):
    message = _sent(django_capture_on_commit_callbacks, "zalo", purpose="password_reset_code")
    assert message.status == Status.FAILED
    assert message.error == "no ZNS template is configured for purpose 'password_reset_code'"
    assert zalo_gateway.received == []


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (
            Reply(body=b'{"error": -124, "message": "Access token is invalid"}'),
            "Zalo error -124: Access token is invalid",
        ),
        (Reply(body=b'{"message": "Success"}'), "unexpected Zalo reply without an error code"),
        (Reply(status=500, body=b"Internal Server Error"), "HTTP 500 Internal Server Error"),
        (Reply(body=b"{not json"), "reply is not JSON: {not json"),
        (Reply(delay_seconds=10), "timed out after 0.5 s"),
    ],
)
def test_zalo_refusals_are_recorded_as_failed(
    zalo_gateway, django_capture_on_commit_callbacks, reply, error
):
    zalo_gateway.reply = reply
    message = _sent(django_capture_on_commit_callbacks, "zalo")
    assert message.status == Status.FAILED
    assert message.error.startswith(error)
    assert ACCESS_TOKEN not in message.error
