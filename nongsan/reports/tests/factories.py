"""Provinces, officers and reports for tests: made with small factories, not the real map."""

from __future__ import annotations

import datetime
from typing import Any, cast

from nongsan.accounts.models import Role, User
from nongsan.accounts.tests.factories import UserFactory, grant
from nongsan.geo.models import AdministrativeUnit, UnitLevel
from nongsan.geo.tests.factories import AdministrativeUnitFactory
from nongsan.reports import services
from nongsan.reports.models import ProvincialReport
from nongsan.reports.periods import Period, PeriodKind

MARCH = Period(kind=PeriodKind.MONTH, start=datetime.date(2026, 3, 1))
# Mid-April 2026, Vietnam time: March has ended, its report is due on 5 April.
APRIL_2 = datetime.datetime(2026, 4, 2, 9, 0, tzinfo=datetime.UTC)


def province(**fields: Any) -> AdministrativeUnit:
    return cast(AdministrativeUnit, AdministrativeUnitFactory(level=UnitLevel.PROVINCE, **fields))


def commune(of: AdministrativeUnit) -> AdministrativeUnit:
    return cast(AdministrativeUnit, AdministrativeUnitFactory(level=UnitLevel.COMMUNE, parent=of))


def person(**fields: Any) -> User:
    return cast(User, UserFactory(**fields))


def province_officer(unit: AdministrativeUnit, **fields: Any) -> User:
    user = person(**fields)
    grant(user, Role.PROVINCE_OFFICER, unit)
    return user


def ministry_officer(**fields: Any) -> User:
    user = person(**fields)
    grant(user, Role.MINISTRY)
    return user


def draft(
    unit: AdministrativeUnit,
    *,
    officer: User | None = None,
    period: Period = MARCH,
    summary: str = "Tháng 3 các xã đã tập huấn cho 120 hộ.",
    now: datetime.datetime = APRIL_2,
) -> ProvincialReport:
    officer = officer or province_officer(unit)
    report = services.report_open(user=officer, province=unit, period=period, now=now)
    return services.report_update(user=officer, report=report, summary=summary, now=now)


def submitted(unit: AdministrativeUnit, **kwargs: Any) -> ProvincialReport:
    officer = kwargs.pop("officer", None) or province_officer(unit)
    report = draft(unit, officer=officer, **kwargs)
    return services.report_submit(user=officer, report=report, now=kwargs.get("now", APRIL_2))
