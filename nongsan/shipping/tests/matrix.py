"""Shipping in the permission matrix: a collection-point pickup and a tracking event of an
order sold in a commune. Officers of that area see them (read only); another area's officers
and assistants, strangers and anonymous visitors do not. Postal staff are checked against
their postal area in ``test_postal_area.py``."""

from __future__ import annotations

from django.urls import reverse

from nongsan.accounts.models import Role
from nongsan.common.testing.permission_matrix import ScopedModel, register
from nongsan.shipping.permissions import (
    editable_pickups,
    editable_tracking_events,
    visible_pickups,
    visible_tracking_events,
)
from nongsan.shipping.tests.factories import pickup_in, tracking_event_in

OFFICERS = frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.MINISTRY})

register(
    ScopedModel(
        label="shipping.consolidatedpickup",
        create_in=pickup_in,
        visible=visible_pickups,
        editable=editable_pickups,
        seen_by=OFFICERS,
    )
)
register(
    ScopedModel(
        label="shipping.trackingevent",
        create_in=tracking_event_in,
        visible=visible_tracking_events,
        editable=editable_tracking_events,
        seen_by=OFFICERS,
        api_urls=lambda row: [reverse("api-shipment-events", args=[row.order_id])],  # type: ignore[attr-defined]
    )
)
