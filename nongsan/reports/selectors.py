"""Reading provincial reports: the overview of one period (every province the person follows
with its report's status, or none yet), one report with its steps, the figures to show."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from nongsan.geo.models import AdministrativeUnit
from nongsan.reports.figures import unit_figures
from nongsan.reports.models import ProvincialReport, ReportEvent
from nongsan.reports.periods import Period
from nongsan.reports.permissions import reporting_provinces, visible_reports


@dataclass(frozen=True)
class OverviewRow:
    province: AdministrativeUnit
    report: ProvincialReport | None
    is_late: bool


def report_list(
    *,
    user: Any,
    period: Period | None = None,
    status: str | None = None,
    province: AdministrativeUnit | None = None,
) -> QuerySet[ProvincialReport]:
    reports = visible_reports(user)
    if period is not None:
        reports = reports.filter(period_kind=period.kind, period_start=period.start)
    if status:
        reports = reports.filter(status=status)
    if province is not None:
        reports = reports.filter(province=province)
    return reports.order_by("-period_start", "period_kind", "province__code", "pk")


def period_overview(*, user: Any, period: Period, today: datetime.date) -> list[OverviewRow]:
    """Two queries whatever the number of provinces."""
    reports = {
        report.province_id: report
        for report in report_list(user=user, period=period).select_related("submitted_by")
    }
    late_after = period.due_on
    rows = []
    for province in reporting_provinces(user).order_by("code"):
        report = reports.get(province.pk)
        handed_in = (
            report is not None
            and report.submitted_at is not None
            and report.status
            in (
                "submitted",
                "approved",
            )
        )
        rows.append(
            OverviewRow(
                province=province, report=report, is_late=today > late_after and not handed_in
            )
        )
    return rows


def report_get(*, user: Any, pk: int) -> ProvincialReport | None:
    events = ReportEvent.objects.select_related("actor").order_by("occurred_at", "pk")
    return (
        visible_reports(user)
        .select_related("created_by", "submitted_by", "decided_by")
        .prefetch_related(Prefetch("events", queryset=events))
        .filter(pk=pk)
        .first()
    )


def report_figures(report: ProvincialReport) -> tuple[list[dict[str, Any]], bool]:
    """The figures to show and whether they are the frozen snapshot (False: a live preview of
    a report not yet submitted)."""
    if report.figures_taken_at is not None and not report.is_editable:
        return list(report.figures), True
    return (
        unit_figures(unit=report.province, start=report.period_start, end=report.period_end),
        False,
    )
