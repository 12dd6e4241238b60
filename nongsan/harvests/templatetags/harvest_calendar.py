"""How a calendar entry's windows read: "đầu tháng 5 – giữa tháng 6"."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from nongsan.harvests.models import CalendarEntry

register = template.Library()


def _bound(month: int | None, day: int | None, *, is_end: bool) -> str:
    if month is None:
        return "?"
    if day is None or (not is_end and day == 1) or (is_end and day >= 28):
        return _("tháng %(month)s") % {"month": month}
    if day <= 10:
        return _("đầu tháng %(month)s") % {"month": month}
    if day <= 20:
        return _("giữa tháng %(month)s") % {"month": month}
    return _("cuối tháng %(month)s") % {"month": month}


def window(entry: CalendarEntry, prefix: str) -> str:
    start_month = getattr(entry, f"{prefix}_from_month")
    end_month = getattr(entry, f"{prefix}_until_month")
    if start_month is None and end_month is None:
        return "—"
    start = _bound(start_month, getattr(entry, f"{prefix}_from_day"), is_end=False)
    end = _bound(end_month, getattr(entry, f"{prefix}_until_day"), is_end=True)
    text = start if start == end else f"{start} – {end}"
    if entry.is_lunar:
        text += " " + _("(âm lịch)")
    return text


@register.filter
def harvest_window(entry: CalendarEntry) -> str:
    return window(entry, "harvest")


@register.filter
def plant_window(entry: CalendarEntry) -> str:
    return window(entry, "plant")


@register.filter
def place_name(entry: CalendarEntry) -> str:
    if entry.province_id is not None:
        return str(entry.province)
    if entry.region:
        return str(entry.get_region_display())
    return _("Cả nước")


@register.filter
def in_list(value: object, values: list[object]) -> bool:
    return value in values


@register.inclusion_tag("harvests/_produce_calendar.html")
def produce_calendar(produce_type: object) -> dict[str, object]:
    """The seasons of one produce type, for its catalog page."""
    from nongsan.catalog.models import ProduceType
    from nongsan.harvests.selectors import calendar_entry_list

    assert isinstance(produce_type, ProduceType)  # noqa: S101 - the page passes one
    return {"entries": list(calendar_entry_list(produce_type=produce_type))}
