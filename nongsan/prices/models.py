"""Price reports and their daily statistics per produce, province and kind of price.

See docs/decisions/0017-price-board.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PriceKind(models.TextChoices):
    FARM_GATE = "farm_gate", _("Giá tại vườn")
    WHOLESALE = "wholesale", _("Giá bán buôn")
    RETAIL = "retail", _("Giá bán lẻ")


class ReportStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Được tính")
    FLAGGED = "flagged", _("Nghi sai, chờ xác nhận")
    CONFIRMED = "confirmed", _("Cán bộ đã xác nhận")
    REJECTED = "rejected", _("Cán bộ đã loại")


# Reports that count in the statistics.
COUNTED_STATUSES = (ReportStatus.ACCEPTED, ReportStatus.CONFIRMED)


class ReportSource(models.TextChoices):
    ENTERED = "entered", _("Nhập trên trang hoặc API")
    IMPORTED = "imported", _("Nhập từ tệp")
    REFERENCE = "reference", _("Dữ liệu tham khảo")
    ORDERS = "orders", _("Từ đơn hàng đã giao")


class PriceReport(models.Model):
    """One observed price in whole đồng per kilogram, for one produce, place, day and kind."""

    produce_type = models.ForeignKey(
        "catalog.ProduceType",
        verbose_name=_("loại sản phẩm"),
        on_delete=models.PROTECT,
        related_name="price_reports",
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
        null=True,
        blank=True,
        related_name="+",
    )
    market_name = models.CharField(_("chợ / nơi ghi giá"), max_length=120, blank=True)
    kind = models.CharField(_("loại giá"), max_length=12, choices=PriceKind.choices)
    price_vnd = models.PositiveBigIntegerField(_("giá (đồng/kg)"))
    reported_on = models.DateField(_("ngày"))
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.ACCEPTED
    )
    usual_price_vnd = models.PositiveBigIntegerField(
        _("giá thường gặp khi ghi (đồng/kg)"),
        null=True,
        blank=True,
        help_text=_("Trung vị 30 ngày trước của cùng sản phẩm, tỉnh, loại giá."),
    )
    source = models.CharField(
        _("nguồn"), max_length=12, choices=ReportSource.choices, default=ReportSource.ENTERED
    )
    source_reference = models.CharField(_("mã dòng nguồn"), max_length=40, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người báo giá"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ xem xét"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A later report by the same person for the same produce, place, kind and day replaces
    # this one in the statistics; the row stays for the history.
    is_superseded = models.BooleanField(
        _("đã được thay bằng báo giá mới hơn"),
        default=False,
        help_text=_("Cùng người đã báo lại giá cùng sản phẩm, nơi, loại giá và ngày."),
    )
    created_at = models.DateTimeField(_("ghi lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("báo giá")
        verbose_name_plural = _("báo giá")
        ordering = ["-reported_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(price_vnd__gt=0), name="prices_report_positive"),
            models.UniqueConstraint(
                fields=["source_reference"],
                condition=~Q(source_reference=""),
                name="prices_report_one_per_source_row",
            ),
        ]
        indexes = [
            models.Index(
                fields=["produce_type", "province", "kind", "reported_on"],
                name="prices_report_series",
            )
        ]

    def __str__(self) -> str:
        return f"{self.produce_type} · {self.reported_on:%d/%m/%Y} · {self.price_vnd}"


class DailyPriceStatistic(models.Model):
    """Min, max, mean and modal price of one produce, province, kind and day, kept by
    ``prices.services.daily_statistics_refresh`` so the board reads one row per day."""

    produce_type = models.ForeignKey(
        "catalog.ProduceType", verbose_name=_("loại sản phẩm"), on_delete=models.PROTECT
    )
    province = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("tỉnh / thành phố"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("loại giá"), max_length=12, choices=PriceKind.choices)
    day = models.DateField(_("ngày"))
    minimum_vnd = models.PositiveBigIntegerField(_("thấp nhất"))
    maximum_vnd = models.PositiveBigIntegerField(_("cao nhất"))
    mean_vnd = models.PositiveBigIntegerField(_("trung bình"))
    modal_vnd = models.PositiveBigIntegerField(_("phổ biến nhất"))
    report_count = models.PositiveIntegerField(_("số báo giá"))

    class Meta:
        verbose_name = _("thống kê giá theo ngày")
        verbose_name_plural = _("thống kê giá theo ngày")
        ordering = ["day", "produce_type", "province"]
        constraints = [
            models.UniqueConstraint(
                fields=["produce_type", "province", "kind", "day"], name="prices_daily_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.produce_type} · {self.day:%d/%m/%Y}"
