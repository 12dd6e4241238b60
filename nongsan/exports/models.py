"""A requested export: which document, for whom, in which format, and the file once made."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", _("Bảng tính Excel (.xlsx)")
    PDF = "pdf", _("PDF")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tạo tệp")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Không tạo được")
    EXPIRED = "expired", _("Đã hết hạn tải")


def export_file_path(instance: Any, filename: str) -> str:
    """A random name: the path tells nothing of who asked for what."""
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"exports/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"


class ExportJob(models.Model):
    """One export asked for by one person; only they may download it, until it expires."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    kind = models.CharField(_("loại tài liệu"), max_length=40)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    format = models.CharField(_("định dạng"), max_length=4, choices=ExportFormat.choices)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=ExportStatus.choices,
        default=ExportStatus.QUEUED,
    )
    title = models.CharField(_("tên tài liệu"), max_length=200, blank=True)
    file = models.FileField(_("tệp"), upload_to=export_file_path, max_length=200, blank=True)
    error = models.CharField(_("lỗi"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("yêu cầu lúc"), default=timezone.now)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu xuất tệp")
        verbose_name_plural = _("yêu cầu xuất tệp")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["requester", "created_at"], name="exports_requester_time"),
            models.Index(fields=["status", "finished_at"], name="exports_status_finished"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.format} #{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    @property
    def is_downloadable(self) -> bool:
        """Done and still within its keeping time: the hourly clean-up that marks a job
        expired may not have run yet, and the page must not offer a link that answers 404."""
        from nongsan.exports.services import export_downloadable  # noqa: PLC0415 - a cycle

        return export_downloadable(self)

    @property
    def download_name(self) -> str:
        return f"nongsan-{self.kind}-{self.pk}.{self.format}"
