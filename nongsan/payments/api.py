"""The bank/gateway webhook: a signed notice of a transfer received. Thin: verify, record."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nongsan.common.api import ErrorSerializer
from nongsan.payments.services import bank_notification_record
from nongsan.payments.webhook import SIGNATURE_HEADER, TIMESTAMP_HEADER, NoticeRefused, verify


class _RawJsonParser(BaseParser):
    """Leaves the body untouched: the signature is over the exact bytes sent."""

    media_type = "application/json"

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Any = None
    ) -> dict[str, Any]:
        return {}


class NoticeSerializer(serializers.Serializer[Any]):
    id = serializers.CharField(max_length=100)
    amount = serializers.IntegerField(min_value=1, help_text="Whole đồng.")
    description = serializers.CharField(
        help_text="The transfer description, with the order reference."
    )


class NoticeAnswerSerializer(serializers.Serializer[Any]):
    outcome = serializers.CharField()
    duplicate = serializers.BooleanField()


class PaymentWebhookView(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    parser_classes = [_RawJsonParser]

    @extend_schema(
        summary="A bank or gateway tells of a transfer received",
        description=(
            f"Sign `<{TIMESTAMP_HEADER}>.<raw body>` with HMAC-SHA256 and the shared secret; "
            "send the hex digest in "
            f"`{SIGNATURE_HEADER}` and the Unix time in `{TIMESTAMP_HEADER}`. Notices older "
            "than five minutes are refused; a repeated `id` is answered without crediting "
            "again. A wrong amount or unknown reference is kept for staff to reconcile."
        ),
        parameters=[
            OpenApiParameter(SIGNATURE_HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER),
            OpenApiParameter(TIMESTAMP_HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER),
        ],
        request=NoticeSerializer,
        responses={
            200: NoticeAnswerSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Malformed notice."),
            401: OpenApiResponse(ErrorSerializer, description="Bad signature or stale notice."),
        },
    )
    def post(self, request: Request) -> Response:
        try:
            notice = verify(
                body=request.body,
                timestamp=request.headers.get(TIMESTAMP_HEADER, ""),
                signature=request.headers.get(SIGNATURE_HEADER, ""),
                now=timezone.now(),
            )
        except NoticeRefused as refused:
            return Response({"detail": str(refused)}, status=refused.status)
        record, is_new = bank_notification_record(
            notification_id=notice.notification_id,
            amount_vnd=notice.amount_vnd,
            description=notice.description,
            sent_at=notice.sent_at,
            body=notice.body,
        )
        return Response(
            {"outcome": record.outcome, "duplicate": not is_new}, status=status.HTTP_200_OK
        )
