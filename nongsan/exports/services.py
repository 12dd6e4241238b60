"""Exports: a person asks for a registered document in xlsx or PDF; a background task builds
and renders it; only the requester downloads it, until it expires and is deleted."""

from __future__ import annotations

import datetime
import json
import logging
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nongsan.accounts.models import User
from nongsan.audit.services import audit_record
from nongsan.exports.conf import export_keep
from nongsan.exports.documents import DocumentError, checked_document
from nongsan.exports.models import ExportFormat, ExportJob, ExportStatus
from nongsan.exports.registry import export_kind
from nongsan.exports.rendering import render_pdf, render_xlsx

logger = logging.getLogger(__name__)

PARAMS_MAX_BYTES = 2000
PARAMS_MAX_KEYS = 20
PENDING_PER_PERSON = 5
RENDERERS = {ExportFormat.XLSX: render_xlsx, ExportFormat.PDF: render_pdf}


def parse_params(text: str) -> dict[str, Any]:
    """Parameters sent as JSON text (the page's hidden field)."""
    try:
        value = json.loads(text or "{}")
    except (TypeError, ValueError) as error:
        raise ValidationError({"params": _("Tham số xuất tệp không đọc được.")}) from error
    return _checked_params(value)


def _checked_params(params: Any) -> dict[str, Any]:
    if not isinstance(params, dict):
        raise ValidationError({"params": _("Tham số xuất tệp phải là một bảng tên → giá trị.")})
    size = len(json.dumps(params, ensure_ascii=False, default=str).encode())
    if len(params) > PARAMS_MAX_KEYS or size > PARAMS_MAX_BYTES:
        raise ValidationError({"params": _("Tham số xuất tệp quá dài.")})
    for key, value in params.items():
        if not isinstance(key, str) or not (
            value is None or isinstance(value, str | int | float | bool)
        ):
            raise ValidationError({"params": _("Mỗi tham số xuất tệp chỉ là một chữ hoặc một số.")})
    return params


def export_request(
    *,
    user: User,
    kind: str,
    params: Any,
    format: str,
    now: datetime.datetime | None = None,
) -> ExportJob:
    """Queue an export; refused at once if the kind, format or parameters are wrong or the
    person may not have the document. The task starts when the transaction commits."""
    now = now or timezone.now()
    entry = export_kind(kind) if isinstance(kind, str) else None
    if entry is None:
        raise ValidationError({"kind": _("Không có loại tài liệu xuất này.")})
    if format not in ExportFormat.values:
        raise ValidationError({"format": _("Định dạng xuất phải là xlsx hoặc pdf.")})
    checked = _checked_params(params)
    if not entry.permission(user, checked):
        raise PermissionDenied(_("Bạn không được xem tài liệu này."))
    # A job whose worker died long ago no longer counts (``exports_expire`` fails it).
    pending = ExportJob.objects.filter(
        requester=user,
        status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING],
        created_at__gte=now - export_keep(),
    )
    if pending.count() >= PENDING_PER_PERSON:
        raise ValidationError(
            _("Bạn đang có %(count)d tệp chờ tạo; vui lòng đợi chúng xong.")
            % {"count": PENDING_PER_PERSON}
        )
    with transaction.atomic():
        job = ExportJob.objects.create(
            requester=user, kind=kind, params=checked, format=format, created_at=now
        )
        audit_record(
            action="exports.export_request",
            target=job,
            changes={"kind": [None, kind], "format": [None, format], "params": [None, checked]},
            actor=user,
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from nongsan.exports.tasks import export_run_task

    export_run_task.enqueue(job_id)


def _fail(job: ExportJob, message: str, now: datetime.datetime) -> ExportJob:
    job.status = ExportStatus.FAILED
    job.error = message[:500]
    job.finished_at = now
    job.save(update_fields=["status", "error", "finished_at"])
    return job


def export_run(*, job_id: int, now: datetime.datetime | None = None) -> ExportJob:
    """Build and render one queued job. Failures are written on the job, never raised: the
    person sees them on the status area."""
    now = now or timezone.now()
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update()
            .select_related("requester")
            .filter(pk=job_id, status=ExportStatus.QUEUED)
            .first()
        )
        if job is None:
            return ExportJob.objects.get(pk=job_id)
        job.status = ExportStatus.RUNNING
        job.started_at = now
        job.save(update_fields=["status", "started_at"])
    # The worker has no request: the document speaks the requester's language.
    with translation.override(job.requester.preferred_language or None):
        return _build(job)


def _build(job: ExportJob) -> ExportJob:
    entry = export_kind(job.kind)
    if entry is None:
        return _fail(job, _("Loại tài liệu này không còn được hỗ trợ."), timezone.now())
    try:
        if not job.requester.is_active or not entry.permission(job.requester, job.params):
            return _fail(job, _("Bạn không còn được xem tài liệu này."), timezone.now())
        document = checked_document(entry.builder(user=job.requester, params=job.params))
        content = RENDERERS[ExportFormat(job.format)](document)
        job.file.save(f"export.{job.format}", ContentFile(content), save=False)
    except ValidationError as error:
        return _fail(job, " ".join(error.messages), timezone.now())
    except DocumentError:
        logger.exception(
            "export %s: the %s builder returned a malformed document", job.pk, job.kind
        )
        return _fail(job, _("Tài liệu không đúng khuôn dạng; đã báo cho quản trị."), timezone.now())
    except Exception:
        logger.exception("export %s (%s, %s) failed", job.pk, job.kind, job.format)
        return _fail(job, _("Không tạo được tệp; vui lòng thử lại sau."), timezone.now())
    job.title = document["title"][:200]
    job.status = ExportStatus.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["title", "file", "status", "finished_at"])
    return job


def export_expires_at(job: ExportJob) -> datetime.datetime | None:
    if job.finished_at is None or job.status != ExportStatus.DONE:
        return None
    return job.finished_at + export_keep()


def export_downloadable(job: ExportJob, *, now: datetime.datetime | None = None) -> bool:
    expires = export_expires_at(job)
    return bool(job.file) and expires is not None and (now or timezone.now()) < expires


def exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of jobs past their keeping time (the job row stays as a record), and
    fail jobs still queued or running after that long: their worker died."""
    now = now or timezone.now()
    ExportJob.objects.filter(
        status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING],
        created_at__lt=now - export_keep(),
    ).update(
        status=ExportStatus.FAILED,
        error=_("Không tạo được tệp; vui lòng thử lại."),
        finished_at=now,
    )
    expired = 0
    due = ExportJob.objects.filter(
        status=ExportStatus.DONE, finished_at__lt=now - export_keep()
    ).values_list("pk", flat=True)
    for job_id in list(due):
        with transaction.atomic():
            job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
            if job is None or job.status != ExportStatus.DONE:
                continue
            name = job.file.name
            storage = job.file.storage
            job.file = ""
            job.status = ExportStatus.EXPIRED
            job.save(update_fields=["file", "status"])
            if name:
                transaction.on_commit(partial(storage.delete, name))
            expired += 1
    return expired
