"""Money, dates and quantities shown the Vietnamese way: ``45.000 ₫``, ``23/11/2026``,
``1.250,5 kg``.

One helper for each, used by templates (through the ``nongsan_format`` filters), exports and
messages. The form is the same in every interface language: it is how amounts in đồng and
dates in Vietnam are written. Numbers and their unit are joined by a non-breaking space
(U+00A0) so that a narrow phone screen never wraps ``₫`` or ``kg`` onto a line of its own.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

__all__ = [
    "DISPLAY_TIMEZONE",
    "NO_BREAK_SPACE",
    "format_date",
    "format_datetime",
    "format_quantity",
    "format_vnd",
]

DISPLAY_TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
NO_BREAK_SPACE = "\u00a0"
THOUSANDS_SEPARATOR = "."
DECIMAL_SEPARATOR = ","


def _group_thousands(digits: str) -> str:
    """``1234567`` -> ``1.234.567``."""
    groups = []
    while len(digits) > 3:
        digits, group = digits[:-3], digits[-3:]
        groups.append(group)
    groups.append(digits)
    return THOUSANDS_SEPARATOR.join(reversed(groups))


def _format_decimal(value: Decimal) -> str:
    """A finite Decimal in Vietnamese notation, without exponent or trailing zeros."""
    sign = "-" if value < 0 else ""
    text = f"{abs(value):f}"
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    result = sign + _group_thousands(whole)
    return result + DECIMAL_SEPARATOR + fraction if fraction else result


def format_vnd(amount: int | Decimal) -> str:
    """Format whole đồng as ``45.000 ₫`` (``-45.000 ₫`` for a negative amount).

    Money is integer đồng: a float is refused (TypeError) because it has already lost
    precision, and so is a Decimal with a fraction of a đồng (ValueError).
    """
    if isinstance(amount, bool) or not isinstance(amount, int | Decimal):
        raise TypeError(f"format_vnd takes whole đồng as int, not {type(amount).__name__}")
    if isinstance(amount, Decimal):
        if not amount.is_finite() or amount != amount.to_integral_value():
            raise ValueError(f"format_vnd takes whole đồng, not {amount}")
        amount = int(amount)
    sign = "-" if amount < 0 else ""
    return sign + _group_thousands(str(abs(amount))) + NO_BREAK_SPACE + "₫"


def _in_display_timezone(value: datetime.datetime) -> datetime.datetime:
    """Convert an aware datetime to Vietnam's time; a naive one is refused, never guessed."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a naive datetime has no known time zone; pass an aware one")
    return value.astimezone(DISPLAY_TIMEZONE)


def format_date(value: datetime.date) -> str:
    """Format a date, or an aware datetime in Vietnam's time zone, as ``23/11/2026``."""
    if isinstance(value, datetime.datetime):
        value = _in_display_timezone(value).date()
    elif not isinstance(value, datetime.date):
        raise TypeError(f"format_date takes a date or datetime, not {type(value).__name__}")
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_datetime(value: datetime.datetime) -> str:
    """Format an aware datetime in Vietnam's time zone as ``23/11/2026 14:05``."""
    if not isinstance(value, datetime.datetime):
        raise TypeError(f"format_datetime takes an aware datetime, not {type(value).__name__}")
    local = _in_display_timezone(value)
    return f"{format_date(local.date())} {local.hour:02d}:{local.minute:02d}"


def format_quantity(value: Decimal | int, unit: str = "") -> str:
    """Format a quantity with its unit the Vietnamese way: ``1.250,5 kg``.

    Decimal comma, dot thousands, no trailing zeros. Floats are refused (TypeError): a
    quantity that is stored or computed as a float has already lost precision.
    """
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"format_quantity takes a Decimal or int, not {type(value).__name__}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"format_quantity takes a finite quantity, not {value}")
    number = _format_decimal(Decimal(value))
    return number + NO_BREAK_SPACE + unit if unit else number
