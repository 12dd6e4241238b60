"""Price reports for tests, made through the service so flagging and statistics run."""

from __future__ import annotations

import datetime
from typing import Any

from nongsan.accounts.models import Role, User
from nongsan.accounts.tests.factories import grant
from nongsan.catalog.models import ProduceType
from nongsan.catalog.tests.factories import lychee
from nongsan.geo.models import AdministrativeUnit
from nongsan.prices.models import PriceReport
from nongsan.prices.services import price_report_create
from nongsan.producers.tests.factories import current_commune, make_user, province_of

DAY = datetime.date(2026, 6, 15)


def trader() -> User:
    user = make_user()
    grant(user, Role.TRADER)
    return user


def price_report(
    price_vnd: int | str = 40000,
    *,
    produce_type: ProduceType | None = None,
    province: AdministrativeUnit | None = None,
    reported_on: datetime.date = DAY,
    kind: str = "farm_gate",
    by: User | None = None,
    **fields: Any,
) -> PriceReport:
    return price_report_create(
        user=by or trader(),
        produce_type=produce_type or lychee(),
        province=province or province_of(current_commune("24")),
        kind=kind,
        price_vnd=price_vnd,
        reported_on=reported_on,
        today=DAY + datetime.timedelta(days=30),
        **fields,
    )
