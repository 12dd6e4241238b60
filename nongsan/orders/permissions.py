"""Who may see and act on which orders.

A buyer sees their own orders; a seller (the household's account, the cooperative's manager,
an assistant assigned to the household) the orders placed with them; officers the orders of
sellers in their area (read only); carrier staff (permission ``orders.handle_delivery``) the
orders on their way; staff administrators everything. Another seller's orders are simply
not in the queryset, so a lookup answers 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from nongsan.accounts.permissions import OFFICER_ROLES, user_scope
from nongsan.orders.models import Order, OrderStatus
from nongsan.producers.models import Household
from nongsan.producers.permissions import is_staff_administrator

DELIVERY_STATUSES = (
    OrderStatus.PACKED,
    OrderStatus.HANDED_TO_CARRIER,
    OrderStatus.IN_TRANSIT,
    OrderStatus.DELIVERED,
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
    if user.has_perm("orders.handle_delivery"):
        condition |= Q(status__in=DELIVERY_STATUSES)
    return orders.filter(pk__in=Order.objects.filter(condition).values("pk"))


def editable_orders(user: Any) -> QuerySet[Order]:
    """Orders ``user`` may move along (the lifecycle then checks the particular step)."""
    orders = Order.objects.all()
    if not _is_signed_in(user):
        return orders.none()
    if is_staff_administrator(user):
        return orders
    condition = _own(user)
    if user.has_perm("orders.handle_delivery"):
        condition |= Q(status__in=DELIVERY_STATUSES)
    return orders.filter(pk__in=Order.objects.filter(condition).values("pk"))
