"""People who sign in. The login is a Vietnamese phone number in E.164, from the first
migration on, because most households have a phone and no e-mail address."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
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
        try:
            username = normalize_phone(username or "")
        except Exception:  # noqa: S110 - an unparseable login simply matches nobody
            pass
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
