"""The reports' calendar, read from settings so the ministry can tune it without a release."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULTS = {
    # The report of a period is due on this day of the month after the period ends.
    "REPORT_DEADLINE_DAY": 5,
    # Province officers are reminded this many days before the deadline.
    "REPORT_REMIND_DAYS_BEFORE": 3,
    # Where the figures of a report come from: unit_figures(*, unit, start, end, geography).
    "REPORT_FIGURES_PROVIDER": "nongsan.reports.figures.platform_unit_figures",
}


def setting(name: str) -> int:
    value = getattr(settings, name, DEFAULTS[name])
    if not isinstance(value, int) or isinstance(value, bool):
        raise ImproperlyConfigured(f"{name} must be a whole number")
    if name == "REPORT_DEADLINE_DAY" and not 1 <= value <= 28:
        raise ImproperlyConfigured("REPORT_DEADLINE_DAY must be between 1 and 28")
    if value < 0:
        raise ImproperlyConfigured(f"{name} must not be negative")
    return value


def figures_provider_path() -> str:
    value = getattr(settings, "REPORT_FIGURES_PROVIDER", DEFAULTS["REPORT_FIGURES_PROVIDER"])
    if not isinstance(value, str) or not value:
        raise ImproperlyConfigured("REPORT_FIGURES_PROVIDER must be a dotted path")
    return value
