"""Consent under the Personal Data Protection Law (91/2025/QH15): what a household agreed to,
for which purposes, how it was collected, and each withdrawal."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nongsan.producers.validators import validate_consent_photo


class Purpose(models.TextChoices):
    """Why the platform processes a household's data; each is agreed to and withdrawn alone."""

    REGISTRY = "registry", _("Lưu trong sổ đăng ký hộ sản xuất")
    MARKETPLACE = "marketplace", _("Đăng bán sản phẩm trên sàn")
    PARTNER_SHARING = "partner_sharing", _("Chia sẻ với nền tảng đối tác (Postmart, Voso…)")
    STATISTICS = "statistics", _("Thống kê của chương trình")
    TRADER_CONTACT = "trader_contact", _("Cho thương lái liên hệ")


class DataType(models.TextChoices):
    NAME = "name", _("Họ tên")
    PHONE = "phone", _("Số điện thoại")
    CITIZEN_ID = "citizen_id", _("Số CCCD")
    ADDRESS = "address", _("Địa chỉ")
    BANK_ACCOUNT = "bank_account", _("Tài khoản ngân hàng")
    FARM = "farm", _("Sản phẩm, diện tích canh tác")
    CERTIFICATIONS = "certifications", _("Chứng nhận, mã số vùng trồng")


class ConsentMethod(models.TextChoices):
    IN_APP = "in_app", _("Đồng ý trên ứng dụng")
    SIGNED_PAPER = "signed_paper", _("Ký giấy (có ảnh chụp)")
    SPOKEN = "spoken", _("Đồng ý bằng lời, có người làm chứng")
    PARTNER = "partner", _("Đồng ý trên nền tảng đối tác")
    # A commune's paper list, signed by each household, that officers keep in a spreadsheet.
    IMPORTED_LIST = "imported_list", _("Danh sách giấy có chữ ký, nhập từ bảng tính")


def consent_photo_path(instance: ConsentRecord, filename: str) -> str:
    """Photos go under consent/ with a name that says nothing about the household."""
    return f"consent/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.img"


class ConsentRecord(models.Model):
    """One act of consent: when, collected by whom and how, for which data, by which controller.

    The purposes agreed are its :class:`ConsentPurpose` rows, each withdrawn on its own.
    """

    household = models.ForeignKey(
        "producers.Household",
        verbose_name=_("hộ"),
        on_delete=models.CASCADE,
        related_name="consent_records",
    )
    controller = models.CharField(
        _("bên kiểm soát dữ liệu"),
        max_length=200,
        help_text=_("Tổ chức chịu trách nhiệm xử lý dữ liệu, ví dụ đơn vị vận hành nền tảng."),
    )
    data_types = models.JSONField(_("loại dữ liệu"), default=list)
    given_at = models.DateTimeField(_("đồng ý lúc"), default=timezone.now)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    method = models.CharField(_("hình thức"), max_length=15, choices=ConsentMethod.choices)
    paper_photo = models.FileField(
        _("ảnh giấy đồng ý"),
        upload_to=consent_photo_path,
        blank=True,
        validators=[validate_consent_photo],
    )
    witness_name = models.CharField(_("người làm chứng"), max_length=150, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
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
        verbose_name = _("lần đồng ý")
        verbose_name_plural = _("các lần đồng ý")
        ordering = ["-given_at", "-id"]

    def __str__(self) -> str:
        return f"{self.household_id} · {self.get_method_display()}"


class ConsentPurpose(models.Model):
    """One purpose agreed in a consent record; withdrawn with a date and who recorded it."""

    record = models.ForeignKey(
        ConsentRecord,
        verbose_name=_("lần đồng ý"),
        on_delete=models.CASCADE,
        related_name="purposes",
    )
    household = models.ForeignKey(
        "producers.Household",
        verbose_name=_("hộ"),
        on_delete=models.CASCADE,
        related_name="consent_purposes",
    )
    purpose = models.CharField(_("mục đích"), max_length=20, choices=Purpose.choices)
    withdrawn_at = models.DateTimeField(_("rút lại lúc"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận rút lại"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_note = models.CharField(_("ghi chú khi rút lại"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("mục đích được đồng ý")
        verbose_name_plural = _("mục đích được đồng ý")
        constraints = [
            models.UniqueConstraint(
                fields=["record", "purpose"], name="producers_consent_purpose_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["household", "purpose", "withdrawn_at"], name="producers_consent_active"
            )
        ]

    def __str__(self) -> str:
        return str(self.get_purpose_display())

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
