"""Pickups and tracking events in a commune, for the permission tests."""

from __future__ import annotations

from typing import Any

from nongsan.orders.tests.factories import on_sale, placed_order
from nongsan.producers.tests.factories import staff_user
from nongsan.shipping.models import (
    Carrier,
    CollectionPoint,
    ConsolidatedPickup,
    PickupShare,
    TrackingEvent,
)
from nongsan.shipping.services import tracking_event_add


def pickup_in(commune: Any) -> ConsolidatedPickup:
    """A pickup at ``commune``'s collection point carrying one order sold there."""
    order = placed_order(on_sale(commune))
    carrier, _created = Carrier.objects.get_or_create(
        code="buu-dien-thu", defaults={"name": "Bưu điện thử"}
    )
    point, _created = CollectionPoint.objects.get_or_create(
        commune=commune,
        defaults={"province": commune.province, "name": "Bưu điện xã", "address": "Chợ xã"},
    )
    pickup = ConsolidatedPickup.objects.create(
        collection_point=point,
        destination_province=order.delivery_province,
        carrier=carrier,
        service="standard",
        zone="far_region",
        weight_grams=2000,
        cost_vnd=30000,
        separate_cost_vnd=40000,
        created_by=staff_user(),
        province=commune.province,
        commune=commune,
    )
    PickupShare.objects.create(
        pickup=pickup,
        order=order,
        weight_grams=2000,
        share_vnd=30000,
        province=commune.province,
        commune=commune,
    )
    return pickup


def tracking_event_in(commune: Any) -> TrackingEvent:
    """A note on the parcel of an order sold in ``commune``."""
    order = placed_order(on_sale(commune))
    return tracking_event_add(order=order, description="Đã tạo vận đơn", recorded_by=staff_user())
