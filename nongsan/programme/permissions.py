"""Who may see the programme's figures and set its targets.

Dashboards: the ministry (and staff administrators) see the nation and every unit; a province
officer their province and its communes (and the legacy units that went into it); a commune
officer their commune. Targets: the ministry sets them for provinces, a province officer for
the communes of their province; a target is seen by the officers of its area. Partner figures
are entered by staff administrators and the ministry (for any unit) or a province officer
(for their province), and seen like targets.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from nongsan.accounts.models import Role
from nongsan.accounts.permissions import OFFICER_ROLES, AreaScope, user_scope
from nongsan.geo.models import LEGACY_LAST_DAY, AdministrativeUnit, UnitLevel, UnitSuccession
from nongsan.producers.permissions import is_staff_administrator
from nongsan.programme.models import PartnerFigure, Target


def _is_signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def dashboard_scope(user: Any) -> AreaScope:
    if not _is_signed_in(user):
        return AreaScope()
    if is_staff_administrator(user):
        return AreaScope(is_national=True)
    return user_scope(user, roles=OFFICER_ROLES)


def current_place(unit: AdministrativeUnit) -> tuple[int | None, int | None]:
    """(province, commune) of today's geography a unit lies in; a legacy unit's successor
    province (no province was split in 2025), and no commune."""
    is_legacy = unit.valid_until is not None and unit.valid_until <= LEGACY_LAST_DAY
    if not is_legacy:
        if unit.level == UnitLevel.PROVINCE:
            return unit.pk, None
        return unit.province_id, unit.pk if unit.level == UnitLevel.COMMUNE else None
    legacy_province = unit.pk if unit.level == UnitLevel.PROVINCE else unit.province_id
    successor = (
        UnitSuccession.objects.filter(
            predecessor_id=legacy_province, successor__level=UnitLevel.PROVINCE
        )
        .values_list("successor_id", flat=True)
        .first()
    )
    return successor, None


def can_view_unit(user: Any, unit: AdministrativeUnit | None) -> bool:
    """Whether ``user`` may see the dashboard of ``unit`` (None: the nation)."""
    scope = dashboard_scope(user)
    if scope.is_national:
        return True
    if unit is None or scope.is_empty:
        return False
    province_id, commune_id = current_place(unit)
    if province_id in scope.province_ids:
        return True
    return commune_id is not None and commune_id in scope.commune_ids


def visible_targets(user: Any) -> QuerySet[Target]:
    targets = Target.objects.select_related("indicator", "unit", "channel")
    return dashboard_scope(user).filter(targets)


def may_set_target(user: Any, unit: AdministrativeUnit) -> bool:
    """The ministry for provinces, a province officer for the communes of their province."""
    if not _is_signed_in(user):
        return False
    if is_staff_administrator(user):
        return True
    if unit.level == UnitLevel.PROVINCE:
        return user_scope(user, roles=[Role.MINISTRY]).is_national
    if unit.level == UnitLevel.COMMUNE:
        province_id = current_place(unit)[0]
        scope = user_scope(user, roles=[Role.PROVINCE_OFFICER])
        return province_id in scope.province_ids
    return False


def editable_targets(user: Any) -> QuerySet[Target]:
    targets = Target.objects.select_related("indicator", "unit", "channel")
    if not _is_signed_in(user):
        return targets.none()
    if is_staff_administrator(user):
        return targets
    ministry = user_scope(user, roles=[Role.MINISTRY]).is_national
    province_ids = sorted(user_scope(user, roles=[Role.PROVINCE_OFFICER]).province_ids)
    condition = Target.objects.none()
    if ministry:
        condition = targets.filter(commune__isnull=True)
    if province_ids:
        condition = condition | targets.filter(commune__isnull=False, province_id__in=province_ids)
    return condition


def visible_partner_figures(user: Any) -> QuerySet[PartnerFigure]:
    figures = PartnerFigure.objects.select_related("indicator", "unit", "channel")
    return dashboard_scope(user).filter(figures)


def may_report_partner_figure(user: Any, unit: AdministrativeUnit) -> bool:
    if not _is_signed_in(user):
        return False
    if is_staff_administrator(user) or user_scope(user, roles=[Role.MINISTRY]).is_national:
        return True
    province_id = current_place(unit)[0]
    return province_id in user_scope(user, roles=[Role.PROVINCE_OFFICER]).province_ids


def target_units(user: Any) -> QuerySet[AdministrativeUnit]:
    """Today's units ``user`` may set targets for: the provinces for the ministry, the
    communes of their province for a province officer (the choices of the targets page)."""
    units = AdministrativeUnit.objects.current().only("pk", "code", "name", "level")
    if not _is_signed_in(user):
        return units.none()
    if is_staff_administrator(user):
        return units.filter(level=UnitLevel.PROVINCE)
    chosen = units.none()
    if user_scope(user, roles=[Role.MINISTRY]).is_national:
        chosen = units.filter(level=UnitLevel.PROVINCE)
    province_ids = sorted(user_scope(user, roles=[Role.PROVINCE_OFFICER]).province_ids)
    if province_ids:
        chosen = chosen | units.filter(level=UnitLevel.COMMUNE, province_id__in=province_ids)
    return chosen


def may_report_partner_figures(user: Any) -> bool:
    """Whether ``user`` may enter partner figures for some unit (the ministry, staff
    administrators, a province officer)."""
    if not _is_signed_in(user):
        return False
    if is_staff_administrator(user) or user_scope(user, roles=[Role.MINISTRY]).is_national:
        return True
    return bool(user_scope(user, roles=[Role.PROVINCE_OFFICER]).province_ids)
