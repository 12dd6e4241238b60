"""Zalo Notification Service (ZNS): a template message, approved by Zalo, to a phone number.

ZNS does not carry free text: each purpose needs a template registered with Zalo (for a code:
"Mã xác nhận Nông Sàn của bạn là <otp>"), and the message's ``template_data`` fills it. The
body stays on the row for people reading the outbox. Configured by
``settings.MESSAGING_ZALO_ZNS``::

    {"URL": "https://business.openapi.zalo.me/message/template",
     "ACCESS_TOKEN": "…", "TEMPLATES": {"sign_up_code": "123456"}, "TEMPLATE_ID": "",
     "TIMEOUT_SECONDS": 10, "DEVELOPMENT_MODE": False}

``TEMPLATES`` maps a purpose to its template id; ``TEMPLATE_ID`` serves purposes not listed.
Zalo answers HTTP 200 with ``{"error": 0, "data": {"msg_id": …}}`` on success and a non-zero
``error`` with a ``message`` otherwise. The OA access token expires and is renewed outside
this backend (the setting is read for every message).
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

SETTING = "MESSAGING_ZALO_ZNS"
DEFAULT_URL = "https://business.openapi.zalo.me/message/template"


def _zns_settings() -> dict[str, Any]:
    return dict(getattr(settings, SETTING, None) or {})


class ZaloZnsBackend(MessageBackend):
    """Sends the Zalo channel as a ZNS template message."""

    channels = frozenset({Channel.ZALO.value})

    def __init__(self) -> None:
        errors = self.configuration_errors()
        if errors:
            raise ImproperlyConfigured("; ".join(errors))
        zns = _zns_settings()
        self.url: str = zns.get("URL") or DEFAULT_URL
        self.access_token: str = zns["ACCESS_TOKEN"]
        self.templates: dict[str, str] = dict(zns.get("TEMPLATES") or {})
        self.default_template_id: str = zns.get("TEMPLATE_ID", "")
        self.timeout_seconds = parse_timeout(zns.get("TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))
        self.is_development_mode = bool(zns.get("DEVELOPMENT_MODE", False))

    @classmethod
    def configuration_errors(cls) -> list[str]:
        zns = _zns_settings()
        errors = []
        if not zns.get("ACCESS_TOKEN"):
            errors.append(f"{SETTING}['ACCESS_TOKEN'] is not set")
        if not zns.get("TEMPLATES") and not zns.get("TEMPLATE_ID"):
            errors.append(f"{SETTING} needs TEMPLATES (purpose → template id) or TEMPLATE_ID")
        try:
            check_gateway_url(zns.get("URL") or DEFAULT_URL)
            parse_timeout(zns.get("TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))
        except ImproperlyConfigured as error:
            errors.append(f"{SETTING}: {error}")
        return errors

    def send(self, message: OutboundMessage) -> SendResult:
        template_id = self.templates.get(message.purpose) or self.default_template_id
        if not template_id:
            return SendResult.failed(
                f"no ZNS template is configured for purpose {message.purpose!r}"
            )
        payload: dict[str, Any] = {
            # Zalo writes numbers with the country code and without "+": 84912345678.
            "phone": message.recipient.removeprefix("+"),
            "template_id": str(template_id),
            "template_data": message.template_data,
            "tracking_id": str(message.pk),
        }
        if self.is_development_mode:
            payload["mode"] = "development"
        try:
            reply = post_json(
                self.url,
                payload,
                headers={"access_token": self.access_token},
                timeout_seconds=self.timeout_seconds,
            )
        except GatewayError as error:
            return SendResult.failed(str(error))
        code = reply.get("error")
        if code == 0:
            data = reply.get("data")
            message_id = data.get("msg_id", "") if isinstance(data, dict) else ""
            return SendResult.sent(provider_message_id=str(message_id))
        if code is None:
            return SendResult.failed(
                f"unexpected Zalo reply without an error code: {str(reply)[:300]}"
            )
        return SendResult.failed(f"Zalo error {code}: {reply.get('message', '')}")
