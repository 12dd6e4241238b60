"""Personal API tokens for people and partner platforms: create, list, revoke, check.

A token reads ``ns_<prefix>_<secret>``. The prefix (8 letters and digits) is stored as it is,
to find the row and to let a person tell their tokens apart; the secret (32 random bytes) is
shown once and only its SHA-256 digest is kept. A fast hash is right here: the secret is
random, not chosen by a person, so there is nothing to guess from a leaked digest.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
import string

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from nongsan.accounts.models import ApiToken, User
from nongsan.audit.services import audit_record
from nongsan.common.text import normalize_spaces

__all__ = [
    "MAX_ACTIVE_TOKENS",
    "MAX_LIFETIME",
    "MAX_NAME_LENGTH",
    "TOKEN_PREFIX",
    "InvalidToken",
    "TokenStatus",
    "token_active_count",
    "token_authenticate",
    "token_create",
    "token_get",
    "token_list",
    "token_revoke",
    "token_status",
]

TOKEN_PREFIX = "ns_"  # noqa: S105 - the fixed start of every token, not a secret
PREFIX_LENGTH = 8
SECRET_BYTES = 32
PREFIX_ALPHABET = string.ascii_letters + string.digits
MAX_ACTIVE_TOKENS = 20
MAX_NAME_LENGTH = 100
# The furthest expiry a person may choose: long enough for a partner's integration, short
# enough that a forgotten token does not live forever.
MAX_LIFETIME = datetime.timedelta(days=5 * 366)
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class TokenStatus:
    """What a token can do now; the values are the labels' keys in templates and the API."""

    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


class InvalidToken(Exception):
    """A presented token that authenticates nobody; ``message`` says why, in Vietnamese."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_prefix() -> str:
    return "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))


def _active(now: datetime.datetime) -> Q:
    return Q(revoked_at__isnull=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def token_status(token: ApiToken, *, now: datetime.datetime | None = None) -> str:
    """Active, expired or revoked; revoked wins, since it was a person's decision."""
    now = now or timezone.now()
    if token.revoked_at is not None:
        return TokenStatus.REVOKED
    if token.expires_at is not None and token.expires_at <= now:
        return TokenStatus.EXPIRED
    return TokenStatus.ACTIVE


# -- selectors -------------------------------------------------------------------------------
def token_list(user: User) -> QuerySet[ApiToken]:
    """The person's own tokens, newest first; nobody ever lists another person's."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def token_get(*, user: User, token_id: int) -> ApiToken:
    """One of the person's own tokens; another person's raises ApiToken.DoesNotExist."""
    return token_list(user).get(pk=token_id)


def token_active_count(user: User, *, now: datetime.datetime | None = None) -> int:
    return ApiToken.objects.filter(_active(now or timezone.now()), user=user).count()


# -- services --------------------------------------------------------------------------------
def _clean_name(name: str) -> str:
    cleaned = normalize_spaces(name or "")
    if not cleaned:
        raise ValidationError(
            {"name": _("Hãy đặt tên cho mã truy cập, ví dụ “Máy chủ hợp tác xã”.")},
            code="required",
        )
    if len(cleaned) > MAX_NAME_LENGTH:
        raise ValidationError(
            {"name": _("Tên mã truy cập dài tối đa %(limit)d ký tự.") % {"limit": MAX_NAME_LENGTH}},
            code="too_long",
        )
    return cleaned


def _check_expiry(expires_at: datetime.datetime | None, now: datetime.datetime) -> None:
    if expires_at is None:
        return
    if timezone.is_naive(expires_at):
        raise ValueError("expires_at must be an aware datetime")
    if expires_at <= now:
        raise ValidationError(
            {"expires_at": _("Ngày hết hạn phải ở trong tương lai.")}, code="in_past"
        )
    if expires_at > now + MAX_LIFETIME:
        raise ValidationError(
            {"expires_at": _("Mã truy cập chỉ được có hạn dùng tối đa 5 năm.")},
            code="too_far",
        )


@transaction.atomic
def token_create(
    *,
    user: User,
    name: str,
    expires_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its plaintext, the only time the plaintext exists.

    At most MAX_ACTIVE_TOKENS tokens per person are active at once; the person's row is
    locked while counting, so two requests at the same moment cannot both pass the limit.
    """
    now = now or timezone.now()
    name = _clean_name(name)
    _check_expiry(expires_at, now)
    User.objects.select_for_update().filter(pk=user.pk).first()
    if token_active_count(user, now=now) >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _(
                "Bạn đã có %(limit)d mã truy cập đang dùng. Hãy thu hồi mã không cần nữa "
                "trước khi tạo mã mới."
            )
            % {"limit": MAX_ACTIVE_TOKENS},
            code="too_many",
        )
    secret = secrets.token_urlsafe(SECRET_BYTES)
    for _attempt in range(5):  # 62**8 prefixes: a clash is rare, two in a row unheard of
        prefix = _new_prefix()
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    user=user,
                    name=name,
                    prefix=prefix,
                    digest=_digest(secret),
                    created_at=now,
                    expires_at=expires_at,
                )
        except IntegrityError:
            if not ApiToken.objects.filter(prefix=prefix).exists():
                raise
            continue
        audit_record(
            action="accounts.api_token_create",
            target=token,
            changes={
                "name": [None, token.name],
                "prefix": [None, token.prefix],
                "expires_at": [None, token.expires_at],
            },
            actor=user,
        )
        return token, f"{TOKEN_PREFIX}{prefix}_{secret}"
    raise RuntimeError("could not find an unused token prefix")


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User, now: datetime.datetime | None = None) -> ApiToken:
    """Revoke a token for good; revoking it again changes nothing.

    Only its owner (or a superuser, for a leaked partner token) may revoke it.
    """
    if by.pk != token.user_id and not by.is_superuser:
        raise PermissionDenied(_("Bạn chỉ thu hồi được mã truy cập của chính mình."))
    now = now or timezone.now()
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    token.refresh_from_db(fields=["revoked_at"])
    if updated:
        audit_record(
            action="accounts.api_token_revoke",
            target=token,
            changes={"revoked_at": [None, now]},
            actor=by,
        )
    return token


def _split(presented: str) -> tuple[str, str]:
    """The prefix and the secret of ``ns_<prefix>_<secret>``, or InvalidToken."""
    if (
        not presented.startswith(TOKEN_PREFIX)
        or len(presented) < len(TOKEN_PREFIX) + PREFIX_LENGTH + 2
        or len(presented) > 200
        or presented[len(TOKEN_PREFIX) + PREFIX_LENGTH] != "_"
    ):
        raise InvalidToken(_("Mã truy cập không đúng định dạng ns_…"), "malformed")
    prefix = presented[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + PREFIX_LENGTH]
    secret = presented[len(TOKEN_PREFIX) + PREFIX_LENGTH + 1 :]
    if any(character not in PREFIX_ALPHABET for character in prefix):
        raise InvalidToken(_("Mã truy cập không đúng định dạng ns_…"), "malformed")
    return prefix, secret


def token_authenticate(presented: str, *, now: datetime.datetime | None = None) -> ApiToken:
    """The token (with its user) that ``presented`` proves, or InvalidToken saying why.

    Unknown prefix and wrong secret get the same answer; only someone who holds the right
    secret learns that it was revoked or has expired. Records the use, at most once a minute.
    """
    now = now or timezone.now()
    prefix, secret = _split(presented)
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    # Compare against something even for an unknown prefix, so timing does not tell.
    expected = token.digest if token is not None else _digest(TOKEN_PREFIX)
    if not hmac.compare_digest(_digest(secret), expected) or token is None:
        raise InvalidToken(_("Mã truy cập không đúng hoặc không tồn tại."), "unknown")
    status = token_status(token, now=now)
    if status == TokenStatus.REVOKED:
        raise InvalidToken(_("Mã truy cập này đã bị thu hồi."), "revoked")
    if status == TokenStatus.EXPIRED:
        raise InvalidToken(_("Mã truy cập này đã hết hạn."), "expired")
    if not token.user.is_active:
        raise InvalidToken(_("Tài khoản của mã truy cập này đang bị khoá."), "inactive_user")
    if token.last_used_at is None or token.last_used_at <= now - LAST_USED_RESOLUTION:
        # Conditional, so that concurrent requests write once and never move it backwards.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
        token.last_used_at = now
    return token
