"""People who sign in. The login is a Vietnamese phone number in E.164, from the first
migration on, because most households have a phone and no e-mail address."""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nongsan.common.phone import normalize_phone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, phone: str, password: str | None, **fields: Any) -> User:
        user = self.model(phone=normalize_phone(phone), **fields)
        if fields.get("email"):
            user.email = self.normalize_email(fields["email"])
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, phone: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(phone, password, **fields)

    def create_superuser(self, phone: str, password: str | None = None, **fields: Any) -> User:
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._create(phone, password, **fields)

    def get_by_natural_key(self, username: str | None) -> User:
        # An unparseable login is looked up as typed and simply matches nobody.
        with contextlib.suppress(ValidationError):
            username = normalize_phone(username or "")
        return self.get(**{self.model.USERNAME_FIELD: username})


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their phone number."""

    class Language(models.TextChoices):
        VIETNAMESE = "vi", _("Tiếng Việt")
        ENGLISH = "en", _("English")

    phone = models.CharField(
        _("số điện thoại"),
        max_length=16,
        unique=True,
        help_text=_("Dạng quốc tế E.164, ví dụ +84912345678."),
        error_messages={"unique": _("Số điện thoại này đã có tài khoản.")},
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("ngôn ngữ"), max_length=2, choices=Language.choices, default=Language.VIETNAMESE
    )
    phone_confirmed_at = models.DateTimeField(
        _("xác nhận số điện thoại lúc"),
        null=True,
        blank=True,
        help_text=_("Trống khi chủ số chưa nhập mã xác nhận."),
    )
    is_staff = models.BooleanField(_("nhân viên quản trị"), default=False)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    date_joined = models.DateTimeField(_("ngày tham gia"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.phone

    def clean(self) -> None:
        super().clean()
        if self.phone:
            self.phone = normalize_phone(self.phone)
        self.email = type(self).objects.normalize_email(self.email)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[-1] if self.full_name else self.phone


class Role(models.TextChoices):
    """What a person does on the platform; a person can hold several (see RoleGrant)."""

    HOUSEHOLD_SELLER = "household_seller", _("Hộ sản xuất / người bán")
    COOPERATIVE_MANAGER = "cooperative_manager", _("Quản lý hợp tác xã")
    ASSISTANT = "assistant", _("Người hỗ trợ")
    BUYER = "buyer", _("Người mua")
    TRADER = "trader", _("Thương lái / doanh nghiệp thu mua")
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ xã")
    PROVINCE_OFFICER = "province_officer", _("Cán bộ tỉnh (Sở)")
    MINISTRY = "ministry", _("Bộ (tổ công tác quốc gia)")
    PARTNER_PLATFORM = "partner_platform", _("Nền tảng đối tác")
    STAFF_ADMINISTRATOR = "staff_administrator", _("Quản trị hệ thống")


# Roles that only mean something inside an administrative unit.
AREA_ROLES = frozenset({Role.ASSISTANT, Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER})


class AssistantKind(models.TextChoices):
    TRAINER = "trainer", _("Tập huấn viên")
    COMMUNITY_TECH_TEAM = "community_tech_team", _("Tổ công nghệ số cộng đồng")
    POSTAL_STAFF = "postal_staff", _("Nhân viên bưu điện")


class RoleGrantQuerySet(models.QuerySet["RoleGrant"]):
    def active(self) -> RoleGrantQuerySet:
        return self.filter(revoked_at__isnull=True)


class RoleGrant(models.Model):
    """A role held by a person; officer and assistant roles are bound to a current unit.

    A province grant covers every commune of the province. ``province`` repeats the unit's
    province (or the unit itself) so that scope checks are one indexed lookup.
    """

    user = models.ForeignKey(
        User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    assistant_kind = models.CharField(
        _("loại người hỗ trợ"), max_length=30, choices=AssistantKind.choices, blank=True
    )
    unit = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("địa bàn"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    province = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("tỉnh / thành phố"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_by = models.ForeignKey(
        User,
        verbose_name=_("người cấp"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("cấp lúc"), default=timezone.now)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        verbose_name=_("người thu hồi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("vai trò được cấp")
        verbose_name_plural = _("vai trò được cấp")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=models.Q(revoked_at__isnull=True, unit__isnull=False),
                name="accounts_grant_one_active_per_unit",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(revoked_at__isnull=True, unit__isnull=True),
                name="accounts_grant_one_active_unscoped",
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=sorted(AREA_ROLES)) | models.Q(unit__isnull=False),
                name="accounts_grant_area_role_has_unit",
            ),
        ]
        indexes = [models.Index(fields=["user", "revoked_at"], name="accounts_grant_user_active")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}" + (f" · {self.unit}" if self.unit else "")


class Assistance(models.Model):
    """An assistant assigned to act for a household (in the registry) or a seller account.

    For a registry household the household's own consent (purpose "registry") is what allows
    the assistant to act; for a bare seller account ``consent_recorded_at`` stands for it.
    """

    assistant = models.ForeignKey(
        User, verbose_name=_("người hỗ trợ"), on_delete=models.CASCADE, related_name="assisting"
    )
    seller = models.ForeignKey(
        User,
        verbose_name=_("tài khoản người bán được hỗ trợ"),
        on_delete=models.CASCADE,
        related_name="assisted_by",
        null=True,
        blank=True,
    )
    household = models.ForeignKey(
        "producers.Household",
        verbose_name=_("hộ được hỗ trợ"),
        on_delete=models.PROTECT,
        related_name="assistances",
        null=True,
        blank=True,
        help_text=_("Hộ trong sổ đăng ký; nhiều hộ được hỗ trợ chưa có tài khoản."),
    )
    commune = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("xã / phường"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    province = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("tỉnh / thành phố"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    consent_recorded_at = models.DateTimeField(_("hộ đồng ý lúc"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        User, verbose_name=_("người phân công"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("phân công lúc"), default=timezone.now)
    ended_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phân công hỗ trợ")
        verbose_name_plural = _("phân công hỗ trợ")
        constraints = [
            models.UniqueConstraint(
                fields=["assistant", "seller"],
                condition=models.Q(ended_at__isnull=True),
                name="accounts_assistance_one_active",
            ),
            models.UniqueConstraint(
                fields=["assistant", "household"],
                condition=models.Q(ended_at__isnull=True, household__isnull=False),
                name="accounts_assistance_one_active_per_household",
            ),
            models.CheckConstraint(
                condition=~models.Q(assistant=models.F("seller")),
                name="accounts_assistance_not_self",
            ),
            models.CheckConstraint(
                condition=models.Q(seller__isnull=False) | models.Q(household__isnull=False),
                name="accounts_assistance_for_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assistant} → {self.seller}"


class OneTimeCode(models.Model):
    """A code sent to a phone to confirm it or reset a password: hashed, expiring, single-use.

    Rows are kept after use so that request rate limits per phone and per IP are counted
    from the database, which every application server shares.
    """

    class Purpose(models.TextChoices):
        SIGN_UP = "sign_up", _("Xác nhận đăng ký")
        PASSWORD_RESET = "password_reset", _("Đặt lại mật khẩu")
        PHONE_CHANGE = "phone_change", _("Đổi số điện thoại")
        GUEST_CHECKOUT = "guest_checkout", _("Đặt hàng không cần tài khoản")

    phone = models.CharField(_("số điện thoại"), max_length=16, db_index=True)
    purpose = models.CharField(_("mục đích"), max_length=20, choices=Purpose.choices)
    user = models.ForeignKey(
        User,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="one_time_codes",
    )
    code_hash = models.CharField(_("mã (đã băm)"), max_length=128)
    requested_ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    used_at = models.DateTimeField(_("dùng lúc"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("số lần nhập sai"), default=0)

    class Meta:
        verbose_name = _("mã xác nhận")
        verbose_name_plural = _("mã xác nhận")
        indexes = [
            models.Index(fields=["requested_ip", "created_at"], name="accounts_code_ip_time")
        ]

    def __str__(self) -> str:
        return f"{self.phone} · {self.get_purpose_display()}"


class ApiToken(models.Model):
    """A personal or partner API token: only its digest is stored; the secret is shown once."""

    user = models.ForeignKey(
        User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("tên gợi nhớ"), max_length=100)
    prefix = models.CharField(_("tiền tố"), max_length=12, unique=True)
    digest = models.CharField(_("mã băm"), max_length=128)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
