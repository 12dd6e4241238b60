"""REST endpoints of the harvests app: the calendar (public), plantings and harvest
announcements (scoped to who may see them), the weekly supply forecast. Thin: parse, call one
selector or service, serialize; refusals in the shape of nongsan.common.api."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from nongsan.accounts.models import User
from nongsan.accounts.permissions import user_scope
from nongsan.catalog.models import ProduceType
from nongsan.common.api import ErrorSerializer
from nongsan.geo.models import AdministrativeUnit
from nongsan.harvests import selectors, services
from nongsan.harvests.gluts import campaign_create
from nongsan.harvests.models import (
    AnnouncementStatus,
    CalendarEntry,
    Campaign,
    GlutAlert,
    HarvestAnnouncement,
    LossReason,
    Planting,
)
from nongsan.harvests.permissions import (
    editable_announcements,
    visible_announcements,
    visible_calendar_entries,
    visible_glut_alerts,
    visible_plantings,
)
from nongsan.producers.permissions import visible_households

BAD_REQUEST = OpenApiResponse(ErrorSerializer, description="The data were refused; see errors.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Nothing you may see there.")
MAX_WEEKS = 26


def refusal(error: ValidationError, code: int = status.HTTP_400_BAD_REQUEST) -> Response:
    errors = (
        error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    )
    detail = " ".join(message for messages in errors.values() for message in messages)
    body: dict[str, Any] = {"detail": detail, "errors": errors}
    if len(errors) == 1 and hasattr(error, "error_dict"):
        body["parameter"] = next(iter(errors))
    return Response(body, status=code)


def forbidden(error: PermissionDenied) -> Response:
    return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)


def invalid(serializer: serializers.Serializer[Any]) -> Response:
    return Response(
        {"detail": _("Dữ liệu gửi lên không hợp lệ."), "errors": serializer.errors},
        status=status.HTTP_400_BAD_REQUEST,
    )


def produce_param(request: Request, name: str = "produce") -> ProduceType | None:
    slug = request.query_params.get(name, "")
    if not slug:
        return None
    produce = ProduceType.objects.filter(slug=slug).first()
    if produce is None:
        raise ValidationError({name: [_("Không có loại sản phẩm với mã này.")]})
    return produce


def unit_param(request: Request, name: str, level: str) -> AdministrativeUnit | None:
    code = request.query_params.get(name, "")
    if not code:
        return None
    unit = AdministrativeUnit.objects.current().filter(level=level, code=code).first()
    if unit is None:
        message = (
            _("Không có tỉnh / thành phố hiện hành với mã này.")
            if level == "province"
            else _("Không có xã / phường hiện hành với mã này.")
        )
        raise ValidationError({name: [message]})
    return unit


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - write methods require a signed-in user
    return user


class Pagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200


class CalendarEntrySerializer(serializers.ModelSerializer[CalendarEntry]):
    produce = serializers.CharField(source="produce_type.slug")
    province = serializers.CharField(source="province.code", allow_null=True, default=None)
    harvest_months = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = CalendarEntry
        fields = [
            "id",
            "produce",
            "province",
            "region",
            "place_detail",
            "season_name",
            "plant_from_month",
            "plant_from_day",
            "plant_until_month",
            "plant_until_day",
            "harvest_from_month",
            "harvest_from_day",
            "harvest_until_month",
            "harvest_until_day",
            "harvest_months",
            "is_lunar",
            "maturity_days_min",
            "maturity_days_max",
            "yield_tonnes_per_ha",
        ]


class CalendarListView(GenericAPIView[Any]):
    permission_classes = [AllowAny]
    serializer_class = CalendarEntrySerializer
    filter_backends: list[Any] = []
    pagination_class = Pagination

    @extend_schema(
        operation_id="crop_calendar_list",
        summary="The harvest calendar",
        description="Seasons that apply to a province (its own, its region's, national).",
        parameters=[
            OpenApiParameter("produce", OpenApiTypes.STR, description="Produce type slug."),
            OpenApiParameter("province", OpenApiTypes.STR, description="Current province code."),
        ],
        responses={200: CalendarEntrySerializer(many=True), 400: BAD_REQUEST},
    )
    def get(self, request: Request) -> Response:
        try:
            produce = produce_param(request)
            province = unit_param(request, "province", "province")
        except ValidationError as error:
            return refusal(error)
        entries = selectors.calendar_entry_list(province=province, produce_type=produce).filter(
            pk__in=visible_calendar_entries(request.user).values("pk")
        )
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(CalendarEntrySerializer(page, many=True).data)


class AnnouncementSerializer(serializers.ModelSerializer[HarvestAnnouncement]):
    produce = serializers.CharField(source="produce_type.slug")
    province = serializers.CharField(source="province.code")
    commune = serializers.CharField(source="commune.code")
    planting = serializers.IntegerField(source="planting_id", allow_null=True)

    class Meta:
        model = HarvestAnnouncement
        fields = [
            "id",
            "household",
            "produce",
            "province",
            "commune",
            "planting",
            "harvest_from",
            "harvest_until",
            "tonnes",
            "status",
            "loss_reason",
            "note",
            "created_at",
            "updated_at",
        ]


class PlantingSerializer(serializers.ModelSerializer[Planting]):
    produce = serializers.CharField(source="produce_type.slug")
    province = serializers.CharField(source="province.code")
    commune = serializers.CharField(source="commune.code")
    announcement = AnnouncementSerializer(read_only=True)

    class Meta:
        model = Planting
        fields = [
            "id",
            "household",
            "produce",
            "province",
            "commune",
            "area_ha",
            "tree_count",
            "planted_on",
            "status",
            "announcement",
            "created_at",
        ]


class PlantingWriteSerializer(serializers.Serializer[Any]):
    household = serializers.IntegerField()
    produce = serializers.SlugField()
    planted_on = serializers.DateField()
    area_ha = serializers.CharField(required=False, allow_blank=True)
    tree_count = serializers.IntegerField(required=False, min_value=1)
    expected_tonnes = serializers.CharField(required=False, allow_blank=True)


class AnnouncementWriteSerializer(serializers.Serializer[Any]):
    household = serializers.IntegerField()
    produce = serializers.SlugField()
    harvest_from = serializers.DateField()
    harvest_until = serializers.DateField()
    tonnes = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class TransitionSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=AnnouncementStatus.choices)
    harvest_from = serializers.DateField(required=False)
    harvest_until = serializers.DateField(required=False)
    tonnes = serializers.CharField(required=False, allow_blank=True)
    loss_reason = serializers.ChoiceField(
        choices=LossReason.choices, required=False, allow_blank=True
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


def _household_and_produce(request: Request, data: dict[str, Any]) -> tuple[Any, ProduceType]:
    household = get_object_or_404(visible_households(request.user), pk=data["household"])
    produce = ProduceType.objects.filter(slug=data["produce"], is_active=True).first()
    if produce is None:
        raise ValidationError({"produce": [_("Không có loại sản phẩm với mã này.")]})
    return household, produce


class PlantingListView(GenericAPIView[Any]):
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = PlantingSerializer
    filter_backends: list[Any] = []
    pagination_class = Pagination

    @extend_schema(
        operation_id="plantings_list",
        summary="Plantings you may see",
        responses={200: PlantingSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        plantings = (
            selectors.planting_list(visible_plantings(request.user))
            .select_related("announcement")
            .order_by("-planted_on", "-pk")
        )
        page = self.paginate_queryset(plantings)
        return self.get_paginated_response(PlantingSerializer(page, many=True).data)

    @extend_schema(
        operation_id="plantings_create",
        summary="Record a planting; the calendar gives its expected harvest",
        request=PlantingWriteSerializer,
        responses={201: PlantingSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        serializer = PlantingWriteSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(serializer)
        data = serializer.validated_data
        try:
            household, produce = _household_and_produce(request, data)
            planting = services.planting_record(
                user=_user(request),
                household=household,
                produce_type=produce,
                planted_on=data["planted_on"],
                area_ha=data.get("area_ha"),
                tree_count=data.get("tree_count"),
                expected_tonnes=data.get("expected_tonnes"),
            )
        except ValidationError as error:
            return refusal(error)
        except PermissionDenied as error:
            return forbidden(error)
        fresh = selectors.planting_list(Planting.objects.filter(pk=planting.pk)).get()
        return Response(PlantingSerializer(fresh).data, status=status.HTTP_201_CREATED)


class AnnouncementListView(GenericAPIView[Any]):
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = AnnouncementSerializer
    filter_backends: list[Any] = []
    pagination_class = Pagination

    @extend_schema(
        operation_id="harvests_list",
        summary="Harvest announcements you may see",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=AnnouncementStatus.values),
        ],
        responses={200: AnnouncementSerializer(many=True), 400: BAD_REQUEST},
    )
    def get(self, request: Request) -> Response:
        announcements = visible_announcements(request.user).select_related(
            "produce_type", "province", "commune"
        )
        wanted = request.query_params.get("status", "")
        if wanted:
            if wanted not in AnnouncementStatus.values:
                return refusal(ValidationError({"status": [_("Trạng thái không hợp lệ.")]}))
            announcements = announcements.filter(status=wanted)
        page = self.paginate_queryset(announcements.order_by("harvest_from", "pk"))
        return self.get_paginated_response(AnnouncementSerializer(page, many=True).data)

    @extend_schema(
        operation_id="harvests_create",
        summary="Announce a harvest (dates and tonnes)",
        request=AnnouncementWriteSerializer,
        responses={201: AnnouncementSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        serializer = AnnouncementWriteSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(serializer)
        data = serializer.validated_data
        try:
            household, produce = _household_and_produce(request, data)
            announcement = services.harvest_announce(
                user=_user(request),
                household=household,
                produce_type=produce,
                harvest_from=data["harvest_from"],
                harvest_until=data["harvest_until"],
                tonnes=data["tonnes"],
                note=data.get("note", ""),
            )
        except ValidationError as error:
            return refusal(error)
        except PermissionDenied as error:
            return forbidden(error)
        return Response(AnnouncementSerializer(announcement).data, status=status.HTTP_201_CREATED)


class AnnouncementDetailView(GenericAPIView[Any]):
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = AnnouncementSerializer
    filter_backends: list[Any] = []

    @extend_schema(
        operation_id="harvests_retrieve",
        summary="One harvest announcement",
        responses={200: AnnouncementSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        announcement = get_object_or_404(visible_announcements(request.user), pk=pk)
        return Response(AnnouncementSerializer(announcement).data)

    @extend_schema(
        operation_id="harvests_transition",
        summary="Confirm, revise, mark harvested or lost",
        request=TransitionSerializer,
        responses={200: AnnouncementSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        announcement = get_object_or_404(
            editable_announcements(request.user).select_related("household"), pk=pk
        )
        serializer = TransitionSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(serializer)
        data = serializer.validated_data
        try:
            services.announcement_transition(
                user=_user(request),
                announcement=announcement,
                status=data["status"],
                harvest_from=data.get("harvest_from"),
                harvest_until=data.get("harvest_until"),
                tonnes=data.get("tonnes"),
                loss_reason=data.get("loss_reason", ""),
                note=data.get("note"),
            )
        except ValidationError as error:
            return refusal(error)
        except PermissionDenied as error:
            return forbidden(error)
        return Response(AnnouncementSerializer(announcement).data)


def _tonnes_list(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.DecimalField(max_digits=14, decimal_places=3), help_text=help_text
    )


class ForecastWeekSerializer(serializers.Serializer[Any]):
    week_start = serializers.DateField(help_text="The Monday of the ISO week.")
    iso_week = serializers.CharField(help_text="e.g. 2026-W23")


class ForecastSeriesSerializer(serializers.Serializer[Any]):
    produce = serializers.CharField()
    province = serializers.CharField(
        allow_null=True, help_text="Current province code; null for the whole country."
    )
    expected_tonnes = _tonnes_list("Tonnes expected from open announcements, one per week.")
    listed_tonnes = _tonnes_list("Tonnes on sale in active kg listings, one per week.")
    ordered_tonnes = _tonnes_list("Open orders due that week, one per week.")
    requested_tonnes = _tonnes_list("Traders' buy requests for that week, one per week.")
    households = serializers.ListField(
        child=serializers.IntegerField(), help_text="Households announcing, one per week."
    )


class ForecastSerializer(serializers.Serializer[Any]):
    weeks = ForecastWeekSerializer(many=True)
    series = ForecastSeriesSerializer(many=True)


class ForecastView(GenericAPIView[Any]):
    permission_classes = [AllowAny]
    serializer_class = ForecastSerializer
    filter_backends: list[Any] = []

    @extend_schema(
        operation_id="forecasts_list",
        summary="Weekly supply forecast, as series",
        description=(
            "The weekly supply forecast as series: each series gives one value per ISO week"
            " (``weeks``, from this week's Monday). Without a filter, the national view: one"
            " series per produce (province null). With ``produce``, one series per province of"
            " that produce; with ``province`` or ``commune``, one per produce there. Tonnes"
            " expected come from open harvest announcements spread evenly over their days;"
            " listed, ordered and requested tonnes from active kg listings, open orders and"
            " buy requests. A place with any of these appears, with zeros for what it lacks."
            " A commune forecast is given to the officers and assistants of that commune's"
            " area only."
        ),
        parameters=[
            OpenApiParameter("produce", OpenApiTypes.STR, description="Produce type slug."),
            OpenApiParameter("province", OpenApiTypes.STR, description="Current province code."),
            OpenApiParameter("commune", OpenApiTypes.STR, description="Current commune code."),
            OpenApiParameter("weeks", OpenApiTypes.INT, description="1–26, default 12."),
        ],
        responses={200: ForecastSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        try:
            produce = produce_param(request)
            province = unit_param(request, "province", "province")
            commune = unit_param(request, "commune", "commune")
            weeks = _weeks(request.query_params.get("weeks", ""))
        except ValidationError as error:
            return refusal(error)
        if commune is not None and not user_scope(request.user).covers(
            province_id=commune.province_id, commune_id=commune.pk
        ):
            return Response(
                {"detail": _("Bạn không xem được dự báo của xã này.")},
                status=status.HTTP_404_NOT_FOUND,
            )
        today = timezone.localdate()
        series = selectors.forecast_series(
            today=today, weeks=weeks, produce_type=produce, province=province, commune=commune
        )
        slugs = dict(
            ProduceType.objects.filter(pk__in={row.produce_type_id for row in series}).values_list(
                "pk", "slug"
            )
        )
        province_ids = {row.province_id for row in series if row.province_id is not None}
        codes = dict(
            AdministrativeUnit.objects.filter(pk__in=province_ids).values_list("pk", "code")
            if province_ids
            else []
        )
        data = {
            "weeks": [
                {"week_start": week, "iso_week": _iso(week)}
                for week in selectors.week_starts(today, weeks)
            ],
            "series": [
                {
                    "produce": slugs[row.produce_type_id],
                    "province": codes.get(row.province_id) if row.province_id else None,
                    "expected_tonnes": row.expected_tonnes,
                    "listed_tonnes": row.listed_tonnes,
                    "ordered_tonnes": row.ordered_tonnes,
                    "requested_tonnes": row.requested_tonnes,
                    "households": row.households,
                }
                for row in series
            ],
        }
        return Response(ForecastSerializer(data).data)


def _iso(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _weeks(text: str) -> int:
    if not text:
        return 12
    if not text.isdigit() or not 1 <= int(text) <= MAX_WEEKS:
        raise ValidationError({"weeks": [_("Số tuần phải từ 1 đến 26.")]})
    return int(text)


class GlutAlertSerializer(serializers.ModelSerializer[GlutAlert]):
    produce = serializers.CharField(source="produce_type.slug")
    province = serializers.CharField(source="province.code")

    class Meta:
        model = GlutAlert
        fields = [
            "id",
            "produce",
            "province",
            "week_start",
            "kind",
            "severity",
            "expected_tonnes",
            "demand_tonnes",
            "sales_rate_tonnes",
            "sales_rate_basis",
            "ordered_tonnes",
            "requested_tonnes",
            "price_change_percent",
            "households",
            "raised_at",
        ]


class GlutAlertListView(GenericAPIView[Any]):
    permission_classes = [IsAuthenticated]
    serializer_class = GlutAlertSerializer
    filter_backends: list[Any] = []
    pagination_class = Pagination

    @extend_schema(
        operation_id="glut_alerts_list",
        summary="Glut warnings of your area",
        responses={200: GlutAlertSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        alerts = visible_glut_alerts(request.user).order_by("week_start", "pk")
        page = self.paginate_queryset(alerts)
        return self.get_paginated_response(GlutAlertSerializer(page, many=True).data)


class CampaignSerializer(serializers.ModelSerializer[Campaign]):
    produce = serializers.CharField(source="produce_type.slug")
    province = serializers.CharField(source="province.code")
    sold_tonnes = serializers.SerializerMethodField(
        help_text=(
            "Tonnes ordered so far: kg order lines of the produce from sellers of the province,"
            " placed on the campaign's days (Vietnam time), not cancelled, rejected, returned"
            " or refunded."
        )
    )

    class Meta:
        model = Campaign
        fields = [
            "id",
            "title",
            "produce",
            "province",
            "glut_alert",
            "target_tonnes",
            "starts_on",
            "ends_on",
            "description",
            "sold_tonnes",
        ]

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_sold_tonnes(self, campaign: Campaign) -> str:
        return f"{selectors.campaign_sold_tonnes(campaign):f}"


class CampaignWriteSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=150)
    produce = serializers.SlugField()
    province = serializers.CharField(max_length=5)
    target_tonnes = serializers.CharField(max_length=20)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    glut_alert = serializers.IntegerField(required=False)


class CampaignListView(GenericAPIView[Any]):
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = CampaignSerializer
    filter_backends: list[Any] = []
    pagination_class = Pagination

    @extend_schema(
        operation_id="campaigns_list",
        summary="Rescue campaigns (public)",
        responses={200: CampaignSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.campaign_list())
        return self.get_paginated_response(CampaignSerializer(page, many=True).data)

    @extend_schema(
        operation_id="campaigns_create",
        summary="Open a rescue campaign (ministry, province officers)",
        request=CampaignWriteSerializer,
        responses={201: CampaignSerializer, 400: BAD_REQUEST},
    )
    def post(self, request: Request) -> Response:
        serializer = CampaignWriteSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(serializer)
        data = serializer.validated_data
        try:
            produce = ProduceType.objects.filter(slug=data["produce"], is_active=True).first()
            if produce is None:
                raise ValidationError({"produce": [_("Không có loại sản phẩm với mã này.")]})
            province = (
                AdministrativeUnit.objects.current()
                .filter(level="province", code=data["province"])
                .first()
            )
            if province is None:
                raise ValidationError(
                    {"province": [_("Không có tỉnh / thành phố hiện hành với mã này.")]}
                )
            alert = None
            if data.get("glut_alert"):
                alert = get_object_or_404(visible_glut_alerts(request.user), pk=data["glut_alert"])
            campaign = campaign_create(
                user=_user(request),
                title=data["title"],
                produce_type=produce,
                province=province,
                target_tonnes=data["target_tonnes"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                description=data.get("description", ""),
                glut_alert=alert,
            )
        except ValidationError as error:
            return refusal(error)
        except PermissionDenied as error:
            return forbidden(error)
        campaign = selectors.campaign_list().get(pk=campaign.pk)
        return Response(CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)
