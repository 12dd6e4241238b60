"""REST endpoints of exports: ask for a document in xlsx or PDF, poll the job, fetch the file.
Only the requester sees a job or its file; anyone else gets a 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from nongsan.accounts.models import User
from nongsan.common.api import ErrorSerializer
from nongsan.exports import services
from nongsan.exports.models import ExportFormat, ExportJob
from nongsan.exports.permissions import visible_export_jobs
from nongsan.exports.serializers import ExportJobSerializer, ExportRequestSerializer
from nongsan.exports.views import CONTENT_TYPES

NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such export of yours.")


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - IsAuthenticated guarantees it
    return user


class ExportCreateView(GenericAPIView[ExportJob]):
    permission_classes = [IsAuthenticated]
    serializer_class = ExportRequestSerializer

    @extend_schema(
        operation_id="exports_create",
        summary="Ask for a document as xlsx or PDF; it is made in the background",
        description="Poll the returned job until `status` is `done`, then fetch `download_url`.",
        request=ExportRequestSerializer,
        responses={
            202: ExportJobSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Unknown kind, format or params."),
            403: OpenApiResponse(ErrorSerializer, description="You may not have this document."),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = ExportRequestSerializer(data=request.data)
        if not serializer.is_valid():
            return Response(
                {"detail": _("Dữ liệu gửi lên không hợp lệ."), "errors": serializer.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        data = serializer.validated_data
        try:
            job = services.export_request(
                user=_user(request), kind=data["kind"], params=data["params"], format=data["format"]
            )
        except ValidationError as error:
            errors = (
                error.message_dict
                if hasattr(error, "error_dict")
                else {"non_field_errors": error.messages}
            )
            detail = " ".join(message for messages in errors.values() for message in messages)
            return Response(
                {"detail": detail, "errors": errors}, status=status.HTTP_400_BAD_REQUEST
            )
        except PermissionDenied as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        job.refresh_from_db()
        return Response(ExportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ExportDetailView(GenericAPIView[ExportJob]):
    permission_classes = [IsAuthenticated]
    serializer_class = ExportJobSerializer

    @extend_schema(
        operation_id="exports_retrieve",
        summary="An export's status, and its download link once done",
        responses={200: ExportJobSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        job = visible_export_jobs(_user(request)).filter(pk=pk).first()
        if job is None:
            raise Http404
        return Response(ExportJobSerializer(job).data)


class ExportFileView(GenericAPIView[ExportJob]):
    permission_classes = [IsAuthenticated]
    serializer_class = ExportJobSerializer

    @extend_schema(
        operation_id="exports_file",
        summary="The exported file (only its requester, until it expires)",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        job = visible_export_jobs(_user(request)).filter(pk=pk).first()
        if job is None or not services.export_downloadable(job):
            raise Http404
        return FileResponse(
            job.file.open("rb"),
            as_attachment=True,
            filename=job.download_name,
            content_type=CONTENT_TYPES[ExportFormat(job.format)],
        )
