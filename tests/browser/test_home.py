"""A visitor on a phone opens the home page in Vietnamese, switches to English, and it stays."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

HEADING_VI = "Đưa nông sản của hộ sản xuất lên mạng"
HEADING_EN = "Bringing farm households' produce online"


def test_home_page_on_a_phone_in_vietnamese_then_english(phone_page, screenshot_dir):
    page = phone_page

    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADING_VI)
    expect(page.get_by_role("navigation", name="Điều hướng chính")).to_contain_text(
        "Địa bàn hành chính"
    )
    assert page.evaluate("typeof window.htmx") == "object", "vendored htmx did not load"
    no_sideways_scroll = "document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(no_sideways_scroll), "the page is wider than the phone"
    page.screenshot(path=screenshot_dir / "home-vi.png", full_page=True)

    page.get_by_role("button", name="English").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADING_EN)
    expect(page.get_by_role("navigation", name="Main navigation")).to_contain_text(
        "Administrative units"
    )
    page.screenshot(path=screenshot_dir / "home-en.png", full_page=True)

    page.reload()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADING_EN)
    expect(page.get_by_role("button", name="Tiếng Việt")).to_be_visible()


def test_every_tap_target_on_the_home_page_is_large_enough(phone_page):
    phone_page.goto("/")

    too_small = phone_page.evaluate(
        """() => [...document.querySelectorAll('a, button, input, select, textarea')]
            .filter((element) => element.offsetParent !== null)
            .filter((element) => !element.classList.contains('skip-link'))
            .map((element) => [element.textContent.trim(), element.getBoundingClientRect()])
            .filter(([, box]) => box.height < 44 || box.width < 44)
            .map(([text, box]) => `${text}: ${Math.round(box.width)}×${Math.round(box.height)}`)"""
    )

    assert too_small == []


def test_skip_link_appears_on_keyboard_focus_and_jumps_to_the_content(phone_page):
    phone_page.goto("/")

    phone_page.keyboard.press("Tab")
    skip_link = phone_page.get_by_role("link", name="Bỏ qua, đến nội dung chính")
    expect(skip_link).to_be_focused()
    assert phone_page.evaluate("document.activeElement.getBoundingClientRect().top") >= 0
    phone_page.keyboard.press("Enter")

    expect(phone_page.locator("main")).to_be_focused()
