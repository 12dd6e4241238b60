"""Who may see a parcel's tracking: whoever may see its order; carrier staff and staff
administrators add to it (checked in ``tracking_event_add``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from nongsan.orders.permissions import editable_orders, visible_orders
from nongsan.shipping.models import TrackingEvent


def visible_tracking_events(user: Any) -> QuerySet[TrackingEvent]:
    return TrackingEvent.objects.filter(order__in=visible_orders(user).values("pk"))


def editable_tracking_events(user: Any) -> QuerySet[TrackingEvent]:
    return TrackingEvent.objects.filter(order__in=editable_orders(user).values("pk"))
