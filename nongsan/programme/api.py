"""REST endpoints of the programme: indicators, KPI figures, targets, partner figures."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from nongsan.harvests.api import BAD_REQUEST, NOT_FOUND, Pagination, forbidden, invalid, refusal
from nongsan.onboarding.models import Channel
from nongsan.programme import selectors, services
from nongsan.programme.models import Geography, Indicator, PartnerFigure, Source, Target
from nongsan.programme.periods import period_parse
from nongsan.programme.permissions import (
    can_view_unit,
    editable_targets,
    visible_partner_figures,
    visible_targets,
)


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "description",
            "measure",
            "denominator",
            "display",
            "scale",
            "is_per_channel",
            "higher_is_better",
            "is_funnel_step",
        ]


class FigureSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    target = serializers.FloatField(allow_null=True)
    progress = serializers.FloatField(allow_null=True)
    source = serializers.ChoiceField(choices=Source.choices)  # type: ignore[assignment]
    estimated = serializers.BooleanField()


class KpiSerializer(serializers.Serializer[Any]):
    unit = serializers.CharField(allow_blank=True, help_text="Unit code; empty for the nation.")
    unit_name = serializers.CharField()
    period = serializers.CharField()
    geography = serializers.CharField()
    computed_at = serializers.DateTimeField(allow_null=True)
    figures = FigureSerializer(many=True)


class TargetSerializer(serializers.ModelSerializer[Target]):
    indicator = serializers.CharField(source="indicator.code")
    unit = serializers.CharField(source="unit.code")
    unit_level = serializers.CharField(source="unit.level")
    geography = serializers.SerializerMethodField()
    channel = serializers.CharField(source="channel.code", allow_null=True)
    period = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = [
            "id",
            "indicator",
            "channel",
            "unit",
            "unit_level",
            "geography",
            "period",
            "value",
            "note",
            "set_at",
        ]

    def get_geography(self, target: Target) -> str:
        unit: Any = target.unit
        return Geography.LEGACY if unit.valid_until else Geography.CURRENT

    def get_period(self, target: Target) -> str:
        from nongsan.programme.periods import Period

        return Period(target.period_kind, target.period_start).key


class TargetWriteSerializer(serializers.Serializer[Any]):
    indicator = serializers.SlugField(max_length=60)
    unit = serializers.CharField(max_length=5)
    geography = serializers.ChoiceField(choices=Geography.values, default=Geography.CURRENT)
    period = serializers.CharField(max_length=10, help_text="2026, 2026-Q2 or 2026-05")
    value = serializers.FloatField(min_value=0)
    channel = serializers.SlugField(max_length=40, required=False, allow_blank=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class PartnerFigureSerializer(serializers.ModelSerializer[PartnerFigure]):
    indicator = serializers.CharField(source="indicator.code")
    channel = serializers.CharField(source="channel.code")
    unit = serializers.CharField(source="unit.code")
    source = serializers.SerializerMethodField()  # type: ignore[assignment]

    class Meta:
        model = PartnerFigure
        fields = ["id", "indicator", "channel", "unit", "month", "value", "note", "source"]

    def get_source(self, figure: PartnerFigure) -> str:
        return "partner"


class PartnerFigureWriteSerializer(serializers.Serializer[Any]):
    indicator = serializers.SlugField(max_length=60)
    channel = serializers.SlugField(max_length=40)
    unit = serializers.CharField(max_length=5)
    geography = serializers.ChoiceField(choices=Geography.values, default=Geography.CURRENT)
    month = serializers.DateField(help_text="Any day of the month (YYYY-MM-DD).")
    value = serializers.FloatField(min_value=0)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


def _indicator(code: str) -> Indicator:
    indicator = Indicator.objects.filter(code=code, is_active=True).first()
    if indicator is None:
        raise ValidationError({"indicator": [_("Không có chỉ tiêu với mã này.")]})
    return indicator


def _channel(code: str) -> Channel | None:
    if not code:
        return None
    channel = Channel.objects.filter(code=code).first()
    if channel is None:
        raise ValidationError({"channel": [_("Không có kênh bán hàng này.")]})
    return channel


class IndicatorListView(GenericAPIView[Any]):
    permission_classes = [IsAuthenticated]
    serializer_class = IndicatorSerializer

    @extend_schema(operation_id="indicators_list", summary="The programme's indicators")
    def get(self, request: Request) -> Response:
        return Response(IndicatorSerializer(selectors.indicator_list(), many=True).data)


class KpiView(GenericAPIView[Any]):
    permission_classes = [IsAuthenticated]
    serializer_class = KpiSerializer

    @extend_schema(
        operation_id="kpis_get",
        summary="Indicator figures of a unit (or the nation) for a period",
        description=(
            "Figures come from the roll-up (see computed_at). `estimated` marks figures "
            "apportioned across a commune split in the 2025 reform; `source` tells what the "
            "platform measured from what a partner reported."
        ),
        parameters=[
            OpenApiParameter("period", str, required=True, description="2026, 2026-Q2 or 2026-05"),
            OpenApiParameter("unit", str, description="Province (2 digits) or commune (5) code"),
            OpenApiParameter("indicator", str, description="Indicator code; all when absent"),
            OpenApiParameter("geography", str, enum=["current", "legacy"]),
        ],
        responses={200: KpiSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        geography = params.get("geography") or Geography.CURRENT
        try:
            period = period_parse(params.get("period", ""))
            unit = selectors.unit_from_code(params.get("unit", ""), geography)
            indicators = (
                [_indicator(params["indicator"])]
                if params.get("indicator")
                else list(selectors.indicator_list())
            )
        except ValidationError as error:
            return refusal(error)
        if not can_view_unit(request.user, unit):
            raise Http404
        figures = selectors.unit_figure_list(
            unit=unit,
            span=selectors.span_of(period),
            geography=geography,
            indicators=indicators,
        )
        run = selectors.freshness()
        body = {
            "unit": unit.code if unit else "",
            "unit_name": unit.name if unit else _("Toàn quốc"),
            "period": period.key,
            "geography": geography,
            "computed_at": run.finished_at if run else None,
            "figures": [figure.as_dict() for figure in figures],
        }
        return Response(KpiSerializer(body).data)


def _user(request: Request) -> Any:
    return request.user


class TargetListView(GenericAPIView[Any]):
    permission_classes = [IsAuthenticated]
    serializer_class = TargetSerializer
    pagination_class = Pagination

    @extend_schema(
        operation_id="targets_list",
        summary="Targets of your area",
        parameters=[OpenApiParameter("period", str, description="2026, 2026-Q2 or 2026-05")],
    )
    def get(self, request: Request) -> Response:
        targets = visible_targets(request.user).order_by("period_start", "pk")
        if request.query_params.get("period"):
            try:
                period = period_parse(request.query_params["period"])
            except ValidationError as error:
                return refusal(error)
            targets = targets.filter(period_kind=period.kind, period_start=period.start)
        page = self.paginate_queryset(targets)
        return self.get_paginated_response(TargetSerializer(page, many=True).data)

    @extend_schema(
        operation_id="targets_set",
        summary="Set a target: the ministry for provinces, a province for its communes",
        request=TargetWriteSerializer,
        responses={201: TargetSerializer, 400: BAD_REQUEST},
    )
    def post(self, request: Request) -> Response:
        serializer = TargetWriteSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(serializer)
        data = serializer.validated_data
        try:
            unit = selectors.unit_from_code(data["unit"], data["geography"])
            if unit is None:
                raise ValidationError({"unit": [_("Hãy chọn tỉnh hoặc xã.")]})
            target = services.target_set(
                user=_user(request),
                indicator=_indicator(data["indicator"]),
                unit=unit,
                period=period_parse(data["period"]),
                value=data["value"],
                channel=_channel(data.get("channel", "")),
                note=data.get("note", ""),
            )
        except ValidationError as error:
            return refusal(error)
        except PermissionDenied as error:
            return forbidden(error)
        return Response(TargetSerializer(target).data, status=status.HTTP_201_CREATED)


class TargetDetailView(GenericAPIView[Any]):
    permission_classes = [IsAuthenticated]
    serializer_class = TargetSerializer

    @extend_schema(operation_id="targets_get", responses={200: TargetSerializer, 404: NOT_FOUND})
    def get(self, request: Request, pk: int) -> Response:
        target = visible_targets(request.user).filter(pk=pk).first()
        if target is None:
            raise Http404
        return Response(TargetSerializer(target).data)

    @extend_schema(operation_id="targets_delete", responses={204: None, 404: NOT_FOUND})
    def delete(self, request: Request, pk: int) -> Response:
        target = editable_targets(request.user).filter(pk=pk).first()
        if target is None:
            raise Http404
        try:
            services.target_delete(user=_user(request), target=target)
        except PermissionDenied as error:
            return forbidden(error)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PartnerFigureListView(GenericAPIView[Any]):
    permission_classes = [IsAuthenticated]
    serializer_class = PartnerFigureSerializer
    pagination_class = Pagination

    @extend_schema(operation_id="partner_figures_list", summary="Partner-reported figures")
    def get(self, request: Request) -> Response:
        figures = visible_partner_figures(request.user).order_by("-month", "pk")
        page = self.paginate_queryset(figures)
        return self.get_paginated_response(PartnerFigureSerializer(page, many=True).data)

    @extend_schema(
        operation_id="partner_figures_record",
        summary="Record what a partner marketplace reports for a unit and a month",
        request=PartnerFigureWriteSerializer,
        responses={201: PartnerFigureSerializer, 400: BAD_REQUEST},
    )
    def post(self, request: Request) -> Response:
        serializer = PartnerFigureWriteSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(serializer)
        data = serializer.validated_data
        try:
            unit = selectors.unit_from_code(data["unit"], data["geography"])
            channel = _channel(data["channel"])
            if unit is None or channel is None:
                raise ValidationError({"unit": [_("Hãy chọn tỉnh hoặc xã và kênh.")]})
            figure = services.partner_figure_record(
                user=_user(request),
                indicator=_indicator(data["indicator"]),
                channel=channel,
                unit=unit,
                month=data["month"],
                value=data["value"],
                note=data.get("note", ""),
                now=timezone.now(),
            )
        except ValidationError as error:
            return refusal(error)
        except PermissionDenied as error:
            return forbidden(error)
        return Response(PartnerFigureSerializer(figure).data, status=status.HTTP_201_CREATED)
