"""Who may see and change what: the area scope of a person, asked once, used by every app.

Every app's ``permissions.py`` builds its ``visible_<things>(user)`` and
``editable_<things>(user)`` querysets from :func:`user_scope` and :meth:`AreaScope.filter`,
so a row of another area is simply not in the queryset (and a lookup answers 404).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from nongsan.accounts.models import Assistance, Role, RoleGrant

ModelT = TypeVar("ModelT", bound=Model)

OFFICER_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.MINISTRY})


@dataclass(frozen=True)
class AreaScope:
    """The provinces and communes a person's grants cover (national for the ministry)."""

    is_national: bool = False
    province_ids: frozenset[int] = frozenset()
    commune_ids: frozenset[int] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not (self.is_national or self.province_ids or self.commune_ids)

    def covers(self, *, province_id: int | None, commune_id: int | None = None) -> bool:
        """Whether a row placed in that province / commune lies inside the scope."""
        if self.is_national:
            return True
        if province_id is not None and province_id in self.province_ids:
            return True
        return commune_id is not None and commune_id in self.commune_ids

    def q(self, *, province_field: str = "province", commune_field: str | None = "commune") -> Q:
        """A filter for rows carrying explicit province (and commune) foreign keys."""
        if self.is_national:
            return Q()
        condition = Q(**{f"{province_field}__in": sorted(self.province_ids)})
        if commune_field is not None and self.commune_ids:
            condition |= Q(**{f"{commune_field}__in": sorted(self.commune_ids)})
        return condition

    def filter(
        self,
        queryset: QuerySet[ModelT],
        *,
        province_field: str = "province",
        commune_field: str | None = "commune",
    ) -> QuerySet[ModelT]:
        if self.is_national:
            return queryset
        if self.is_empty:
            return queryset.none()
        return queryset.filter(self.q(province_field=province_field, commune_field=commune_field))


def active_grants(user: Any, roles: Iterable[str] | None = None) -> QuerySet[RoleGrant]:
    if not getattr(user, "is_authenticated", False):
        return RoleGrant.objects.none()
    grants = RoleGrant.objects.active().filter(user=user)
    if roles is not None:
        grants = grants.filter(role__in=list(roles))
    return grants


def user_scope(user: Any, roles: Iterable[str] = OFFICER_ROLES) -> AreaScope:
    """The area covered by ``user``'s active grants of the given roles.

    Superusers and the ministry are national. A province grant covers the province; a commune
    grant covers the commune. Cached on the user object for the length of a request.
    """
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return AreaScope()
    role_set = frozenset(roles)
    cache: dict[frozenset[str], AreaScope] = user.__dict__.setdefault("_area_scope_cache", {})
    if role_set in cache:
        return cache[role_set]
    if user.is_superuser:
        scope = AreaScope(is_national=True)
    else:
        provinces: set[int] = set()
        communes: set[int] = set()
        national = False
        rows = active_grants(user, role_set).values_list("role", "unit__level", "unit_id")
        for role, level, unit_id in rows:
            if role == Role.MINISTRY:
                national = True
            elif level == "province":
                provinces.add(unit_id)
            elif level == "commune":
                communes.add(unit_id)
        scope = AreaScope(
            is_national=national,
            province_ids=frozenset(provinces),
            commune_ids=frozenset(communes),
        )
    cache[role_set] = scope
    return scope


def has_role(user: Any, *roles: str) -> bool:
    return active_grants(user, roles).exists()


def _is_staff_administrator(user: Any) -> bool:
    return bool(user.is_superuser) or has_role(user, Role.STAFF_ADMINISTRATOR)


def grantable_roles(user: Any, unit: Any | None) -> frozenset[str]:
    """Which roles ``user`` may grant (or revoke) on ``unit`` (None for unscoped roles).

    Staff administrators grant anything; the ministry grants province officer roles anywhere;
    a province officer grants commune officer and assistant roles inside the province; a
    commune officer grants nothing.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if _is_staff_administrator(user):
        return frozenset(Role.values)
    if unit is None:
        return frozenset()
    roles: set[str] = set()
    if user_scope(user, roles=[Role.MINISTRY]).is_national:
        roles |= {Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER, Role.ASSISTANT}
    province_id = unit.pk if unit.level == "province" else unit.province_id
    if user_scope(user, roles=[Role.PROVINCE_OFFICER]).covers(province_id=province_id):
        roles |= {Role.COMMUNE_OFFICER, Role.ASSISTANT}
    return frozenset(roles)


def visible_grants(user: Any) -> QuerySet[RoleGrant]:
    """Grants an officer may see: those in their area (all for staff and the ministry)."""
    grants = RoleGrant.objects.select_related("user", "unit", "province", "granted_by")
    if getattr(user, "is_authenticated", False) and _is_staff_administrator(user):
        return grants
    scope = user_scope(user)
    own = Q(user=user) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
    if scope.is_national:
        return grants
    return grants.filter(own | scope.q(province_field="province", commune_field="unit"))


def editable_grants(user: Any) -> QuerySet[RoleGrant]:
    """Grants ``user`` may revoke: visible ones whose role they could grant there."""
    grants = visible_grants(user).filter(revoked_at__isnull=True)
    if getattr(user, "is_authenticated", False) and _is_staff_administrator(user):
        return grants
    scope = user_scope(user, roles=[Role.MINISTRY, Role.PROVINCE_OFFICER])
    if scope.is_national:
        return grants.filter(role__in=[Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER, Role.ASSISTANT])
    return grants.filter(
        role__in=[Role.COMMUNE_OFFICER, Role.ASSISTANT], province_id__in=sorted(scope.province_ids)
    )


def visible_assistances(user: Any) -> QuerySet[Assistance]:
    """Assignments an officer covers, plus those the person is the assistant or seller of."""
    assignments = Assistance.objects.select_related("assistant", "seller", "commune")
    if not getattr(user, "is_authenticated", False):
        return assignments.none()
    if _is_staff_administrator(user):
        return assignments
    scope = user_scope(user)
    if scope.is_national:
        return assignments
    return assignments.filter(Q(assistant=user) | Q(seller=user) | scope.q())
