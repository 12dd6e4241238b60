"""Import pages: upload, column mapping with a preview, progress and report, confirmation;
and the registry export of the person's area. Thin: parse, call a service, render."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from nongsan.accounts.models import User
from nongsan.common.paging import page_of
from nongsan.imports import services
from nongsan.imports.columns import FIELDS, mapping_problems
from nongsan.imports.exporting import CONTENT_TYPES, CSV, XLSX
from nongsan.imports.forms import MappingForm, UploadForm
from nongsan.imports.models import ImportJob
from nongsan.imports.permissions import editable_import_jobs, visible_import_jobs
from nongsan.imports.reading import SpreadsheetError
from nongsan.imports.selectors import import_job_problem_rows

JOBS_PER_PAGE = 50
PROBLEMS_PER_PAGE = 25


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    return user


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def job_list(request: HttpRequest) -> HttpResponse:
    """The area's imports, newest first, with the upload form."""
    user = _user(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.import_job_create(uploaded_by=user, upload=upload, name=upload.name)
        except SpreadsheetError as error:
            form.add_error("file", str(error))
        except PermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        else:
            return redirect("imports:job-mapping", pk=job.pk)
    jobs = visible_import_jobs(user).select_related("uploaded_by").order_by("-created_at")
    return render(request, "imports/job_list.html", {"form": form, "jobs": jobs[:JOBS_PER_PAGE]})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def job_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose which column holds which field, seeing the first ten rows."""
    user = _user(request)
    job = get_object_or_404(editable_import_jobs(user), pk=pk)
    form = MappingForm(request.POST or None, headers=job.headers, mapping=job.mapping)
    if request.method == "POST" and form.is_valid():
        try:
            services.import_job_set_mapping(job=job, mapping=form.mapping())
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            services.import_job_start_validation(job)
            return redirect("imports:job-detail", pk=job.pk)
    try:
        preview = services.import_job_preview(job)
    except SpreadsheetError as error:
        preview = []
        form.add_error(None, str(error))
    # A few values under each column's choice: on a phone the preview table is too wide.
    columns = [
        (
            form[f"column_{position}"],
            [cells[position] for _n, cells in preview if cells[position]][:3],
        )
        for position in range(len(job.headers))
    ]
    return render(
        request,
        "imports/job_mapping.html",
        {
            "job": job,
            "form": form,
            "columns": columns,
            "preview": preview,
            "problems": mapping_problems(job.mapping),
            "fields": FIELDS,
        },
    )


def _job(request: HttpRequest, pk: int) -> ImportJob:
    return get_object_or_404(
        visible_import_jobs(_user(request)).select_related("uploaded_by"), pk=pk
    )


@login_required
@require_safe
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress and counts, and once checked, its problem rows a page at a time,
    so an officer on a phone sees what to fix without opening the spreadsheet report."""
    job = _job(request, pk)
    problems = None
    if not job.is_running:
        problems = page_of(
            request,
            import_job_problem_rows(job),
            size=PROBLEMS_PER_PAGE,
            parameter="trang",
            anchor="problems",
        )
    return render(
        request,
        "imports/job_detail.html",
        {
            "job": job,
            "can_confirm": job.uploaded_by_id == request.user.pk,
            "problems": problems.rows if problems else [],
            **(problems.context() if problems else {}),
        },
    )


@login_required
@require_safe
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress box alone, which the page polls every two seconds while the job runs."""
    job = _job(request, pk)
    return render(
        request,
        "imports/_progress.html",
        {"job": job, "can_confirm": job.uploaded_by_id == request.user.pk},
    )


@login_required
@require_safe
def job_report(request: HttpRequest, pk: int) -> FileResponse:
    """The per-row report as xlsx (?all=1 for every row, otherwise the rows with problems)."""
    job = _job(request, pk)
    stream = io.BytesIO()
    services.import_job_report(job, stream, only_problems=request.GET.get("all") != "1")
    stream.seek(0)
    return FileResponse(
        stream,
        as_attachment=True,
        filename=f"bao-cao-nhap-{job.pk}.xlsx",
        content_type=CONTENT_TYPES[XLSX],
    )


@login_required
@require_POST
def job_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    job = get_object_or_404(editable_import_jobs(user), pk=pk)
    try:
        services.import_job_start_import(job, confirmed_by=user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("imports:job-detail", pk=job.pk)


@login_required
@require_safe
def registry_export(request: HttpRequest) -> HttpResponse:
    """The households the person may see whose registry consent stands, as xlsx or csv
    (?format=csv); every export is audited."""
    user = _user(request)
    format = request.GET.get("format", XLSX)
    if format not in (XLSX, CSV):
        return HttpResponse(
            _("Định dạng không hỗ trợ."), status=400, content_type="text/plain; charset=utf-8"
        )
    content = services.registry_export(exported_by=user, format=format)
    response = HttpResponse(content, content_type=CONTENT_TYPES[format])
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="so-dang-ky-ho-{stamp}.{format}"'
    return response
