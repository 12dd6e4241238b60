"""Writes and quotes of shipping: loading carriers' rate tables, quoting a parcel (refusing a
service slower than the produce keeps), and tracking events pushed by carrier staff."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nongsan.audit.services import audit_record
from nongsan.geo.models import AdministrativeUnit
from nongsan.shipping.models import (
    Carrier,
    Service,
    ShippingRate,
    TrackingEvent,
    TrackingKind,
    Zone,
)
from nongsan.shipping.zones import zone_between

RATES_FILE = Path(__file__).resolve().parent / "data" / "carriers.csv"
_WEIGHED_UNITS = {"kg": 1000}


@dataclass(frozen=True)
class Quote:
    carrier: Carrier
    service: str
    zone: str
    price_vnd: int
    transit_days: int


def shipping_rates_load(*, path: Path = RATES_FILE) -> dict[str, int]:
    """Replace the rate tables of the carriers named in the file (all rows checked first)."""
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            try:
                parsed: dict[str, Any] = {
                    "carrier": row["carrier"].strip(),
                    "carrier_name": row["carrier_name"].strip(),
                    "service": Service(row["service"]).value,
                    "zone": Zone(row["zone"]).value,
                    "max_weight_grams": int(row["max_weight_grams"]),
                    "price_vnd": int(row["price_vnd"]),
                    "transit_days": int(row["transit_days"]),
                }
            except (KeyError, ValueError) as error:
                raise ValidationError(
                    _("Dòng %(line)d của bảng giá cước không hợp lệ: %(error)s")
                    % {"line": number, "error": error}
                ) from None
            if (
                not parsed["carrier"]
                or min(parsed["max_weight_grams"], parsed["price_vnd"], parsed["transit_days"]) <= 0
            ):
                raise ValidationError(
                    _("Dòng %(line)d của bảng giá cước có số không dương hoặc thiếu mã.")
                    % {"line": number}
                )
            rows.append(parsed)
    with transaction.atomic():
        carriers: dict[str, Carrier] = {}
        for row in rows:
            if row["carrier"] not in carriers:
                carrier, _created = Carrier.objects.update_or_create(
                    code=row["carrier"], defaults={"name": row["carrier_name"]}
                )
                carrier.rates.all().delete()
                carriers[row["carrier"]] = carrier
        ShippingRate.objects.bulk_create(
            ShippingRate(
                carrier=carriers[row["carrier"]],
                service=row["service"],
                zone=row["zone"],
                max_weight_grams=row["max_weight_grams"],
                price_vnd=row["price_vnd"],
                transit_days=row["transit_days"],
            )
            for row in rows
        )
    return {"carriers": len(carriers), "rates": len(rows)}


def parcel_weight_grams(items: Iterable[tuple[Decimal, str]]) -> int:
    """The weight of (quantity, unit) lines; only produce sold by weight can be weighed —
    a count (quả, bó, thùng) is refused rather than guessed."""
    total = Decimal(0)
    for quantity, unit in items:
        if unit not in _WEIGHED_UNITS:
            raise ValidationError(
                _(
                    "Chưa tính được phí vận chuyển cho hàng bán theo %(unit)s: cần khối lượng. "
                    "Vui lòng thoả thuận phí giao với người bán."
                )
                % {"unit": unit},
                code="unweighable",
            )
        total += quantity * _WEIGHED_UNITS[unit]
    return max(1, int(total.to_integral_value()))


def shipping_quote(
    *,
    from_commune: AdministrativeUnit,
    to_commune: AdministrativeUnit,
    weight_grams: int,
    service: str,
    shelf_life_days: int | None = None,
) -> Quote:
    """The cheapest active carrier's price for the parcel, or a Vietnamese refusal.

    ``shelf_life_days`` is how long the produce keeps without refrigeration: a standard or
    express service taking longer is refused (cold chain keeps it cold, so it is allowed).
    """
    if service not in Service.values:
        raise ValidationError(
            _("Không có dịch vụ vận chuyển “%(service)s”.") % {"service": service}
        )
    if weight_grams <= 0:
        raise ValidationError(_("Khối lượng phải lớn hơn 0."))
    assert from_commune.province is not None  # noqa: S101 - current communes have provinces
    assert to_commune.province is not None  # noqa: S101
    zone = zone_between(
        from_province=from_commune.province.code,
        from_commune=from_commune.code,
        to_province=to_commune.province.code,
        to_commune=to_commune.code,
    )
    return zone_quote(
        zone=zone, weight_grams=weight_grams, service=service, shelf_life_days=shelf_life_days
    )


def zone_quote(
    *, zone: str, weight_grams: int, service: str, shelf_life_days: int | None = None
) -> Quote:
    """The cheapest active carrier's price for a parcel to a zone (see ``shipping_quote``)."""
    if service not in Service.values:
        raise ValidationError(
            _("Không có dịch vụ vận chuyển “%(service)s”.") % {"service": service}
        )
    if weight_grams <= 0:
        raise ValidationError(_("Khối lượng phải lớn hơn 0."))
    candidates = (
        ShippingRate.objects.filter(
            carrier__is_active=True,
            service=service,
            zone=zone,
            max_weight_grams__gte=weight_grams,
        )
        .select_related("carrier")
        .order_by("carrier_id", "max_weight_grams")
    )
    best: dict[int, ShippingRate] = {}
    for rate in candidates:
        best.setdefault(rate.carrier_id, rate)  # each carrier's smallest band that fits
    if not best:
        raise ValidationError(
            _("Chưa có giá cước %(service)s cho %(zone)s với khối lượng %(kg)s kg.")
            % {
                "service": Service(service).label,
                "zone": Zone(zone).label,
                "kg": round(weight_grams / 1000, 1),
            },
            code="no_rate",
        )
    rates = sorted(best.values(), key=lambda rate: (rate.price_vnd, rate.transit_days))
    if service != Service.COLD_CHAIN and shelf_life_days is not None:
        keeping = [rate for rate in rates if rate.transit_days <= shelf_life_days]
        if not keeping:
            raise ValidationError(
                _(
                    "Hàng chỉ giữ được %(days)s ngày mà dịch vụ này giao mất %(transit)s ngày. "
                    "Vui lòng chọn giao nhanh hoặc giữ lạnh."
                )
                % {"days": shelf_life_days, "transit": rates[0].transit_days},
                code="too_slow",
            )
        rates = keeping
    rate = rates[0]
    return Quote(
        carrier=rate.carrier,
        service=service,
        zone=zone,
        price_vnd=rate.price_vnd,
        transit_days=rate.transit_days,
    )


# What each kind of event moves the order to, through the steps it may still have to take.
_KIND_STEPS: dict[str, dict[str, list[str]]] = {
    TrackingKind.PICKED_UP: {"packed": ["handed_to_carrier"]},
    TrackingKind.AT_HUB: {
        "packed": ["handed_to_carrier", "in_transit"],
        "handed_to_carrier": ["in_transit"],
    },
    TrackingKind.OUT_FOR_DELIVERY: {
        "packed": ["handed_to_carrier", "in_transit"],
        "handed_to_carrier": ["in_transit"],
    },
    TrackingKind.DELIVERED: {
        "packed": ["handed_to_carrier", "in_transit", "delivered"],
        "handed_to_carrier": ["in_transit", "delivered"],
        "in_transit": ["delivered"],
    },
}
_KIND_ALLOWED_FROM: dict[str, set[str]] = {
    TrackingKind.PICKED_UP: {"packed", "handed_to_carrier", "in_transit"},
    TrackingKind.AT_HUB: {"packed", "handed_to_carrier", "in_transit"},
    TrackingKind.OUT_FOR_DELIVERY: {"packed", "handed_to_carrier", "in_transit"},
    TrackingKind.DELIVERED: {"packed", "handed_to_carrier", "in_transit"},
    TrackingKind.FAILED: {"handed_to_carrier", "in_transit"},
}


def tracking_event_add(
    *,
    order: Any,
    description: str = "",
    recorded_by: Any,
    location: str = "",
    kind: str = TrackingKind.NOTE,
    reason: str = "",
    external_id: str = "",
    now: datetime.datetime | None = None,
) -> TrackingEvent:
    """Carrier staff (on the phone page), a carrier's system (through the API with its
    token) or staff administrators record where a parcel is.

    A picked-up, at-hub, out-for-delivery or delivered event also moves the order along its
    lifecycle (each step checked and timestamped by ``order_transition``); a failed delivery
    needs a reason. A push repeating an ``external_id`` the same account already recorded for this
    order answers the event recorded the first time and changes nothing.
    """
    from nongsan.orders.services import actor_roles

    now = now or timezone.now()
    if not actor_roles(recorded_by, order) & {"carrier", "staff"}:
        raise PermissionDenied(_("Chỉ nhân viên vận chuyển được ghi hành trình đơn."))
    if kind not in TrackingKind.values:
        raise ValidationError({"kind": [_("Không có loại diễn biến “%(kind)s”.") % {"kind": kind}]})
    description = " ".join(str(description or "").split())
    location = " ".join(str(location or "").split())
    reason = " ".join(str(reason or "").split())
    external_id = str(external_id or "").strip()
    if not description and kind == TrackingKind.NOTE:
        raise ValidationError({"description": [_("Vui lòng ghi diễn biến.")]})
    if len(description) > 200 or len(location) > 150 or len(reason) > 200:
        raise ValidationError(_("Diễn biến và lý do dài tối đa 200 ký tự, nơi tối đa 150 ký tự."))
    if len(external_id) > 100:
        raise ValidationError(
            {"external_id": [_("Mã của đơn vị vận chuyển dài tối đa 100 ký tự.")]}
        )
    if kind == TrackingKind.FAILED and not reason:
        raise ValidationError({"reason": [_("Vui lòng ghi lý do giao không thành công.")]})
    try:
        return _tracking_event_write(
            order=order,
            kind=kind,
            reason=reason,
            external_id=external_id,
            description=description,
            location=location,
            recorded_by=recorded_by,
            now=now,
        )
    except IntegrityError:
        # Two copies of one push raced: the other one recorded it.
        previous = TrackingEvent.objects.filter(
            order_id=order.pk, recorded_by=recorded_by, external_id=external_id
        ).first()
        if external_id and previous is not None:
            return previous
        raise


def _tracking_event_write(
    *,
    order: Any,
    kind: str,
    reason: str,
    external_id: str,
    description: str,
    location: str,
    recorded_by: Any,
    now: datetime.datetime,
) -> TrackingEvent:
    from nongsan.orders.services import order_transition

    with transaction.atomic():
        if external_id:
            previous = TrackingEvent.objects.filter(
                order_id=order.pk, recorded_by=recorded_by, external_id=external_id
            ).first()
            if previous is not None:
                return previous
        locked = type(order).objects.select_for_update(of=("self",)).get(pk=order.pk)
        allowed = _KIND_ALLOWED_FROM.get(kind)
        if allowed is not None and locked.status not in allowed:
            raise ValidationError(
                _("Đơn đang ở trạng thái “%(status)s”, không ghi được “%(kind)s”.")
                % {"status": locked.get_status_display(), "kind": TrackingKind(kind).label},
                code="transition",
            )
        event = TrackingEvent.objects.create(
            order=locked,
            kind=kind,
            reason=reason,
            external_id=external_id,
            description=description,
            location=location,
            occurred_at=now,
            recorded_by=recorded_by,
            province_id=locked.province_id,
            commune_id=locked.commune_id,
        )
        for status in _KIND_STEPS.get(kind, {}).get(locked.status, []):
            order_transition(order=locked, to_status=status, by=recorded_by, now=now)
        audit_record(
            action="shipping.tracking_add",
            target=locked,
            changes={"tracking": [None, {"kind": kind, "description": description}]},
        )
    return event
