"""Who may see and change which households and cooperatives.

Officers by area (commune and province officers see and change their area; the ministry sees
the whole country but changes nothing), the household's own account, the assistants assigned
to the household's account, staff administrators everything. Pages and the API start from
these querysets, so a row of another area answers 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from nongsan.accounts.models import Role
from nongsan.accounts.permissions import OFFICER_ROLES, has_role, user_scope
from nongsan.geo.models import AdministrativeUnit
from nongsan.producers.models import Cooperative, Household

EDITING_OFFICER_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER})


def _is_signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_staff_administrator(user: Any) -> bool:
    return _is_signed_in(user) and (
        bool(user.is_superuser) or has_role(user, Role.STAFF_ADMINISTRATOR)
    )


def _assigned(user: Any) -> Q:
    """Households the person is assigned to assist (Assistance, accounts): by the household
    itself, or by the household's account."""
    return Q(assistances__assistant=user, assistances__ended_at__isnull=True) | Q(
        user__assisted_by__assistant=user, user__assisted_by__ended_at__isnull=True
    )


def _households(user: Any, officer_roles: frozenset[str]) -> QuerySet[Household]:
    households = Household.objects.all()
    if not _is_signed_in(user):
        return households.none()
    if is_staff_administrator(user):
        return households
    scope = user_scope(user, roles=officer_roles)
    if scope.is_national:
        return households
    condition = Q(user=user) | _assigned(user)
    if has_role(user, Role.PARTNER_PLATFORM, Role.ASSISTANT):
        # A partner platform, or an assistant, keeps the households it registered.
        condition |= Q(registered_by=user)
    if not scope.is_empty:
        condition |= scope.q()
    # The assistance join can repeat a household: keep each once without DISTINCT.
    return households.filter(pk__in=Household.objects.filter(condition).values("pk"))


def visible_households(user: Any) -> QuerySet[Household]:
    return _households(user, OFFICER_ROLES)


def editable_households(user: Any) -> QuerySet[Household]:
    """Households ``user`` may change or reveal the citizen ID of: the ministry may not."""
    return _households(user, EDITING_OFFICER_ROLES)


def can_register_in(user: Any, commune: AdministrativeUnit) -> bool:
    """Commune and province officers of the area, assistants granted on it, staff, and
    partner platforms (which push the households registered on their side)."""
    if not _is_signed_in(user):
        return False
    if is_staff_administrator(user) or has_role(user, Role.PARTNER_PLATFORM):
        return True
    roles = EDITING_OFFICER_ROLES | {Role.ASSISTANT}
    return user_scope(user, roles=roles).covers(
        province_id=commune.province_id, commune_id=commune.pk
    )


def _cooperatives(user: Any, officer_roles: frozenset[str]) -> QuerySet[Cooperative]:
    cooperatives = Cooperative.objects.all()
    if not _is_signed_in(user):
        return cooperatives.none()
    if is_staff_administrator(user):
        return cooperatives
    scope = user_scope(user, roles=officer_roles)
    if scope.is_national:
        return cooperatives
    condition = Q(manager=user)
    if not scope.is_empty:
        condition |= scope.q()
    return cooperatives.filter(condition)


def visible_cooperatives(user: Any) -> QuerySet[Cooperative]:
    """Officers' cooperatives by area, the manager's own, and those the person is a member of."""
    if not _is_signed_in(user):
        return Cooperative.objects.none()
    own = Cooperative.objects.filter(
        memberships__household__user=user, memberships__left_on__isnull=True
    ).values("pk")
    if is_staff_administrator(user) or user_scope(user).is_national:
        return Cooperative.objects.all()
    scoped = _cooperatives(user, OFFICER_ROLES).values("pk")
    return Cooperative.objects.filter(Q(pk__in=scoped) | Q(pk__in=own))


def editable_cooperatives(user: Any) -> QuerySet[Cooperative]:
    return _cooperatives(user, EDITING_OFFICER_ROLES)
