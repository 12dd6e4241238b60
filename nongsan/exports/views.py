"""Export pages: ask for a file (the buttons any page includes), watch its status (htmx polls
the small status area), download it (only the requester; 404 for anyone else)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from nongsan.accounts.models import User
from nongsan.common.paging import page_of
from nongsan.exports import services
from nongsan.exports.models import ExportFormat, ExportJob
from nongsan.exports.permissions import visible_export_jobs

RECENT_JOBS = 20
CONTENT_TYPES = {
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.PDF: "application/pdf",
}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    return user


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_safe
def job_list(request: HttpRequest) -> HttpResponse:
    page = page_of(request, visible_export_jobs(_user(request)), size=RECENT_JOBS)
    return render(request, "exports/job_list.html", {"jobs": page.rows, **page.context()})


@login_required
@require_POST
def job_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    error_message = ""
    job = None
    try:
        job = services.export_request(
            user=user,
            kind=request.POST.get("kind", ""),
            params=services.parse_params(request.POST.get("params", "")),
            format=request.POST.get("format", ""),
        )
    except ValidationError as error:
        error_message = " ".join(error.messages)
    except PermissionDenied as error:
        error_message = str(error)
    if job is not None and not _is_htmx(request):
        return redirect("exports:job-detail", pk=job.pk)
    if job is not None:
        job.refresh_from_db()
    status = 400 if job is None else 200
    template = "exports/_status.html" if _is_htmx(request) else "exports/job_error.html"
    return render(request, template, {"job": job, "error": error_message}, status=status)


def _job(request: HttpRequest, pk: int) -> ExportJob:
    return get_object_or_404(visible_export_jobs(_user(request)), pk=pk)


@login_required
@require_safe
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "exports/job_detail.html", {"job": _job(request, pk)})


@login_required
@require_safe
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The status area alone; it polls itself every two seconds while the job is pending."""
    return render(request, "exports/_status.html", {"job": _job(request, pk)})


@login_required
@require_safe
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _job(request, pk)
    if not services.export_downloadable(job):
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.download_name,
        content_type=CONTENT_TYPES[ExportFormat(job.format)],
    )
