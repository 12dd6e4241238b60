"""Checking a bank or gateway notice before believing it: HMAC-SHA256 over the timestamp and
the raw body, a timestamp no older than the tolerance, then the notice's own fields."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

SIGNATURE_HEADER = "X-Nongsan-Signature"
TIMESTAMP_HEADER = "X-Nongsan-Timestamp"
TOLERANCE = datetime.timedelta(minutes=5)


class NoticeRefused(Exception):
    """A notice that must not be believed; ``status`` is the HTTP answer."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Notice:
    notification_id: str
    amount_vnd: int
    description: str
    sent_at: datetime.datetime
    body: dict[str, Any]


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature a sender puts in ``X-Nongsan-Signature``: hex HMAC-SHA256 of
    ``<timestamp>.<raw body>`` with the shared secret."""
    message = timestamp.encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify(*, body: bytes, timestamp: str, signature: str, now: datetime.datetime) -> Notice:
    """The notice, or ``NoticeRefused``: unsigned, badly signed, stale or malformed."""
    secret = getattr(settings, "PAYMENTS_WEBHOOK_SECRET", "")
    if not secret:
        raise NoticeRefused(_("Máy chủ chưa cấu hình khoá nhận thông báo thanh toán."), 503)
    if not timestamp.isdigit() or not signature:
        raise NoticeRefused(_("Thiếu chữ ký hoặc thời điểm gửi."), 401)
    expected = sign(secret, timestamp, body)
    if not hmac.compare_digest(expected, signature.strip().lower()):
        raise NoticeRefused(_("Chữ ký không đúng."), 401)
    sent_at = datetime.datetime.fromtimestamp(int(timestamp), tz=datetime.UTC)
    if abs(now - sent_at) > TOLERANCE:
        raise NoticeRefused(_("Thông báo đã quá cũ hoặc ghi sai giờ gửi."), 401)
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise NoticeRefused(_("Nội dung thông báo không phải JSON."), 400) from None
    if not isinstance(data, dict):
        raise NoticeRefused(_("Nội dung thông báo không phải JSON."), 400)
    notification_id = data.get("id")
    amount = data.get("amount")
    description = data.get("description", "")
    if not isinstance(notification_id, str) or not 0 < len(notification_id) <= 100:
        raise NoticeRefused(_("Thiếu mã thông báo (id)."), 400)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise NoticeRefused(_("Số tiền phải là số nguyên đồng lớn hơn 0."), 400)
    if not isinstance(description, str):
        raise NoticeRefused(_("Nội dung chuyển khoản phải là chữ."), 400)
    return Notice(
        notification_id=notification_id,
        amount_vnd=amount,
        description=description,
        sent_at=sent_at,
        body=data,
    )
