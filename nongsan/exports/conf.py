"""How long an export's file stays downloadable, from settings."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_KEEP = datetime.timedelta(hours=24)


def export_keep() -> datetime.timedelta:
    value = getattr(settings, "EXPORTS_KEEP", DEFAULT_KEEP)
    if not isinstance(value, datetime.timedelta) or value <= datetime.timedelta(0):
        raise ImproperlyConfigured("EXPORTS_KEEP must be a positive datetime.timedelta")
    return value
