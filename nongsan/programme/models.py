"""Programme management: indicators (data), targets, partner-reported figures, the roll-up
the dashboards read, and the crosswalk weights that carry figures across the 2025 reform.

See docs/decisions/0022-programme-indicators-and-rollups.md.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nongsan.programme.measures import Measure
from nongsan.programme.periods import PeriodKind


class Display(models.TextChoices):
    COUNT = "count", _("Số lượng")
    MONEY = "money", _("Số tiền (đồng)")
    PERCENT = "percent", _("Tỉ lệ (%)")


class Source(models.TextChoices):
    PLATFORM = "platform", _("Nền tảng tự đo")
    PARTNER = "partner", _("Đối tác báo cáo")


class Geography(models.TextChoices):
    CURRENT = "current", _("Địa giới hiện hành (34 tỉnh)")
    LEGACY = "legacy", _("Địa giới trước 01/7/2025 (63 tỉnh)")


class Indicator(models.Model):
    """A programme indicator, defined over the platform's measures (one, or one over another).

    Rows, not code: the data migration seeds the programme's indicators and an administrator
    may add one (a new rate over existing measures) without a release.
    """

    code = models.SlugField(_("mã chỉ tiêu"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    description = models.TextField(_("cách tính"), blank=True)
    measure = models.CharField(_("số đo"), max_length=40, choices=Measure.choices)
    denominator = models.CharField(
        _("chia cho số đo"),
        max_length=40,
        choices=Measure.choices,
        blank=True,
        help_text=_("Để trống nếu chỉ tiêu là một số đếm; điền nếu là tỉ lệ."),
    )
    display = models.CharField(
        _("cách hiển thị"), max_length=10, choices=Display.choices, default=Display.COUNT
    )
    scale = models.FloatField(
        _("hệ số nhân"), default=1, help_text=_("Ví dụ 100 để tỉ lệ thành phần trăm.")
    )
    is_per_channel = models.BooleanField(_("tính theo từng kênh"), default=False)
    higher_is_better = models.BooleanField(_("càng cao càng tốt"), default=True)
    is_funnel_step = models.BooleanField(_("là bước của phễu"), default=False)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(measure=models.F("denominator")),
                name="programme_indicator_ratio_of_two_measures",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_ratio(self) -> bool:
        return bool(self.denominator)


def _unit(verbose: Any, *, null: bool = False) -> models.ForeignKey:
    return models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=verbose,
        on_delete=models.PROTECT,
        related_name="+",
        null=null,
        blank=null,
    )


class Target(models.Model):
    """What a unit should reach for an indicator in a period.

    The ministry sets them for provinces, a province for its communes. ``unit`` may be a
    legacy unit (a target filed before 1 July 2025): it is kept as filed and re-aggregated
    into today's units when read. ``province``/``commune`` repeat the unit's place for scoping
    (for a province target, ``commune`` is empty).
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="targets"
    )
    channel = models.ForeignKey(
        "onboarding.Channel",
        verbose_name=_("kênh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    unit = _unit(_("đơn vị"))
    province = _unit(_("tỉnh / thành phố"))
    commune = _unit(_("xã / phường"), null=True)
    period_kind = models.CharField(_("loại kỳ"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("kỳ bắt đầu"))
    value = models.FloatField(_("mức chỉ tiêu"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người giao"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    set_at = models.DateTimeField(_("giao lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("chỉ tiêu được giao")
        verbose_name_plural = _("chỉ tiêu được giao")
        ordering = ["period_start", "indicator__position", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period_kind", "period_start"],
                condition=Q(channel__isnull=True),
                name="programme_target_once",
            ),
            models.UniqueConstraint(
                fields=["indicator", "channel", "unit", "period_kind", "period_start"],
                condition=Q(channel__isnull=False),
                name="programme_target_once_per_channel",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="programme_target_not_negative"),
        ]
        indexes = [
            models.Index(
                fields=["period_kind", "period_start", "province"], name="programme_target_prov"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.unit} · {self.period_start:%m/%Y}"


class PartnerFigure(models.Model):
    """A monthly figure a partner marketplace (Postmart, Voso…) reports for a unit.

    Kept apart from what the platform measures and always shown as "reported by a partner".
    A province-level figure has no commune. Legacy units are kept as filed.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.ForeignKey(
        "onboarding.Channel", verbose_name=_("kênh"), on_delete=models.PROTECT, related_name="+"
    )
    unit = _unit(_("đơn vị"))
    province = _unit(_("tỉnh / thành phố"))
    commune = _unit(_("xã / phường"), null=True)
    month = models.DateField(_("tháng"), help_text=_("Ngày đầu tháng."))
    value = models.FloatField(_("số liệu"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người báo cáo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("báo cáo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("số liệu đối tác báo cáo")
        verbose_name_plural = _("số liệu đối tác báo cáo")
        ordering = ["-month", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "channel", "unit", "month"], name="programme_partner_once"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="programme_partner_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.channel} · {self.unit} · {self.month:%m/%Y}"


class Fact(models.Model):
    """One roll-up cell: a measure of a commune (or province) in a period, in one geography.

    Written only by ``rollup.py``. One column per hierarchy level (province, commune), and
    month, quarter and year rows side by side, so a dashboard is one GROUP BY over the rows of
    one period and never reads households or orders. The legacy geography is read through
    ``CrosswalkWeight`` (one join, see ``selectors``); only figures filed against legacy
    units are stored with ``geography = legacy``. ``estimated`` marks figures apportioned
    across a split commune (the commune-level figure is an estimate); ``estimated_province``
    those whose apportioning crossed a province line.
    """

    geography = models.CharField(_("địa giới"), max_length=8, choices=Geography.choices)
    period_kind = models.CharField(_("loại kỳ"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("kỳ bắt đầu"))
    province = _unit(_("tỉnh / thành phố"))
    commune = _unit(_("xã / phường"), null=True)
    channel = models.ForeignKey(
        "onboarding.Channel",
        verbose_name=_("kênh"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    measure = models.CharField(_("số đo"), max_length=40)
    source = models.CharField(_("nguồn"), max_length=8, choices=Source.choices)
    # Float: apportioned figures are fractional; sums of whole đồng stay exact below 2**53.
    value = models.FloatField(_("giá trị"))
    estimated = models.BooleanField(_("ước tính (cấp xã)"), default=False)
    estimated_province = models.BooleanField(_("ước tính (cấp tỉnh)"), default=False)
    # A partner figure filed against a legacy unit, carried into today's: the legacy view
    # reads the figure as filed, so it must not share this copy back.
    is_carried = models.BooleanField(_("chuyển từ đơn vị cũ"), default=False)
    # "commune": a commune's own cell; "province": the province's total (its communes
    # summed, plus figures filed for the province as a whole), so a national page reads 34
    # provinces' rows, not 3,321 communes'.
    level = models.CharField(_("cấp"), max_length=8, default="commune")

    class Meta:
        verbose_name = _("ô số liệu tổng hợp")
        verbose_name_plural = _("ô số liệu tổng hợp")
        indexes = [
            # Covering (PostgreSQL): a dashboard's GROUP BY is an index-only scan once the
            # rebuild has vacuumed the table.
            models.Index(
                fields=["geography", "level", "period_kind", "period_start", "province", "measure"],
                include=[
                    "commune",
                    "channel",
                    "source",
                    "value",
                    "estimated",
                    "estimated_province",
                    "is_carried",
                ],
                name="programme_fact_province",
            ),
            models.Index(
                fields=["geography", "period_kind", "commune", "period_start"],
                name="programme_fact_commune",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.period_start} {self.value}"


class CrosswalkWeight(models.Model):
    """How much of a legacy commune's figure goes into a current commune, and back.

    ``forward_share``: of the legacy commune's figure, the part given to this current commune
    (1 for a whole merge; for a split, by the households registered in each successor).
    ``backward_share``: of the current commune's figure, the part shown under this legacy
    commune in the legacy geography (its predecessors weighted by their forward shares).
    Shares of one unit add up to 1, so totals are conserved both ways.
    """

    legacy_commune = _unit(_("xã cũ"))
    legacy_province = _unit(_("tỉnh cũ"))
    current_commune = _unit(_("xã hiện hành"))
    current_province = _unit(_("tỉnh hiện hành"))
    forward_share = models.FloatField(_("phần sang xã mới"))
    backward_share = models.FloatField(_("phần về xã cũ"))
    forward_estimated = models.BooleanField(_("chia ước tính (xã cũ bị chia)"), default=False)
    backward_estimated = models.BooleanField(
        _("chia ước tính (xã mới gộp nhiều xã)"), default=False
    )
    forward_estimated_province = models.BooleanField(default=False)
    backward_estimated_province = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("trọng số chuyển đổi")
        verbose_name_plural = _("trọng số chuyển đổi")
        constraints = [
            models.UniqueConstraint(
                fields=["legacy_commune", "current_commune"], name="programme_weight_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.legacy_commune_id} → {self.current_commune_id}"


class RollupRun(models.Model):
    """One rebuild of the roll-up: when, how long, how many rows; the dashboards' freshness."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Đang chạy")
        DONE = "done", _("Xong")
        FAILED = "failed", _("Lỗi")

    started_at = models.DateTimeField(_("bắt đầu lúc"), default=timezone.now)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=Status.choices, default=Status.RUNNING
    )
    rows = models.PositiveIntegerField(_("số ô"), default=0)
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        verbose_name = _("lần tính tổng hợp")
        verbose_name_plural = _("lần tính tổng hợp")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%d/%m/%Y %H:%M} · {self.get_status_display()}"
