"""A farmer on a cheap phone signs up with a phone number, confirms it with the code that
arrived by SMS (read from the local message backend), logs out, logs in and switches language."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from nongsan.messaging.selectors import latest_message_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "+84912345678"
PASSWORD = "vai-thieu-luc-ngan-2026"


def _code_sent_to(phone: str) -> str:
    message = latest_message_for(phone)
    assert message is not None, "no code reached the local message backend"
    match = re.search(r"\b(\d{6})\b", message.body)
    assert match, message.body
    return match.group(1)


def test_sign_up_confirm_log_in_and_switch_language_on_a_phone(phone_page, screenshot_dir):
    page = phone_page
    page.goto("/tai-khoan/dang-ky/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký tài khoản")
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Hoa")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    page.get_by_label("Bán nông sản của hộ mình").check()
    page.screenshot(path=screenshot_dir / "sign-up-vi.png", full_page=True)
    page.get_by_role("button", name="Đăng ký và nhận mã").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập mã xác nhận")
    page.get_by_label("Mã xác nhận (6 chữ số)").fill(_code_sent_to(PHONE))
    page.get_by_role("button", name="Xác nhận", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của tôi")
    expect(page.locator("main")).to_contain_text("Hộ sản xuất / người bán")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="Đăng xuất").click()

    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("Số điện thoại").fill("0912.345.678")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của tôi")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("My profile")
    page.screenshot(path=screenshot_dir / "profile-en.png", full_page=True)
