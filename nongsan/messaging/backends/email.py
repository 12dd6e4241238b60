"""E-mail through Django's mail framework (``EMAIL_BACKEND``, ``EMAIL_HOST`` and the rest)."""

from __future__ import annotations

import smtplib
from email.utils import make_msgid
from typing import TYPE_CHECKING

from django.core.mail import BadHeaderError, EmailMessage
from django.core.mail.utils import DNS_NAME

from nongsan.messaging.backends.base import MessageBackend, SendResult
from nongsan.messaging.models import Channel

if TYPE_CHECKING:
    from nongsan.messaging.models import OutboundMessage


class EmailBackend(MessageBackend):
    """Sends the e-mail channel with ``settings.EMAIL_*`` and ``DEFAULT_FROM_EMAIL``.

    The Message-ID is chosen here and kept as the provider's id, so a bounce or a mail log
    line can be matched to the row.
    """

    channels = frozenset({Channel.EMAIL.value})

    def send(self, message: OutboundMessage) -> SendResult:
        message_id = make_msgid(domain=str(DNS_NAME))
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            to=[message.recipient],
            headers={"Message-ID": message_id},
        )
        try:
            email.send(fail_silently=False)
        except (smtplib.SMTPException, BadHeaderError, OSError) as error:
            return SendResult.failed(f"{type(error).__name__}: {error}")
        return SendResult.sent(provider_message_id=message_id)
