"""Asking for an export and running it: unknown kinds, formats and malformed parameters are
refused in Vietnamese before anything is queued; a job runs to a file, or fails with a
sentence the person can read; files expire and are deleted."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from nongsan.audit.models import AuditEntry
from nongsan.exports import services
from nongsan.exports.models import ExportJob, ExportStatus
from nongsan.exports.tests.conftest import ALLOWED, DOCUMENT, KIND
from nongsan.producers.tests.factories import make_user

pytestmark = pytest.mark.django_db


def _allowed_user():
    user = make_user()
    ALLOWED.add(user.pk)
    return user


def test_a_request_runs_at_commit_and_leaves_a_workbook(django_capture_on_commit_callbacks):
    user = _allowed_user()
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_request(user=user, kind=KIND, params={"rows": 3}, format="xlsx")
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert job.title == "Tiến độ Kế hoạch 1034 — Tỉnh Lào Cai"
    assert job.started_at is not None
    assert job.finished_at is not None
    with job.file.open("rb") as stored:
        workbook = load_workbook(io.BytesIO(stored.read()))
    assert workbook["Số liệu"]["A1"].value == job.title
    assert AuditEntry.objects.filter(action="exports.export_request", actor=user).exists()


def test_a_queued_job_waits_for_the_commit(django_capture_on_commit_callbacks):
    user = _allowed_user()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.export_request(user=user, kind=KIND, params={}, format="pdf")
    assert job.status == ExportStatus.QUEUED
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    ("kind", "params", "format", "field", "message"),
    [
        ("khong_co", {}, "xlsx", "kind", "Không có loại tài liệu xuất này."),
        (KIND, {}, "docx", "format", "Định dạng xuất phải là xlsx hoặc pdf."),
        (KIND, ["report"], "xlsx", "params", "Tham số xuất tệp phải là một bảng tên → giá trị."),
        (
            KIND,
            {"a": {"b": 1}},
            "xlsx",
            "params",
            "Mỗi tham số xuất tệp chỉ là một chữ hoặc một số.",
        ),
        (KIND, {"note": "x" * 3000}, "xlsx", "params", "Tham số xuất tệp quá dài."),
        (KIND, {"rows": "nhiều"}, "xlsx", "params", "Số dòng phải là một số."),
    ],
)
def test_bad_requests_are_refused_in_vietnamese_and_nothing_is_queued(
    kind, params, format, field, message
):
    with pytest.raises(ValidationError) as refusal:
        services.export_request(user=_allowed_user(), kind=kind, params=params, format=format)
    assert refusal.value.message_dict[field] == [message]
    assert not ExportJob.objects.exists()


def test_params_that_are_not_json_are_refused():
    with pytest.raises(ValidationError, match="không đọc được"):
        services.parse_params("{report: 1")
    assert services.parse_params('{"report": 1}') == {"report": 1}


def test_someone_the_kind_refuses_gets_no_job():
    with pytest.raises(PermissionDenied, match="không được xem tài liệu này"):
        services.export_request(user=make_user(), kind=KIND, params={}, format="xlsx")
    assert not ExportJob.objects.exists()


def test_a_person_has_at_most_five_pending_jobs(django_capture_on_commit_callbacks):
    user = _allowed_user()
    with django_capture_on_commit_callbacks(execute=False):
        for _ in range(5):
            services.export_request(user=user, kind=KIND, params={}, format="xlsx")
        with pytest.raises(ValidationError, match="đang có 5 tệp chờ tạo"):
            services.export_request(user=user, kind=KIND, params={}, format="xlsx")


def test_a_right_lost_before_the_run_fails_the_job(django_capture_on_commit_callbacks):
    user = _allowed_user()
    with django_capture_on_commit_callbacks(execute=False):
        job = services.export_request(user=user, kind=KIND, params={}, format="xlsx")
    ALLOWED.clear()
    job = services.export_run(job_id=job.pk)
    assert job.status == ExportStatus.FAILED
    assert job.error == "Bạn không còn được xem tài liệu này."
    assert not job.file


def test_a_builder_that_raises_fails_the_job_with_a_readable_sentence(
    django_capture_on_commit_callbacks,
):
    DOCUMENT["raise"] = True
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_request(user=_allowed_user(), kind=KIND, params={}, format="pdf")
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert job.error == "Không tạo được tệp; vui lòng thử lại sau."


def test_a_malformed_document_fails_the_job(django_capture_on_commit_callbacks):
    DOCUMENT["value"] = {"title": "x", "generated_at": "hôm nay", "sections": []}
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_request(user=_allowed_user(), kind=KIND, params={}, format="xlsx")
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert "không đúng khuôn dạng" in job.error


def test_a_job_runs_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_request(user=_allowed_user(), kind=KIND, params={}, format="xlsx")
    job.refresh_from_db()
    name = job.file.name
    again = services.export_run(job_id=job.pk)
    assert again.file.name == name


def test_files_expire_after_the_keeping_time_and_are_deleted(
    settings, django_capture_on_commit_callbacks
):
    settings.EXPORTS_KEEP = datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_request(user=_allowed_user(), kind=KIND, params={}, format="xlsx")
    job.refresh_from_db()
    path = Path(job.file.path)
    assert path.exists()
    finished = job.finished_at
    assert finished is not None
    assert services.export_downloadable(job, now=finished + datetime.timedelta(minutes=119))
    assert not services.export_downloadable(job, now=finished + datetime.timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.exports_expire(now=finished + datetime.timedelta(minutes=119)) == 0
        assert services.exports_expire(now=finished + datetime.timedelta(hours=3)) == 1
    job.refresh_from_db()
    assert job.status == ExportStatus.EXPIRED
    assert not job.file
    assert not path.exists()


def test_the_expiry_task_uses_the_current_time(django_capture_on_commit_callbacks, monkeypatch):
    from nongsan.exports.tasks import exports_expire_task

    with django_capture_on_commit_callbacks(execute=True):
        services.export_request(user=_allowed_user(), kind=KIND, params={}, format="xlsx")
    assert exports_expire_task.enqueue().return_value == 0
    later = timezone.now() + datetime.timedelta(days=2)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    with django_capture_on_commit_callbacks(execute=True):
        assert exports_expire_task.enqueue().return_value == 1


def test_a_job_whose_worker_died_is_failed_and_no_longer_blocks_new_exports(settings):
    settings.EXPORTS_KEEP = datetime.timedelta(hours=2)
    user = _allowed_user()
    long_ago = timezone.now() - datetime.timedelta(hours=3)
    stuck = [
        ExportJob.objects.create(
            requester=user, kind=KIND, params={}, format="xlsx", created_at=long_ago,
            status=ExportStatus.RUNNING,
        )
        for _ in range(services.PENDING_PER_PERSON)
    ]  # fmt: skip
    # Their worker is gone: they count no more, and a new request is taken.
    services.export_request(user=user, kind=KIND, params={}, format="xlsx")
    services.exports_expire()
    for job in stuck:
        job.refresh_from_db()
        assert job.status == ExportStatus.FAILED
        assert job.error == "Không tạo được tệp; vui lòng thử lại."


def test_the_document_speaks_the_requesters_language(django_capture_on_commit_callbacks):
    from django.utils.translation import get_language

    from nongsan.exports import registry

    spoken: list[str] = []

    def builder(*, user, params):
        spoken.append(get_language())
        return DOCUMENT

    registry.register("language_probe", builder, lambda user, params: True)
    try:
        user = make_user(preferred_language="en")
        with django_capture_on_commit_callbacks(execute=True):
            services.export_request(user=user, kind="language_probe", params={}, format="xlsx")
    finally:
        registry.unregister("language_probe")
    assert spoken == ["en"]
