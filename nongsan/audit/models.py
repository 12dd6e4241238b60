"""The audit trail: who did what to which record, when, from where, on behalf of whom.

Entries are append-only. The ORM refuses to update or delete them (the queryset, the
manager used for related lookups, ``save()`` and ``delete()``), and a database trigger
refuses it on SQLite and PostgreSQL as well, so not even raw SQL rewrites history. See
docs/decisions/0008-audit-trail.md.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nongsan.common.formatting import format_datetime

USER_AGENT_MAX_LENGTH = 300
TARGET_REPR_MAX_LENGTH = 200
ON_BEHALF_OF_LABEL_MAX_LENGTH = 200


class AppendOnlyError(Exception):
    """Raised by every ORM path that would change or remove an audit entry."""


def _refuse(operation: str) -> NoReturn:
    raise AppendOnlyError(f"audit entries are append-only: {operation} is refused")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    """Reads and appends only: bulk updates and deletes are refused before reaching the database."""

    def update(self, **kwargs: Any) -> NoReturn:
        _refuse("update")

    def delete(self) -> NoReturn:
        _refuse("delete")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> NoReturn:
        _refuse("bulk_update")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("update_or_create")

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[AuditEntry]:
        """Appending many entries is fine; an upsert (``update_conflicts``) is not."""
        if kwargs.get("update_conflicts"):
            _refuse("bulk_create(update_conflicts=True)")
        return super().bulk_create(objs, *args, **kwargs)


class AuditEntry(models.Model):
    """One action on the platform, kept forever: the basis of accountability and of the
    personal-data law's duty to log every reveal of a phone number or citizen ID."""

    occurred_at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    # PROTECT, not SET_NULL: nulling the actor would UPDATE history (and the trigger refuses
    # it). Accounts with audit history are deactivated, never deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Để trống khi hệ thống tự thực hiện."),
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("thực hiện thay cho"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    on_behalf_of_label = models.CharField(
        _("thực hiện thay cho (tên)"),
        max_length=ON_BEHALF_OF_LABEL_MAX_LENGTH,
        blank=True,
        help_text=_("Tên hộ hoặc người được thực hiện thay, tại thời điểm ghi."),
    )
    action = models.CharField(
        _("hành động"),
        max_length=100,
        help_text=_("Mã dạng ứng_dụng.việc, ví dụ accounts.role_grant."),
    )
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("loại đối tượng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    target_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    target_repr = models.CharField(
        _("đối tượng"),
        max_length=TARGET_REPR_MAX_LENGTH,
        blank=True,
        help_text=_("Tên của đối tượng tại thời điểm ghi."),
    )
    changes = models.JSONField(
        _("thay đổi"),
        default=dict,
        blank=True,
        help_text=_("Mỗi trường: [giá trị trước, giá trị sau]."),
    )
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(
        _("trình duyệt / ứng dụng"), max_length=USER_AGENT_MAX_LENGTH, blank=True
    )
    request_id = models.CharField(
        _("mã yêu cầu"),
        max_length=32,
        blank=True,
        db_index=True,
        help_text=_("Các mục cùng một yêu cầu có cùng mã."),
    )
    is_reveal = models.BooleanField(
        _("xem dữ liệu cá nhân"),
        default=False,
        help_text=_("Ghi lại việc hiện đầy đủ số điện thoại, số CCCD."),
    )
    province = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("tỉnh / thành phố"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    commune = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("xã / phường"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("mục nhật ký kiểm toán")
        verbose_name_plural = _("nhật ký kiểm toán")
        ordering = ["-occurred_at", "-id"]
        # Related lookups and Django internals use the base manager: make it refuse too.
        base_manager_name = "objects"
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["province", "occurred_at"], name="audit_entry_province_time"),
            models.Index(fields=["commune", "occurred_at"], name="audit_entry_commune_time"),
            models.Index(fields=["target_type", "target_id"], name="audit_entry_target"),
            models.Index(fields=["actor", "occurred_at"], name="audit_entry_actor_time"),
        ]

    def __str__(self) -> str:
        when = format_datetime(self.occurred_at) if self.occurred_at else ""
        return " · ".join(part for part in (when, self.action, self.target_repr) if part)

    # The one justified override of save() and delete() in the project: an audit entry is
    # written once and never changed or removed, whatever path the code takes to it.
    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            _refuse("save() of an existing entry")
        # Without force_insert, an entry built with an existing pk would UPDATE that row.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("delete")
