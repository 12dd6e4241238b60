"""Who may report, see and review prices.

The board (daily statistics) is public. Reports are entered by traders (anywhere), commune
officers (in their commune) and province officers (in their province); a report is seen by
whoever entered it and by the officers of its area, and a flagged report is confirmed or
rejected by the commune or province officers of its area or the ministry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet

from nongsan.accounts.models import Role
from nongsan.accounts.permissions import OFFICER_ROLES, has_role, user_scope
from nongsan.geo.models import AdministrativeUnit
from nongsan.prices.models import PriceReport
from nongsan.producers.permissions import EDITING_OFFICER_ROLES, is_staff_administrator


def _is_signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def visible_price_reports(user: Any) -> QuerySet[PriceReport]:
    reports = PriceReport.objects.all()
    if not _is_signed_in(user):
        return reports.none()
    if is_staff_administrator(user):
        return reports
    scope = user_scope(user, roles=OFFICER_ROLES)
    if scope.is_national:
        return reports
    condition = Q(reported_by=user)
    if not scope.is_empty:
        condition |= scope.q()
    return reports.filter(condition)


def editable_price_reports(user: Any) -> QuerySet[PriceReport]:
    """Reports ``user`` may confirm or reject."""
    reports = PriceReport.objects.all()
    if not _is_signed_in(user):
        return reports.none()
    if is_staff_administrator(user):
        return reports
    scope = user_scope(user, roles=[*EDITING_OFFICER_ROLES, Role.MINISTRY])
    return scope.filter(reports)


def can_report_price(
    user: Any, *, province: AdministrativeUnit, commune: AdministrativeUnit | None
) -> bool:
    return price_reporting_check(user)(province, commune)


def price_reporting_check(
    user: Any,
) -> Callable[[AdministrativeUnit, AdministrativeUnit | None], bool]:
    """``can_report_price`` for many places at once: the user's roles are read once, and
    the returned function answers for a province and an optional commune without a query."""
    if not _is_signed_in(user):
        return lambda province, commune: False
    if is_staff_administrator(user) or has_role(user, Role.TRADER):
        return lambda province, commune: True
    scope = user_scope(user, roles=EDITING_OFFICER_ROLES)

    def allows(province: AdministrativeUnit, commune: AdministrativeUnit | None) -> bool:
        if province.pk in scope.province_ids:
            return True
        return commune is not None and commune.pk in scope.commune_ids

    return allows


def reporting_commune(user: Any) -> AdministrativeUnit | None:
    """The commune a commune officer reports in (their only one), else None."""
    if not _is_signed_in(user):
        return None
    scope = user_scope(user, roles=EDITING_OFFICER_ROLES)
    if scope.is_national or scope.province_ids or len(scope.commune_ids) != 1:
        return None
    [commune_id] = scope.commune_ids
    return AdministrativeUnit.objects.select_related("province").filter(pk=commune_id).first()


def may_report_prices(user: Any) -> bool:
    """Whether the report form is worth showing to ``user`` at all."""
    if not _is_signed_in(user):
        return False
    return (
        is_staff_administrator(user)
        or has_role(user, Role.TRADER)
        or not user_scope(user, roles=EDITING_OFFICER_ROLES).is_empty
    )
