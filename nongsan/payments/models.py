"""Money an order moves: payouts of cash collected on delivery, and the bank's notices of
transfers received. Whole đồng throughout. See docs/decisions/0019-payments-vietqr.md."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PayoutStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Chờ chuyển cho người bán")
    PAID = "paid", _("Đã chuyển cho người bán")


class Payout(models.Model):
    """Cash a carrier collected on delivery, owed to the seller after a holding period (so
    that a return in the first days does not have to be clawed back)."""

    order = models.OneToOneField(
        "orders.Order", verbose_name=_("đơn hàng"), on_delete=models.PROTECT, related_name="payout"
    )
    amount_vnd = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    due_at = models.DateTimeField(_("chuyển từ lúc"))
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=PayoutStatus.choices,
        default=PayoutStatus.SCHEDULED,
    )
    paid_at = models.DateTimeField(_("đã chuyển lúc"), null=True, blank=True)
    province = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("tỉnh / thành phố"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    commune = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("xã / phường"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("khoản chuyển cho người bán")
        verbose_name_plural = _("khoản chuyển cho người bán")
        constraints = [
            models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="payments_payout_amount")
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.amount_vnd}"


class NotificationOutcome(models.TextChoices):
    CREDITED = "credited", _("Đã ghi nhận thanh toán")
    AMOUNT_MISMATCH = "amount_mismatch", _("Sai số tiền")
    UNKNOWN_REFERENCE = "unknown_reference", _("Không tìm thấy mã đơn")
    ALREADY_PAID = "already_paid", _("Đơn đã được thanh toán trước đó")


class BankNotification(models.Model):
    """A transfer the bank or payment gateway told us about, kept whatever it said: what
    could not be credited waits on the reconciliation page for staff."""

    notification_id = models.CharField(_("mã thông báo"), max_length=100, unique=True)
    received_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)
    sent_at = models.DateTimeField(_("ngân hàng gửi lúc"))
    amount_vnd = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    description = models.CharField(_("nội dung chuyển khoản"), max_length=300, blank=True)
    reference = models.CharField(_("mã đơn đọc được"), max_length=16, blank=True)
    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("đơn hàng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bank_notifications",
    )
    outcome = models.CharField(_("kết quả"), max_length=20, choices=NotificationOutcome.choices)
    resolved_at = models.DateTimeField(_("đã đối soát lúc"), null=True, blank=True)
    body = models.JSONField(_("nội dung gốc"), default=dict)

    class Meta:
        verbose_name = _("thông báo chuyển khoản")
        verbose_name_plural = _("thông báo chuyển khoản")
        indexes = [models.Index(fields=["outcome", "received_at"], name="payments_notice_outcome")]

    def __str__(self) -> str:
        return self.notification_id
