"""Consolidation: orders from one commune to one destination province share one pickup at
the commune's collection point, priced as one parcel of their total weight, the cost split
between them by weight (``split_by_weight``). See docs/decisions/0025-reviews-guests-shipping.md.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from nongsan.audit.services import audit_record
from nongsan.orders.models import Order, OrderStatus
from nongsan.shipping.models import (
    CollectionPoint,
    ConsolidatedPickup,
    PickupShare,
    Service,
    Zone,
)
from nongsan.shipping.permissions import handled_collection_points, may_handle_deliveries
from nongsan.shipping.services import parcel_weight_grams, zone_quote
from nongsan.shipping.zones import zone_between

# Orders packed and waiting for the carrier are the ones a pickup can gather.
CONSOLIDABLE_STATUSES = (OrderStatus.PACKED,)
MAX_ORDERS = 200


def split_by_weight(total_vnd: int, weights: Sequence[tuple[int, int]]) -> dict[int, int]:
    """Split ``total_vnd`` between ``(key, weight_grams)`` parts in proportion to weight.

    The rule: each part first gets ``floor(total × weight / total weight)`` whole đồng; the
    đồng left over (fewer than the number of parts) go one each to the parts with the largest
    remainders, ties to the heavier part, then to the smaller key. So the parts always add up
    to the whole, no part differs from its exact share by a đồng or more, and the same inputs
    always give the same split, in whatever order they come.
    """
    if total_vnd < 0 or not weights or any(weight <= 0 for _key, weight in weights):
        raise ValueError("a non-negative total and positive weights are needed")
    keys = [key for key, _weight in weights]
    if len(set(keys)) != len(keys):
        raise ValueError("each part needs its own key")
    whole = sum(weight for _key, weight in weights)
    shares: dict[int, int] = {}
    remainders: list[tuple[int, int, int]] = []
    for key, weight in weights:
        share, remainder = divmod(total_vnd * weight, whole)
        shares[key] = share
        remainders.append((-remainder, -weight, key))
    left = total_vnd - sum(shares.values())
    for _remainder, _weight, key in sorted(remainders)[:left]:
        shares[key] += 1
    return shares


def order_weight_grams(order: Order) -> int:
    return parcel_weight_grams((item.quantity, item.unit) for item in order.items.all())


def consolidable_orders(user: Any) -> QuerySet[Order]:
    """Packed orders sent by a carrier service, in communes with a collection point, not yet
    in a pickup, leaving from a collection point of the postal area: what postal staff may
    gather (nobody else sees this list)."""
    if not may_handle_deliveries(user):
        return Order.objects.none()
    points = handled_collection_points(user).filter(is_active=True)
    return (
        Order.objects.filter(
            status__in=CONSOLIDABLE_STATUSES,
            pickup_share__isnull=True,
            commune__in=points.values("commune_id"),
        )
        .exclude(shipping_service="")
        .select_related("commune", "delivery_province", "household", "cooperative")
        .prefetch_related("items")
        .order_by("commune_id", "delivery_province_id", "pk")
    )


@dataclass
class PickupGroup:
    """Orders of one commune going to one province: one possible pickup."""

    collection_point: CollectionPoint
    destination: Any
    orders: list[Order]


def pickup_groups(user: Any) -> list[PickupGroup]:
    points = {
        point.commune_id: point
        for point in handled_collection_points(user)
        .filter(is_active=True)
        .select_related("commune")
    }
    groups: dict[tuple[int, int], PickupGroup] = {}
    for order in consolidable_orders(user):
        key = (order.commune_id, order.delivery_province_id)
        if key not in groups:
            groups[key] = PickupGroup(points[order.commune_id], order.delivery_province, [])
        groups[key].orders.append(order)
    return [group for group in groups.values() if len(group.orders) >= 2]


def _zone_to_province(origin: Any, destination_code: str) -> str:
    assert origin.province is not None  # noqa: S101 - a current commune has a province
    if origin.province.code == destination_code:
        return Zone.SAME_PROVINCE
    return zone_between(
        from_province=origin.province.code,
        from_commune=origin.code,
        to_province=destination_code,
        to_commune="",
    )


def pickup_consolidate(
    *,
    collection_point: CollectionPoint,
    order_ids: Sequence[int],
    created_by: Any,
    service: str = Service.STANDARD,
    now: datetime.datetime | None = None,
) -> ConsolidatedPickup:
    """Gather packed orders of the point's commune going to one province into one pickup,
    priced by the cheapest carrier for their total weight, the cost split by weight."""
    now = now or timezone.now()
    if not may_handle_deliveries(created_by):
        raise PermissionDenied(_("Chỉ nhân viên bưu chính được tạo chuyến gom hàng."))
    if not handled_collection_points(created_by).filter(pk=collection_point.pk).exists():
        raise PermissionDenied(_("Điểm gom hàng này không thuộc địa bàn bưu chính của bạn."))
    ids = sorted({int(pk) for pk in order_ids})
    if len(ids) < 2:
        raise ValidationError(_("Một chuyến gom cần ít nhất hai đơn."), code="too_few")
    if len(ids) > MAX_ORDERS:
        raise ValidationError(_("Một chuyến gom tối đa 200 đơn."), code="too_many")
    if not collection_point.is_active:
        raise ValidationError(_("Điểm gom hàng này không còn dùng."), code="inactive")
    with transaction.atomic():
        orders = list(
            Order.objects.select_for_update(of=("self",))
            .filter(pk__in=ids)
            .order_by("pk")
            .select_related("delivery_province")
        )
        eligible = {order.pk for order in consolidable_orders(created_by).filter(pk__in=ids)}
        problems = [
            _(
                "Đơn %(reference)s không gom được (chưa đóng gói, không gửi qua đơn vị vận chuyển "
                "hoặc đã ở chuyến khác)."
            )
            % {"reference": order.reference}
            for order in orders
            if order.pk not in eligible
        ]
        if len(orders) != len(ids):
            problems.append(_("Có đơn không tồn tại."))
        if any(order.commune_id != collection_point.commune_id for order in orders):
            problems.append(_("Mọi đơn phải gửi từ xã của điểm gom."))
        destinations = {order.delivery_province_id for order in orders}
        if len(destinations) > 1:
            problems.append(_("Mọi đơn phải giao tới cùng một tỉnh, thành phố."))
        if problems:
            raise ValidationError(problems)
        weights = [(order.pk, order_weight_grams(order)) for order in orders]
        total_weight = sum(weight for _pk, weight in weights)
        destination = orders[0].delivery_province
        origin = collection_point.commune
        zone = _zone_to_province(origin, destination.code)
        shelf_lives = [
            item.listing.produce_type.shelf_life_days
            for order in orders
            for item in order.items.select_related("listing__produce_type")
            if item.listing.produce_type.shelf_life_days is not None
        ]
        quote = zone_quote(
            zone=zone,
            weight_grams=total_weight,
            service=service,
            shelf_life_days=min(shelf_lives) if shelf_lives else None,
        )
        pickup = ConsolidatedPickup.objects.create(
            collection_point=collection_point,
            destination_province=destination,
            carrier=quote.carrier,
            service=service,
            zone=zone,
            weight_grams=total_weight,
            cost_vnd=quote.price_vnd,
            separate_cost_vnd=sum(order.shipping_vnd for order in orders),
            created_by=created_by,
            created_at=now,
            province_id=collection_point.province_id,
            commune_id=collection_point.commune_id,
        )
        shares = split_by_weight(quote.price_vnd, weights)
        PickupShare.objects.bulk_create(
            PickupShare(
                pickup=pickup,
                order_id=pk,
                weight_grams=weight,
                share_vnd=shares[pk],
                province_id=collection_point.province_id,
                commune_id=collection_point.commune_id,
            )
            for pk, weight in weights
        )
        audit_record(
            action="shipping.pickup_consolidate",
            target=pickup,
            actor=created_by,
            changes={"orders": [None, ids], "cost_vnd": [None, quote.price_vnd]},
        )
    return pickup
