"""Chromium under the real Content-Security-Policy: the pages break none of its rules.

A rule the policy blocks (an inline script or style, a font from a CDN, a worker) would be
silently missing for a visitor; here it is a failure. Each page is loaded, used a little and
checked for ``securitypolicyviolation`` events and "Content Security Policy" console errors.
"""

from __future__ import annotations

import re

import pytest
from django.urls import path
from playwright.sync_api import Page, expect

from config.urls import urlpatterns as project_urlpatterns
from nongsan.common.api_docs import ApiDocsRedocView, ApiDocsSwaggerView

pytestmark = pytest.mark.browser

# The documentation views mounted here too, whatever config/urls.py does with them.
urlpatterns = [
    path("test-only/redoc/", ApiDocsRedocView.as_view(url_name="api-schema")),
    path("test-only/swagger/", ApiDocsSwaggerView.as_view(url_name="api-schema")),
    *project_urlpatterns,
]

REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def watched_page(phone_page: Page) -> tuple[Page, list[str]]:
    """The phone page, with every CSP complaint of the console collected."""
    complaints: list[str] = []
    phone_page.on(
        "console",
        lambda message: (
            complaints.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    phone_page.add_init_script(RECORD_VIOLATIONS)
    return phone_page, complaints


def _violations(page: Page, complaints: list[str]) -> list[str]:
    return [*page.evaluate("window.__cspViolations"), *complaints]


def test_home_page_and_language_switch_break_no_csp_rule(watched_page):
    page, complaints = watched_page

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("typeof window.htmx") == "object"
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    assert _violations(page, complaints) == []


def test_administrative_unit_pages_break_no_csp_rule(watched_page, admin_units):
    page, complaints = watched_page

    page.goto("/dia-ban/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_role("link", name="Bắc Ninh").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bắc Ninh")

    assert _violations(page, complaints) == []


@pytest.mark.urls(__name__)
def test_redoc_renders_under_its_policy(watched_page):
    page, complaints = watched_page

    page.goto("/test-only/redoc/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nông Sàn API", timeout=20_000)
    expect(page.get_by_role("heading", name="Search administrative units")).to_be_visible()

    # Redoc's sidebar fetches the Redocly logo from its CDN and hides it when that fails:
    # blocking that outside request is the policy doing its job.
    others = [
        complaint for complaint in _violations(page, complaints) if REDOCLY_LOGO not in complaint
    ]
    assert others == []


@pytest.mark.urls(__name__)
def test_swagger_ui_renders_and_tries_a_request_under_its_policy(watched_page):
    page, complaints = watched_page

    page.goto("/test-only/swagger/")
    expect(page.locator(".swagger-ui .title").first).to_contain_text("Nông Sàn API", timeout=20_000)
    page.locator(".opblock-summary", has_text="/api/v1/admin-units/").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".live-responses-table tbody .response-col_status").first).to_contain_text(
        "200"
    )

    assert _violations(page, complaints) == []


def test_admin_pages_break_no_csp_rule(watched_page, django_user_model):
    page, complaints = watched_page
    django_user_model.objects.create_superuser(phone="+84912000111", password="quan-tri-123")

    page.goto("/admin/login/")
    page.get_by_label("Số điện thoại").fill("0912 000 111")
    page.get_by_label("Mật khẩu").fill("quan-tri-123")
    page.get_by_role("button", name="Đăng nhập").click()
    for url in ("/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/"):
        page.goto(url)
        expect(page.locator("#content")).to_be_visible()
    page.goto("/admin/accounts/user/")
    page.locator("#result_list tbody th a").first.click()
    expect(page.locator("#content form")).to_be_visible()

    assert _violations(page, complaints) == []


def test_token_pages_fit_a_phone_and_break_no_csp_rule(
    watched_page, django_user_model, screenshot_dir
):
    page, complaints = watched_page
    django_user_model.objects.create_user(phone="+84912000222", password="doi-tac-htx-123")
    no_sideways_scroll = "document.documentElement.scrollWidth <= window.innerWidth"

    page.goto("/tai-khoan/ma-truy-cap/")  # anonymous: sent to log in, then back here
    page.get_by_label("Số điện thoại").fill("0912 000 222")
    page.get_by_label("Mật khẩu").fill("doi-tac-htx-123")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mã truy cập API")
    page.get_by_role("link", name="Tạo mã mới").click()
    page.get_by_label("Tên gợi nhớ").fill("Phần mềm kế toán HTX")
    page.get_by_role("button", name="Tạo mã").click()

    secret = page.locator("[data-token-secret]")
    expect(secret).to_have_value(re.compile(r"^ns_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$"))
    assert page.evaluate(no_sideways_scroll), "the page with the new token is wider than the phone"
    page.screenshot(path=screenshot_dir / "token-created.png", full_page=True)
    page.get_by_role("link", name="Tôi đã chép mã, về danh sách").click()
    expect(page.locator("[data-token]")).to_have_count(1)
    expect(page.locator("[data-token-secret]")).to_have_count(0)
    assert page.evaluate(no_sideways_scroll), "the list is wider than the phone"
    page.screenshot(path=screenshot_dir / "token-list.png", full_page=True)
    page.get_by_role("link", name="Thu hồi").click()
    page.get_by_role("button", name="Thu hồi mã").click()
    expect(page.locator(".messages")).to_contain_text("Đã thu hồi mã truy cập")
    expect(page.locator("[data-token] .badge-danger")).to_have_count(1)

    assert _violations(page, complaints) == []
