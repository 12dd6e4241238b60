"""Price reports in the permission matrix: another area's officers and assistants do not see
a report (the board shows only the day's statistics)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from nongsan.accounts.models import Role
from nongsan.common.testing.permission_matrix import ScopedModel, register
from nongsan.prices.permissions import editable_price_reports, visible_price_reports
from nongsan.prices.tests.factories import price_report


def _report_in(commune: Any) -> Model:
    return price_report(40000, province=commune.province, commune=commune)


register(
    ScopedModel(
        label="prices.pricereport",
        create_in=_report_in,
        visible=visible_price_reports,
        editable=editable_price_reports,
        seen_by=frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.MINISTRY}),
    )
)
