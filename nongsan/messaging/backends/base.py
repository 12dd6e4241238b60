"""What every message backend is: something that takes a stored message and reports back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from nongsan.messaging.models import Channel

if TYPE_CHECKING:
    from nongsan.messaging.models import OutboundMessage

# An error kept on a message is for people reading the outbox, not a whole reply dump.
MAX_ERROR_LENGTH = 1000


@dataclass(frozen=True)
class SendResult:
    """What a backend made of one message: sent (with the provider's id) or failed (why)."""

    is_sent: bool
    provider_message_id: str = ""
    error: str = ""

    @classmethod
    def sent(cls, provider_message_id: str = "") -> SendResult:
        return cls(is_sent=True, provider_message_id=str(provider_message_id)[:100])

    @classmethod
    def failed(cls, error: str) -> SendResult:
        return cls(is_sent=False, error=error[:MAX_ERROR_LENGTH])


class MessageBackend:
    """Base class of the backends named in ``settings.MESSAGING_BACKENDS``.

    ``send`` reports an expected failure (a gateway said no, a timeout) as a failed
    SendResult; anything it raises is recorded as a failure too, by
    :func:`nongsan.messaging.services.dispatch`. A backend reads its settings when it is
    created, so a wrong setting shows on the message that needed it.
    """

    # The channels this backend can carry; the system check refuses a mapping outside them.
    channels: ClassVar[frozenset[str]] = frozenset(Channel.values)

    def send(self, message: OutboundMessage) -> SendResult:
        raise NotImplementedError

    @classmethod
    def configuration_errors(cls) -> list[str]:
        """What is missing from the settings for this backend to work (checked at start-up)."""
        return []
