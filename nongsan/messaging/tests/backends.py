"""Backends that misbehave on purpose, named by dotted path in the tests' settings."""

from __future__ import annotations

import threading
from typing import ClassVar

from nongsan.messaging.backends import MessageBackend, SendResult
from nongsan.messaging.models import OutboundMessage

PATH = "nongsan.messaging.tests.backends"


class ExplodingBackend(MessageBackend):
    """Raises, as a backend with a bug would."""

    def send(self, message: OutboundMessage) -> SendResult:
        raise RuntimeError("gateway client crashed")


class NotABackend:
    """Has a send method but is not a MessageBackend."""


class CountingBackend(MessageBackend):
    """Counts sends and holds each one until released, so two workers overlap."""

    sent: ClassVar[list[int]] = []
    lock: ClassVar[threading.Lock] = threading.Lock()
    release: ClassVar[threading.Event] = threading.Event()

    @classmethod
    def reset(cls, *, hold: bool = False) -> None:
        """Forget earlier sends; with ``hold`` each send waits for ``release``."""
        cls.sent.clear()
        if hold:
            cls.release.clear()
        else:
            cls.release.set()

    def send(self, message: OutboundMessage) -> SendResult:
        with self.lock:
            self.sent.append(message.pk)
        self.release.wait(timeout=5)
        return SendResult.sent(provider_message_id="counted")
