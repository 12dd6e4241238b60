"""The provincial report as an exportable document (kind ``report``, params ``{"report": id}``):
the figures shown on the report page and the narrative, in the exports app's shape."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from nongsan.common.formatting import format_datetime
from nongsan.reports.models import ProvincialReport, narrative_fields
from nongsan.reports.permissions import visible_reports
from nongsan.reports.selectors import report_figures

KIND = "report"


def _report_id(params: dict[str, Any]) -> int:
    value = params.get("report")
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError({"params": _("Thiếu mã báo cáo cần xuất (report).")})
    try:
        number = int(value)
    except ValueError as error:
        raise ValidationError({"params": _("Mã báo cáo cần xuất phải là một số.")}) from error
    if number <= 0 or set(params) - {"report"}:
        raise ValidationError({"params": _("Tham số xuất báo cáo chỉ gồm mã báo cáo (report).")})
    return number


def report_permission(user: Any, params: dict[str, Any]) -> bool:
    return visible_reports(user).filter(pk=_report_id(params)).exists()


def figure_rows(figures: list[dict[str, Any]]) -> list[list[Any]]:
    source = {"platform": _("Nền tảng đo"), "partner": _("Đối tác báo cáo")}
    return [
        [
            figure["name"],
            figure["value"],
            figure["target"],
            None if figure["progress"] is None else round(float(figure["progress"]) * 100, 1),
            source.get(figure["source"], figure["source"])
            + (" · " + _("ước tính") if figure["estimated"] else ""),
        ]
        for figure in figures
    ]


def figure_columns() -> list[str]:
    return [_("Chỉ tiêu"), _("Giá trị"), _("Mục tiêu"), _("Tiến độ (%)"), _("Nguồn")]


def report_document(*, user: Any, params: dict[str, Any]) -> dict[str, Any]:
    report: ProvincialReport = visible_reports(user).get(pk=_report_id(params))
    figures, frozen = report_figures(report)
    if frozen and report.figures_taken_at is not None:
        note = _("Số liệu chốt khi nộp lúc %(moment)s.") % {
            "moment": format_datetime(report.figures_taken_at)
        }
    else:
        note = _("Số liệu tạm tính, sẽ chốt khi nộp báo cáo.")
    sections: list[dict[str, Any]] = [
        {
            "heading": _("Số liệu"),
            "text": note,
            "columns": figure_columns(),
            "rows": figure_rows(figures),
        }
    ]
    for field, label in narrative_fields():
        sections.append(
            {"heading": str(label), "text": getattr(report, field), "columns": [], "rows": []}
        )
    return {
        "title": _("Báo cáo %(period)s — %(province)s")
        % {"period": report.period.label, "province": report.province.name},
        "subtitle": _("Trạng thái: %(status)s · Hạn nộp: %(due)s")
        % {"status": report.get_status_display(), "due": report.due_on.strftime("%d/%m/%Y")},
        # The document's "figures taken at" line must agree with the frozen figures' note.
        "generated_at": (
            report.figures_taken_at if frozen and report.figures_taken_at else timezone.now()
        ).isoformat(),
        "sections": sections,
    }


def register_report_document() -> None:
    from nongsan.exports.registry import register

    register(KIND, report_document, report_permission)
