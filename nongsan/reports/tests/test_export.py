"""The report as an export: the xlsx and PDF hold the figures the report page shows (the
frozen ones once submitted), and only people who may see the report may export it."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from nongsan.exports import services as exports
from nongsan.exports.documents import checked_document
from nongsan.exports.models import ExportStatus
from nongsan.exports.rendering import document_html
from nongsan.reports.documents import report_document
from nongsan.reports.tests import providers
from nongsan.reports.tests.factories import (
    ministry_officer,
    province,
    province_officer,
    submitted,
)

pytestmark = pytest.mark.django_db


def test_the_report_exports_to_xlsx_with_the_frozen_figures(django_capture_on_commit_callbacks):
    unit = province(name="Tỉnh Lào Cai")
    report = submitted(unit)
    providers.VALUES["households_registered"] = 5  # changed after submission: not exported
    ministry = ministry_officer()
    with django_capture_on_commit_callbacks(execute=True):
        job = exports.export_request(
            user=ministry, kind="report", params={"report": report.pk}, format="xlsx"
        )
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, job.error
    with job.file.open("rb") as stored:
        workbook = load_workbook(io.BytesIO(stored.read()))
    sheet = workbook["Số liệu"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Báo cáo Tháng 03/2026 — Tỉnh Lào Cai"
    assert ["Hộ đã đăng ký", 1200, 2000, 60.0, "Nền tảng đo"] in rows
    assert [
        "Giá trị hàng đã giao (đồng)",
        45_500_000,
        None,
        None,
        "Đối tác báo cáo · ước tính",
    ] in rows
    assert "Tóm tắt kết quả" in workbook.sheetnames
    summary = [row[0] for row in workbook["Tóm tắt kết quả"].iter_rows(values_only=True)]
    assert "Tháng 3 các xã đã tập huấn cho 120 hộ." in summary


def test_a_submitted_report_says_its_figures_were_taken_at_submission():
    """The header's "Số liệu lấy lúc" and the figures' note both give the submission time."""
    report = submitted(province(name="Tỉnh Lào Cai"))
    assert report.figures_taken_at is not None
    document = report_document(user=ministry_officer(), params={"report": report.pk})
    assert document["generated_at"] == report.figures_taken_at.isoformat()


def test_the_report_pdf_shows_the_same_figures(django_capture_on_commit_callbacks):
    from weasyprint import HTML

    report = submitted(province(name="Tỉnh Lào Cai"))
    officer = report.submitted_by
    with django_capture_on_commit_callbacks(execute=True):
        job = exports.export_request(
            user=officer, kind="report", params={"report": str(report.pk)}, format="pdf"
        )
    job.refresh_from_db()
    with job.file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    document = checked_document(report_document(user=officer, params={"report": report.pk}))
    rendered = HTML(string=document_html(document)).render()
    texts = [
        box.text
        for page in rendered.pages
        for box in page._page_box.descendants()
        if getattr(box, "text", None)
    ]
    assert "1.200" in texts
    assert "45.500.000" in texts


def test_only_people_who_see_the_report_may_export_it():
    report = submitted(province())
    stranger = province_officer(province())
    with pytest.raises(PermissionDenied):
        exports.export_request(
            user=stranger, kind="report", params={"report": report.pk}, format="xlsx"
        )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Thiếu mã báo cáo cần xuất (report)."),
        ({"report": "mười"}, "Mã báo cáo cần xuất phải là một số."),
        ({"report": 1, "extra": 2}, "Tham số xuất báo cáo chỉ gồm mã báo cáo (report)."),
        ({"report": True}, "Thiếu mã báo cáo cần xuất (report)."),
    ],
)
def test_bad_report_parameters_are_refused_in_vietnamese(params, message):
    with pytest.raises(ValidationError) as refusal:
        exports.export_request(user=ministry_officer(), kind="report", params=params, format="xlsx")
    assert refusal.value.message_dict["params"] == [message]
