"""Who may see what of shipping.

A parcel's tracking: whoever may see its order; postal staff of the order's postal area and
staff administrators add to it (checked in ``tracking_event_add``). Collection-point pickups:
postal staff see and gather those of their postal area, officers see their area's (read
only), buyers and sellers the pickups carrying their own orders, staff administrators all.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from nongsan.accounts.permissions import user_scope
from nongsan.orders.models import Order
from nongsan.orders.permissions import (
    DELIVERY_STATUSES,
    editable_orders,
    postal_q,
    postal_scope,
    visible_orders,
)
from nongsan.producers.permissions import is_staff_administrator
from nongsan.shipping.models import CollectionPoint, ConsolidatedPickup, TrackingEvent


def _is_signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def may_handle_deliveries(user: Any) -> bool:
    """Postal staff with a postal area, or staff administrators: who gets the phone pages."""
    if not _is_signed_in(user):
        return False
    return is_staff_administrator(user) or not postal_scope(user).is_empty


def visible_tracking_events(user: Any) -> QuerySet[TrackingEvent]:
    return TrackingEvent.objects.filter(order__in=visible_orders(user).values("pk"))


def editable_tracking_events(user: Any) -> QuerySet[TrackingEvent]:
    return TrackingEvent.objects.filter(order__in=editable_orders(user).values("pk"))


def handled_orders(user: Any) -> QuerySet[Order]:
    """Orders ``user`` handles as postal staff: those on their way from or to the postal
    area (everything on its way for staff administrators); not the orders they bought."""
    orders = Order.objects.filter(status__in=DELIVERY_STATUSES)
    if not _is_signed_in(user):
        return orders.none()
    if is_staff_administrator(user):
        return orders
    return orders.filter(postal_q(postal_scope(user)))


def handled_collection_points(user: Any) -> QuerySet[CollectionPoint]:
    """Collection points where ``user`` may gather a pickup: those of the postal area."""
    points = CollectionPoint.objects.all()
    if not _is_signed_in(user):
        return points.none()
    if is_staff_administrator(user):
        return points
    return postal_scope(user).filter(points)


def visible_pickups(user: Any) -> QuerySet[ConsolidatedPickup]:
    pickups = ConsolidatedPickup.objects.all()
    if not _is_signed_in(user):
        return pickups.none()
    if is_staff_administrator(user):
        return pickups
    officers = user_scope(user)
    if officers.is_national:
        return pickups
    condition = Q(shares__order__in=visible_orders(user).values("pk"))
    for scope in (officers, postal_scope(user)):
        if not scope.is_empty:
            condition |= scope.q()
    return pickups.filter(pk__in=ConsolidatedPickup.objects.filter(condition).values("pk"))


def editable_pickups(user: Any) -> QuerySet[ConsolidatedPickup]:
    """Pickups ``user`` may act on: postal staff's of their area (officers only read)."""
    pickups = ConsolidatedPickup.objects.all()
    if not _is_signed_in(user):
        return pickups.none()
    if is_staff_administrator(user):
        return pickups
    return postal_scope(user).filter(pickups)
