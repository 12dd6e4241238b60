"""Reporting periods: a month or a quarter, written ``2026-03`` or ``2026-Q1`` in URLs and the
API, shown ``Tháng 03/2026`` or ``Quý I/2026``, each with its deadline."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nongsan.reports.conf import setting

ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}
MONTH_PATTERN = re.compile(r"(\d{4})-(\d{2})")
QUARTER_PATTERN = re.compile(r"(\d{4})-[Qq]([1-4])")
FIRST_YEAR = 2021  # Plan 1034 was approved in July 2021; nothing is reported before it.
LAST_YEAR = 2100  # the period's deadline (a month after it ends) must still be a date


class PeriodKind(models.TextChoices):
    MONTH = "month", gettext_lazy("Tháng")
    QUARTER = "quarter", gettext_lazy("Quý")


def _month_after(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


@dataclass(frozen=True, order=True)
class Period:
    """A month or a quarter; ``start`` and ``end`` are both inside it."""

    kind: str
    start: datetime.date

    @property
    def end(self) -> datetime.date:
        months = 1 if self.kind == PeriodKind.MONTH else 3
        first_after = self.start
        for _month in range(months):
            first_after = _month_after(first_after)
        return first_after - datetime.timedelta(days=1)

    @property
    def code(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return _("Tháng %(month)02d/%(year)d") % {
                "month": self.start.month,
                "year": self.start.year,
            }
        return _("Quý %(quarter)s/%(year)d") % {
            "quarter": ROMAN_QUARTERS[(self.start.month - 1) // 3 + 1],
            "year": self.start.year,
        }

    @property
    def due_on(self) -> datetime.date:
        """The deadline: the configured day of the month after the period."""
        return _month_after(self.end).replace(day=setting("REPORT_DEADLINE_DAY"))

    def previous(self) -> Period:
        return period_containing(self.kind, self.start - datetime.timedelta(days=1))


def period_containing(kind: str, day: datetime.date) -> Period:
    if kind == PeriodKind.MONTH:
        return Period(kind=PeriodKind.MONTH, start=day.replace(day=1))
    if kind == PeriodKind.QUARTER:
        return Period(
            kind=PeriodKind.QUARTER, start=day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
        )
    raise ValidationError(
        {"period_kind": _("Loại kỳ báo cáo phải là tháng (month) hoặc quý (quarter).")}
    )


def last_ended_period(kind: str, today: datetime.date) -> Period:
    """The most recent period that has ended by ``today`` (the one being reported on)."""
    return period_containing(kind, today).previous()


def period_parse(text: str) -> Period:
    """``2026-03`` (a month) or ``2026-Q1`` (a quarter); anything else a Vietnamese error."""
    value = (text or "").strip()
    month = MONTH_PATTERN.fullmatch(value)
    quarter = QUARTER_PATTERN.fullmatch(value)
    if month and 1 <= int(month.group(2)) <= 12:  # noqa: PLR2004
        kind, year, first_month = PeriodKind.MONTH, int(month.group(1)), int(month.group(2))
    elif quarter:
        kind, year = PeriodKind.QUARTER, int(quarter.group(1))
        first_month = (int(quarter.group(2)) - 1) * 3 + 1
    else:
        raise ValidationError(
            {"period": _("Kỳ báo cáo viết dạng năm-tháng (2026-03) hoặc năm-quý (2026-Q1).")}
        )
    # The year is checked before any date is built: 0000-01 is no date at all, and the
    # deadline of 9999-12 (a month after it ends) is past the last date Python knows.
    if year < FIRST_YEAR:
        raise ValidationError(
            {"period": _("Không có kỳ báo cáo trước năm %(year)d.") % {"year": FIRST_YEAR}}
        )
    if year > LAST_YEAR:
        raise ValidationError(
            {"period": _("Không có kỳ báo cáo sau năm %(year)d.") % {"year": LAST_YEAR}}
        )
    return Period(kind=kind, start=datetime.date(year, first_month, 1))
