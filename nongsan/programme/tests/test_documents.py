"""The programme's figures reach the reports and exports apps: a dashboard exports to xlsx
with the figures it shows, and a provincial report freezes the programme's figures."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import officer
from nongsan.exports import services as exports
from nongsan.exports.models import ExportStatus
from nongsan.programme.tests import test_seams
from nongsan.reports import services as reports
from nongsan.reports.periods import period_parse as report_period

pytestmark = pytest.mark.django_db
world = test_seams.world  # the hand-counted province, its communes and orders


def test_a_province_dashboard_exports_to_xlsx_with_its_figures(
    world, django_capture_on_commit_callbacks
):
    user = officer(Role.PROVINCE_OFFICER, world.province)
    params = {"unit": world.province.code, "period": "2026-Q1"}
    with django_capture_on_commit_callbacks(execute=True):
        job = exports.export_request(user=user, kind="dashboard", params=params, format="xlsx")
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, job.error
    with job.file.open("rb") as stored:
        workbook = load_workbook(io.BytesIO(stored.read()))
    rows = [list(row) for sheet in workbook for row in sheet.iter_rows(values_only=True)]
    assert any(row[:4] == ["Đơn hàng", 2, 4, 50] for row in rows), rows
    assert any(world.commune_a.name in row for row in rows)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"unit": "", "period": "2026-13"}, "Tháng phải từ 01 đến 12"),
        ({"unit": "99999", "period": "2026-Q1"}, "Không có tỉnh hay xã nào mang mã 99999"),
        ({"unit": "", "period": "2026", "colour": "red"}, "Tham số không dùng được: colour"),
    ],
)
def test_bad_dashboard_parameters_are_refused_in_vietnamese(world, params, message):
    user = officer(Role.PROVINCE_OFFICER, world.province)
    with pytest.raises(ValidationError, match=message):
        exports.export_request(user=user, kind="dashboard", params=params, format="pdf")


def test_another_provinces_dashboard_is_not_exported(world):
    user = officer(Role.PROVINCE_OFFICER, world.other_province)
    for unit in (world.province.code, ""):
        with pytest.raises(PermissionDenied):
            exports.export_request(
                user=user, kind="dashboard", params={"unit": unit, "period": "2026-Q1"},
                format="xlsx",
            )  # fmt: skip


def test_the_dashboard_page_offers_the_export(world, client):
    client.force_login(officer(Role.PROVINCE_OFFICER, world.province))
    page = client.get(reverse("programme:province", args=[world.province.code]) + "?period=2026-Q1")
    html = page.content.decode()
    assert reverse("exports:job-create") in html
    assert "&quot;period&quot;: &quot;2026-Q1&quot;" in html
    assert f"&quot;unit&quot;: &quot;{world.province.code}&quot;" in html


def test_a_provincial_report_freezes_the_programmes_figures(world, settings):
    settings.REPORT_FIGURES_PROVIDER = "nongsan.programme.selectors.unit_figures"
    user = officer(Role.PROVINCE_OFFICER, world.province)
    now = datetime.datetime(2026, 4, 2, 3, tzinfo=datetime.UTC)
    report = reports.report_open(
        user=user, province=world.province, period=report_period("2026-03"), now=now
    )
    report = reports.report_update(user=user, report=report, summary="Tháng 3.", now=now)
    report = reports.report_submit(user=user, report=report, now=now)
    figures = {row["code"]: row for row in report.figures}
    assert figures["orders"]["value"] == 1  # the order of 20 March
    assert figures["orders"]["source"] == "platform"
