"""SMS through a brandname gateway that takes a JSON POST over HTTPS.

Configured entirely by ``settings.MESSAGING_SMS_GATEWAY``::

    {"URL": "https://sms.example.vn/v1/messages", "API_KEY": "…",
     "SENDER": "NONGSAN", "TIMEOUT_SECONDS": 10}

The request is ``{"to": "+84912345678", "sender": "NONGSAN", "text": "…", "reference": "42"}``
with ``Authorization: Bearer <API_KEY>``; an HTTP 2xx reply that is a JSON object means the
gateway took the message, and its ``message_id`` (or ``id``) is kept. A gateway with another
contract gets a small subclass overriding ``build_payload``, ``build_headers`` and
``parse_reply``, named in ``MESSAGING_BACKENDS``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from nongsan.messaging.backends.base import MessageBackend, SendResult
from nongsan.messaging.backends.http import (
    DEFAULT_TIMEOUT_SECONDS,
    GatewayError,
    check_gateway_url,
    parse_timeout,
    post_json,
)
from nongsan.messaging.models import Channel

if TYPE_CHECKING:
    from nongsan.messaging.models import OutboundMessage

SETTING = "MESSAGING_SMS_GATEWAY"


def _gateway_settings() -> dict[str, Any]:
    return dict(getattr(settings, SETTING, None) or {})


class HttpSmsBackend(MessageBackend):
    """Sends the SMS channel through the gateway in ``settings.MESSAGING_SMS_GATEWAY``."""

    channels = frozenset({Channel.SMS.value})

    def __init__(self) -> None:
        errors = self.configuration_errors()
        if errors:
            raise ImproperlyConfigured("; ".join(errors))
        gateway = _gateway_settings()
        self.url: str = gateway["URL"]
        self.api_key: str = gateway["API_KEY"]
        self.sender: str = gateway.get("SENDER", "")
        self.timeout_seconds = parse_timeout(
            gateway.get("TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)
        )

    @classmethod
    def configuration_errors(cls) -> list[str]:
        gateway = _gateway_settings()
        errors = [
            f"{SETTING}[{key!r}] is not set" for key in ("URL", "API_KEY") if not gateway.get(key)
        ]
        if gateway.get("URL"):
            try:
                check_gateway_url(gateway["URL"])
            except ImproperlyConfigured as error:
                errors.append(f"{SETTING}: {error}")
        try:
            parse_timeout(gateway.get("TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))
        except ImproperlyConfigured as error:
            errors.append(f"{SETTING}: {error}")
        return errors

    def build_payload(self, message: OutboundMessage) -> dict[str, Any]:
        return {
            "to": message.recipient,
            "sender": self.sender,
            "text": message.body,
            "reference": str(message.pk),
        }

    def build_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}

    def parse_reply(self, reply: dict[str, Any]) -> SendResult:
        return SendResult.sent(
            provider_message_id=str(reply.get("message_id") or reply.get("id") or "")
        )

    def send(self, message: OutboundMessage) -> SendResult:
        try:
            reply = post_json(
                self.url,
                self.build_payload(message),
                headers=self.build_headers(),
                timeout_seconds=self.timeout_seconds,
            )
        except GatewayError as error:
            return SendResult.failed(str(error))
        return self.parse_reply(reply)
