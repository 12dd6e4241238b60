"""Onboarding pages: the funnel, a household's stages per channel, training sessions.

Thin: each view parses the request, calls one selector or service and renders. Rows of
another area answer 404 (the selectors start from the permission querysets).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from nongsan.common.paging import page_of
from nongsan.common.text import normalize_spaces
from nongsan.onboarding import selectors, services
from nongsan.onboarding.forms import FunnelFilterForm, StageRecordForm
from nongsan.onboarding.permissions import editable_sessions, editable_stage_households

SESSIONS_PER_PAGE = 50
CANDIDATES_PER_PAGE = 200


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_safe
def funnel_page(request: HttpRequest) -> HttpResponse:
    """Households at each stage per channel in the person's area, with conversion."""
    form = FunnelFilterForm(request.GET or None, user=request.user)
    funnels: list[selectors.ChannelFunnel] = []
    if not form.is_bound or form.is_valid():
        filters = form.cleaned_data if form.is_bound else {}
        funnels = selectors.funnel(
            user=request.user,
            province=filters.get("province"),
            commune=filters.get("commune"),
            channel=filters.get("channel"),
        )
    return render(request, "onboarding/funnel.html", {"form": form, "funnels": funnels})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def household_stages(request: HttpRequest, pk: int) -> HttpResponse:
    """A household's stage on each channel with its history, and recording a new one."""
    household, channels = selectors.household_stages_get(user=request.user, pk=pk)
    can_record = editable_stage_households(request.user).filter(pk=household.pk).exists()
    form = StageRecordForm(request.POST or None, initial={"occurred_on": timezone.localdate()})
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                recording = services.stage_record(
                    household=household,
                    channel=form.cleaned_data["channel"],
                    stage=form.cleaned_data["stage"],
                    occurred_on=form.cleaned_data["occurred_on"],
                    reason=form.cleaned_data["reason"],
                    recorded_by=request.user,
                )
            except ValidationError as error:
                for field, field_messages in error.message_dict.items():
                    for message in field_messages:
                        form.add_error(field if field in form.fields else None, message)
            else:
                if recording.created:
                    messages.success(request, _("Đã ghi nhận giai đoạn."))
                else:
                    messages.info(request, _("Hộ đã ở giai đoạn này, không có gì thay đổi."))
                return redirect("onboarding:household-stages", pk=household.pk)
    context = {
        "household": household,
        "channels": channels,
        "form": form,
        "can_record": can_record,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "onboarding/household_stages.html", context, status=status)


@login_required
@require_safe
def session_list(request: HttpRequest) -> HttpResponse:
    page = page_of(
        request,
        selectors.session_list(user=request.user),
        size=SESSIONS_PER_PAGE,
        parameter="trang",
    )
    return render(
        request, "onboarding/session_list.html", {"sessions": page.rows, **page.context()}
    )


def _session_context(request: HttpRequest, pk: int) -> dict[str, object]:
    session = selectors.session_get(user=request.user, pk=pk)
    can_record = editable_sessions(request.user).filter(pk=session.pk).exists()
    attended = {row.household_id for row in session.attendances.all() if row.attended}
    query = normalize_spaces(request.GET.get("q", ""))[:100]
    page = (
        page_of(
            request,
            selectors.session_candidate_households(user=request.user, session=session, query=query),
            size=CANDIDATES_PER_PAGE,
            parameter="trang",
        )
        if can_record
        else None
    )
    return {
        "session": session,
        "can_record": can_record,
        "candidates": page.rows if page else [],
        **(page.context() if page else {}),
        "query": query,
        "attended_ids": attended,
        "is_future": session.held_on > timezone.localdate(),
    }


@login_required
@require_safe
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "onboarding/session_detail.html", _session_context(request, pk))


@login_required
@require_POST
def attendance_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance sheet: every household listed is present if ticked, absent if not."""
    session = selectors.session_get(user=request.user, pk=pk)
    try:
        listed = {int(value) for value in request.POST.getlist("household")}
        ticked = {int(value) for value in request.POST.getlist("attended")}
    except ValueError:
        listed, ticked = set(), set()
        error_message = _("Danh sách hộ gửi lên không hợp lệ.")
    else:
        error_message = "" if ticked <= listed else _("Danh sách hộ gửi lên không hợp lệ.")
    if not error_message and not listed:
        error_message = _("Chưa có hộ nào trong danh sách điểm danh.")
    if not error_message:
        try:
            services.attendance_record(
                session=session,
                recorded_by=request.user,
                attendance={household_id: household_id in ticked for household_id in listed},
            )
        except ValidationError as error:
            error_message = _error_text(error)
    if error_message:
        context = _session_context(request, pk)
        context["error_message"] = error_message
        return render(request, "onboarding/session_detail.html", context, status=400)
    messages.success(request, _("Đã lưu điểm danh; hộ có mặt được ghi nhận là đã tập huấn."))
    # Back to the same search and page of the sheet (the form posts them in its address).
    back = {key: request.GET[key] for key in ("q", "trang") if request.GET.get(key)}
    response = redirect("onboarding:session-detail", pk=session.pk)
    if back:
        response["Location"] += "?" + urlencode(back)
    return response
