"""Template filters for money, dates and quantities: ``{% load nongsan_format %}``.

``{{ order.total_vnd|vnd }}``, ``{{ lot.harvest_date|vi_date }}``,
``{{ order.placed_at|vi_datetime }}``, ``{{ lot.quantity|quantity:"kg" }}``.

A page must not break over one bad value: a missing value (None or "") renders as nothing,
a value the helper refuses renders as "—" and is logged, so the bug is seen without taking
the page down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django import template

from nongsan.common import formatting

register = template.Library()
logger = logging.getLogger(__name__)

MISSING = ""
INVALID = "—"


def _safely(helper: Callable[..., str], value: Any, *args: Any) -> str:
    """Call a formatting helper, turning a refused value into a dash instead of an error."""
    if value is None or value == "":
        return MISSING
    try:
        return helper(value, *args)
    except (TypeError, ValueError):
        logger.warning("%s could not format %r", helper.__name__, value)
        return INVALID


@register.filter
def vnd(value: Any) -> str:
    """Whole đồng as ``45.000 ₫``."""
    return _safely(formatting.format_vnd, value)


@register.filter
def vi_date(value: Any) -> str:
    """A date or aware datetime as ``23/11/2026`` (Vietnam's time zone)."""
    return _safely(formatting.format_date, value)


@register.filter
def vi_datetime(value: Any) -> str:
    """An aware datetime as ``23/11/2026 14:05`` (Vietnam's time zone)."""
    return _safely(formatting.format_datetime, value)


@register.filter
def quantity(value: Any, unit: Any = "") -> str:
    """A Decimal quantity with its unit as ``1.250,5 kg``."""
    return _safely(formatting.format_quantity, value, "" if unit is None else str(unit))
