"""Query parameters of the geography pages and API, parsed the same way in both.

A bad parameter is the visitor's mistake, not a crash and not a silent guess: each parser
raises :class:`InvalidQuery` with a Vietnamese message that says what was expected.
"""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _

from nongsan.geo.models import LEGACY_LAST_DAY, UnitLevel

__all__ = [
    "MAX_QUERY_LENGTH",
    "InvalidQuery",
    "Geography",
    "parse_day",
    "parse_level",
    "parse_search",
    "parse_geography",
]

# Longer than any unit name with its type ("Thành phố trực thuộc trung ương ..."), short enough
# that a pasted paragraph is refused instead of searched.
MAX_QUERY_LENGTH = 100

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# NUL and other control characters: PostgreSQL refuses NUL in text, and no name contains them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class InvalidQuery(ValueError):
    """A query parameter that cannot be understood; ``str()`` is the message for the visitor."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


class Geography:
    """The two ways of asking for a whole map: as it is today, or as it was before the reform."""

    CURRENT = "current"
    LEGACY = "legacy"


def parse_day(raw: str | None, *, parameter: str = "valid_on") -> datetime.date | None:
    """A ``YYYY-MM-DD`` day, or ``None`` when the parameter is absent or empty."""
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    if _ISO_DAY.fullmatch(text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
    raise InvalidQuery(
        parameter,
        _("Ngày “%(value)s” không hợp lệ: hãy ghi theo dạng YYYY-MM-DD, ví dụ 2025-07-01.")
        % {"value": text[:40]},
    )


def parse_level(raw: str | None) -> str | None:
    """A unit level (province, district, commune), or ``None`` when absent."""
    if raw is None or not raw.strip():
        return None
    text = raw.strip().lower()
    if text in UnitLevel.values:
        return text
    raise InvalidQuery(
        "level",
        _("Cấp “%(value)s” không hợp lệ: chỉ nhận %(choices)s.")
        % {"value": raw.strip()[:40], "choices": ", ".join(UnitLevel.values)},
    )


def parse_search(raw: str | None) -> str | None:
    """A search text of bounded length, or ``None`` when absent or blank."""
    if raw is None or not raw.strip():
        return None
    if _CONTROL.search(raw):
        raise InvalidQuery("q", _("Từ khóa tìm kiếm chứa ký tự điều khiển không hợp lệ."))
    if len(raw) > MAX_QUERY_LENGTH:
        raise InvalidQuery(
            "q",
            _("Từ khóa tìm kiếm quá dài: tối đa %(limit)d ký tự.") % {"limit": MAX_QUERY_LENGTH},
        )
    return raw.strip()


def parse_geography(raw: str | None) -> datetime.date | None:
    """The day a ``?geography=`` toggle stands for: ``legacy`` is the last day before the reform."""
    if raw is None or not raw.strip() or raw.strip() == Geography.CURRENT:
        return None
    if raw.strip() == Geography.LEGACY:
        return LEGACY_LAST_DAY
    raise InvalidQuery(
        "geography",
        _(
            "Bản đồ “%(value)s” không hợp lệ: chỉ nhận current (hiện nay)"
            " hoặc legacy (trước 01/07/2025)."
        )
        % {"value": raw.strip()[:40]},
    )
