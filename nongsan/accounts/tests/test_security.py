"""The security baseline: argon2, headers and CSP on every page, production settings and
``check --deploy`` (run in a subprocess, since production settings read the environment)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.urls import path, reverse

from config.settings import base as base_settings
from config.urls import urlpatterns as project_urlpatterns
from nongsan.accounts.tests.factories import UserFactory
from nongsan.common.api_docs import ApiDocsRedocView, ApiDocsSwaggerView

ROOT = Path(settings.BASE_DIR)
LOCAL_BACKEND = "nongsan.messaging.backends.local.LocalBackend"
SITE_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}

# Both documentation views, mounted for the tests whatever config/urls.py does with them.
urlpatterns = [
    path("test-only/redoc/", ApiDocsRedocView.as_view(url_name="api-schema"), name="test-redoc"),
    path(
        "test-only/swagger/",
        ApiDocsSwaggerView.as_view(url_name="api-schema"),
        name="test-swagger",
    ),
    *project_urlpatterns,
]


def _policy(header: str) -> dict[str, list[str]]:
    """``"a x y; b z"`` -> ``{"a": ["x", "y"], "b": ["z"]}``."""
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


# -- passwords ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2_under_the_shipped_hashers(settings):
    settings.PASSWORD_HASHERS = base_settings.PASSWORD_HASHERS
    user = UserFactory.create()

    user.set_password("vai-thieu-luc-ngan")

    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password("vai-thieu-luc-ngan")
    assert not user.check_password("vai-thieu-luc-nga")


@pytest.mark.django_db
def test_an_older_pbkdf2_hash_becomes_argon2_at_the_next_login(settings):
    settings.PASSWORD_HASHERS = base_settings.PASSWORD_HASHERS
    user = UserFactory.create()
    user.password = make_password("vai-thieu-luc-ngan", hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    assert user.check_password("vai-thieu-luc-ngan")

    user.refresh_from_db()
    assert user.password.startswith("argon2$")
    assert check_password("vai-thieu-luc-ngan", user.password)


# -- headers on every page, in every environment --------------------------------------------
PAGES = ["/", "/admin/login/", "/dia-ban/", "/api/v1/schema/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_every_page_carries_the_security_headers(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert _policy(response["Content-Security-Policy"]) == SITE_POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_error_pages_carry_the_policy_too(client):
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    assert _policy(response["Content-Security-Policy"]) == SITE_POLICY


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/admin/login/", "/tai-khoan/dang-nhap/"])
def test_forms_carry_a_csrf_token(client, url):
    html = client.get(url).content.decode()

    assert "<form" in html
    assert html.count('name="csrfmiddlewaretoken"') == html.count('method="post"')


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused(settings):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("set_language"), {"language": "en"})

    assert response.status_code == 403
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("url", "extra"),
    [
        (
            "/test-only/redoc/",
            {"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]},
        ),
        ("/test-only/swagger/", {}),
    ],
)
def test_only_redoc_widens_the_policy_and_only_for_itself(client, url, extra):
    response = client.get(url)

    assert response.status_code == 200
    policy = _policy(response["Content-Security-Policy"])
    for directive, sources in extra.items():
        assert policy[directive] == SITE_POLICY.get(directive, []) + sources
    unchanged = {key: value for key, value in policy.items() if key not in extra}
    assert unchanged == {key: value for key, value in SITE_POLICY.items() if key not in extra}
    assert policy["script-src"] == ["'self'"]
    html = response.content.decode()
    assert "https://" not in html  # no CDN, no web fonts
    assert "<script>" not in html  # every script is a file of this server
    assert "<style>" not in html
    home = _policy(client.get("/")["Content-Security-Policy"])
    assert home == SITE_POLICY


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_the_swagger_start_up_script_is_a_separate_file(client):
    response = client.get("/test-only/swagger/?script=")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()


@pytest.mark.django_db
def test_the_projects_api_docs_route_serves_the_csp_ready_redoc(client):
    response = client.get(reverse("api-docs"))

    assert response.status_code == 200
    assert "fonts.googleapis.com" not in response.content.decode()
    assert "blob:" in _policy(response["Content-Security-Policy"]).get("worker-src", [])


# -- production -----------------------------------------------------------------------------
@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    """What a deployment sets: a long random key, its host, its database, its gateways."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("DJANGO_", "DATABASE_", "SECURE_", "MESSAGING_", "AUDIT_", "PERSONAL_DATA_")
        )
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "nongsan.example.vn",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
            "PERSONAL_DATA_KEYS": Fernet.generate_key().decode(),
            "PERSONAL_DATA_INDEX_KEY": secrets.token_urlsafe(48),
            # The deployment names a backend for every channel (here: deliberately local).
            "MESSAGING_BACKENDS": ",".join(
                f"{channel}={LOCAL_BACKEND}" for channel in ("sms", "zalo", "email")
            ),
        }
    )
    return environment


def _run(code: str, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


CHECK_DEPLOY = """
import django
django.setup()
from django.core.management import call_command
call_command("check", "--deploy", "--fail-level", "WARNING")
"""


def test_check_deploy_is_clean_with_production_settings(production_env):
    result = _run(CHECK_DEPLOY, production_env)

    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_would_catch_a_weakened_setting(production_env):
    production_env["SECURE_HSTS_PRELOAD"] = "false"

    result = _run(CHECK_DEPLOY, production_env)

    assert result.returncode != 0
    assert "security.W021" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(production_env):
    del production_env["SECRET_KEY"]

    result = _run("import django; django.setup()", production_env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


PRODUCTION_PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client(HTTP_HOST="nongsan.example.vn")
secure = client.get("/api/v1/schema/", secure=True)
plain = client.get("/api/v1/schema/")
language = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, secure=True)
print(json.dumps({
    "settings": {name: getattr(settings, name) for name in (
        "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE", "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
        "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS", "SECURE_CONTENT_TYPE_NOSNIFF",
        "PASSWORD_HASHERS",
    )},
    "secure": {"status": secure.status_code, "headers": dict(secure.headers)},
    "plain": {"status": plain.status_code, "location": plain.headers.get("Location")},
    "language_cookie": {
        key: value for key, value in client.cookies[settings.LANGUAGE_COOKIE_NAME].items()
    },
}))
"""


def test_production_answers_over_https_only_with_strict_headers(production_env):
    result = _run(PRODUCTION_PROBE, production_env)
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])

    production = probe["settings"]
    assert production["DEBUG"] is False
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] == production["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_HSTS_PRELOAD"] is True
    assert production["PASSWORD_HASHERS"][0].endswith("Argon2PasswordHasher")

    headers = probe["secure"]["headers"]
    assert probe["secure"]["status"] == 200
    assert headers["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert _policy(headers["Content-Security-Policy"]) == SITE_POLICY
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert probe["plain"] == {
        "status": 301,
        "location": "https://nongsan.example.vn/api/v1/schema/",
    }
    assert probe["language_cookie"]["secure"] is True
    assert probe["language_cookie"]["samesite"] == "Lax"
