"""A province's periodic report to the ministry: the platform's figures, frozen when it is
submitted, and the officers' narrative, moved through draft → submitted → approved / returned."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from nongsan.reports.periods import Period, PeriodKind

NARRATIVE_MAX_LENGTH = 5000
COMMENT_MAX_LENGTH = 2000
NARRATIVE_FIELDS = ("summary", "difficulties", "proposals", "next_plan")
NARRATIVE_LABELS = {
    "summary": _("tóm tắt kết quả"),
    "difficulties": _("khó khăn, vướng mắc"),
    "proposals": _("kiến nghị, đề xuất"),
    "next_plan": _("kế hoạch kỳ tới"),
}


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã nộp, chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    RETURNED = "returned", _("Bị trả lại, cần sửa")


# Statuses in which the province may still change the narrative and submit.
EDITABLE_STATUSES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})


def _area(verbose: Any) -> models.ForeignKey[Any, Any]:
    return models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=verbose, on_delete=models.PROTECT, related_name="+"
    )


def _person(verbose: Any) -> models.ForeignKey[Any, Any]:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )


class ProvincialReport(models.Model):
    """One province's report for one month or quarter; ``figures`` is the snapshot of the
    figures provider taken at submission and never changed after it."""

    province = _area(_("tỉnh / thành phố"))
    period_kind = models.CharField(_("loại kỳ"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    due_on = models.DateField(_("hạn nộp"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    summary = models.TextField(NARRATIVE_LABELS["summary"], blank=True)
    difficulties = models.TextField(NARRATIVE_LABELS["difficulties"], blank=True)
    proposals = models.TextField(NARRATIVE_LABELS["proposals"], blank=True)
    next_plan = models.TextField(NARRATIVE_LABELS["next_plan"], blank=True)
    figures = models.JSONField(_("số liệu khi nộp"), default=list, blank=True)
    figures_taken_at = models.DateTimeField(_("lấy số liệu lúc"), null=True, blank=True)
    return_comment = models.TextField(_("lý do trả lại"), blank=True)
    created_by = _person(_("người lập"))
    created_at = models.DateTimeField(_("lập lúc"), default=timezone.now)
    updated_at = models.DateTimeField(_("sửa lúc"), default=timezone.now)
    submitted_by = _person(_("người nộp"))
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    decided_by = _person(_("người duyệt / trả lại"))
    decided_at = models.DateTimeField(_("duyệt / trả lại lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("báo cáo của tỉnh")
        verbose_name_plural = _("báo cáo của tỉnh")
        ordering = ["-period_start", "province__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "period_kind", "period_start"],
                name="reports_one_per_province_and_period",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="reports_period_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["period_kind", "period_start", "status"], name="reports_period"),
        ]

    def __str__(self) -> str:
        return f"{self.province} · {self.period.label}"

    @property
    def period(self) -> Period:
        return Period(kind=self.period_kind, start=self.period_start)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class ReportEvent(models.Model):
    """One step of a report's workflow: who moved it, from what to what, when, and why."""

    report = models.ForeignKey(
        ProvincialReport,
        verbose_name=_("báo cáo"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    from_status = models.CharField(
        _("từ trạng thái"), max_length=10, choices=ReportStatus.choices, blank=True
    )
    to_status = models.CharField(_("sang trạng thái"), max_length=10, choices=ReportStatus.choices)
    actor = _person(_("người thực hiện"))
    comment = models.TextField(_("ghi chú"), blank=True)
    occurred_at = models.DateTimeField(_("lúc"), default=timezone.now)
    province = _area(_("tỉnh / thành phố"))

    class Meta:
        verbose_name = _("diễn biến báo cáo")
        verbose_name_plural = _("diễn biến báo cáo")
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} → {self.to_status}"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Nhắc tỉnh sắp đến hạn")
    OVERDUE = "overdue", _("Báo Bộ tỉnh quá hạn")


class ReportReminder(models.Model):
    """That a reminder about a province's report for a period was sent, so it goes once, even
    when the province has not opened a report yet."""

    province = _area(_("tỉnh / thành phố"))
    period_kind = models.CharField(_("loại kỳ"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("từ ngày"))
    kind = models.CharField(_("loại nhắc"), max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("số người nhận"), default=0)

    class Meta:
        verbose_name = _("lần nhắc báo cáo")
        verbose_name_plural = _("lần nhắc báo cáo")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "period_kind", "period_start", "kind"],
                name="reports_remind_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.period_kind} {self.period_start} {self.kind}"


def narrative_fields() -> list[tuple[str, str]]:
    """The narrative fields in reading order with their (translated) labels."""
    return [(name, capfirst(str(NARRATIVE_LABELS[name]))) for name in NARRATIVE_FIELDS]
