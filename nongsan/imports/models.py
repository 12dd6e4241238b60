"""Spreadsheet imports of households: the uploaded file, its mapping and each row's outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Đã tải lên")
    VALIDATING = "validating", _("Đang kiểm tra")
    VALIDATED = "validated", _("Đã kiểm tra")
    IMPORTING = "importing", _("Đang nhập")
    DONE = "done", _("Đã nhập xong")
    FAILED = "failed", _("Lỗi")


class RowStatus(models.TextChoices):
    VALID = "valid", _("Hợp lệ, chờ nhập")
    IMPORTED = "imported", _("Đã nhập")
    UNCHANGED = "unchanged", _("Đã có, không đổi")
    ERROR = "error", _("Lỗi")
    DUPLICATE = "duplicate", _("Trùng")


def import_file_path(instance: ImportJob, filename: str) -> str:
    """Uploads go under imports/ by month, keeping the extension the reader needs."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"imports/{timezone.now():%Y/%m}/{instance.sha256[:16] or 'file'}.{suffix[:5]}"


class ImportJob(models.Model):
    """One uploaded spreadsheet on its way into the registry, scoped to its uploader's area."""

    file = models.FileField(_("tệp"), upload_to=import_file_path, max_length=200)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        on_delete=models.PROTECT,
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
    commune = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("xã / phường"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    headers = models.JSONField(_("các cột"), default=list, blank=True)
    header_row = models.PositiveIntegerField(_("dòng tiêu đề"), default=1)
    mapping = models.JSONField(_("ghép cột"), default=dict, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("số dòng"), default=0)
    processed_rows = models.PositiveIntegerField(_("số dòng đã xử lý"), default=0)
    valid_rows = models.PositiveIntegerField(_("số dòng hợp lệ"), default=0)
    error_rows = models.PositiveIntegerField(_("số dòng lỗi"), default=0)
    duplicate_rows = models.PositiveIntegerField(_("số dòng trùng"), default=0)
    unchanged_rows = models.PositiveIntegerField(_("số dòng đã có"), default=0)
    imported_rows = models.PositiveIntegerField(_("số dòng đã nhập"), default=0)
    converted_cells = models.PositiveIntegerField(_("số ô đổi mã tiếng Việt"), default=0)
    message = models.CharField(_("thông báo"), max_length=500, blank=True)
    error_report = models.FileField(_("báo cáo lỗi"), upload_to="imports/reports/", blank=True)
    created_at = models.DateTimeField(_("tải lên lúc"), default=timezone.now, db_index=True)
    validated_at = models.DateTimeField(_("kiểm tra xong lúc"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("xác nhận nhập lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("nhập xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần nhập bảng tính")
        verbose_name_plural = _("các lần nhập bảng tính")
        indexes = [models.Index(fields=["province", "created_at"], name="imports_job_province")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status in (ImportStatus.VALIDATED, ImportStatus.DONE) else 0
        return min(100, self.processed_rows * 100 // self.total_rows)

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.VALIDATING, ImportStatus.IMPORTING)


class ImportRow(models.Model):
    """What became of one data row: its errors, the values as normalised, the household."""

    job = models.ForeignKey(
        ImportJob, verbose_name=_("lần nhập"), on_delete=models.CASCADE, related_name="rows"
    )
    row_number = models.PositiveIntegerField(_("dòng"))
    status = models.CharField(_("kết quả"), max_length=10, choices=RowStatus.choices)
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    conversions = models.JSONField(_("ô đã đổi mã"), default=list, blank=True)
    data = models.JSONField(
        _("dữ liệu đã chuẩn hoá"),
        default=dict,
        blank=True,
        help_text=_("Số CCCD chỉ ở dạng mã hoá và dạng che."),
    )
    household = models.ForeignKey(
        "producers.Household",
        verbose_name=_("hộ"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("dòng nhập")
        verbose_name_plural = _("các dòng nhập")
        constraints = [
            models.UniqueConstraint(fields=["job", "row_number"], name="imports_row_once")
        ]
        indexes = [models.Index(fields=["job", "status"], name="imports_row_status")]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.row_number}"
