"""API authentication by personal token: ``Authorization: Bearer ns_<prefix>_<secret>``.

For partners' servers and people's scripts; pages calling the API use their session
(SessionAuthentication, next in REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]).
``Token ns_…`` is accepted too, the form many DRF clients send.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from nongsan.accounts.models import ApiToken, User
from nongsan.accounts.tokens import InvalidToken, token_authenticate

__all__ = ["ApiTokenAuthentication"]

SCHEMES = ("bearer", "token")


class ApiTokenAuthentication(BaseAuthentication):
    """Authenticates a request carrying a personal API token; 401 in Vietnamese otherwise."""

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        scheme, _separator, credentials = header.strip().partition(" ")
        if scheme.lower() not in SCHEMES:
            return None  # another scheme: not ours to judge
        credentials = credentials.strip()
        if not credentials or " " in credentials:
            raise AuthenticationFailed(
                _("Tiêu đề Authorization phải có dạng “Bearer ns_…”."), code="malformed"
            )
        try:
            token = token_authenticate(credentials)
        except InvalidToken as refusal:
            raise AuthenticationFailed(refusal.message, code=refusal.code) from None
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        """Makes a refusal a 401 (with WWW-Authenticate) rather than a 403."""
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token in the OpenAPI schema, so Redoc and Swagger UI show how to send it."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "ns_<prefix>_<secret>",
            "description": (
                "A personal API token, created on the profile page "
                "(/tai-khoan/ma-truy-cap/) and shown once: `Authorization: Bearer ns_…`."
            ),
        }
