"""Opens the audit context of each request: who is signed in, from which address and agent.

Place it after ``AuthenticationMiddleware``. Behind a reverse proxy, set
``AUDIT_TRUSTED_PROXY_COUNT`` to the number of proxies in front of the application; only then
is ``X-Forwarded-For`` read, and only the address the outermost trusted proxy saw is taken,
so a client cannot choose the IP recorded for it by sending the header itself.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from nongsan.audit.context import AuditContext, audit_context, new_request_id

REQUEST_ID_HEADER = "X-Request-ID"


def _valid_ip(text: str | None) -> str | None:
    if not text:
        return None
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or the one the trusted proxies forwarded.

    With N trusted proxies, each appends the address it received the request from, so the
    client is the N-th address from the right; anything further left was written by the
    client and is ignored. A header shorter than that means the request skipped a proxy:
    ``REMOTE_ADDR`` is then the only address we know.
    """
    trusted_proxies = int(getattr(settings, "AUDIT_TRUSTED_PROXY_COUNT", 0) or 0)
    if trusted_proxies > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(addresses) >= trusted_proxies:
            return _valid_ip(addresses[-trusted_proxies])
    return _valid_ip(request.META.get("REMOTE_ADDR"))


class AuditContextMiddleware:
    """Every audit entry written while a request is served carries its user, IP, agent and id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        context = AuditContext(
            request=request,
            ip=client_ip(request),
            # Cleaned and trimmed to the column when an entry is written.
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            request_id=new_request_id(),
        )
        with audit_context(context):
            response = self.get_response(request)
        # Lets a person quote the id to support, who can then find the request's entries.
        response.headers.setdefault(REQUEST_ID_HEADER, context.request_id)
        return response
