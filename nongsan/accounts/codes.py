"""One-time codes sent to a phone: request (rate-limited), verify (expiring, single-use).

Codes are six digits, stored only as a keyed hash, valid for ``CODE_LIFETIME`` and
invalidated after ``MAX_FAILED_ATTEMPTS`` wrong guesses. Requests are limited per phone and
per IP, counted from the database so that every application server sees the same counts.
"""

from __future__ import annotations

import datetime
import hmac
import secrets
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import override

from nongsan.accounts.models import OneTimeCode, User
from nongsan.messaging.services import message_send

CODE_LIFETIME = datetime.timedelta(minutes=10)
MAX_FAILED_ATTEMPTS = 5
# (how many, within how long) — a phone may ask once a minute and five times an hour;
# one network address (a commune office may share one) twenty times an hour.
PHONE_LIMITS = ((1, datetime.timedelta(minutes=1)), (5, datetime.timedelta(hours=1)))
IP_LIMITS = ((20, datetime.timedelta(hours=1)),)


def _digest(*, phone: str, purpose: str, code: str) -> str:
    return salted_hmac(f"nongsan.one-time-code.{purpose}", f"{phone}:{code}").hexdigest()


def _message_body(code: str, purpose: str) -> str:
    minutes = int(CODE_LIFETIME.total_seconds() // 60)
    texts = {
        OneTimeCode.Purpose.SIGN_UP: _("Mã xác nhận đăng ký Nông Sàn: %(code)s."),
        OneTimeCode.Purpose.PASSWORD_RESET: _("Mã đặt lại mật khẩu Nông Sàn: %(code)s."),
        OneTimeCode.Purpose.PHONE_CHANGE: _(
            "Mã xác nhận số điện thoại mới trên Nông Sàn: %(code)s."
        ),
        OneTimeCode.Purpose.GUEST_CHECKOUT: _("Mã xác nhận đặt hàng Nông Sàn: %(code)s."),
    }
    return " ".join(
        [
            texts[OneTimeCode.Purpose(purpose)] % {"code": code},
            _("Mã có hiệu lực %(minutes)s phút. Không đưa mã này cho bất kỳ ai.")
            % {"minutes": minutes},
        ]
    )


def _check_limits(*, phone: str, ip: str | None, now: datetime.datetime) -> None:
    for count, window in PHONE_LIMITS:
        recent = OneTimeCode.objects.filter(phone=phone, created_at__gt=now - window)
        if recent.count() >= count:
            oldest = recent.order_by("created_at").values_list("created_at", flat=True).first()
            wait = (oldest + window - now) if oldest else window
            raise ValidationError(
                _("Bạn đã yêu cầu mã quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.")
                % {"minutes": max(1, int(wait.total_seconds() // 60) + 1)},
                code="rate_limited",
            )
    if ip:
        for count, window in IP_LIMITS:
            if (
                OneTimeCode.objects.filter(requested_ip=ip, created_at__gt=now - window).count()
                >= count
            ):
                raise ValidationError(
                    _("Có quá nhiều yêu cầu mã từ mạng này. Vui lòng thử lại sau."),
                    code="rate_limited",
                )


def code_request(
    *,
    phone: str,
    purpose: str,
    ip: str | None,
    user: User | None = None,
    language: str | None = None,
    now: datetime.datetime | None = None,
) -> OneTimeCode:
    """Create a code for ``phone`` and send it by SMS; raise ValidationError when rate-limited."""
    now = now or timezone.now()
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        _check_limits(phone=phone, ip=ip, now=now)
        # A new code replaces any earlier one for the same purpose.
        OneTimeCode.objects.filter(phone=phone, purpose=purpose, used_at__isnull=True).update(
            expires_at=now
        )
        one_time_code = OneTimeCode.objects.create(
            phone=phone,
            purpose=purpose,
            user=user,
            code_hash=_digest(phone=phone, purpose=purpose, code=code),
            requested_ip=ip,
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )
        language = language or settings.LANGUAGE_CODE
        with override(language):
            body = _message_body(code, purpose)
        message_send(
            channel="sms",
            recipient=phone,
            body=body,
            purpose=f"{purpose}_code",
            language=language,
            template_data={"otp": code},
        )
    return one_time_code


def code_verify(
    *, phone: str, purpose: str, code: str, now: datetime.datetime | None = None
) -> OneTimeCode:
    """Use the code: it must be the latest for the phone and purpose, unexpired and unused."""
    now = now or timezone.now()
    # Phone keyboards may type full-width digits; NFKC turns them into ASCII ones.
    code = "".join(unicodedata.normalize("NFKC", code).split())
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        raise ValidationError(_("Mã xác nhận gồm 6 chữ số."), code="malformed")
    with transaction.atomic():
        latest = (
            OneTimeCode.objects.select_for_update()
            .filter(phone=phone, purpose=purpose)
            .order_by("-created_at", "-pk")
            .first()
        )
        if latest is None:
            raise ValidationError(
                _("Chưa có mã nào được gửi tới số này. Hãy bấm “Gửi mã”."), code="missing"
            )
        if latest.used_at is not None:
            raise ValidationError(_("Mã này đã được dùng. Hãy yêu cầu mã mới."), code="used")
        if latest.expires_at <= now or latest.failed_attempts >= MAX_FAILED_ATTEMPTS:
            raise ValidationError(_("Mã đã hết hạn. Hãy yêu cầu mã mới."), code="expired")
        expected = _digest(phone=phone, purpose=purpose, code=code)
        if hmac.compare_digest(expected, latest.code_hash):
            latest.used_at = now
            latest.save(update_fields=["used_at"])
            return latest
        # A wrong guess is counted and committed before the error goes back to the person.
        latest.failed_attempts += 1
        latest.save(update_fields=["failed_attempts"])
        left = MAX_FAILED_ATTEMPTS - latest.failed_attempts
    if left <= 0:
        raise ValidationError(
            _("Nhập sai quá nhiều lần; mã đã bị huỷ. Hãy yêu cầu mã mới."), code="expired"
        )
    raise ValidationError(
        _("Mã không đúng. Bạn còn %(left)s lần thử.") % {"left": left}, code="wrong"
    )
