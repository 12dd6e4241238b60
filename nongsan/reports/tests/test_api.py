"""/api/v1/reports/: scoped lists and reads, drafts opened and edited by the province, the
workflow steps, and bad input refused with a Vietnamese sentence; documented in OpenAPI."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from nongsan.reports.models import ProvincialReport, ReportStatus
from nongsan.reports.periods import last_ended_period
from nongsan.reports.tests.factories import (
    draft,
    ministry_officer,
    person,
    province,
    province_officer,
    submitted,
)

pytestmark = pytest.mark.django_db
S = ReportStatus


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_list_is_scoped_to_the_province_and_whole_for_the_ministry():
    home, other = province(), province()
    mine, theirs = submitted(home), submitted(other)
    officer = province_officer(home)
    ids = [row["id"] for row in _client(officer).get("/api/v1/reports/").json()["results"]]
    assert ids == [mine.pk]
    everything = _client(ministry_officer()).get("/api/v1/reports/").json()["results"]
    assert {row["id"] for row in everything} == {mine.pk, theirs.pk}
    assert _client(person()).get("/api/v1/reports/").json()["results"] == []
    assert APIClient().get("/api/v1/reports/").status_code in (401, 403)


def test_the_list_filters_and_refuses_bad_filters():
    unit = province(code="98")
    report = submitted(unit)
    client = _client(ministry_officer())
    assert client.get("/api/v1/reports/", {"period": "2026-03"}).json()["count"] == 1
    assert client.get("/api/v1/reports/", {"period": "2026-Q1"}).json()["count"] == 0
    assert client.get("/api/v1/reports/", {"status": "approved"}).json()["count"] == 0
    assert (
        client.get("/api/v1/reports/", {"province": "98"}).json()["results"][0]["id"] == report.pk
    )
    bad = client.get("/api/v1/reports/", {"period": "03/2026"})
    assert bad.status_code == 400
    assert "năm-tháng (2026-03)" in bad.json()["detail"]
    assert client.get("/api/v1/reports/", {"status": "xong"}).json()["detail"] == (
        "Trạng thái báo cáo không hợp lệ."
    )
    assert client.get("/api/v1/reports/", {"province": "zz"}).status_code == 400
    for impossible in ("0000-01", "9999-12"):
        answer = client.get("/api/v1/reports/", {"period": impossible})
        assert answer.status_code == 400
        assert "Không có kỳ báo cáo" in answer.json()["detail"]


def test_the_detail_shows_frozen_figures_and_hides_other_provinces():
    report = submitted(province())
    body = _client(ministry_officer()).get(f"/api/v1/reports/{report.pk}/").json()
    assert body["period"] == "2026-03"
    assert body["status"] == "submitted"
    assert body["figures"][0]["value"] == 1200
    assert body["figures"][1]["source"] == "partner"
    assert body["figures"][1]["estimated"]
    stranger = province_officer(province())
    assert _client(stranger).get(f"/api/v1/reports/{report.pk}/").status_code == 404


def test_a_province_officer_opens_edits_and_submits_through_the_api():
    unit = province(code="97")
    officer = province_officer(unit)
    client = _client(officer)
    period = last_ended_period("month", timezone.localdate())
    created = client.post(
        "/api/v1/reports/",
        {"province": "97", "period": period.code, "summary": "Tóm tắt qua API"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["summary"] == "Tóm tắt qua API"
    again = client.post(
        "/api/v1/reports/", {"province": "97", "period": period.code}, format="json"
    )
    assert again.status_code == 400
    assert "đã có báo cáo" in again.json()["detail"]
    patched = client.patch(
        f"/api/v1/reports/{pk}/", {"proposals": "Giảm phí vận chuyển"}, format="json"
    )
    assert patched.json()["proposals"] == "Giảm phí vận chuyển"
    submitted_answer = client.post(f"/api/v1/reports/{pk}/submit/")
    assert submitted_answer.json()["status"] == "submitted"
    assert submitted_answer.json()["figures"]
    locked = client.patch(f"/api/v1/reports/{pk}/", {"summary": "muộn"}, format="json")
    assert locked.status_code == 400
    assert "không sửa được nữa" in locked.json()["detail"]
    approve = client.post(f"/api/v1/reports/{pk}/approve/")
    assert approve.status_code == 403
    assert approve.json()["detail"] == "Chỉ Bộ mới duyệt hoặc trả lại báo cáo."


def test_opening_refuses_another_province_and_bad_input():
    province(code="96")
    officer = province_officer(province(code="95"))
    client = _client(officer)
    assert (
        client.post(
            "/api/v1/reports/", {"province": "96", "period": "2026-03"}, format="json"
        ).status_code
        == 403
    )
    bad_period = client.post("/api/v1/reports/", {"province": "95", "period": "Q1"}, format="json")
    assert bad_period.status_code == 400
    assert bad_period.json()["errors"]["period"]
    unknown = client.post(
        "/api/v1/reports/", {"province": "00", "period": "2026-03"}, format="json"
    )
    assert unknown.json()["errors"]["province"] == [
        "Không có tỉnh / thành phố hiện hành với mã này."
    ]
    long_text = client.post(
        "/api/v1/reports/",
        {"province": "95", "period": "2026-02", "summary": "x" * 5001},
        format="json",
    )
    assert long_text.status_code == 400
    assert "tối đa 5000 ký tự" in long_text.json()["errors"]["summary"][0]
    assert not ProvincialReport.objects.filter(
        period_start__month=2
    ).exists()  # nothing half-written


def test_the_ministry_returns_and_approves_through_the_api():
    report = submitted(province())
    client = _client(ministry_officer())
    no_comment = client.post(
        f"/api/v1/reports/{report.pk}/return/", {"comment": " "}, format="json"
    )
    assert no_comment.status_code == 400
    assert no_comment.json()["errors"]["comment"] == ["Vui lòng ghi lý do trả lại báo cáo."]
    returned = client.post(
        f"/api/v1/reports/{report.pk}/return/", {"comment": "Thiếu số liệu xã"}, format="json"
    )
    assert returned.json()["status"] == "returned"
    assert returned.json()["return_comment"] == "Thiếu số liệu xã"
    illegal = client.post(f"/api/v1/reports/{report.pk}/approve/")
    assert illegal.status_code == 400
    assert "Không thể chuyển báo cáo" in illegal.json()["detail"]


def test_the_ministry_cannot_open_or_write_a_province_report():
    unit = province(code="94")
    report = draft(unit)
    client = _client(ministry_officer())
    assert (
        client.patch(f"/api/v1/reports/{report.pk}/", {"summary": "x"}, format="json").status_code
        == 404
    )
    assert client.post(f"/api/v1/reports/{report.pk}/submit/").status_code == 404
    assert (
        client.post(
            "/api/v1/reports/", {"province": "94", "period": "2026-02"}, format="json"
        ).status_code
        == 403
    )


def test_the_list_query_count_does_not_grow_with_reports(django_assert_max_num_queries):
    ministry = ministry_officer()
    client = _client(ministry)
    for _ in range(3):
        submitted(province())
    with django_assert_max_num_queries(8):
        client.get("/api/v1/reports/")
    for _ in range(10):
        submitted(province())
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/reports/").json()["count"] == 13


def test_the_endpoints_are_in_the_openapi_schema():
    schema = APIClient().get(reverse("api-schema"), {"format": "json"}).json()
    paths = schema["paths"]
    for path in [
        "/api/v1/reports/",
        "/api/v1/reports/{id}/",
        "/api/v1/reports/{id}/submit/",
        "/api/v1/reports/{id}/approve/",
        "/api/v1/reports/{id}/return/",
        "/api/v1/exports/",
        "/api/v1/exports/{id}/",
        "/api/v1/exports/{id}/file/",
    ]:
        assert path in paths, path
    assert "post" in paths["/api/v1/reports/"]
    assert "patch" in paths["/api/v1/reports/{id}/"]
