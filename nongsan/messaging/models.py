"""Messages the platform sends (one-time codes, notices), one row per message and channel.

Every message is written here first and then handed to the backend configured for its
channel, so the row is both the developer's outbox (the local backend sends nothing) and the
delivery log support reads when a real gateway is configured. Bodies can hold one-time codes:
rows are kept only as long as needed and removed by ``manage.py purge_messages``.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The backend that keeps messages on this machine; its messages may be shown in full.
LOCAL_BACKEND = "nongsan.messaging.backends.local.LocalBackend"


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    ZALO = "zalo", _("Zalo")
    EMAIL = "email", _("Thư điện tử")


class Status(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")


class OutboundMessage(models.Model):
    """One message to one recipient on one channel, with what its backend made of it."""

    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(
        _("người nhận"),
        max_length=254,
        help_text=_("Số điện thoại dạng E.164 (SMS, Zalo) hoặc địa chỉ thư điện tử."),
    )
    subject = models.CharField(_("tiêu đề"), max_length=200, blank=True)
    body = models.TextField(_("nội dung"))
    template_data = models.JSONField(
        _("dữ liệu mẫu tin"),
        default=dict,
        blank=True,
        help_text=_("Tham số của mẫu tin Zalo (ZNS), ví dụ mã xác nhận."),
    )
    purpose = models.CharField(
        _("mục đích"), max_length=40, help_text=_("Ví dụ sign_up_code, password_reset_code.")
    )
    language = models.CharField(_("ngôn ngữ"), max_length=8, default="vi")
    backend = models.CharField(_("cách gửi"), max_length=200)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    error = models.TextField(_("lỗi"), blank=True)
    provider_message_id = models.CharField(_("mã tin của nhà cung cấp"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)

    class Meta:
        verbose_name = _("tin nhắn gửi đi")
        verbose_name_plural = _("tin nhắn gửi đi")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="messaging_recipient_time"),
            models.Index(fields=["purpose", "-created_at"], name="messaging_purpose_time"),
            models.Index(fields=["-created_at"], name="messaging_created"),
            # Only the few messages still waiting: what ``dispatch_stale`` looks for.
            models.Index(
                fields=["created_at"],
                condition=models.Q(status=Status.QUEUED),
                name="messaging_queued_created",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values), name="messaging_channel_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="messaging_status_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=Status.SENT) | models.Q(sent_at__isnull=False),
                name="messaging_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.masked_recipient} · {self.purpose}"

    @property
    def stayed_local(self) -> bool:
        """True when the message never left this machine, so showing its body reveals nothing."""
        return self.backend == LOCAL_BACKEND

    @property
    def masked_recipient(self) -> str:
        """The recipient with the middle hidden (``+84912•••678``, ``n•••@example.vn``)."""
        return mask_recipient(self.recipient)


def mask_recipient(recipient: str) -> str:
    """Hide most of a phone number or e-mail address, keeping enough to tell two apart."""
    if "@" in recipient:
        local, _at, domain = recipient.partition("@")
        return f"{local[:1]}•••@{domain}"
    if len(recipient) <= 8:
        return "•" * len(recipient)
    return f"{recipient[:6]}•••{recipient[-3:]}"
