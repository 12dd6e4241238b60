"""REST endpoints of shipping: a quote before paying, and tracking events pushed by carriers
or entered by postal staff. Thin: parse, call, serialize."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from nongsan.catalog.permissions import public_listings
from nongsan.common.api import ErrorSerializer
from nongsan.geo.models import AdministrativeUnit
from nongsan.orders.services import parse_quantity
from nongsan.shipping.quotes import checkout_quotes
from nongsan.shipping.serializers import QuoteRequestSerializer, QuoteResponseSerializer


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
