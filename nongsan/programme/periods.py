"""Reporting periods: a year, a quarter or a month, written ``2026``, ``2026-Q2``, ``2026-05``.

Figures are kept by whole months, so every period is a run of whole months.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class PeriodKind(models.TextChoices):
    YEAR = "year", gettext_lazy("Năm")
    QUARTER = "quarter", gettext_lazy("Quý")
    MONTH = "month", gettext_lazy("Tháng")


_PATTERN = re.compile(r"^(\d{4})(?:-(Q[1-4]|\d{2}))?$")
FIRST_YEAR = 2000
LAST_YEAR = 2100


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first days of every month from ``first``'s to ``last``'s, both included."""
    months = []
    current = month_start(first)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date

    @property
    def month_count(self) -> int:
        return {PeriodKind.YEAR: 12, PeriodKind.QUARTER: 3, PeriodKind.MONTH: 1}[
            PeriodKind(self.kind)
        ]

    @property
    def end(self) -> datetime.date:
        """The period's last day."""
        return add_months(self.start, self.month_count) - datetime.timedelta(days=1)

    @property
    def last_month(self) -> datetime.date:
        return add_months(self.start, self.month_count - 1)

    @property
    def key(self) -> str:
        if self.kind == PeriodKind.YEAR:
            return f"{self.start.year}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.YEAR:
            return _("Năm %(year)s") % {"year": self.start.year}
        if self.kind == PeriodKind.QUARTER:
            return _("Quý %(quarter)s/%(year)s") % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        return _("Tháng %(month)s/%(year)s") % {"month": self.start.month, "year": self.start.year}

    def previous(self, count: int = 1) -> Period:
        return Period(self.kind, add_months(self.start, -self.month_count * count))

    def months(self) -> list[datetime.date]:
        return [add_months(self.start, offset) for offset in range(self.month_count)]


def period_parse(text: str) -> Period:
    """``2026`` / ``2026-Q2`` / ``2026-05`` → a Period; anything else a Vietnamese error."""
    match = _PATTERN.match((text or "").strip())
    if match is None:
        raise ValidationError(
            _("Kỳ không hợp lệ: ghi năm (2026), quý (2026-Q2) hoặc tháng (2026-05).")
        )
    year = int(match.group(1))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(_("Năm phải từ 2000 đến 2100."))
    part = match.group(2)
    if part is None:
        return Period(PeriodKind.YEAR, datetime.date(year, 1, 1))
    if part.startswith("Q"):
        return Period(PeriodKind.QUARTER, datetime.date(year, (int(part[1]) - 1) * 3 + 1, 1))
    month = int(part)
    if not 1 <= month <= 12:  # noqa: PLR2004
        raise ValidationError(_("Tháng phải từ 01 đến 12."))
    return Period(PeriodKind.MONTH, datetime.date(year, month, 1))


def period_of(kind: str, day: datetime.date) -> Period:
    """The period of ``kind`` that contains ``day``."""
    if kind == PeriodKind.YEAR:
        return Period(kind, datetime.date(day.year, 1, 1))
    if kind == PeriodKind.QUARTER:
        return Period(kind, datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1))
    return Period(PeriodKind.MONTH, month_start(day))


def period_for_range(start: datetime.date, end: datetime.date) -> Period | None:
    """The calendar period exactly covering ``start``–``end``, or None."""
    for kind in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR):
        period = period_of(kind, start)
        if period.start == start and period.end == end:
            return period
    return None
