"""The page shell: home page, navigation, error pages; nothing is fetched from elsewhere."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import Resolver404, resolve
from django.utils import translation
from django.views import defaults


class LinkCollector(HTMLParser):
    """Every URL the page would make a browser load or follow."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"href", "src", "action", "srcset", "poster", "data"} and value:
                self.urls.append(value)


def collect_urls(html: str) -> list[str]:
    parser = LinkCollector()
    parser.feed(html)
    return parser.urls


def test_home_page_is_in_vietnamese_by_default(client):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Đưa nông sản của hộ sản xuất lên mạng" in html
    assert "Bạn là ai, bắt đầu từ đâu?" in html


def test_home_page_names_every_kind_of_visitor(client):
    html = client.get("/").content.decode()

    for visitor in (
        "Hộ sản xuất, hợp tác xã",
        "Người mua",
        "Thương lái, doanh nghiệp thu mua",
        "Người hỗ trợ hộ",
        "Cán bộ xã, tỉnh, bộ",
        "Nền tảng đối tác",
    ):
        assert visitor in html


def test_home_page_marks_parts_not_built_yet_as_coming(client):
    html = client.get("/").content.decode()

    assert html.count('<span class="badge badge-soon">') >= 4
    assert "Sắp có" in html


def test_home_page_links_only_to_pages_that_exist(client):
    html = client.get("/").content.decode()
    paths = {
        urlsplit(url).path for url in collect_urls(html) if url.startswith("/") and "#" not in url
    }

    assert {"/", "/dia-ban/", "/api/v1/docs/", "/admin/"} <= paths
    unresolved = []
    for path in paths:
        if path.startswith("/static/") or path == "/i18n/setlang/":
            continue
        try:
            resolve(path)
        except Resolver404:
            unresolved.append(path)
    assert unresolved == []


def test_home_page_loads_nothing_from_other_hosts(client):
    html = client.get("/").content.decode()
    urls = collect_urls(html)

    assert urls, "the collector found no URLs at all"
    external = [url for url in urls if urlsplit(url).scheme or url.startswith("//")]
    assert external == []
    assert "http://" not in html
    assert "https://" not in html


def test_home_page_loads_vendored_htmx_deferred_and_own_stylesheet(client):
    html = client.get("/").content.decode()

    assert '<script src="/static/vendor/htmx/htmx.min.js" defer></script>' in html
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html


def test_navigation_marks_the_current_page(client):
    html = client.get("/").content.decode()

    assert '<a href="/" aria-current="page">' in html
    assert '<a href="/dia-ban/">' in html


def test_language_switch_returns_to_the_page_it_was_used_on(client):
    html = client.get("/?trang=2").content.decode()

    assert 'action="/i18n/setlang/"' in html
    assert '<input type="hidden" name="next" value="/?trang=2">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<button class="language-option" type="submit" name="language" value="en"' in html


def test_page_shell_has_skip_link_and_main_landmark(client):
    html = client.get("/").content.decode()

    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main" tabindex="-1">' in html
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html


def test_unknown_page_is_a_404_in_vietnamese_through_the_page_shell(client):
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Không tìm thấy trang" in html
    assert 'class="site-header"' in html


def test_unknown_page_follows_the_visitors_language(client):
    client.cookies["django_language"] = "en"

    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_forbidden_page_is_in_vietnamese():
    request = RequestFactory().get("/quan-ly/")

    with translation.override("vi"):  # no LocaleMiddleware when calling the handler directly
        response = defaults.permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    assert "Bạn không có quyền xem trang này" in response.content.decode()


def test_forged_host_gets_the_bad_request_page_in_vietnamese(client):
    # A forged Host header is a SuspiciousOperation: Django answers with 400.html.
    response = client.get("/", HTTP_HOST="ke-gia-mao.example")

    assert response.status_code == 400
    html = response.content.decode()
    assert "Yêu cầu không hợp lệ" in html
    assert '<html lang="vi">' in html
    assert "ke-gia-mao" not in html


def test_server_error_page_is_standalone_and_in_vietnamese():
    request = RequestFactory().get("/")

    with translation.override("vi"):
        response = defaults.server_error(request)

    assert response.status_code == 500
    html = response.content.decode()
    assert "Hệ thống đang gặp sự cố" in html
    assert '<html lang="vi">' in html
    assert "/static/" not in html  # must not depend on the static files that may be broken


def test_server_error_page_renders_with_no_context_at_all():
    with translation.override("en"):
        html = render_to_string("500.html")

    assert "Something went wrong" in html
    assert '<html lang="en">' in html


@pytest.mark.parametrize("template", ["400.html", "403.html", "404.html", "portal/home.html"])
def test_pages_extending_the_shell_render_without_a_request(template):
    with translation.override("vi"):
        html = render_to_string(template)

    assert '<html lang="vi">' in html
    assert "Nông Sàn" in html
    assert "language-switch" not in html  # without a request there is no CSRF token to post
