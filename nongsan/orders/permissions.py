"""Who may see and act on which orders.

A buyer sees their own orders; a seller (the household's account, the cooperative's manager,
an assistant assigned to the household) the orders placed with them; officers the orders of
sellers in their area (read only); postal staff (permission ``orders.handle_delivery`` and a
postal-staff grant on a commune or province: their postal area) the orders on their way that
leave from or go to their area; staff administrators everything. Another seller's orders are
simply not in the queryset, so a lookup answers 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from nongsan.accounts.models import AssistantKind, Role
from nongsan.accounts.permissions import OFFICER_ROLES, AreaScope, active_grants, user_scope
from nongsan.orders.models import Order, OrderStatus
from nongsan.producers.models import Household
from nongsan.producers.permissions import is_staff_administrator

DELIVERY_STATUSES = (
    OrderStatus.PACKED,
    OrderStatus.HANDED_TO_CARRIER,
    OrderStatus.IN_TRANSIT,
    OrderStatus.DELIVERED,
)


def postal_scope(user: Any) -> AreaScope:
    """The postal area of a carrier's staff: the units of their active postal-staff grants,
    if they hold ``orders.handle_delivery`` (else empty). Without such a grant a delivery
    permission reaches no order: postal work is local, never national by default."""
    if not _is_signed_in(user) or not user.has_perm("orders.handle_delivery"):
        return AreaScope()
    cache: dict[str, AreaScope] = user.__dict__.setdefault("_postal_scope_cache", {})
    if "scope" not in cache:
        provinces: set[int] = set()
        communes: set[int] = set()
        rows = (
            active_grants(user, [Role.ASSISTANT])
            .filter(assistant_kind=AssistantKind.POSTAL_STAFF)
            .values_list("unit__level", "unit_id")
        )
        for level, unit_id in rows:
            if level == "province":
                provinces.add(unit_id)
            elif level == "commune":
                communes.add(unit_id)
        cache["scope"] = AreaScope(
            province_ids=frozenset(provinces), commune_ids=frozenset(communes)
        )
    return cache["scope"]


def postal_q(scope: AreaScope) -> Q:
    """Orders on their way that leave from or go to the postal area (picked up from the
    seller's commune, delivered to the buyer's); nothing for an empty area."""
    if scope.is_empty:
        return Q(pk__in=[])
    return Q(status__in=DELIVERY_STATUSES) & (
        scope.q() | scope.q(province_field="delivery_province", commune_field="delivery_commune")
    )


def postal_covers(user: Any, order: Order) -> bool:
    """Whether ``order`` lies in ``user``'s postal area (by where it leaves from or goes)."""
    scope = postal_scope(user)
    return scope.covers(province_id=order.province_id, commune_id=order.commune_id) or (
        scope.covers(province_id=order.delivery_province_id, commune_id=order.delivery_commune_id)
    )


def _is_signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _assisted_households(user: Any) -> QuerySet[Household]:
    return Household.objects.filter(
        Q(assistances__assistant=user, assistances__ended_at__isnull=True)
        | Q(user__assisted_by__assistant=user, user__assisted_by__ended_at__isnull=True)
    )


def _own(user: Any) -> Q:
    return (
        Q(buyer=user)
        | Q(household__user=user)
        | Q(cooperative__manager=user)
        | Q(household__in=_assisted_households(user).values("pk"))
    )


def visible_orders(user: Any) -> QuerySet[Order]:
    orders = Order.objects.all()
    if not _is_signed_in(user):
        return orders.none()
    if is_staff_administrator(user):
        return orders
    scope = user_scope(user, roles=OFFICER_ROLES)
    if scope.is_national:
        return orders
    condition = _own(user)
    if not scope.is_empty:
        condition |= scope.q()
    condition |= postal_q(postal_scope(user))
    return orders.filter(pk__in=Order.objects.filter(condition).values("pk"))


def editable_orders(user: Any) -> QuerySet[Order]:
    """Orders ``user`` may move along (the lifecycle then checks the particular step)."""
    orders = Order.objects.all()
    if not _is_signed_in(user):
        return orders.none()
    if is_staff_administrator(user):
        return orders
    condition = _own(user)
    condition |= postal_q(postal_scope(user))
    return orders.filter(pk__in=Order.objects.filter(condition).values("pk"))
