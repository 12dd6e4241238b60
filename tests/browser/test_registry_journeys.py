"""Registry journeys on a 360px phone: an assistant registers a household with its consent;
a province officer imports a commune's spreadsheet, reads the error report and imports only
the valid rows."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Page, expect

from nongsan.accounts.models import AssistantKind, Role, User
from nongsan.accounts.tests.factories import UserFactory, grant
from nongsan.geo.address import clear_address_index, resolve_address
from nongsan.geo.loading import load_units
from nongsan.geo.models import AdministrativeUnit
from nongsan.imports.models import ImportJob, ImportStatus
from nongsan.producers.models import Household, Purpose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-dai-123"
IMPORT_ADDRESS = "Xã Hồng Giang, huyện Lục Ngạn, tỉnh Bắc Giang"
HEADER = ["STT", "Họ và tên chủ hộ", "Số điện thoại", "Số CCCD", "Địa chỉ", "Sản phẩm chính",
          "Diện tích (ha)", "Đồng ý"]  # fmt: skip
GOOD_NAMES = [f"Nguyễn Văn Vải {number}" for number in range(1, 6)]
BAD_NAMES = ["Trần Thị Sai Số", "Lê Văn Lạc Đường", "Phạm Thị Chưa Ký"]


@pytest.fixture
def units(settings: Any, tmp_path: Any) -> None:
    """The real administrative units (a transactional test's flush removes them afterwards)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    load_units()
    clear_address_index()


def _log_in(page: Page, user: User) -> None:
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("Số điện thoại").fill(user.phone)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của tôi")


def _fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def _current_commune(province_code: str) -> AdministrativeUnit:
    return (
        AdministrativeUnit.objects.filter(
            level="commune", valid_until__isnull=True, province__code=province_code
        )
        .select_related("province")
        .order_by("code")[0]
    )


def test_an_assistant_registers_a_household_with_consent_on_a_phone(
    units, phone_page, screenshot_dir
):
    commune = _current_commune("24")
    assistant: User = UserFactory.create(full_name="Đỗ Thị Hỗ Trợ")
    grant(assistant, Role.ASSISTANT, commune, assistant_kind=AssistantKind.TRAINER)
    page = phone_page
    _log_in(page, assistant)

    page.goto("/ho-san-xuat/dang-ky/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký hộ sản xuất")
    page.get_by_label("Họ tên chủ hộ").fill("Hoàng Văn Nam")
    page.get_by_label("Số điện thoại").fill("0912 111 222")
    province = commune.province
    assert province is not None
    page.get_by_label("Địa chỉ").fill(f"thôn Đông, {commune.name}, {province.name}")
    page.get_by_label("Sản phẩm chính").fill("Vải thiều")
    page.get_by_label("Diện tích canh tác (ha)").fill("0,8")
    page.get_by_label("Số CCCD (không bắt buộc)").fill("001 095 012 345")
    page.get_by_label(str(Purpose.REGISTRY.label)).check()
    page.get_by_label(str(Purpose.MARKETPLACE.label)).check()
    page.get_by_label("Đồng ý trên ứng dụng").check()
    suggestion = page.get_by_label(re.compile(rf"^{re.escape(commune.name)},"))
    if suggestion.count():
        suggestion.first.check()
    assert _fits_the_screen(page)
    page.screenshot(path=screenshot_dir / "registry-register-360.png", full_page=True)
    page.get_by_role("button", name="Đăng ký hộ").click()

    page.wait_for_url(re.compile(r"/ho-san-xuat/\d+/$"))
    row = Household.objects.get()
    assert page.url.endswith(f"/ho-san-xuat/{row.pk}/")
    assert row.commune == commune
    assert row.registered_by == assistant
    assert row.address_as_written.startswith("thôn Đông")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hoàng Văn Nam")
    expect(page.locator("main")).to_contain_text("001*******45")
    expect(page.locator("main")).not_to_contain_text("001095012345")
    assert _fits_the_screen(page)
    page.screenshot(path=screenshot_dir / "registry-household-360.png", full_page=True)

    page.goto("/ho-san-xuat/")
    expect(page.locator(f'tr[data-household="{row.pk}"]')).to_contain_text("Hoàng Văn Nam")
    page.screenshot(path=screenshot_dir / "registry-list-360.png", full_page=True)


def _spreadsheet() -> bytes:
    """A commune's list: a banner, the header, five good rows and three with one error each."""
    rows: list[list[Any]] = [
        [number, name, f"0913{number:06d}", "", IMPORT_ADDRESS, "Vải thiều", "0,5", "x"]
        for number, name in enumerate(GOOD_NAMES, start=1)
    ]
    rows.insert(2, [6, BAD_NAMES[0], "12345", "", IMPORT_ADDRESS, "Vải thiều", "0,5", "x"])
    rows.insert(4, [7, BAD_NAMES[1], "0913000007", "", "Xã Qwerty, tỉnh Zxcvb", "Na", "1", "x"])
    rows.append([8, BAD_NAMES[2], "0913000008", "", IMPORT_ADDRESS, "Vải thiều", "0,3", ""])
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["DANH SÁCH HỘ SẢN XUẤT XÃ HỒNG GIANG"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def test_a_province_officer_imports_a_spreadsheet_and_only_valid_rows_enter(
    units, phone_page, screenshot_dir, tmp_path
):
    resolved = resolve_address(IMPORT_ADDRESS)
    assert resolved.best is not None
    province = resolved.best.province
    officer: User = UserFactory.create(full_name="Vũ Văn Sở")
    grant(officer, Role.PROVINCE_OFFICER, AdministrativeUnit.objects.get(pk=province.pk))
    upload = tmp_path / "ds-hong-giang.xlsx"
    upload.write_bytes(_spreadsheet())
    page = phone_page
    _log_in(page, officer)

    page.goto("/nhap-du-lieu/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập danh sách hộ từ bảng tính")
    page.get_by_label("Tệp danh sách hộ (.xlsx hoặc .csv)").set_input_files(upload)
    assert _fits_the_screen(page)
    page.screenshot(path=screenshot_dir / "import-upload-360.png", full_page=True)
    page.get_by_role("button", name="Tải lên").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Ghép cột")
    expect(page.get_by_label("Số điện thoại")).to_have_value("phone")
    expect(page.get_by_label("Đồng ý")).to_have_value("consent")
    expect(page.locator(".field .samples").first).to_contain_text("Ví dụ:")
    assert _fits_the_screen(page)
    page.screenshot(path=screenshot_dir / "import-mapping-360.png", full_page=True)
    page.get_by_role("button", name="Kiểm tra các dòng").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("ds-hong-giang.xlsx")
    summary = page.locator("#job-progress")
    expect(summary).to_contain_text("Đã kiểm tra")
    facts = summary.locator("dl.facts")
    expect(facts.locator("dt:has-text('Hợp lệ, chờ nhập') + dd")).to_have_text("5")
    expect(facts.locator("dt:text-is('Lỗi') + dd")).to_have_text("3")
    # The rows to fix are on the page itself, readable on the phone.
    problems = page.locator("ol.problem-list > li")
    expect(problems).to_have_count(3)
    for name in BAD_NAMES:
        expect(page.locator("ol.problem-list")).to_contain_text(name)
    expect(problems.first).to_contain_text("Số điện thoại")
    assert _fits_the_screen(page)
    page.screenshot(path=screenshot_dir / "import-summary-360.png", full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải báo cáo lỗi (.xlsx)").click()
    report_path = tmp_path / "bao-cao.xlsx"
    download_info.value.save_as(report_path)
    sheet = load_workbook(report_path).active
    report = list(sheet.iter_rows(values_only=True))
    assert report[0][:3] == ("Dòng", "Kết quả", "Lỗi")
    names = {row[3] for row in report[1:]}
    assert names == set(BAD_NAMES)
    errors = {row[3]: row[2] for row in report[1:]}
    assert "Số điện thoại" in errors[BAD_NAMES[0]]
    assert "Địa chỉ" in errors[BAD_NAMES[1]] or "xã" in errors[BAD_NAMES[1]].lower()
    assert "Đồng ý" in errors[BAD_NAMES[2]]

    page.get_by_role("button", name="Nhập 5 dòng hợp lệ").click()
    expect(summary.locator("dt:text-is('Đã nhập') + dd")).to_have_text("5")
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.DONE
    assert set(Household.objects.values_list("head_name", flat=True)) == set(GOOD_NAMES)
    page.screenshot(path=screenshot_dir / "import-done-360.png", full_page=True)

    page.goto("/ho-san-xuat/")
    page.get_by_label("Tìm theo tên, thôn hoặc số điện thoại").fill("vai")
    page.get_by_text("Lọc thêm").click()
    page.get_by_label("Tập huấn").select_option("no")
    page.get_by_role("button", name="Tìm").click()
    expect(page.locator("tr[data-household]")).to_have_count(5)
    for name in BAD_NAMES:
        expect(page.locator("main")).not_to_contain_text(name)
    expect(page.get_by_label("Tập huấn")).to_be_visible()
    assert _fits_the_screen(page)
    page.screenshot(path=screenshot_dir / "registry-list-filtered-360.png", full_page=True)

    page.goto("/ho-san-xuat/?trained=perhaps")
    expect(page.locator("main")).to_contain_text("Lựa chọn tập huấn không hợp lệ.")
    expect(page.locator("tr[data-household]")).to_have_count(0)
