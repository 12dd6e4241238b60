"""How the dashboards write a figure: counts grouped by thousands, money in đồng, rates in
percent (Vietnamese decimal comma), progress as a percentage."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from nongsan.common.formatting import format_quantity, format_vnd
from nongsan.programme.models import Display

register = template.Library()


def _number(value: float, places: int) -> str:
    return format_quantity(Decimal(str(round(value, places))))


@register.filter
def figure_value(figure: Any) -> str:
    """A Figure's value as shown: "—" when there is none; "≈" before an estimate."""
    if figure is None or figure.value is None:
        return "—"
    display = figure.indicator.display
    if display == Display.MONEY:
        text = format_vnd(round(figure.value))
    elif display == Display.PERCENT:
        text = f"{_number(figure.value, 1)} %"
    else:
        text = _number(figure.value, 1 if figure.estimated else 0)
    return f"≈ {text}" if figure.estimated else text


@register.filter
def target_value(figure: Any) -> str:
    if figure is None or figure.target is None:
        return "—"
    if figure.indicator.display == Display.MONEY:
        return format_vnd(round(figure.target))
    return _number(figure.target, 1)


@register.filter
def progress_percent(figure: Any) -> str:
    if figure is None or figure.progress is None:
        return "—"
    return f"{_number(figure.progress * 100, 0)} %"


@register.filter
def bar_percent(figure: Any) -> int:
    """0–100 for an SVG bar's width (progress capped at 100 %)."""
    if figure is None or figure.progress is None:
        return 0
    return max(0, min(100, round(figure.progress * 100)))


@register.filter
def share_width(part: Any, whole: Any) -> int:
    """0–100: ``part`` as a share of ``whole`` (for the funnel's bars)."""
    try:
        return max(0, min(100, round(100 * float(part) / float(whole)))) if whole else 0
    except (TypeError, ValueError):
        return 0


@register.filter
def unit_figure(row: Any, code: str) -> Any:
    """The platform figure of ``code`` in a dashboard row."""
    return row.figure(code)


@register.filter
def get_link(links: Any, code: str) -> str:
    return str(links.get(code, "")) if links else ""


@register.filter
def period_label(row: Any) -> str:
    """The period of a target ("Quý 3/2026"), or the month of a partner figure."""
    from nongsan.programme.periods import Period, PeriodKind

    if hasattr(row, "period_kind"):
        return str(Period(row.period_kind, row.period_start).label)
    return str(Period(PeriodKind.MONTH, row.month).label)


@register.filter
def plain_value(value: Any) -> str:
    """A stored target or partner figure, grouped by thousands."""
    return _number(float(value), 1)
