"""Reading what was sent: for the outbox page, the show_messages command and tests.

Recipients are looked up the way they are stored (E.164, normalised e-mail), so
``latest_message_for("0912 345 678")`` finds the code sent to ``+84912345678``.
"""

from __future__ import annotations

from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from nongsan.common.phone import normalize_phone
from nongsan.messaging.models import OutboundMessage

__all__ = ["latest_message_for", "message_list", "messages_for", "recipient_key"]


def recipient_key(recipient: str) -> str:
    """A phone number or e-mail address in its stored form; other text is returned stripped."""
    text = (recipient or "").strip()
    if "@" in text:
        return BaseUserManager.normalize_email(text)
    try:
        return normalize_phone(text)
    except ValidationError:
        return text


def message_list(
    *, recipient: str | None = None, purpose: str | None = None
) -> QuerySet[OutboundMessage]:
    """Messages newest first, optionally to one recipient and for one purpose."""
    messages = OutboundMessage.objects.all()
    if recipient:
        messages = messages.filter(recipient=recipient_key(recipient))
    if purpose:
        messages = messages.filter(purpose=purpose)
    return messages.order_by("-created_at", "-pk")


def messages_for(
    recipient: str, *, purpose: str | None = None, limit: int = 20
) -> list[OutboundMessage]:
    """The last ``limit`` messages to ``recipient``, newest first."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if not (recipient or "").strip():
        raise ValueError("a recipient is needed")
    return list(message_list(recipient=recipient, purpose=purpose)[:limit])


def latest_message_for(recipient: str, purpose: str | None = None) -> OutboundMessage | None:
    """The newest message to ``recipient`` (for ``purpose``), or None."""
    found = messages_for(recipient, purpose=purpose, limit=1)
    return found[0] if found else None
