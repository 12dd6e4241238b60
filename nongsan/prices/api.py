"""REST endpoints of the price board: daily statistics (public) and price reports (entered
by traders and officers, seen by whoever entered them and the officers of the area)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from nongsan.accounts.models import User
from nongsan.catalog.models import ProduceType
from nongsan.geo.models import AdministrativeUnit
from nongsan.harvests.api import (
    BAD_REQUEST,
    Pagination,
    forbidden,
    invalid,
    produce_param,
    refusal,
    unit_param,
)
from nongsan.prices import selectors, services
from nongsan.prices.models import DailyPriceStatistic, PriceKind, PriceReport
from nongsan.prices.permissions import visible_price_reports

MAX_RANGE_DAYS = 366 * 3


class DailyStatisticSerializer(serializers.ModelSerializer[DailyPriceStatistic]):
    produce = serializers.CharField(source="produce_type.slug")
    province = serializers.CharField(source="province.code")

    class Meta:
        model = DailyPriceStatistic
        fields = [
            "produce",
            "province",
            "kind",
            "day",
            "minimum_vnd",
            "maximum_vnd",
            "mean_vnd",
            "modal_vnd",
            "report_count",
        ]


class PriceReportSerializer(serializers.ModelSerializer[PriceReport]):
    produce = serializers.CharField(source="produce_type.slug")
    province = serializers.CharField(source="province.code")

    class Meta:
        model = PriceReport
        fields = [
            "id",
            "produce",
            "province",
            "market_name",
            "kind",
            "price_vnd",
            "reported_on",
            "status",
            "usual_price_vnd",
        ]


class PriceReportWriteSerializer(serializers.Serializer[Any]):
    produce = serializers.SlugField()
    province = serializers.CharField(max_length=5)
    commune = serializers.CharField(max_length=5, required=False, allow_blank=True)
    market_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=PriceKind.choices)
    price_vnd = serializers.CharField(max_length=20, help_text="Whole đồng per kg, e.g. 45000.")
    reported_on = serializers.DateField()


def _date(request: Request, name: str) -> datetime.date | None:
    text = request.query_params.get(name, "")
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationError({name: [_("Ngày phải viết dạng YYYY-MM-DD.")]}) from None


class DailyStatisticListView(GenericAPIView[Any]):
    permission_classes = [AllowAny]
    serializer_class = DailyStatisticSerializer
    filter_backends: list[Any] = []
    pagination_class = Pagination

    @extend_schema(
        operation_id="prices_list",
        summary="Daily price statistics",
        description="Min, max, mean and modal price (đồng/kg) per produce × province × kind × day.",
        parameters=[
            OpenApiParameter("produce", OpenApiTypes.STR, description="Produce type slug."),
            OpenApiParameter("province", OpenApiTypes.STR, description="Current province code."),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=PriceKind.values),
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("to", OpenApiTypes.DATE),
        ],
        responses={200: DailyStatisticSerializer(many=True), 400: BAD_REQUEST},
    )
    def get(self, request: Request) -> Response:
        try:
            produce = produce_param(request)
            province = unit_param(request, "province", "province")
            date_from, date_to = _date(request, "from"), _date(request, "to")
            kind = request.query_params.get("kind", "")
            if kind and kind not in PriceKind.values:
                raise ValidationError({"kind": [_("Loại giá không hợp lệ.")]})
            if date_from and date_to and date_from > date_to:
                raise ValidationError({"to": [_("Ngày cuối phải sau ngày đầu.")]})
        except ValidationError as error:
            return refusal(error)
        statistics = selectors.daily_statistic_list(
            produce_type=produce,
            provinces=[province] if province else None,
            kind=kind,
            date_from=date_from,
            date_to=date_to,
        )
        page = self.paginate_queryset(statistics)
        return self.get_paginated_response(DailyStatisticSerializer(page, many=True).data)


class PriceReportListView(GenericAPIView[Any]):
    permission_classes = [IsAuthenticated]
    serializer_class = PriceReportSerializer
    filter_backends: list[Any] = []
    pagination_class = Pagination

    @extend_schema(
        operation_id="price_reports_list",
        summary="Price reports you may see",
        responses={200: PriceReportSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        reports = visible_price_reports(request.user).select_related("produce_type", "province")
        page = self.paginate_queryset(reports.order_by("-reported_on", "-pk"))
        return self.get_paginated_response(PriceReportSerializer(page, many=True).data)

    @extend_schema(
        operation_id="price_reports_create",
        summary="Report a price (traders, commune and province officers)",
        request=PriceReportWriteSerializer,
        responses={201: PriceReportSerializer, 400: BAD_REQUEST},
    )
    def post(self, request: Request) -> Response:
        serializer = PriceReportWriteSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(serializer)
        data = serializer.validated_data
        user = request.user
        assert isinstance(user, User)  # noqa: S101 - IsAuthenticated
        try:
            produce = ProduceType.objects.filter(slug=data["produce"], is_active=True).first()
            if produce is None:
                raise ValidationError({"produce": [_("Không có loại sản phẩm với mã này.")]})
            province = _unit(data["province"], "province")
            commune = _unit(data.get("commune", ""), "commune")
            report = services.price_report_create(
                user=user,
                produce_type=produce,
                province=province,
                commune=commune,
                market_name=data.get("market_name", ""),
                kind=data["kind"],
                price_vnd=data["price_vnd"],
                reported_on=data["reported_on"],
            )
        except ValidationError as error:
            return refusal(error)
        except PermissionDenied as error:
            return forbidden(error)
        return Response(PriceReportSerializer(report).data, status=status.HTTP_201_CREATED)


def _unit(code: str, level: str) -> Any:
    if not code:
        if level == "province":
            raise ValidationError({"province": [_("Hãy chọn tỉnh / thành phố.")]})
        return None
    unit = AdministrativeUnit.objects.current().filter(level=level, code=code).first()
    if unit is None:
        raise ValidationError({level: [_("Không có đơn vị hành chính hiện hành với mã này.")]})
    return unit
