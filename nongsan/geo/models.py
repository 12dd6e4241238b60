"""Vietnam's administrative geography before and after the 2025 reform.

Codes are reused across the reform (new Bắc Ninh is 24, old Bắc Giang's code), so a unit is
identified by its level, its code *and* its validity; a record must never store a bare code.
Later changes (renames, type changes, merges, splits) are dated rows, never edits of the past.
See docs/decisions/0003-administrative-geography.md.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

REFORM_DATE = datetime.date(2025, 7, 1)
LEGACY_LAST_DAY = datetime.date(2025, 6, 30)


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Tỉnh / thành phố")
    DISTRICT = "district", _("Quận / huyện")
    COMMUNE = "commune", _("Xã / phường / đặc khu")


class UnitType(models.TextChoices):
    MUNICIPALITY = "municipality", _("Thành phố trực thuộc trung ương")
    PROVINCE = "province", _("Tỉnh")
    URBAN_DISTRICT = "urban_district", _("Quận")
    RURAL_DISTRICT = "rural_district", _("Huyện")
    DISTRICT_TOWN = "district_town", _("Thị xã")
    PROVINCIAL_CITY = "provincial_city", _("Thành phố (cấp huyện)")
    WARD = "ward", _("Phường")
    COMMUNE = "commune", _("Xã")
    TOWNSHIP = "township", _("Thị trấn")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")


class AdministrativeUnitQuerySet(models.QuerySet["AdministrativeUnit"]):
    def valid_on(self, day: datetime.date) -> AdministrativeUnitQuerySet:
        """Units that existed on ``day``."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )

    def current(self) -> AdministrativeUnitQuerySet:
        return self.filter(valid_until__isnull=True)

    def legacy(self) -> AdministrativeUnitQuerySet:
        return self.filter(valid_until=LEGACY_LAST_DAY)


class AdministrativeChange(models.Model):
    """A dated decision that changed the map (the 2025 reform, a later rename or merge).

    Every name version and succession points to the change that made it, so the map's
    history can be read back, and nothing is corrected by overwriting.
    """

    class Kind(models.TextChoices):
        REFORM = "reform", _("Sắp xếp đơn vị hành chính")
        RENAME = "rename", _("Đổi tên")
        TYPE_CHANGE = "type_change", _("Đổi loại hình")
        MERGE = "merge", _("Sáp nhập")
        SPLIT = "split", _("Chia tách")

    reference = models.SlugField(
        _("mã thay đổi"),
        max_length=80,
        unique=True,
        help_text=_("Mã ngắn, duy nhất, để nạp dữ liệu không áp dụng một thay đổi hai lần."),
    )
    kind = models.CharField(_("loại thay đổi"), max_length=20, choices=Kind.choices)
    effective_date = models.DateField(_("ngày hiệu lực"))
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    recorded_at = models.DateTimeField(_("ghi nhận lúc"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("thay đổi địa giới")
        verbose_name_plural = _("thay đổi địa giới")
        ordering = ["effective_date", "id"]

    def __str__(self) -> str:
        return f"{self.effective_date:%d/%m/%Y} · {self.get_kind_display()}"


class AdministrativeUnit(models.Model):
    """A province, a legacy district or a commune, valid over a span of dates."""

    level = models.CharField(_("cấp"), max_length=10, choices=UnitLevel.choices)
    code = models.CharField(_("mã"), max_length=5)
    unit_type = models.CharField(_("loại hình"), max_length=20, choices=UnitType.choices)
    name = models.CharField(_("tên"), max_length=120, help_text=_("Tên đầy đủ, ví dụ Xã Lục Ngạn"))
    short_name = models.CharField(_("tên riêng"), max_length=100, help_text=_("Ví dụ Lục Ngạn"))
    name_folded = models.CharField(_("tên không dấu"), max_length=120, db_index=True)
    short_name_folded = models.CharField(_("tên riêng không dấu"), max_length=100, db_index=True)
    english_name = models.CharField(_("tên tiếng Anh"), max_length=120, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # One column per hierarchy level, so any roll-up is a single GROUP BY.
    province = models.ForeignKey(
        "self",
        verbose_name=_("tỉnh / thành phố"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    district = models.ForeignKey(
        "self",
        verbose_name=_("quận / huyện (cũ)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_until = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code"],
                condition=Q(valid_until__isnull=True),
                name="geo_unit_one_open_unit_per_code",
            ),
            models.UniqueConstraint(
                fields=["level", "code", "valid_until"],
                condition=Q(valid_until__isnull=False),
                name="geo_unit_one_closed_unit_per_code_and_end",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_from__lte=models.F("valid_until")),
                name="geo_unit_valid_from_before_until",
            ),
        ]
        indexes = [models.Index(fields=["level", "valid_until"], name="geo_unit_level_validity")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.valid_until is None

    @property
    def is_legacy(self) -> bool:
        return self.valid_until is not None and self.valid_until < REFORM_DATE

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


class UnitName(models.Model):
    """A unit's name and type over a span of dates: a rename adds a row, it never edits one."""

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.CASCADE,
        related_name="names",
    )
    name = models.CharField(_("tên"), max_length=120)
    unit_type = models.CharField(_("loại hình"), max_length=20, choices=UnitType.choices)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_until = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    change = models.ForeignKey(
        AdministrativeChange,
        verbose_name=_("thay đổi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="names",
    )

    class Meta:
        verbose_name = _("tên theo thời kỳ")
        verbose_name_plural = _("tên theo thời kỳ")
        ordering = ["unit", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(valid_until__isnull=True),
                name="geo_name_one_open_name_per_unit",
            )
        ]

    def __str__(self) -> str:
        return self.name


class UnitSuccession(models.Model):
    """One line of a crosswalk: what a unit (or part of it) became after a change."""

    class Kind(models.TextChoices):
        MERGED_WHOLE = "merged_whole", _("Nhập toàn bộ")
        MERGED_PART = "merged_part", _("Nhập một phần")
        UNCHANGED = "unchanged", _("Giữ nguyên")
        RENAMED = "renamed", _("Đổi tên")
        TYPE_CHANGED = "type_changed", _("Đổi loại hình")
        SPECIAL_ZONE = "special_zone", _("Thành lập đặc khu")

    predecessor = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị trước"),
        on_delete=models.PROTECT,
        related_name="successions",
    )
    successor = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị sau"),
        on_delete=models.PROTECT,
        related_name="predecessions",
    )
    kind = models.CharField(_("hình thức"), max_length=20, choices=Kind.choices)
    is_partial = models.BooleanField(
        _("chỉ một phần"),
        default=False,
        help_text=_("Đơn vị trước bị chia cho nhiều đơn vị sau."),
    )
    note = models.CharField(_("ghi chú gốc"), max_length=200, blank=True)
    change = models.ForeignKey(
        AdministrativeChange,
        verbose_name=_("thay đổi"),
        on_delete=models.PROTECT,
        related_name="successions",
    )

    class Meta:
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor", "change"], name="geo_succession_unique"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="geo_succession_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"
