"""The funnel's bars: a percentage turned into the width of an SVG bar (no inline styles, so
the page keeps to the Content-Security-Policy)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def bar_width(value: Any) -> int:
    """A percentage as a whole number from 0 to 100 (anything unreadable is 0)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0
    if number != number:  # NaN
        return 0
    return max(0, min(100, round(number)))


@register.filter
def percent(value: Any) -> str:
    """``12.5`` as ``12,5%`` (Vietnamese decimal comma); None as a dash."""
    if value is None:
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "—"
    text = f"{number:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"
