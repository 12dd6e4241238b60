"""Outbound messages as the local backend leaves them."""

from __future__ import annotations

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from nongsan.messaging.models import LOCAL_BACKEND, Channel, OutboundMessage, Status


class OutboundMessageFactory(DjangoModelFactory[OutboundMessage]):
    class Meta:
        model = OutboundMessage

    channel = Channel.SMS
    recipient = factory.Sequence(lambda number: f"+8491{number:07d}")
    body = factory.Sequence(lambda number: f"Mã xác nhận Nông Sàn: {number:06d}")
    purpose = "sign_up_code"
    backend = LOCAL_BACKEND
    status = Status.SENT
    attempts = 1
    created_at = factory.LazyFunction(timezone.now)
    sent_at = factory.SelfAttribute("created_at")
