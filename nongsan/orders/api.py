"""REST endpoints of orders: checkout (idempotent with an ``Idempotency-Key``), the orders a
person may see, and moving an order along its lifecycle. Thin: parse, call, serialize."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from nongsan.accounts.models import User
from nongsan.common.api import IDEMPOTENCY_HEADER, MAX_KEY_LENGTH, ErrorSerializer, request_digest
from nongsan.geo.models import AdministrativeUnit
from nongsan.orders import selectors, services
from nongsan.orders.models import Checkout, CheckoutRequest, Order
from nongsan.orders.permissions import editable_orders
from nongsan.orders.serializers import (
    CheckoutSerializer,
    CheckoutWriteSerializer,
    OrderDetailSerializer,
    OrderSerializer,
    OrderStatusWriteSerializer,
)

BAD_REQUEST = OpenApiResponse(ErrorSerializer, description="The data were refused; see errors.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such order that you may see.")


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - IsAuthenticated guarantees it
    return user


def _refusal(error: ValidationError, code: int = status.HTTP_400_BAD_REQUEST) -> Response:
    errors = (
        error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    )
    detail = " ".join(message for messages in errors.values() for message in messages)
    return Response({"detail": detail, "errors": errors}, status=code)


def _with_orders(checkout: Checkout) -> Checkout:
    return Checkout.objects.prefetch_related("orders__items", "orders__household").get(
        pk=checkout.pk
    )


class OrderPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200


class CheckoutCreateView(GenericAPIView[Checkout]):
    permission_classes = [IsAuthenticated]
    serializer_class = CheckoutWriteSerializer

    @extend_schema(
        summary="Check out: one order per seller, stock reserved",
        description=(
            "Places one order per seller for the lines, reserving their stock, or refuses "
            "them all. Send an `Idempotency-Key` header so that a retried request returns the "
            "orders made the first time (200); the same key with another body is refused (422)."
        ),
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                OpenApiTypes.STR,
                location=OpenApiParameter.HEADER,
                description="Any unique text of at most 100 characters per checkout you mean once.",
            )
        ],
        request=CheckoutWriteSerializer,
        responses={
            201: CheckoutSerializer,
            200: OpenApiResponse(
                CheckoutSerializer, description="A retry: the orders made before."
            ),
            400: BAD_REQUEST,
            422: OpenApiResponse(
                ErrorSerializer, description="Idempotency key reused with another body."
            ),
        },
    )
    def post(self, request: Request) -> Response:
        user = _user(request)
        owner = f"user:{user.pk}"
        key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        if len(key) > MAX_KEY_LENGTH:
            return _refusal(
                ValidationError({"idempotency_key": _("Khoá chống trùng dài tối đa 100 ký tự.")})
            )
        digest = request_digest(request.data)
        if key:
            previous = CheckoutRequest.objects.filter(owner=owner, key=key).first()
            if previous is not None:
                return self._replay(previous, digest)
        serializer = CheckoutWriteSerializer(data=request.data)
        if not serializer.is_valid():
            return Response(
                {"detail": _("Dữ liệu gửi lên không hợp lệ."), "errors": serializer.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        data = serializer.validated_data
        commune = AdministrativeUnit.objects.filter(
            level="commune", valid_until__isnull=True, code=data["delivery_commune"]
        ).first()
        if commune is None:
            return _refusal(
                ValidationError(
                    {"delivery_commune": _("Không có xã, phường hiện hành với mã này.")}
                )
            )
        try:
            lines = [
                services.CheckoutLine(
                    listing_id=line["listing"], quantity=services.parse_quantity(line["quantity"])
                )
                for line in data["lines"]
            ]
            place = partial(
                services.checkout_place,
                buyer=user,
                lines=lines,
                buyer_name=data["buyer_name"],
                buyer_phone=data["buyer_phone"],
                delivery_address=data["delivery_address"],
                delivery_commune=commune,
                payment_method=data["payment_method"],
                shipping_service=data.get("shipping_service") or None,
            )
            if key:
                # The key is stored in the checkout's own transaction.
                with transaction.atomic():
                    checkout = place()
                    CheckoutRequest.objects.create(
                        owner=owner, key=key, request_digest=digest, checkout=checkout
                    )
            else:
                checkout = place()
        except ValidationError as error:
            return _refusal(error)
        except IntegrityError:
            previous = CheckoutRequest.objects.filter(owner=owner, key=key).first() if key else None
            if previous is not None:
                return self._replay(previous, digest)
            raise
        # checkout_place hands back the orders and items it wrote: no need to read them again.
        return Response(CheckoutSerializer(checkout).data, status=status.HTTP_201_CREATED)

    def _replay(self, previous: CheckoutRequest, digest: str) -> Response:
        if previous.request_digest != digest:
            return Response(
                {"detail": _("Khoá chống trùng này đã dùng cho một yêu cầu khác.")},
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        return Response(
            CheckoutSerializer(_with_orders(previous.checkout)).data, status=status.HTTP_200_OK
        )


class OrderListView(GenericAPIView[Order]):
    permission_classes = [IsAuthenticated]
    serializer_class = OrderSerializer
    pagination_class = OrderPagination
    queryset = Order.objects.none()  # for the schema only; reads start from visible_orders

    @extend_schema(
        summary="The orders you may see (bought, sold, in your area)",
        operation_id="orders_list",
        responses=OrderSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        orders = selectors.order_list(user=_user(request))
        page = self.paginate_queryset(orders)
        return self.get_paginated_response(OrderSerializer(page, many=True).data)


class OrderDetailView(GenericAPIView[Order]):
    permission_classes = [IsAuthenticated]
    serializer_class = OrderDetailSerializer

    @extend_schema(
        summary="One order with its timeline",
        responses={200: OrderDetailSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        order = selectors.order_get(user=_user(request), pk=pk)
        if order is None:
            raise Http404
        return Response(OrderDetailSerializer(order).data)


class OrderStatusView(GenericAPIView[Order]):
    permission_classes = [IsAuthenticated]
    serializer_class = OrderStatusWriteSerializer

    @extend_schema(
        summary="Move an order one step (confirm, pack, hand over, deliver, cancel…)",
        request=OrderStatusWriteSerializer,
        responses={
            200: OrderDetailSerializer,
            400: BAD_REQUEST,
            403: OpenApiResponse(ErrorSerializer, description="Not your step to take."),
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        order = editable_orders(user).filter(pk=pk).first()
        if order is None:
            raise Http404
        serializer = OrderStatusWriteSerializer(data=request.data)
        if not serializer.is_valid():
            return Response(
                {"detail": _("Dữ liệu gửi lên không hợp lệ."), "errors": serializer.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            services.order_transition(
                order=order,
                to_status=serializer.validated_data["status"],
                by=user,
                note=serializer.validated_data.get("note", ""),
            )
        except ValidationError as error:
            return _refusal(error)
        except PermissionDenied as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        detail = selectors.order_get(user=user, pk=pk)
        return Response(OrderDetailSerializer(detail).data)
