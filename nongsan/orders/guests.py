"""Guest checkout: a buyer without an account confirms their phone with a one-time code
(``OneTimeCode.Purpose.GUEST_CHECKOUT``, sent through the message sender, rate-limited per
phone and network, five wrong guesses kill the code), checks out once, and follows the orders
through a signed link sent to that phone. See docs/decisions/0025-reviews-guests-shipping.md.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from nongsan.accounts.codes import code_request, code_verify
from nongsan.accounts.models import OneTimeCode
from nongsan.common.phone import normalize_phone
from nongsan.messaging.services import message_send
from nongsan.orders.models import Checkout, Order

PURPOSE = OneTimeCode.Purpose.GUEST_CHECKOUT
# A confirmation is good for one checkout within this time; a link to the orders for this long.
CONFIRMATION_LIFETIME = datetime.timedelta(minutes=30)
LINK_LIFETIME = datetime.timedelta(days=90)
_SALT = "nongsan.orders.guest-link"


def guest_code_send(*, phone: str, ip: str | None, now: datetime.datetime | None = None) -> str:
    """Send a code to ``phone`` (normalised, answered); refused when asked too often."""
    normalized = normalize_phone(phone)
    code_request(phone=normalized, purpose=PURPOSE, ip=ip, now=now)
    return normalized


def guest_phone_confirm(
    *, phone: str, code: str, now: datetime.datetime | None = None
) -> dict[str, str]:
    """Check the code; answers the confirmation a session keeps (phone and when)."""
    now = now or timezone.now()
    normalized = normalize_phone(phone)
    code_verify(phone=normalized, purpose=PURPOSE, code=str(code or ""), now=now)
    return {"phone": normalized, "confirmed_at": now.isoformat()}


def confirmed_phone(confirmation: Any, *, now: datetime.datetime | None = None) -> str | None:
    """The phone of a confirmation still in time, or None (missing, altered or too old)."""
    now = now or timezone.now()
    if not isinstance(confirmation, dict):
        return None
    try:
        confirmed_at = datetime.datetime.fromisoformat(str(confirmation["confirmed_at"]))
        phone = normalize_phone(str(confirmation["phone"]))
    except (KeyError, ValueError, ValidationError):
        return None
    if confirmed_at.tzinfo is None or not now - CONFIRMATION_LIFETIME < confirmed_at <= now:
        return None
    return phone


def guest_link_token(checkout: Checkout) -> str:
    """A signed, unguessable token naming the checkout and the phone that placed it."""
    return signing.dumps({"checkout": checkout.pk, "phone": checkout.buyer_phone}, salt=_SALT)


def guest_checkout_from_token(token: str) -> Checkout | None:
    """The guest checkout a link names, or None when the link is forged, altered or too old."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=LINK_LIFETIME)
    except signing.BadSignature:
        return None
    return (
        Checkout.objects.filter(
            pk=data.get("checkout"), buyer__isnull=True, buyer_phone=data.get("phone")
        )
        .prefetch_related("orders__items", "orders__household", "orders__cooperative")
        .first()
    )


def guest_orders(checkout: Checkout) -> list[Order]:
    return list(checkout.orders.all())


def guest_link_send(*, checkout: Checkout, base_url: str) -> str:
    """Text the link to the guest's phone (on commit); answers the link's path."""
    path = reverse("orders:guest-orders", args=[guest_link_token(checkout)])
    with override(settings.LANGUAGE_CODE):
        message_send(
            channel="sms",
            recipient=checkout.buyer_phone,
            body=_("Nông Sàn: xem đơn hàng của bạn tại %(link)s") % {"link": base_url + path},
            purpose="guest_orders_link",
        )
    return path
