"""REST endpoints of shipping: a quote before paying, and tracking events pushed by carriers
or entered by postal staff. Thin: parse, call, serialize."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from nongsan.catalog.permissions import public_listings
from nongsan.common.api import ErrorSerializer
from nongsan.geo.models import AdministrativeUnit
from nongsan.orders.models import Order
from nongsan.orders.permissions import visible_orders
from nongsan.orders.services import parse_quantity
from nongsan.shipping.models import TrackingEvent
from nongsan.shipping.quotes import checkout_quotes
from nongsan.shipping.serializers import (
    QuoteRequestSerializer,
    QuoteResponseSerializer,
    TrackingEventSerializer,
    TrackingEventWriteSerializer,
)
from nongsan.shipping.services import tracking_event_add

# A carrier clock a little ahead is tolerated; an event from tomorrow is not.
FUTURE_TOLERANCE = datetime.timedelta(minutes=5)
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such shipment that you may see.")


def _bad(detail: str, errors: Any) -> Response:
    return Response({"detail": detail, "errors": errors}, status=status.HTTP_400_BAD_REQUEST)


class ShippingQuoteView(GenericAPIView[Any]):
    permission_classes = [AllowAny]
    serializer_class = QuoteRequestSerializer

    @extend_schema(
        summary="Quote delivery of a cart before paying, per seller and service",
        description=(
            "For each seller of the lines: the zone, the parcel's weight and every service "
            "(standard, express, cold chain) priced by the cheapest carrier, or the reason it "
            "cannot be carried (produce sold by count has no weight; a service slower than the "
            "produce keeps is refused). Checkout with `shipping_service` charges these prices."
        ),
        request=QuoteRequestSerializer,
        responses={
            200: QuoteResponseSerializer,
            400: OpenApiResponse(ErrorSerializer, description="The data were refused."),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = QuoteRequestSerializer(data=request.data)
        if not serializer.is_valid():
            return _bad(_("Dữ liệu gửi lên không hợp lệ."), serializer.errors)
        data = serializer.validated_data
        commune = (
            AdministrativeUnit.objects.filter(
                level="commune", valid_until__isnull=True, code=data["delivery_commune"]
            )
            .select_related("province")
            .first()
        )
        if commune is None:
            message = _("Không có xã, phường hiện hành với mã này.")
            return _bad(message, {"delivery_commune": [message]})
        try:
            lines = [(line["listing"], parse_quantity(line["quantity"])) for line in data["lines"]]
        except ValidationError as error:
            return _bad(" ".join(error.messages), {"lines": error.messages})
        ids = {listing_id for listing_id, _quantity in lines}
        on_sale = set(public_listings().filter(pk__in=ids).values_list("pk", flat=True))
        missing = sorted(ids - on_sale)
        if missing:
            message = _("Sản phẩm số %(id)s không còn bán.") % {"id": missing[0]}
            return _bad(message, {"lines": [message]})
        quotes = checkout_quotes(lines=lines, to_commune=commune)
        return Response(QuoteResponseSerializer({"sellers": quotes}).data)


class ShipmentEventsView(GenericAPIView[Any]):
    """A shipment is an order's parcel: ``{id}`` is the order's id."""

    permission_classes = [IsAuthenticated]
    serializer_class = TrackingEventWriteSerializer
    queryset = Order.objects.none()  # for the schema; requests scope through visible_orders

    def _order(self, request: Request, pk: int) -> Order:
        order = visible_orders(request.user).filter(pk=pk).first()
        if order is None:
            raise Http404
        return order

    @extend_schema(
        summary="The tracking events of a shipment (the order's parcel)",
        responses={200: TrackingEventSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        order = self._order(request, pk)
        return Response(TrackingEventSerializer(order.tracking_events.all(), many=True).data)

    @extend_schema(
        summary="Push a tracking event (carriers' systems and postal staff)",
        description=(
            "For a carrier's system with its partner token (`Authorization: Bearer ns_…`) on an "
            "account holding the permission `orders.handle_delivery`, or postal staff. "
            "`picked_up`, `at_hub`, `out_for_delivery` and `delivered` also move the order "
            "along (handed to carrier, in transit, delivered); `failed` needs a `reason`. "
            "Send `external_id` (your event id): a repeated push answers 200 with the event "
            "recorded the first time."
        ),
        request=TrackingEventWriteSerializer,
        responses={
            201: TrackingEventSerializer,
            200: OpenApiResponse(TrackingEventSerializer, description="A repeated push."),
            400: OpenApiResponse(ErrorSerializer, description="The event was refused."),
            403: OpenApiResponse(ErrorSerializer, description="Not a carrier of this order."),
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        order = self._order(request, pk)
        serializer = TrackingEventWriteSerializer(data=request.data)
        if not serializer.is_valid():
            return _bad(_("Dữ liệu gửi lên không hợp lệ."), serializer.errors)
        data = serializer.validated_data
        occurred_at = data.get("occurred_at")
        if occurred_at is not None and occurred_at > timezone.now() + FUTURE_TOLERANCE:
            message = _("Thời điểm diễn biến ở tương lai.")
            return _bad(message, {"occurred_at": [message]})
        external_id = data.get("external_id", "")
        user: Any = request.user
        before = (
            TrackingEvent.objects.filter(
                order_id=order.pk, recorded_by=user, external_id=external_id
            ).first()
            if external_id
            else None
        )
        try:
            event = tracking_event_add(
                order=order,
                recorded_by=request.user,
                kind=data["kind"],
                description=data.get("description", ""),
                location=data.get("location", ""),
                reason=data.get("reason", ""),
                external_id=external_id,
                now=occurred_at,
            )
        except PermissionDenied as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        except ValidationError as error:
            errors = (
                error.message_dict
                if hasattr(error, "error_dict")
                else {"non_field_errors": error.messages}
            )
            return _bad(" ".join(error.messages), errors)
        code = status.HTTP_200_OK if before is not None else status.HTTP_201_CREATED
        return Response(TrackingEventSerializer(event).data, status=code)
