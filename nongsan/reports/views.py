"""Pages of the provincial reports: the period overview, the report with its figures and
steps, the narrative form, and the submit / approve / return buttons. Thin: parse, call one
service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from nongsan.accounts.models import User
from nongsan.geo.models import AdministrativeUnit
from nongsan.reports import selectors, services
from nongsan.reports.forms import NarrativeForm, OpenForm, PeriodForm, ReturnForm
from nongsan.reports.models import (
    NARRATIVE_FIELDS,
    ProvincialReport,
    ReportStatus,
    narrative_fields,
)
from nongsan.reports.periods import PeriodKind, last_ended_period, period_parse
from nongsan.reports.permissions import (
    decidable_reports,
    editable_reports,
    is_ministry,
    reporting_province_ids,
)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    return user


def _add_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_safe
def report_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    kind = request.GET.get("kind") or PeriodKind.MONTH
    if kind not in PeriodKind.values:
        kind = PeriodKind.MONTH
    period = form.chosen(last_ended_period(kind, today))
    is_officer = is_ministry(user) or bool(reporting_province_ids(user))
    rows = selectors.period_overview(user=user, period=period, today=today) if is_officer else []
    return render(
        request,
        "reports/report_list.html",
        {
            "form": form,
            "period": period,
            "previous": period.previous(),
            "rows": rows,
            "is_officer": is_officer,
            "can_open": bool(reporting_province_ids(user)) and period.start <= today,
        },
    )


@login_required
@require_POST
def report_open(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = OpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Yêu cầu lập báo cáo không hợp lệ."))
        return redirect("reports:list")
    province = AdministrativeUnit.objects.filter(
        pk=form.cleaned_data["province"], pk__in=sorted(reporting_province_ids(user))
    ).first()
    if province is None:
        raise Http404
    try:
        period = period_parse(form.cleaned_data["period"])
        report = services.report_open(user=user, province=province, period=period)
    except ValidationError as error:
        _add_errors(request, error)
        return redirect("reports:list")
    return redirect("reports:edit", pk=report.pk)


@login_required
@require_safe
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    report = selectors.report_get(user=user, pk=pk)
    if report is None:
        raise Http404
    figures, frozen = selectors.report_figures(report)
    can_edit = report.is_editable and editable_reports(user).filter(pk=pk).exists()
    can_decide = (
        report.status == ReportStatus.SUBMITTED and decidable_reports(user).filter(pk=pk).exists()
    )
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "figures": figures,
            "frozen": frozen,
            "narrative": [(label, getattr(report, name)) for name, label in narrative_fields()],
            "can_edit": can_edit,
            "can_decide": can_decide,
            "return_form": ReturnForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    report = get_object_or_404(editable_reports(user), pk=pk)
    initial = {name: getattr(report, name) for name in NARRATIVE_FIELDS}
    form = NarrativeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(user=user, report=report, **form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu báo cáo."))
            if "submit" in request.POST:
                return _step(request, report, services.report_submit, _("Đã nộp báo cáo."))
            return redirect("reports:detail", pk=report.pk)
    return render(request, "reports/report_edit.html", {"report": report, "form": form})


def _step(
    request: HttpRequest,
    report: ProvincialReport,
    service: Callable[..., ProvincialReport],
    done: str,
    **arguments: Any,
) -> HttpResponse:
    try:
        service(user=_user(request), report=report, **arguments)
    except ValidationError as error:
        _add_errors(request, error)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(editable_reports(_user(request)), pk=pk)
    return _step(request, report, services.report_submit, _("Đã nộp báo cáo."))


@login_required
@require_POST
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(decidable_reports(_user(request)), pk=pk)
    return _step(request, report, services.report_approve, _("Đã duyệt báo cáo."))


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(decidable_reports(_user(request)), pk=pk)
    return _step(
        request,
        report,
        services.report_return,
        _("Đã trả lại báo cáo cho tỉnh."),
        comment=request.POST.get("comment", ""),
    )
