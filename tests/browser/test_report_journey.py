"""The provincial report journey: a province officer on a phone writes and submits last
month's report, the ministry returns it with a comment, the officer sees why; the report is
exported to xlsx in the background and downloaded when ready."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from nongsan.reports.models import ProvincialReport, ReportStatus
from nongsan.reports.tests import providers
from nongsan.reports.tests.factories import ministry_officer, province, province_officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Page, user: Any, base_url: str) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


@pytest.fixture
def people(settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.REPORT_FIGURES_PROVIDER = "nongsan.reports.tests.providers.fixed_figures"
    providers.reset()
    unit = province(name="Tỉnh Thử Nghiệm")
    return {
        "province": unit,
        "officer": province_officer(unit, full_name="Lê Văn Sở"),
        "ministry": ministry_officer(full_name="Phạm Thị Bộ"),
    }


def test_an_officer_submits_the_ministry_returns_and_the_report_exports_to_xlsx(
    phone_page: Page, people: dict[str, Any], live_server: Any, screenshot_dir: Any
):
    page = phone_page
    _sign_in(page, people["officer"], live_server.url)
    page.goto("/bao-cao/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo định kỳ của tỉnh")
    page.get_by_role("button", name="Lập báo cáo").click()
    page.get_by_label("Tóm tắt kết quả").fill("Tập huấn 120 hộ, 35 hộ có đơn đầu tiên.")
    page.get_by_label("Khó khăn, vướng mắc").fill("Phí vận chuyển cao ở xã vùng cao.")
    page.get_by_role("button", name="Lưu và nộp").click()
    expect(page.locator("#report-status")).to_have_text("Đã nộp, chờ duyệt")
    expect(page.locator(".report-figures")).to_contain_text("1.200")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / "report-submitted.png"), full_page=True)
    report = ProvincialReport.objects.get(province=people["province"])
    assert report.status == ReportStatus.SUBMITTED

    ministry_page = page.context.browser.new_page(  # type: ignore[union-attr]
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="vi-VN"
    )
    complaints: list[str] = []

    def _watch(message: Any) -> None:
        if "Content Security Policy" in message.text:
            complaints.append(message.text)

    for watched in (page, ministry_page):
        watched.on("console", _watch)
    _sign_in(ministry_page, people["ministry"], live_server.url)
    ministry_page.goto("/bao-cao/")
    row = ministry_page.get_by_role("row", name="Tỉnh Thử Nghiệm")
    expect(row).to_contain_text("Đã nộp, chờ duyệt")
    row.get_by_role("link", name="Xem").click()
    ministry_page.get_by_label("Lý do trả lại").fill("Bổ sung số hộ bán hàng theo từng xã.")
    ministry_page.get_by_role("button", name="Trả lại cho tỉnh").click()
    expect(ministry_page.locator("#report-status")).to_have_text("Bị trả lại, cần sửa")

    with ministry_page.expect_download() as download_info:
        ministry_page.get_by_role("button", name="Xuất xlsx").click()
        link = ministry_page.get_by_role("link", name="Tải tệp về")
        expect(link).to_be_visible(timeout=15_000)
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    rows = [list(row) for row in workbook["Số liệu"].iter_rows(values_only=True)]
    assert ["Hộ đã đăng ký", 1200, 2000, 60.0, "Nền tảng đo"] in rows
    ministry_page.close()

    page.reload()
    expect(page.locator("#report-status")).to_have_text("Bị trả lại, cần sửa")
    expect(page.get_by_role("alert")).to_contain_text("Bổ sung số hộ bán hàng theo từng xã.")
    expect(page.get_by_role("link", name="Sửa báo cáo")).to_be_visible()
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert complaints == []
