"""Sending messages: validate, store, and hand to the channel's backend once the caller commits.

A message is written in the caller's transaction and dispatched by ``transaction.on_commit``,
so a sign-up that rolls back sends no code. Dispatch is one function, :func:`dispatch`, taking
only the message id, so that it can become a background task without changing its callers.
A backend's failure is recorded on the row and logged, never raised into the caller's request.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nongsan.common.phone import normalize_phone
from nongsan.messaging.backends import SendResult, backend_path_for, load_backend
from nongsan.messaging.models import Channel, OutboundMessage, Status

if TYPE_CHECKING:
    from nongsan.accounts.models import User

__all__ = [
    "BODY_MAX_LENGTH",
    "dispatch",
    "dispatch_stale",
    "message_send",
    "message_send_to_user",
    "messages_purge",
]

logger = logging.getLogger(__name__)

# Three concatenated SMS of unaccented text; a code message needs a fraction of it, and every
# part is paid for. Zalo's body is only kept for reading (ZNS sends a template).
BODY_MAX_LENGTH = {Channel.SMS: 480, Channel.ZALO: 1000, Channel.EMAIL: 20_000}
SUBJECT_MAX_LENGTH = 200
PURPOSE_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")
TEMPLATE_VALUE_MAX_LENGTH = 200
PURGE_BATCH_SIZE = 5000
# A message still queued this long after it was written lost its on-commit dispatch (the
# process died between commit and send, or the dispatch itself failed): send it again.
STALE_AFTER = datetime.timedelta(minutes=5)
STALE_BATCH_SIZE = 500


def _checked_channel(channel: str) -> Channel:
    if channel not in Channel.values:
        raise ValueError(f"unknown message channel {channel!r}; use one of {Channel.values}")
    return Channel(channel)


def _checked_purpose(purpose: str) -> str:
    if not isinstance(purpose, str) or not PURPOSE_PATTERN.fullmatch(purpose):
        raise ValueError(
            f"purpose must be a short lower-case slug like 'sign_up_code': {purpose!r}"
        )
    return purpose


def _checked_language(language: str) -> str:
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    return language


def normalized_recipient(channel: Channel, recipient: str) -> str:
    """The address as stored: E.164 for SMS and Zalo, a checked e-mail address for e-mail."""
    if channel == Channel.EMAIL:
        address = (recipient or "").strip()
        if not address:
            raise ValidationError(_("Vui lòng nhập địa chỉ thư điện tử."), code="empty")
        validate_email(address)
        return BaseUserManager.normalize_email(address)
    return normalize_phone(recipient)


def _checked_body(channel: Channel, body: str) -> str:
    text = (body or "").strip()
    if not text:
        raise ValidationError(_("Tin nhắn không có nội dung."), code="empty_body")
    limit = BODY_MAX_LENGTH[channel]
    if len(text) > limit:
        raise ValidationError(
            _("Tin nhắn dài %(length)d ký tự, quá giới hạn %(limit)d ký tự của kênh này."),
            code="body_too_long",
            params={"length": len(text), "limit": limit},
        )
    return text


def _checked_subject(channel: Channel, subject: str) -> str:
    text = (subject or "").strip()
    if channel == Channel.EMAIL and not text:
        raise ValidationError(_("Thư điện tử cần có tiêu đề."), code="empty_subject")
    if "\n" in text or "\r" in text:
        raise ValidationError(_("Tiêu đề chỉ được có một dòng."), code="subject_lines")
    if len(text) > SUBJECT_MAX_LENGTH:
        raise ValidationError(
            _("Tiêu đề dài quá %(limit)d ký tự."),
            code="subject_too_long",
            params={"limit": SUBJECT_MAX_LENGTH},
        )
    return text


def _checked_template_data(template_data: Mapping[str, str] | None) -> dict[str, str]:
    data = dict(template_data or {})
    for key, value in data.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise ValueError(f"template data must map text to text: {key!r}: {value!r}")
        if len(value) > TEMPLATE_VALUE_MAX_LENGTH:
            raise ValueError(
                f"template value for {key!r} is longer than {TEMPLATE_VALUE_MAX_LENGTH}"
            )
    return data


def message_send(
    *,
    channel: str,
    recipient: str,
    body: str,
    purpose: str,
    subject: str = "",
    language: str = "vi",
    template_data: Mapping[str, str] | None = None,
) -> OutboundMessage:
    """Store a message and send it through its channel's backend when the transaction commits.

    A programming mistake (unknown channel, malformed purpose or language, template data that
    is not text) raises ValueError; what a person may have typed (the phone number or e-mail
    address, the text) raises ValidationError with a Vietnamese message. Nothing is stored
    then. The returned row is as created: its status changes once it has been dispatched.
    """
    checked_channel = _checked_channel(channel)
    message = OutboundMessage(
        channel=checked_channel,
        recipient=normalized_recipient(checked_channel, recipient),
        subject=_checked_subject(checked_channel, subject),
        body=_checked_body(checked_channel, body),
        template_data=_checked_template_data(template_data),
        purpose=_checked_purpose(purpose),
        language=_checked_language(language),
        backend=backend_path_for(checked_channel),
    )
    message.save()
    message_id = message.pk
    # robust: a failure while dispatching is logged, never raised into the caller's request.
    transaction.on_commit(lambda: dispatch(message_id), robust=True)
    return message


def message_send_to_user(
    *,
    user: User,
    body: str,
    purpose: str,
    channels: Iterable[str] = (Channel.SMS,),
    subject: str = "",
    template_data: Mapping[str, str] | None = None,
) -> list[OutboundMessage]:
    """Send the same message to a person on each of ``channels``, in their language.

    SMS and Zalo go to the account's phone, e-mail to its address; a channel the person
    cannot be reached on (no e-mail address) is skipped, so the list can be shorter than the
    channels asked for.
    """
    messages = []
    for channel in dict.fromkeys(_checked_channel(channel) for channel in channels):
        address = user.email if channel == Channel.EMAIL else user.phone
        if not address:
            logger.info("user %s has no address for channel %s; skipped", user.pk, channel)
            continue
        messages.append(
            message_send(
                channel=channel,
                recipient=address,
                body=body,
                purpose=purpose,
                subject=subject,
                language=user.preferred_language,
                template_data=template_data,
            )
        )
    return messages


def _send_through_backend(message: OutboundMessage) -> SendResult:
    """The backend's answer; a backend that cannot be loaded or that raises is a failure too."""
    try:
        return load_backend(message.backend).send(message)
    except Exception as error:
        logger.exception("message %s: backend %s raised", message.pk, message.backend)
        return SendResult.failed(f"{type(error).__name__}: {error}")


def dispatch(message_id: int) -> OutboundMessage | None:
    """Send one queued message and record the outcome on it; safe to call twice.

    The message is claimed by moving it from queued to sending in one conditional UPDATE, so
    two workers never send it both, and no transaction is held open while a gateway answers.
    Returns the message as recorded, or None when it was not queued (already dispatched) or
    no longer exists (purged).
    """
    claimed = OutboundMessage.objects.filter(pk=message_id, status=Status.QUEUED).update(
        status=Status.SENDING, attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    message = OutboundMessage.objects.get(pk=message_id)
    result = _send_through_backend(message)
    if result.is_sent:
        message.status = Status.SENT
        message.sent_at = timezone.now()
        message.provider_message_id = result.provider_message_id
        message.error = ""
        logger.info("message %s sent by %s", message.pk, message.backend)
    else:
        message.status = Status.FAILED
        message.error = result.error
        logger.warning(
            "message %s to %s failed: %s", message.pk, message.masked_recipient, result.error
        )
    message.save(update_fields=["status", "sent_at", "provider_message_id", "error"])
    return message


def dispatch_stale(
    *,
    now: datetime.datetime | None = None,
    older_than: datetime.timedelta = STALE_AFTER,
    batch_size: int = STALE_BATCH_SIZE,
) -> int:
    """Dispatch messages queued for more than ``older_than`` (oldest first, at most
    ``batch_size`` a run); returns how many were dispatched.

    Run every few minutes (``nongsan.messaging.tasks.messages_dispatch_stale_task``). Each
    message is claimed by :func:`dispatch`'s conditional UPDATE, so a run racing the
    on-commit dispatch or another run never sends a message twice. Reads the partial index
    on queued messages, so a large outbox of sent ones costs nothing.
    """
    cutoff = (now or timezone.now()) - older_than
    stale = list(
        OutboundMessage.objects.filter(status=Status.QUEUED, created_at__lt=cutoff)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:batch_size]
    )
    dispatched = 0
    for message_id in stale:
        try:
            if dispatch(message_id) is not None:
                dispatched += 1
        except Exception:
            # One message the database refuses must not keep the rest of the batch waiting.
            logger.exception("message %s: stale dispatch failed", message_id)
    if stale:
        logger.info("dispatched %s of %s stale queued messages", dispatched, len(stale))
    return dispatched


def messages_purge(*, older_than_days: int, now: datetime.datetime | None = None) -> int:
    """Delete messages created more than ``older_than_days`` days ago; returns how many.

    Bodies hold one-time codes and addresses: they are kept only as long as support needs
    them. Deleted in batches so a large outbox never holds one long lock.
    """
    if isinstance(older_than_days, bool) or not isinstance(older_than_days, int):
        raise TypeError("older_than_days must be a whole number of days")
    if older_than_days < 1:
        raise ValueError("older_than_days must be at least 1")
    cutoff = (now or timezone.now()) - datetime.timedelta(days=older_than_days)
    old = OutboundMessage.objects.filter(created_at__lt=cutoff)
    deleted = 0
    while True:
        batch = list(old.order_by("pk").values_list("pk", flat=True)[:PURGE_BATCH_SIZE])
        if not batch:
            return deleted
        count, _details = OutboundMessage.objects.filter(pk__in=batch).delete()
        deleted += count
