"""The harvest calendar, plantings, harvest announcements and supply forecast snapshots.

See docs/decisions/0016-harvest-calendar-and-forecast.md.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MONTH = [MinValueValidator(1), MaxValueValidator(12)]
DAY = [MinValueValidator(1), MaxValueValidator(31)]


class Region(models.TextChoices):
    """Regions the reference calendar speaks of (their provinces: harvests.sources.REGIONS)."""

    DBSCL = "dbscl", _("Đồng bằng sông Cửu Long")
    DBSH = "dbsh", _("Đồng bằng sông Hồng")
    TAY_NGUYEN = "tay-nguyen", _("Tây Nguyên")
    DONG_NAM_BO = "dong-nam-bo", _("Đông Nam Bộ")
    DUYEN_HAI_TRUNG_BO = "duyen-hai-trung-bo", _("Duyên hải Trung Bộ")


def _month_range(prefix: str) -> Q:
    return Q(**{f"{prefix}_month__isnull": True}) | Q(
        **{f"{prefix}_month__gte": 1, f"{prefix}_month__lte": 12}
    )


class CalendarEntry(models.Model):
    """One season of one produce in one province, one region or the whole country.

    Loaded from nongsan/harvests/data/crop_calendar.csv and corrected by officers; a row an
    officer changed (``edited_at`` set) is never overwritten by the loader.
    """

    reference = models.CharField(_("mã dòng nguồn"), max_length=40, unique=True)
    produce_type = models.ForeignKey(
        "catalog.ProduceType",
        verbose_name=_("loại sản phẩm"),
        on_delete=models.PROTECT,
        related_name="calendar_entries",
    )
    province = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("tỉnh / thành phố"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    region = models.CharField(_("vùng"), max_length=30, choices=Region.choices, blank=True)
    place_detail = models.CharField(_("nơi cụ thể"), max_length=120, blank=True)
    season_name = models.CharField(_("tên vụ"), max_length=80, blank=True)
    plant_from_month = models.PositiveSmallIntegerField(
        _("trồng / ra hoa từ tháng"), null=True, blank=True, validators=MONTH
    )
    plant_from_day = models.PositiveSmallIntegerField(
        _("trồng / ra hoa từ ngày"), null=True, blank=True, validators=DAY
    )
    plant_until_month = models.PositiveSmallIntegerField(
        _("trồng / ra hoa đến tháng"), null=True, blank=True, validators=MONTH
    )
    plant_until_day = models.PositiveSmallIntegerField(
        _("trồng / ra hoa đến ngày"), null=True, blank=True, validators=DAY
    )
    harvest_from_month = models.PositiveSmallIntegerField(
        _("thu hoạch từ tháng"), null=True, blank=True, validators=MONTH
    )
    harvest_from_day = models.PositiveSmallIntegerField(
        _("thu hoạch từ ngày"), null=True, blank=True, validators=DAY
    )
    harvest_until_month = models.PositiveSmallIntegerField(
        _("thu hoạch đến tháng"), null=True, blank=True, validators=MONTH
    )
    harvest_until_day = models.PositiveSmallIntegerField(
        _("thu hoạch đến ngày"), null=True, blank=True, validators=DAY
    )
    is_lunar = models.BooleanField(
        _("theo âm lịch"),
        default=False,
        help_text=_("Tháng âm lịch: không xếp vào lưới tháng dương lịch."),
    )
    maturity_days_min = models.PositiveSmallIntegerField(
        _("số ngày đến thu hoạch (ít nhất)"), null=True, blank=True
    )
    maturity_days_max = models.PositiveSmallIntegerField(
        _("số ngày đến thu hoạch (nhiều nhất)"), null=True, blank=True
    )
    yield_tonnes_per_ha = models.DecimalField(
        _("năng suất (tấn/ha)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    source_year = models.PositiveSmallIntegerField(_("năm số liệu"), null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người sửa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    edited_at = models.DateTimeField(_("sửa lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mục lịch mùa vụ")
        verbose_name_plural = _("lịch mùa vụ")
        ordering = ["produce_type__name_vi", "harvest_from_month", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(province__isnull=True) | Q(region=""),
                name="harvests_calendar_province_or_region",
            ),
            models.CheckConstraint(
                condition=_month_range("harvest_from") & _month_range("harvest_until"),
                name="harvests_calendar_harvest_months",
            ),
            models.CheckConstraint(
                condition=_month_range("plant_from") & _month_range("plant_until"),
                name="harvests_calendar_plant_months",
            ),
        ]
        indexes = [models.Index(fields=["produce_type", "province"], name="harvests_cal_type_prov")]

    def __str__(self) -> str:
        return f"{self.produce_type} · {self.season_name}"

    @property
    def harvest_months(self) -> list[int]:
        """Solar months the harvest window touches (one bound missing: that bound's month)."""
        start = self.harvest_from_month or self.harvest_until_month
        end = self.harvest_until_month or self.harvest_from_month
        if self.is_lunar or start is None or end is None:
            return []
        months = [start]
        while months[-1] != end:
            months.append(months[-1] % 12 + 1)
        return months


class PlantingStatus(models.TextChoices):
    GROWING = "growing", _("Đang trồng")
    HARVESTED = "harvested", _("Đã thu hoạch")
    LOST = "lost", _("Mất mùa")


class Planting(models.Model):
    """A household's planting (area or number of trees) whose expected harvest the calendar
    derives; its expected harvest is carried by a harvest announcement made with it."""

    household = models.ForeignKey(
        "producers.Household",
        verbose_name=_("hộ sản xuất"),
        on_delete=models.PROTECT,
        related_name="plantings",
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
    produce_type = models.ForeignKey(
        "catalog.ProduceType", verbose_name=_("loại sản phẩm"), on_delete=models.PROTECT
    )
    calendar_entry = models.ForeignKey(
        CalendarEntry,
        verbose_name=_("mục lịch mùa vụ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    area_ha = models.DecimalField(
        _("diện tích (ha)"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    tree_count = models.PositiveIntegerField(_("số cây"), null=True, blank=True)
    planted_on = models.DateField(_("ngày trồng / ra hoa"))
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=PlantingStatus.choices,
        default=PlantingStatus.GROWING,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ghi lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("vụ trồng")
        verbose_name_plural = _("vụ trồng")
        ordering = ["-planted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(area_ha__isnull=False) | Q(tree_count__isnull=False),
                name="harvests_planting_has_size",
            ),
            models.CheckConstraint(
                condition=Q(area_ha__isnull=True) | Q(area_ha__gt=0),
                name="harvests_planting_area_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.produce_type} · {self.planted_on:%d/%m/%Y}"


class AnnouncementStatus(models.TextChoices):
    ANNOUNCED = "announced", _("Đã báo")
    CONFIRMED = "confirmed", _("Đã xác nhận")
    REVISED = "revised", _("Đã điều chỉnh")
    HARVESTED = "harvested", _("Đã thu hoạch")
    LOST = "lost", _("Mất mùa")


# Announcements that still add to the supply ahead.
OPEN_STATUSES = (
    AnnouncementStatus.ANNOUNCED,
    AnnouncementStatus.CONFIRMED,
    AnnouncementStatus.REVISED,
)


class LossReason(models.TextChoices):
    WEATHER = "weather", _("Thời tiết")
    DISEASE = "disease", _("Sâu bệnh")
    OTHER = "other", _("Lý do khác")


class HarvestAnnouncement(models.Model):
    """A harvest expected over a date range, in tonnes: what the supply forecast adds up.

    ``harvest_from_ordinal`` / ``harvest_until_ordinal`` repeat the dates as day numbers so
    the database can spread the tonnes over days in integer arithmetic on every backend.
    """

    household = models.ForeignKey(
        "producers.Household",
        verbose_name=_("hộ sản xuất"),
        on_delete=models.PROTECT,
        related_name="harvest_announcements",
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
    produce_type = models.ForeignKey(
        "catalog.ProduceType", verbose_name=_("loại sản phẩm"), on_delete=models.PROTECT
    )
    planting = models.OneToOneField(
        Planting,
        verbose_name=_("vụ trồng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="announcement",
    )
    harvest_from = models.DateField(_("thu hoạch từ ngày"))
    harvest_until = models.DateField(_("thu hoạch đến ngày"))
    harvest_from_ordinal = models.IntegerField(editable=False)
    harvest_until_ordinal = models.IntegerField(editable=False)
    tonnes = models.DecimalField(_("sản lượng (tấn)"), max_digits=10, decimal_places=3)
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=AnnouncementStatus.choices,
        default=AnnouncementStatus.ANNOUNCED,
    )
    loss_reason = models.CharField(
        _("lý do mất mùa"), max_length=10, choices=LossReason.choices, blank=True
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người báo"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("báo lúc"), default=timezone.now)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("báo thu hoạch")
        verbose_name_plural = _("báo thu hoạch")
        ordering = ["harvest_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(harvest_from__lte=models.F("harvest_until")),
                name="harvests_announcement_window_in_order",
            ),
            models.CheckConstraint(
                condition=Q(tonnes__gt=0), name="harvests_announcement_tonnes_positive"
            ),
            models.CheckConstraint(
                condition=Q(status="lost") | Q(loss_reason=""),
                name="harvests_announcement_reason_only_when_lost",
            ),
        ]
        indexes = [
            models.Index(
                fields=["produce_type", "province", "harvest_until_ordinal"],
                name="harvests_ann_type_prov_until",
            )
        ]

    def __str__(self) -> str:
        return f"{self.produce_type} · {self.harvest_from:%d/%m/%Y}–{self.harvest_until:%d/%m/%Y}"

    @property
    def days(self) -> int:
        return (self.harvest_until - self.harvest_from).days + 1


class ForecastSnapshot(models.Model):
    """Tonnes expected for one produce, province and ISO week, as computed at one moment,
    kept so forecasts can be compared later with what was listed and sold."""

    produce_type = models.ForeignKey(
        "catalog.ProduceType", verbose_name=_("loại sản phẩm"), on_delete=models.PROTECT
    )
    province = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("tỉnh / thành phố"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    week_start = models.DateField(_("tuần bắt đầu (thứ Hai)"))
    iso_year = models.PositiveSmallIntegerField(_("năm ISO"))
    iso_week = models.PositiveSmallIntegerField(_("tuần ISO"))
    expected_tonnes = models.DecimalField(_("dự kiến (tấn)"), max_digits=12, decimal_places=3)
    listed_tonnes = models.DecimalField(
        _("đã có tin đăng bán (tấn)"), max_digits=12, decimal_places=3, default=Decimal(0)
    )
    households = models.PositiveIntegerField(_("số hộ"), default=0)
    computed_at = models.DateTimeField(_("tính lúc"))

    class Meta:
        verbose_name = _("ảnh chụp dự báo")
        verbose_name_plural = _("ảnh chụp dự báo")
        ordering = ["week_start", "produce_type", "province"]
        constraints = [
            models.UniqueConstraint(
                fields=["produce_type", "province", "week_start", "computed_at"],
                name="harvests_snapshot_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.produce_type} · {self.iso_year}-W{self.iso_week:02d}"


class WeeklySupply(models.Model):
    """Roll-up of the open announcements: tonnes and households per produce, province and
    ISO week, so a national forecast reads a few thousand rows instead of every announcement.
    Kept by the services on every announcement write (``harvests.rollup``) and rebuildable
    from the announcements (``manage.py rebuild_weekly_supply``)."""

    produce_type = models.ForeignKey(
        "catalog.ProduceType", verbose_name=_("loại sản phẩm"), on_delete=models.PROTECT
    )
    province = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("tỉnh / thành phố"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    week_start = models.DateField(_("tuần bắt đầu (thứ Hai)"))
    tonnes = models.DecimalField(_("dự kiến (tấn)"), max_digits=14, decimal_places=3)
    households = models.PositiveIntegerField(_("số hộ"))

    class Meta:
        verbose_name = _("sản lượng dự kiến theo tuần")
        verbose_name_plural = _("sản lượng dự kiến theo tuần")
        constraints = [
            models.UniqueConstraint(
                fields=["produce_type", "province", "week_start"],
                name="harvests_weekly_supply_unique",
            )
        ]
        indexes = [models.Index(fields=["week_start"], name="harvests_weekly_supply_week")]

    def __str__(self) -> str:
        return f"{self.produce_type_id} · {self.province_id} · {self.week_start:%d/%m/%Y}"


def iso_week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


class GlutKind(models.TextChoices):
    SUPPLY = "supply", _("Sản lượng vượt sức tiêu thụ")
    PRICE = "price", _("Giá giảm mạnh")


class GlutSeverity(models.TextChoices):
    WATCH = "watch", _("Theo dõi")
    WARNING = "warning", _("Cảnh báo")
    SEVERE = "severe", _("Nghiêm trọng")


class SalesRateBasis(models.TextChoices):
    PAST_SEASONS = "past_seasons", _("Bán được cùng tuần các năm trước")
    RECENT_HARVESTS = "recent_harvests", _("Sản lượng thu hoạch các tuần gần đây")


class GlutAlert(models.Model):
    """A warning that a produce may pile up in a province in a week: forecast supply above
    what the area recently moved, or a sharp fall in the modal price. Raised again, the same
    alert is updated, not duplicated."""

    produce_type = models.ForeignKey(
        "catalog.ProduceType", verbose_name=_("loại sản phẩm"), on_delete=models.PROTECT
    )
    province = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("tỉnh / thành phố"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    week_start = models.DateField(_("tuần bắt đầu (thứ Hai)"))
    kind = models.CharField(_("loại cảnh báo"), max_length=10, choices=GlutKind.choices)
    severity = models.CharField(_("mức độ"), max_length=10, choices=GlutSeverity.choices)
    expected_tonnes = models.DecimalField(
        _("dự kiến (tấn)"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    demand_tonnes = models.DecimalField(
        _("sức tiêu thụ ước tính (tấn/tuần)"),
        max_digits=12,
        decimal_places=3,
        null=True,
        blank=True,
    )
    # The numbers behind demand_tonnes: the sales rate (and what it was judged by), open
    # orders due that week, traders' buy requests for it.
    sales_rate_tonnes = models.DecimalField(
        _("tiêu thụ thường lệ (tấn/tuần)"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    sales_rate_basis = models.CharField(
        _("căn cứ tiêu thụ"), max_length=20, choices=SalesRateBasis.choices, blank=True
    )
    ordered_tonnes = models.DecimalField(
        _("đơn hàng đang mở (tấn)"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    requested_tonnes = models.DecimalField(
        _("yêu cầu mua của thương lái (tấn)"),
        max_digits=12,
        decimal_places=3,
        null=True,
        blank=True,
    )
    price_change_percent = models.IntegerField(_("giá thay đổi (%)"), null=True, blank=True)
    households = models.PositiveIntegerField(_("số hộ"), default=0)
    raised_at = models.DateTimeField(_("báo lúc"))

    class Meta:
        verbose_name = _("cảnh báo ùn ứ")
        verbose_name_plural = _("cảnh báo ùn ứ")
        ordering = ["week_start", "-severity", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["produce_type", "province", "week_start", "kind"],
                name="harvests_glut_one_per_week_and_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.produce_type} · {self.province} · {self.week_start:%d/%m/%Y}"


class Campaign(models.Model):
    """A rescue campaign (giải cứu): officers call buyers to one produce of one province
    with a target tonnage over a span of days; its page gathers the listings on sale."""

    title = models.CharField(_("tên chiến dịch"), max_length=150)
    produce_type = models.ForeignKey(
        "catalog.ProduceType", verbose_name=_("loại sản phẩm"), on_delete=models.PROTECT
    )
    province = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("tỉnh / thành phố"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    glut_alert = models.ForeignKey(
        GlutAlert,
        verbose_name=_("cảnh báo ùn ứ"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaigns",
    )
    target_tonnes = models.DecimalField(_("mục tiêu (tấn)"), max_digits=12, decimal_places=3)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    description = models.TextField(_("lời kêu gọi"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("chiến dịch giải cứu")
        verbose_name_plural = _("chiến dịch giải cứu")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("ends_on")),
                name="harvests_campaign_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(target_tonnes__gt=0), name="harvests_campaign_target_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title
