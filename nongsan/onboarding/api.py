"""REST endpoints of the onboarding programme: a household's channel stages, training sessions.

Thin: parse, call one selector or service, serialize. Recording a stage is idempotent by
(household, channel, stage, occurred_on): a partner that retries gets the event recorded
before (200) instead of a second one (201).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from nongsan.accounts.models import Role
from nongsan.accounts.permissions import has_role
from nongsan.common.api import ErrorSerializer
from nongsan.geo.models import AdministrativeUnit
from nongsan.onboarding import selectors, services
from nongsan.onboarding.models import (
    Channel,
    ChannelStage,
    Course,
    Organiser,
    Stage,
    StageEvent,
    StageSource,
    Trainer,
    TrainingSession,
)
from nongsan.onboarding.permissions import visible_stage_households


class StageEventSerializer(serializers.ModelSerializer[StageEvent]):
    channel = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = StageEvent
        fields = [
            "id",
            "channel",
            "from_stage",
            "to_stage",
            "skipped_stages",
            "is_backward",
            "occurred_on",
            "source",
            "reason",
        ]


class ChannelStageSerializer(serializers.Serializer[Any]):
    """One channel and where the household stands on it (stage null: not registered)."""

    channel = serializers.CharField(source="channel.code")
    channel_name = serializers.CharField(source="channel.name")
    is_this_platform = serializers.BooleanField(source="channel.is_this_platform")
    stage = serializers.ChoiceField(
        choices=Stage.choices, source="current.stage", allow_null=True, default=None
    )
    reached_on = serializers.DateField(source="current.reached_on", allow_null=True, default=None)
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=StageSource.choices, source="current.source", allow_null=True, default=None
    )
    events = StageEventSerializer(many=True)


class StageRecordSerializer(serializers.Serializer[Any]):
    channel = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Channel.objects.filter(is_active=True),
        error_messages={
            "does_not_exist": gettext_lazy("Không có kênh này."),
            "required": gettext_lazy("Hãy chọn kênh."),
        },
    )
    stage = serializers.ChoiceField(
        choices=Stage.choices,
        error_messages={"invalid_choice": gettext_lazy("Giai đoạn không hợp lệ.")},
    )
    occurred_on = serializers.DateField(
        error_messages={"invalid": gettext_lazy("Ngày không hợp lệ (YYYY-MM-DD).")}
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class TrainingSessionSerializer(serializers.ModelSerializer[TrainingSession]):
    course = serializers.CharField(source="course.topic", read_only=True)
    course_id = serializers.IntegerField(read_only=True)
    commune = serializers.CharField(source="commune.code", read_only=True)
    commune_name = serializers.CharField(source="commune.name", read_only=True)
    province = serializers.CharField(source="province.code", read_only=True)
    trainer = serializers.CharField(source="trainer.name", read_only=True, default=None)
    attended_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "course_id",
            "course",
            "held_on",
            "place",
            "commune",
            "commune_name",
            "province",
            "trainer",
            "organiser",
            "organiser_name",
            "attended_count",
        ]


class TrainingSessionWriteSerializer(serializers.Serializer[Any]):
    course = serializers.PrimaryKeyRelatedField(
        queryset=Course.objects.all(),
        error_messages={"does_not_exist": gettext_lazy("Không có khoá tập huấn này.")},
    )
    held_on = serializers.DateField(
        error_messages={"invalid": gettext_lazy("Ngày không hợp lệ (YYYY-MM-DD).")}
    )
    place = serializers.CharField(max_length=200)
    commune = serializers.CharField(max_length=10, help_text="Code of a current commune.")
    organiser = serializers.ChoiceField(
        choices=Organiser.choices,
        error_messages={"invalid_choice": gettext_lazy("Đơn vị tổ chức không hợp lệ.")},
    )
    organiser_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    trainer = serializers.PrimaryKeyRelatedField(
        queryset=Trainer.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        error_messages={"does_not_exist": gettext_lazy("Không có tập huấn viên này.")},
    )


BAD_REQUEST = OpenApiResponse(ErrorSerializer, description="The data were refused; see errors.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Not in your area.")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="You may see but not change it.")


def _refusal(error: ValidationError) -> Response:
    errors = (
        error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    )
    detail = " ".join(message for messages in errors.values() for message in messages)
    return Response({"detail": detail, "errors": errors}, status=status.HTTP_400_BAD_REQUEST)


def _invalid(errors: Any) -> Response:
    return Response(
        {"detail": _("Dữ liệu gửi lên không hợp lệ."), "errors": errors},
        status=status.HTTP_400_BAD_REQUEST,
    )


class HouseholdChannelsView(GenericAPIView[ChannelStage]):
    """A household's stage on each channel, and recording a new stage."""

    permission_classes = [IsAuthenticated]
    serializer_class = ChannelStageSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    @extend_schema(
        operation_id="household_channels_list",
        summary="A household's onboarding stage on each channel",
        description=(
            "Every active channel with the household's current stage (null when it is not "
            "registered there) and the history of its moves, newest first. Stages in order: "
            "registered, trained, account_created, first_listing, first_sale, active_seller "
            "(a sale in the last 90 days)."
        ),
        responses={200: ChannelStageSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        _household, channels = selectors.household_stages_get(user=request.user, pk=pk)
        return Response(ChannelStageSerializer(channels, many=True).data)

    @extend_schema(
        operation_id="household_channels_record",
        summary="Record a household's stage on a channel",
        description=(
            "An officer or a partner platform records a stage. Idempotent by (household, "
            "channel, stage, occurred_on): a retry answers the event recorded before (200). "
            "A move back to an earlier stage needs a `reason`; a jump forward is recorded "
            "with the stages it skipped. On this platform (`nong-san`) the listing and sale "
            "stages are derived from real listings and orders and cannot be recorded here. "
            "A partner platform records only on the channel it owns (403 on any other, and "
            "always on `nong-san`); a household that withdrew its registry consent is refused "
            "(400)."
        ),
        request=StageRecordSerializer,
        responses={
            201: StageEventSerializer,
            200: OpenApiResponse(
                StageEventSerializer, description="A retry, or the stage the household has."
            ),
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        household = get_object_or_404(visible_stage_households(request.user), pk=pk)
        serializer = StageRecordSerializer(data=request.data)
        if not serializer.is_valid():
            return _invalid(serializer.errors)
        data = serializer.validated_data
        source = (
            StageSource.PARTNER
            if has_role(request.user, Role.PARTNER_PLATFORM)
            else StageSource.OFFICER
        )
        try:
            recording = services.stage_record(
                household=household,
                channel=data["channel"],
                stage=data["stage"],
                occurred_on=data["occurred_on"],
                reason=data["reason"],
                recorded_by=request.user,
                source=source,
            )
        except ValidationError as error:
            return _refusal(error)
        except PermissionDenied as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        code = status.HTTP_201_CREATED if recording.created else status.HTTP_200_OK
        return Response(StageEventSerializer(recording.event).data, status=code)


class SessionPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 500


def _commune(code: str | None) -> AdministrativeUnit | None:
    if not code:
        return None
    return AdministrativeUnit.objects.filter(
        level="commune", valid_until__isnull=True, code=code
    ).first()


class TrainingSessionListView(GenericAPIView[TrainingSession]):
    """Training sessions of the caller's area, and scheduling new ones."""

    permission_classes = [IsAuthenticated]
    serializer_class = TrainingSessionSerializer
    pagination_class = SessionPagination
    filter_backends: list[Any] = []

    @extend_schema(
        operation_id="training_sessions_list",
        summary="List training sessions in your area",
        description="Newest first, with the number of households that attended.",
        parameters=[
            OpenApiParameter("commune", OpenApiTypes.STR, description="Code of a current commune.")
        ],
        responses={200: TrainingSessionSerializer(many=True), 400: BAD_REQUEST},
    )
    def get(self, request: Request) -> Response:
        commune = None
        if request.query_params.get("commune"):
            commune = _commune(request.query_params["commune"])
            if commune is None:
                return _refusal(
                    ValidationError({"commune": _("Không có xã, phường hiện hành với mã này.")})
                )
        sessions = selectors.session_list(user=request.user, commune=commune)
        page = self.paginate_queryset(sessions)
        return self.get_paginated_response(TrainingSessionSerializer(page, many=True).data)

    @extend_schema(
        operation_id="training_sessions_create",
        summary="Schedule a training session",
        description="In a current commune of your area, for an existing course.",
        request=TrainingSessionWriteSerializer,
        responses={201: TrainingSessionSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def post(self, request: Request) -> Response:
        serializer = TrainingSessionWriteSerializer(data=request.data)
        if not serializer.is_valid():
            return _invalid(serializer.errors)
        data = serializer.validated_data
        commune = _commune(data["commune"])
        if commune is None:
            return _refusal(
                ValidationError({"commune": _("Không có xã, phường hiện hành với mã này.")})
            )
        try:
            session = services.session_schedule(
                scheduled_by=request.user,
                course=data["course"],
                held_on=data["held_on"],
                place=data["place"],
                commune=commune,
                organiser=data["organiser"],
                organiser_name=data["organiser_name"],
                trainer=data["trainer"],
            )
        except ValidationError as error:
            return _refusal(error)
        except PermissionDenied as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        created = selectors.session_get(user=request.user, pk=session.pk)
        return Response(TrainingSessionSerializer(created).data, status=status.HTTP_201_CREATED)


class TrainingSessionDetailView(GenericAPIView[TrainingSession]):
    permission_classes = [IsAuthenticated]
    serializer_class = TrainingSessionSerializer
    filter_backends: list[Any] = []

    @extend_schema(
        operation_id="training_sessions_retrieve",
        summary="One training session",
        responses={200: TrainingSessionSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        session = get_object_or_404(selectors.session_list(user=request.user), pk=pk)
        return Response(TrainingSessionSerializer(session).data)
