"""Farm households: who they are, where, what they grow, how they are paid, and their papers."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nongsan.producers.banks import Bank, bank_by_bin
from nongsan.producers.validators import (
    GROWING_AREA_CODE_MAX_LENGTH,
    validate_account_number,
    validate_bank_bin,
    validate_growing_area_code,
)

ERASED_NAME = "Đã xoá"


class HouseholdStatus(models.TextChoices):
    ACTIVE = "active", _("Đang hoạt động")
    MERGED = "merged", _("Đã gộp vào hộ khác")
    ERASED = "erased", _("Đã xoá dữ liệu cá nhân")


class RegistrationChannel(models.TextChoices):
    """How the record came in; the import and partner API set their own value."""

    ASSISTED = "assisted", _("Người hỗ trợ đăng ký")
    SELF = "self", _("Hộ tự đăng ký")
    OFFICER = "officer", _("Cán bộ đăng ký")
    API = "api", _("Nền tảng đối tác (API)")
    IMPORT = "import", _("Nhập từ bảng tính")
    DEMO = "demo", _("Dữ liệu mẫu")


def same_name_in_commune(pairs: Iterable[tuple[str, int]]) -> Q:
    """Households whose folded head name and commune are one of ``pairs``, for duplicate
    checks over a batch: one ``commune = c AND name IN (…)`` term per commune, ORed, which
    both databases answer with (name, commune) index lookups.

    Without a status term, on purpose: given ``status = 'active'`` SQLite prefers the
    (commune, status) index and reads every household of each commune, so a batch cost grew
    with the registry; callers keep the active rows themselves. Written as SQL text with
    parameters because Django took longer to build the same condition from a Q per commune
    than the database took to answer it; ``(name, commune) IN (VALUES …)`` made SQLite scan.
    """
    by_commune: dict[int, set[str]] = {}
    for folded_name, commune_id in pairs:
        by_commune.setdefault(int(commune_id), set()).add(str(folded_name))
    if not by_commune:
        return Q(pk__in=[])
    quote = connection.ops.quote_name
    table = quote(Household._meta.db_table)
    name = f"{table}.{quote(Household._meta.get_field('head_name_folded').column)}"
    commune = f"{table}.{quote(Household._meta.get_field('commune').column)}"
    terms: list[str] = []
    parameters: list[Any] = []
    for commune_id, names in sorted(by_commune.items()):
        placeholders = ", ".join(["%s"] * len(names))
        terms.append(f"({commune} = %s AND {name} IN ({placeholders}))")
        parameters += [commune_id, *sorted(names)]
    # Column names come from the model; every value is a parameter.
    sql = "(" + " OR ".join(terms) + ")"
    return Q(RawSQL(sql, parameters, output_field=models.BooleanField()))  # noqa: S611


class HouseholdQuerySet(models.QuerySet["Household"]):
    def active(self) -> HouseholdQuerySet:
        return self.filter(status=HouseholdStatus.ACTIVE)

    def with_consent(self, purpose: str) -> HouseholdQuerySet:
        """Households whose consent for ``purpose`` stands (given and not withdrawn).

        Every selector that processes households for a purpose starts from this, so that
        withdrawing consent stops the processing at once.
        """
        from nongsan.producers.models.consent import ConsentPurpose

        return self.filter(
            models.Exists(
                ConsentPurpose.objects.filter(
                    household=models.OuterRef("pk"), purpose=purpose, withdrawn_at__isnull=True
                )
            )
        )


class Household(models.Model):
    """A farm household (hộ sản xuất nông nghiệp): the registry's unit, with its head's name.

    The citizen ID is never stored in clear: ``citizen_id_encrypted`` holds it encrypted,
    ``citizen_id_index`` a keyed hash for lookups, ``citizen_id_masked`` what screens show.
    ``province`` repeats the commune's province so that area scoping is one indexed column.
    """

    head_name = models.CharField(_("họ tên chủ hộ"), max_length=150)
    head_name_folded = models.CharField(
        _("họ tên chủ hộ không dấu"), max_length=150, editable=False
    )
    phone = models.CharField(
        _("số điện thoại chính"),
        max_length=16,
        blank=True,
        db_index=True,
        help_text=_("Dạng quốc tế E.164, ví dụ +84912345678."),
    )
    citizen_id_encrypted = models.TextField(_("số CCCD (đã mã hoá)"), blank=True, editable=False)
    citizen_id_index = models.CharField(
        _("chỉ mục số CCCD"), max_length=64, blank=True, db_index=True, editable=False
    )
    citizen_id_masked = models.CharField(_("số CCCD (che)"), max_length=12, blank=True)
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
    address_as_written = models.CharField(
        _("địa chỉ như đã ghi"),
        max_length=300,
        blank=True,
        help_text=_("Giữ nguyên như người dân hoặc bảng tính đã ghi, kể cả địa chỉ cũ."),
    )
    village = models.CharField(_("thôn / ấp / bản"), max_length=120, blank=True)
    village_folded = models.CharField(
        _("thôn / ấp / bản không dấu"), max_length=120, blank=True, editable=False
    )
    main_produce = models.CharField(_("sản phẩm chính"), max_length=200, blank=True)
    farm_area_hectares = models.DecimalField(
        _("diện tích canh tác (ha)"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    bank_bin = models.CharField(
        _("ngân hàng (mã BIN NAPAS)"), max_length=6, blank=True, validators=[validate_bank_bin]
    )
    bank_account_number = models.CharField(
        _("số tài khoản"), max_length=19, blank=True, validators=[validate_account_number]
    )
    bank_account_holder = models.CharField(
        _("tên chủ tài khoản"),
        max_length=100,
        blank=True,
        help_text=_("Chữ in hoa không dấu, như ngân hàng in."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản của hộ"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="households",
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=HouseholdStatus.choices,
        default=HouseholdStatus.ACTIVE,
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("đã gộp vào"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="absorbed",
    )
    registered_via = models.CharField(
        _("đăng ký qua"),
        max_length=10,
        choices=RegistrationChannel.choices,
        default=RegistrationChannel.ASSISTED,
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đăng ký"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    external_reference = models.CharField(
        _("mã tham chiếu bên ngoài"),
        max_length=100,
        blank=True,
        help_text=_(
            "Mã của hồ sơ ở hệ thống gửi sang (đối tác, bảng tính); gửi lại không tạo trùng."
        ),
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)
    erased_at = models.DateTimeField(_("xoá dữ liệu cá nhân lúc"), null=True, blank=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("hộ sản xuất")
        verbose_name_plural = _("hộ sản xuất")
        constraints = [
            models.CheckConstraint(
                condition=Q(farm_area_hectares__isnull=True) | Q(farm_area_hectares__gte=0),
                name="producers_household_area_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(status=HouseholdStatus.MERGED, merged_into__isnull=False)
                | (~Q(status=HouseholdStatus.MERGED) & Q(merged_into__isnull=True)),
                name="producers_household_merged_has_survivor",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")),
                name="producers_household_not_merged_into_self",
            ),
            models.CheckConstraint(
                condition=Q(bank_bin="", bank_account_number="")
                | (~Q(bank_bin="") & ~Q(bank_account_number="")),
                name="producers_household_bank_complete",
            ),
            models.UniqueConstraint(
                fields=["registered_by", "external_reference"],
                condition=~Q(external_reference=""),
                name="producers_household_external_reference_once",
            ),
        ]
        indexes = [
            models.Index(fields=["province", "status"], name="producers_household_province"),
            models.Index(fields=["commune", "status"], name="producers_household_commune"),
            # The folded name first: duplicate checks ask for a batch of names across communes.
            models.Index(fields=["head_name_folded", "commune"], name="producers_household_name"),
        ]

    def __str__(self) -> str:
        return self.head_name

    def audit_label(self) -> str:
        """The trail's label of a household: its number, never the head's name (erasure
        cannot rewrite the append-only trail, so the name must not be written there)."""
        return f"Hộ #{self.pk}"

    @property
    def bank(self) -> Bank | None:
        return bank_by_bin(self.bank_bin) if self.bank_bin else None

    @property
    def bank_account_masked(self) -> str:
        """The account number as screens and the API show it: only the last four digits."""
        number = self.bank_account_number
        return "*" * max(0, len(number) - 4) + number[-4:] if number else ""

    @property
    def is_active(self) -> bool:
        return self.status == HouseholdStatus.ACTIVE


class HouseholdPhone(models.Model):
    """Another phone of the household (a son's, a second SIM), besides the main one."""

    household = models.ForeignKey(
        Household, verbose_name=_("hộ"), on_delete=models.CASCADE, related_name="extra_phones"
    )
    phone = models.CharField(_("số điện thoại"), max_length=16, db_index=True)
    label = models.CharField(_("ghi chú"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("thêm lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("số điện thoại khác của hộ")
        verbose_name_plural = _("số điện thoại khác của hộ")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "phone"], name="producers_household_phone_once"
            )
        ]

    def __str__(self) -> str:
        return self.phone


class CertificationKind(models.TextChoices):
    VIETGAP = "vietgap", _("VietGAP")
    GLOBALGAP = "globalgap", _("GlobalG.A.P.")
    ORGANIC = "organic", _("Hữu cơ")
    OCOP = "ocop", _("OCOP")


class Certification(models.Model):
    """A certificate held by a household or a cooperative (VietGAP, GlobalGAP, organic, OCOP).

    OCOP ratings carry 3 to 5 stars; the other kinds none.
    """

    kind = models.CharField(_("loại chứng nhận"), max_length=10, choices=CertificationKind.choices)
    ocop_stars = models.PositiveSmallIntegerField(_("số sao OCOP"), null=True, blank=True)
    number = models.CharField(_("số chứng nhận"), max_length=60, blank=True)
    issuer = models.CharField(_("tổ chức cấp"), max_length=200, blank=True)
    issued_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    expires_on = models.DateField(_("ngày hết hạn"), null=True, blank=True)
    product = models.CharField(_("sản phẩm được chứng nhận"), max_length=200, blank=True)
    household = models.ForeignKey(
        Household,
        verbose_name=_("hộ"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="certifications",
    )
    cooperative = models.ForeignKey(
        "producers.Cooperative",
        verbose_name=_("hợp tác xã"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="certifications",
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
    created_at = models.DateTimeField(_("thêm lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("chứng nhận")
        verbose_name_plural = _("chứng nhận")
        constraints = [
            models.CheckConstraint(
                condition=Q(household__isnull=False, cooperative__isnull=True)
                | Q(household__isnull=True, cooperative__isnull=False),
                name="producers_certification_one_holder",
            ),
            models.CheckConstraint(
                condition=Q(kind=CertificationKind.OCOP, ocop_stars__gte=3, ocop_stars__lte=5)
                | (~Q(kind=CertificationKind.OCOP) & Q(ocop_stars__isnull=True)),
                name="producers_certification_ocop_stars",
            ),
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True)
                | Q(expires_on__isnull=True)
                | Q(issued_on__lte=models.F("expires_on")),
                name="producers_certification_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["kind", "expires_on"], name="producers_cert_kind")]

    def __str__(self) -> str:
        label = str(self.get_kind_display())
        if self.kind == CertificationKind.OCOP and self.ocop_stars:
            label = f"{label} {self.ocop_stars}★"
        return f"{label} {self.number}".strip()

    def is_valid_on(self, day: datetime.date) -> bool:
        if self.issued_on is not None and day < self.issued_on:
            return False
        return self.expires_on is None or day <= self.expires_on

    @property
    def is_valid_now(self) -> bool:
        return self.is_valid_on(timezone.localdate())


class GrowingAreaCode(models.Model):
    """A growing-area code (mã số vùng trồng) a household or cooperative was issued."""

    code = models.CharField(
        _("mã số vùng trồng"),
        max_length=GROWING_AREA_CODE_MAX_LENGTH,
        validators=[validate_growing_area_code],
    )
    crop = models.CharField(_("cây trồng"), max_length=120, blank=True)
    household = models.ForeignKey(
        Household,
        verbose_name=_("hộ"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="growing_area_codes",
    )
    cooperative = models.ForeignKey(
        "producers.Cooperative",
        verbose_name=_("hợp tác xã"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="growing_area_codes",
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
    created_at = models.DateTimeField(_("thêm lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("mã số vùng trồng")
        verbose_name_plural = _("mã số vùng trồng")
        constraints = [
            models.CheckConstraint(
                condition=Q(household__isnull=False, cooperative__isnull=True)
                | Q(household__isnull=True, cooperative__isnull=False),
                name="producers_growing_area_one_holder",
            ),
        ]
        indexes = [models.Index(fields=["code"], name="producers_growing_area_code")]

    def __str__(self) -> str:
        return self.code


class DuplicateReason(models.TextChoices):
    SAME_PHONE = "same_phone", _("Trùng số điện thoại")
    SAME_CITIZEN_ID = "same_citizen_id", _("Trùng số CCCD")
    SAME_NAME_IN_COMMUNE = "same_name_in_commune", _("Trùng họ tên trong cùng xã")


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("Chờ xử lý")
    MERGED = "merged", _("Đã gộp")
    DISMISSED = "dismissed", _("Không phải trùng")


class DuplicateFlag(models.Model):
    """Two households that may be one: kept open until an officer merges or dismisses them.

    ``household`` is the newer record, ``other`` the one it resembles. Scoped by the newer
    record's area.
    """

    household = models.ForeignKey(
        Household, verbose_name=_("hộ"), on_delete=models.CASCADE, related_name="duplicate_flags"
    )
    other = models.ForeignKey(
        Household,
        verbose_name=_("hộ giống"),
        on_delete=models.CASCADE,
        related_name="duplicate_flags_as_other",
    )
    reason = models.CharField(_("lý do"), max_length=30, choices=DuplicateReason.choices)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=DuplicateStatus.choices,
        default=DuplicateStatus.OPEN,
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
    created_at = models.DateTimeField(_("phát hiện lúc"), default=timezone.now)
    resolved_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xử lý"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("nghi trùng hộ")
        verbose_name_plural = _("nghi trùng hộ")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "other", "reason"], name="producers_duplicate_once"
            ),
            models.CheckConstraint(
                condition=~Q(household=models.F("other")), name="producers_duplicate_not_self"
            ),
        ]
        indexes = [models.Index(fields=["status", "province"], name="producers_duplicate_open")]

    def __str__(self) -> str:
        return f"{self.household_id} ~ {self.other_id} · {self.get_reason_display()}"


class MergeRecord(models.Model):
    """The history of a merge: which record was absorbed into which, and what it held."""

    survivor = models.ForeignKey(
        Household, verbose_name=_("hộ giữ lại"), on_delete=models.PROTECT, related_name="merges"
    )
    absorbed = models.ForeignKey(
        Household,
        verbose_name=_("hộ được gộp"),
        on_delete=models.PROTECT,
        related_name="merged_away",
    )
    snapshot = models.JSONField(
        _("hồ sơ trước khi gộp"),
        default=dict,
        help_text=_("Các trường của hộ được gộp, số CCCD chỉ ở dạng che."),
    )
    moved = models.JSONField(_("đã chuyển"), default=dict, blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gộp"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    merged_at = models.DateTimeField(_("gộp lúc"), default=timezone.now)
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
        verbose_name = _("lần gộp hộ")
        verbose_name_plural = _("các lần gộp hộ")

    def __str__(self) -> str:
        return f"{self.absorbed_id} → {self.survivor_id}"


class HouseholdCreateRequest(models.Model):
    """An ``Idempotency-Key`` a partner sent with a create: the same key answers the same
    household, so a retried request never registers it twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    key = models.CharField(_("khoá chống trùng"), max_length=100)
    request_digest = models.CharField(_("dấu vết nội dung"), max_length=64)
    household = models.ForeignKey(
        Household, verbose_name=_("hộ"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("yêu cầu tạo hộ qua API")
        verbose_name_plural = _("yêu cầu tạo hộ qua API")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="producers_create_key_once")
        ]

    def __str__(self) -> str:
        return self.key
