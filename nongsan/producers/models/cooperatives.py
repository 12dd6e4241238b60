"""Cooperatives (hợp tác xã) and their member households."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Cooperative(models.Model):
    """A cooperative (HTX): sells on behalf of the members that allow it."""

    name = models.CharField(_("tên hợp tác xã"), max_length=200)
    name_folded = models.CharField(
        _("tên không dấu"), max_length=200, editable=False, db_index=True
    )
    registration_number = models.CharField(
        _("số đăng ký hợp tác xã"),
        max_length=30,
        blank=True,
        help_text=_("Số trên giấy chứng nhận đăng ký hợp tác xã."),
    )
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
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=16, blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quản lý"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_cooperatives",
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)
    members = models.ManyToManyField(
        "producers.Household",
        verbose_name=_("hộ thành viên"),
        through="producers.CooperativeMembership",
        related_name="cooperatives",
    )

    class Meta:
        verbose_name = _("hợp tác xã")
        verbose_name_plural = _("hợp tác xã")
        constraints = [
            models.UniqueConstraint(
                fields=["registration_number"],
                condition=~Q(registration_number=""),
                name="producers_cooperative_registration_once",
            )
        ]
        indexes = [models.Index(fields=["province", "commune"], name="producers_coop_area")]

    def __str__(self) -> str:
        return self.name


class CooperativeMembership(models.Model):
    """A household's membership of a cooperative, from joining to leaving.

    ``sells_on_behalf`` says the cooperative may list and sell this member's produce.
    """

    cooperative = models.ForeignKey(
        Cooperative,
        verbose_name=_("hợp tác xã"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    household = models.ForeignKey(
        "producers.Household",
        verbose_name=_("hộ"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    joined_on = models.DateField(_("ngày vào"), default=timezone.localdate)
    left_on = models.DateField(_("ngày rời"), null=True, blank=True)
    sells_on_behalf = models.BooleanField(
        _("hợp tác xã bán thay"),
        default=False,
        help_text=_("Hợp tác xã được đăng bán và bán sản phẩm thay cho hộ này."),
    )
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
        verbose_name = _("thành viên hợp tác xã")
        verbose_name_plural = _("thành viên hợp tác xã")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "household"],
                condition=Q(left_on__isnull=True),
                name="producers_membership_one_current",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="producers_membership_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} · {self.cooperative}"

    def audit_label(self) -> str:
        """The trail's label: the household by number, not by its head's name."""
        return f"Hộ #{self.household_id} · {self.cooperative}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None
