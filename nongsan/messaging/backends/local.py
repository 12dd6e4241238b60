"""The development and test backend: the message stays in the database, nothing leaves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nongsan.messaging.backends.base import MessageBackend, SendResult

if TYPE_CHECKING:
    from nongsan.messaging.models import OutboundMessage


class LocalBackend(MessageBackend):
    """Marks the message sent; a developer reads it on /tin-nhan/ or with show_messages."""

    def send(self, message: OutboundMessage) -> SendResult:
        return SendResult.sent(provider_message_id=f"local-{message.pk}")
