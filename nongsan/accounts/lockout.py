"""Login lockout after repeated wrong passwords, per phone number and per IP address.

django-axes counts the failures (settings in config/settings/security.py); this module gives
it what is particular to this platform: one phone number however it is written, and an
answer that tells a person in Vietnamese (or English) *when* they may try again, as a page
or, for the API, as JSON.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import (
    get_client_parameters,
    get_client_user_agent,
    get_cool_off,
    get_failure_limit,
)
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import ngettext

from nongsan.audit.middleware import client_ip
from nongsan.common.formatting import DISPLAY_TIMEZONE
from nongsan.common.phone import normalize_phone

__all__ = [
    "LockoutBackend",
    "lockout_clear",
    "lockout_ends_at",
    "lockout_message",
    "lockout_response",
    "lockout_username",
]

# AccessAttempt.username is a 255-character column.
MAX_USERNAME_LENGTH = 255
LOCKOUT_TEMPLATE = "accounts/lockout.html"


def lockout_username(
    request: HttpRequest | None, credentials: dict[str, Any] | None = None
) -> str | None:
    """The login the attempt counts against: E.164 for a phone, else the text as typed.

    Without this "0912 345 678" and "+84912345678" would be two logins with five tries each.
    Text that is no phone number still counts (trimmed, at most 255 characters), so a typo
    cannot dodge the lock.
    """
    raw: Any = None
    if credentials:
        raw = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
        if raw is None:
            raw = credentials.get("phone")
    if raw is None and request is not None:
        data = getattr(request, "data", None) or request.POST
        raw = data.get(settings.AXES_USERNAME_FORM_FIELD)
    if raw is None:
        return None
    text = str(raw).replace("\x00", "").strip()
    try:
        return normalize_phone(text)
    except ValidationError:
        return text[:MAX_USERNAME_LENGTH]


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, skipped for an authenticate() call without a web request.

    Only a web request has an address and a login form to lock; a call without one comes
    from code (the shell, a management command, the test client's login()), where axes
    itself would raise. Every login page passes its request: Django's LoginView and the admin.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_ends_at(
    request: HttpRequest,
    credentials: dict[str, Any] | None = None,
    *,
    now: datetime.datetime | None = None,
) -> datetime.datetime:
    """When the lock on this request's phone or address lifts (the later of the two).

    Axes counts the failures of the last cool-off period, row by row (a row is one login,
    address and browser), each row dated by its latest failure. A lock lifts when the newest
    rows that still reach the limit grow older than the cool-off.
    """
    now = now or getattr(request, "axes_attempt_time", None) or timezone.now()
    cool_off = get_cool_off(request) or datetime.timedelta(0)
    limit = get_failure_limit(request, credentials)
    filters = get_client_parameters(
        lockout_username(request, credentials),
        getattr(request, "axes_ip_address", None) or client_ip(request),
        getattr(request, "axes_user_agent", None) or get_client_user_agent(request),
        request,
        credentials,
    )
    lifts = []
    for filter_kwargs in filters:
        attempts = (
            AccessAttempt.objects.filter(**filter_kwargs, attempt_time__gte=now - cool_off)
            .order_by("-attempt_time")
            .values_list("attempt_time", "failures_since_start")[:limit]
        )  # every row holds at least one failure, so `limit` rows always suffice
        failures = 0
        for attempt_time, count in attempts:
            failures += count
            if failures >= limit:
                lifts.append(attempt_time + cool_off)
                break
    # Nothing reaches the limit (a lock just cleared): the longest a new lock could last.
    return max(lifts, default=now + cool_off)


def _retry_moment(ends_at: datetime.datetime, now: datetime.datetime) -> tuple[str, int]:
    """The retry time as Vietnam's HH:MM, rounded up to the minute, and the minutes until it."""
    seconds = max((ends_at - now).total_seconds(), 0)
    minutes = max(math.ceil(seconds / 60), 1)
    local = ends_at.astimezone(DISPLAY_TIMEZONE)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    return f"{local.hour:02d}:{local.minute:02d}", minutes


def lockout_message(ends_at: datetime.datetime, *, now: datetime.datetime) -> str:
    """The sentence that tells a locked-out person why, and when to try again."""
    time, minutes = _retry_moment(ends_at, now)
    return ngettext(
        "Đăng nhập đang tạm khoá vì mật khẩu bị nhập sai quá nhiều lần cho số điện thoại này "
        "hoặc từ mạng này. Hãy thử lại lúc %(time)s (giờ Việt Nam), sau %(minutes)d phút nữa.",
        "Đăng nhập đang tạm khoá vì mật khẩu bị nhập sai quá nhiều lần cho số điện thoại này "
        "hoặc từ mạng này. Hãy thử lại lúc %(time)s (giờ Việt Nam), sau %(minutes)d phút nữa.",
        minutes,
    ) % {"time": time, "minutes": minutes}


def _wants_json(request: HttpRequest) -> bool:
    """An API client or a script, rather than a person at a page."""
    if request.path.startswith("/api/"):
        return True
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The answer to a locked-out login: 429, a Retry-After header and the message.

    Named by AXES_LOCKOUT_CALLABLE; a page in the visitor's language for a person, JSON
    ``{"detail", "retry_at", "retry_after_seconds"}`` for the API.
    """
    now = getattr(request, "axes_attempt_time", None) or timezone.now()
    ends_at = lockout_ends_at(request, credentials, now=now)
    retry_after = max(math.ceil((ends_at - now).total_seconds()), 1)
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
    with translation.override(language):
        message = lockout_message(ends_at, now=now)
        if _wants_json(request):
            response: HttpResponse = JsonResponse(
                {
                    "detail": message,
                    "retry_at": ends_at.astimezone(DISPLAY_TIMEZONE).isoformat(),
                    "retry_after_seconds": retry_after,
                },
                status=429,
            )
        else:
            response = render(
                request,
                LOCKOUT_TEMPLATE,
                {"message": message, "retry_at": ends_at},
                status=429,
            )
    response["Retry-After"] = str(retry_after)
    return response


def lockout_clear(*, phone: str) -> int:
    """Forget the failed logins of a phone number, e.g. once its owner reset the password
    with a code sent to it; the per-IP count stays. Returns how many records went."""
    username = lockout_username(None, {settings.AXES_USERNAME_FORM_FIELD: phone})
    if not username:
        return 0
    return axes_reset(username=username)
