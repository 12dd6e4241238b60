"""The orders' time limits, read from settings so a province can tune them."""

from __future__ import annotations

import datetime

from django.conf import settings

DEFAULTS = {
    # An unconfirmed order reminds the seller, then the assistant, then the commune officer…
    "ORDERS_REMIND_SELLER_AFTER": datetime.timedelta(hours=6),
    "ORDERS_NOTIFY_ASSISTANT_AFTER": datetime.timedelta(hours=12),
    "ORDERS_NOTIFY_OFFICER_AFTER": datetime.timedelta(hours=18),
    # …and is cancelled, its stock released, at this age.
    "ORDERS_CONFIRMATION_DEADLINE": datetime.timedelta(hours=24),
    # How long an unpaid VietQR order holds its stock.
    "ORDERS_PAYMENT_WINDOW": datetime.timedelta(minutes=30),
}


def limit(name: str) -> datetime.timedelta:
    value = getattr(settings, name, DEFAULTS[name])
    if not isinstance(value, datetime.timedelta):
        raise TypeError(f"{name} must be a datetime.timedelta")
    return value
