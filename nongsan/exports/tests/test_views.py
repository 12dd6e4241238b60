"""The export pages and API: the buttons queue a job and the status area shows the download
link when it is ready; only the requester may see or download it (404 for anyone else)."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from nongsan.exports.models import ExportJob, ExportStatus
from nongsan.exports.tests.conftest import ALLOWED, KIND
from nongsan.producers.tests.factories import make_user

pytestmark = pytest.mark.django_db


def _allowed_user():
    user = make_user()
    ALLOWED.add(user.pk)
    return user


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the export task) as a real request would."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def _post(client, format="xlsx", htmx=True, **data):
    headers = {"HX-Request": "true"} if htmx else {}
    body = {"kind": KIND, "format": format, "params": json.dumps({}), **data}
    return client.post(reverse("exports:job-create"), body, headers=headers)


def test_the_status_area_shows_the_download_link_once_the_job_is_done(client, committed):
    client.force_login(_allowed_user())
    answer = committed(_post, client)
    assert answer.status_code == 200
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.DONE  # the test settings run tasks at once
    text = client.get(reverse("exports:job-status", args=[job.pk])).content.decode()
    assert reverse("exports:job-download", args=[job.pk]) in text
    assert "Tải tệp về" in text
    assert "hx-trigger" not in text  # nothing left to poll


def test_a_done_job_past_its_keeping_time_offers_no_dead_link(client, committed, settings):
    """Between the end of the keeping time and the hourly clean-up the job is still "done",
    but its download answers 404: the status area says so instead of offering the link."""
    settings.EXPORTS_KEEP = datetime.timedelta(hours=2)
    client.force_login(_allowed_user())
    committed(_post, client)
    job = ExportJob.objects.get()
    assert job.finished_at is not None
    ExportJob.objects.filter(pk=job.pk).update(
        finished_at=job.finished_at - datetime.timedelta(hours=3)
    )
    text = client.get(reverse("exports:job-status", args=[job.pk])).content.decode()
    assert reverse("exports:job-download", args=[job.pk]) not in text
    assert "Tệp đã quá thời gian giữ; vui lòng xuất lại." in text
    assert client.get(reverse("exports:job-download", args=[job.pk])).status_code == 404


def test_a_pending_job_polls_its_status(client, django_capture_on_commit_callbacks):
    client.force_login(_allowed_user())
    with django_capture_on_commit_callbacks(execute=False):
        answer = _post(client)
    job = ExportJob.objects.get()
    text = answer.content.decode()
    assert 'hx-trigger="every 2s"' in text
    assert reverse("exports:job-status", args=[job.pk]) in text
    assert "Đang chờ" in text


def test_without_htmx_the_request_goes_to_the_job_page(client, committed):
    client.force_login(_allowed_user())
    answer = committed(_post, client, htmx=False)
    job = ExportJob.objects.get()
    assert answer.status_code == 302
    assert answer.url == reverse("exports:job-detail", args=[job.pk])
    assert "Tải tệp về" in client.get(answer.url).content.decode()


def test_bad_input_is_explained_in_the_status_area(client):
    client.force_login(_allowed_user())
    unknown = _post(client, kind="bang_luong")
    assert unknown.status_code == 400
    assert "Không có loại tài liệu xuất này." in unknown.content.decode()
    garbled = _post(client, params="{report")
    assert "Tham số xuất tệp không đọc được." in garbled.content.decode()
    assert not ExportJob.objects.exists()


def test_only_the_requester_downloads_the_file(client, committed):
    owner = _allowed_user()
    client.force_login(owner)
    committed(_post, client)
    job = ExportJob.objects.get()
    download = client.get(reverse("exports:job-download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert workbook.sheetnames[0] == "Số liệu"
    other = _allowed_user()  # even someone allowed the same document
    client.force_login(other)
    for name in ("job-download", "job-status", "job-detail"):
        assert client.get(reverse(f"exports:{name}", args=[job.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("exports:job-download", args=[job.pk])).status_code == 302


def test_an_expired_file_is_gone(client, committed, settings):
    client.force_login(_allowed_user())
    committed(_post, client)
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(
        finished_at=job.finished_at - settings.EXPORTS_KEEP - datetime.timedelta(seconds=1)
    )
    assert client.get(reverse("exports:job-download", args=[job.pk])).status_code == 404


def test_the_list_shows_only_ones_own_jobs(client, committed):
    owner = _allowed_user()
    client.force_login(owner)
    committed(_post, client)
    client.force_login(_allowed_user())
    assert "Bạn chưa xuất tệp nào." in client.get(reverse("exports:job-list")).content.decode()


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_api_requests_polls_and_fetches_an_export(committed):
    owner = _allowed_user()
    api = _api(owner)
    created = committed(
        api.post, "/api/v1/exports/", {"kind": KIND, "format": "pdf", "params": {}}, format="json"
    )
    assert created.status_code == 202
    body = api.get(f"/api/v1/exports/{created.json()['id']}/").json()
    assert body["status"] == "done"
    assert body["download_url"] == f"/api/v1/exports/{body['id']}/file/"
    assert body["expires_at"]
    pdf = api.get(body["download_url"])
    assert pdf["Content-Type"] == "application/pdf"
    content = b"".join(pdf.streaming_content)  # type: ignore[attr-defined]
    assert content.startswith(b"%PDF-")
    stranger = _api(_allowed_user())
    assert stranger.get(f"/api/v1/exports/{body['id']}/").status_code == 404
    assert stranger.get(body["download_url"]).status_code == 404


def test_the_api_refuses_bad_requests_in_vietnamese():
    api = _api(_allowed_user())
    unknown = api.post("/api/v1/exports/", {"kind": "x", "format": "xlsx"}, format="json")
    assert unknown.status_code == 400
    assert unknown.json()["errors"]["kind"] == ["Không có loại tài liệu xuất này."]
    bad_format = api.post("/api/v1/exports/", {"kind": KIND, "format": "doc"}, format="json")
    assert bad_format.status_code == 400
    nested = api.post(
        "/api/v1/exports/", {"kind": KIND, "format": "xlsx", "params": {"a": [1]}}, format="json"
    )
    assert nested.json()["detail"] == "Mỗi tham số xuất tệp chỉ là một chữ hoặc một số."
    refused = _api(make_user()).post(
        "/api/v1/exports/", {"kind": KIND, "format": "xlsx"}, format="json"
    )
    assert refused.status_code == 403
    assert not ExportJob.objects.exists()


def test_the_list_of_exports_pages_instead_of_stopping_at_twenty(client):
    user = make_user()
    jobs = [
        ExportJob.objects.create(requester=user, kind=KIND, params={}, format="xlsx")
        for _ in range(21)
    ]
    other = ExportJob.objects.create(requester=make_user(), kind=KIND, params={}, format="xlsx")
    client.force_login(user)
    first = client.get(reverse("exports:job-list")).content.decode()
    second = client.get(reverse("exports:job-list"), {"page": "2"}).content.decode()
    oldest = reverse("exports:job-status", args=[jobs[0].pk])
    assert oldest not in first
    assert oldest in second
    assert "?page=2" in first
    # Another person's export is on neither page.
    assert reverse("exports:job-status", args=[other.pk]) not in first + second
