"""A JSON POST to a gateway with the standard library, every failure turned into GatewayError.

Gateways are reached over HTTPS only; plain HTTP is accepted for a loopback address (a gateway
daemon on the same machine, the tests' local server). Redirects are not followed: a gateway
that answers elsewhere is misconfigured, and following it would send the code to another host.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# Replies are small JSON objects; a gateway that sends more is not read further.
MAX_REPLY_BYTES = 64 * 1024
# How much of a refused reply is kept on the message for support to read.
REPLY_EXCERPT_LENGTH = 300
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
USER_AGENT = "NongSan-messaging/1"
DEFAULT_TIMEOUT_SECONDS = 10.0


class GatewayError(Exception):
    """The gateway did not accept the message: the text says why, for the outbox."""


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def check_gateway_url(url: str) -> None:
    """Refuse a URL that is not HTTPS (or HTTP to this machine) before any byte is sent."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS:
        return
    raise ImproperlyConfigured(
        f"gateway URL {url!r} must use https:// (http:// only to 127.0.0.1 or localhost)"
    )


def parse_timeout(value: Any) -> float:
    """A gateway setting's timeout as a positive number of seconds, or ImproperlyConfigured."""
    try:
        seconds = float(value)
    except (TypeError, ValueError) as error:
        raise ImproperlyConfigured(f"TIMEOUT_SECONDS must be a number, not {value!r}") from error
    if not seconds > 0:
        raise ImproperlyConfigured(f"TIMEOUT_SECONDS must be positive, not {value!r}")
    return seconds


def _excerpt(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="replace").strip()
    if len(text) > REPLY_EXCERPT_LENGTH:
        return text[:REPLY_EXCERPT_LENGTH] + "…"
    return text


def post_json(
    url: str,
    payload: Mapping[str, Any],
    *,
    headers: Mapping[str, str],
    timeout_seconds: float,
) -> dict[str, Any]:
    """POST ``payload`` as JSON and return the JSON object the gateway answered with.

    Raises GatewayError for an HTTP error status, a timeout, a connection failure and a reply
    that is not a JSON object; ImproperlyConfigured for a URL that is not allowed.
    """
    check_gateway_url(url)
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked just above
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
            **headers,
        },
        method="POST",
    )
    opener = urllib.request.build_opener(_RefuseRedirects)
    try:
        with opener.open(request, timeout=timeout_seconds) as response:
            raw = response.read(MAX_REPLY_BYTES)
    except urllib.error.HTTPError as error:
        body = _excerpt(error.read(MAX_REPLY_BYTES)) if error.fp else ""
        detail = f": {body}" if body else ""
        raise GatewayError(f"HTTP {error.code} {error.reason}{detail}") from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise GatewayError(f"timed out after {timeout_seconds:g} s connecting") from error
        raise GatewayError(f"could not connect: {error.reason}") from error
    except TimeoutError as error:
        raise GatewayError(f"timed out after {timeout_seconds:g} s waiting for a reply") from error
    except OSError as error:
        raise GatewayError(f"connection failed: {type(error).__name__}: {error}") from error
    try:
        reply = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise GatewayError(f"reply is not JSON: {_excerpt(raw)}") from error
    if not isinstance(reply, dict):
        raise GatewayError(f"reply is not a JSON object: {_excerpt(raw)}")
    return reply
