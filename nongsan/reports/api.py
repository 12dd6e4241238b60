"""REST endpoints of provincial reports: list and read (scoped), open and edit drafts, and
the workflow steps (submit, approve, return). Thin: parse, call one service, serialize."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from nongsan.accounts.models import User
from nongsan.common.api import ErrorSerializer
from nongsan.geo.models import AdministrativeUnit
from nongsan.reports import selectors, services
from nongsan.reports.models import ProvincialReport, ReportStatus
from nongsan.reports.periods import period_parse
from nongsan.reports.permissions import decidable_reports, editable_reports
from nongsan.reports.serializers import (
    NarrativeSerializer,
    ReportCreateSerializer,
    ReportSerializer,
    ReturnSerializer,
)

BAD_REQUEST = OpenApiResponse(ErrorSerializer, description="The data were refused; see errors.")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="Not your step to take.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such report that you may see.")


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - IsAuthenticated guarantees it
    return user


def _refusal(error: ValidationError) -> Response:
    errors = (
        error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    )
    detail = " ".join(message for messages in errors.values() for message in messages)
    return Response({"detail": detail, "errors": errors}, status=status.HTTP_400_BAD_REQUEST)


def _invalid(serializer: serializers.Serializer[Any]) -> Response:
    return Response(
        {"detail": _("Dữ liệu gửi lên không hợp lệ."), "errors": serializer.errors},
        status=status.HTTP_400_BAD_REQUEST,
    )


def _answer(call: Callable[[], ProvincialReport], code: int = status.HTTP_200_OK) -> Response:
    try:
        report = call()
    except ValidationError as error:
        return _refusal(error)
    except PermissionDenied as error:
        return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
    return Response(ReportSerializer(report).data, status=code)


class ReportPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200


class ReportListView(GenericAPIView[ProvincialReport]):
    permission_classes = [IsAuthenticated]
    serializer_class = ReportSerializer
    pagination_class = ReportPagination
    queryset = ProvincialReport.objects.none()  # for the schema; reads start from visible_reports

    @extend_schema(
        operation_id="reports_list",
        summary="The provincial reports you may see",
        description=(
            "A province officer sees their province's reports, the ministry every province's."
        ),
        parameters=[
            OpenApiParameter("period", OpenApiTypes.STR, description="2026-03 or 2026-Q1."),
            OpenApiParameter("status", OpenApiTypes.STR, enum=ReportStatus.values),
            OpenApiParameter("province", OpenApiTypes.STR, description="Province code."),
        ],
        responses={200: ReportSerializer(many=True), 400: BAD_REQUEST},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        try:
            period = period_parse(params["period"]) if params.get("period") else None
            wanted_status = params.get("status") or None
            if wanted_status is not None and wanted_status not in ReportStatus.values:
                raise ValidationError({"status": _("Trạng thái báo cáo không hợp lệ.")})
            province = _province(params["province"]) if params.get("province") else None
        except ValidationError as error:
            return _refusal(error)
        reports = selectors.report_list(
            user=_user(request), period=period, status=wanted_status, province=province
        )
        page = self.paginate_queryset(reports)
        return self.get_paginated_response(ReportSerializer(page, many=True).data)

    @extend_schema(
        operation_id="reports_create",
        summary="Open a draft report for your province and a period",
        request=ReportCreateSerializer,
        responses={201: ReportSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def post(self, request: Request) -> Response:
        user = _user(request)
        serializer = ReportCreateSerializer(data=request.data)
        if not serializer.is_valid():
            return _invalid(serializer)
        data = dict(serializer.validated_data)
        try:
            province = _province(data.pop("province"))
            period = period_parse(data.pop("period"))
        except ValidationError as error:
            return _refusal(error)

        def create() -> ProvincialReport:
            with transaction.atomic():
                report = services.report_open(user=user, province=province, period=period)
                if data:
                    report = services.report_update(user=user, report=report, **data)
            return report

        return _answer(create, status.HTTP_201_CREATED)


def _province(code: str) -> AdministrativeUnit:
    province = AdministrativeUnit.objects.current().filter(level="province", code=code).first()
    if province is None:
        raise ValidationError({"province": _("Không có tỉnh / thành phố hiện hành với mã này.")})
    return province


class ReportDetailView(GenericAPIView[ProvincialReport]):
    permission_classes = [IsAuthenticated]
    serializer_class = ReportSerializer

    @extend_schema(summary="One report", responses={200: ReportSerializer, 404: NOT_FOUND})
    def get(self, request: Request, pk: int) -> Response:
        report = selectors.report_get(user=_user(request), pk=pk)
        if report is None:
            raise Http404
        return Response(ReportSerializer(report).data)

    @extend_schema(
        summary="Change the narrative of a draft or returned report",
        request=NarrativeSerializer,
        responses={200: ReportSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def patch(self, request: Request, pk: int) -> Response:
        user = _user(request)
        report = editable_reports(user).filter(pk=pk).first()
        if report is None:
            raise Http404
        serializer = NarrativeSerializer(data=request.data)
        if not serializer.is_valid():
            return _invalid(serializer)
        return _answer(
            lambda: services.report_update(user=user, report=report, **serializer.validated_data)
        )


class ReportSubmitView(GenericAPIView[ProvincialReport]):
    permission_classes = [IsAuthenticated]
    serializer_class = ReportSerializer

    @extend_schema(
        operation_id="reports_submit",
        summary="Submit a draft or returned report to the ministry (freezes its figures)",
        request=None,
        responses={200: ReportSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        report = editable_reports(user).filter(pk=pk).first()
        if report is None:
            raise Http404
        return _answer(lambda: services.report_submit(user=user, report=report))


class ReportApproveView(GenericAPIView[ProvincialReport]):
    permission_classes = [IsAuthenticated]
    serializer_class = ReportSerializer

    @extend_schema(
        operation_id="reports_approve",
        summary="Approve a submitted report (the ministry)",
        request=None,
        responses={200: ReportSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        report = decidable_reports(user).filter(pk=pk).first()
        if report is None:
            return _not_decidable(user, pk)
        return _answer(lambda: services.report_approve(user=user, report=report))


class ReportReturnView(GenericAPIView[ProvincialReport]):
    permission_classes = [IsAuthenticated]
    serializer_class = ReturnSerializer

    @extend_schema(
        operation_id="reports_return",
        summary="Return a submitted report to the province with a comment (the ministry)",
        request=ReturnSerializer,
        responses={200: ReportSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        report = decidable_reports(user).filter(pk=pk).first()
        if report is None:
            return _not_decidable(user, pk)
        serializer = ReturnSerializer(data=request.data)
        if not serializer.is_valid():
            return _invalid(serializer)
        comment = serializer.validated_data["comment"]
        return _answer(lambda: services.report_return(user=user, report=report, comment=comment))


def _not_decidable(user: User, pk: int) -> Response:
    """A province officer asking to approve their own report is told why; anyone else who
    cannot see the report gets a 404."""
    if selectors.report_get(user=user, pk=pk) is None:
        raise Http404
    return Response(
        {"detail": _("Chỉ Bộ mới duyệt hoặc trả lại báo cáo.")}, status=status.HTTP_403_FORBIDDEN
    )
