"""REST endpoints of the registry for partners and provinces: households and cooperatives.

Thin: parse, call one selector or service, serialize. Creating a household is idempotent: a
retried request with the same ``Idempotency-Key`` header, or the same ``external_reference``,
answers the household already created instead of registering it twice.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
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
from nongsan.producers import selectors, services
from nongsan.producers.models import CertificationKind, Household, HouseholdCreateRequest
from nongsan.producers.permissions import editable_households, visible_households
from nongsan.producers.serializers import (
    CooperativeSerializer,
    HouseholdSerializer,
    HouseholdUpdateSerializer,
    HouseholdWriteSerializer,
)

BAD_REQUEST = OpenApiResponse(ErrorSerializer, description="The data were refused; see errors.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such household in your area.")


class RegistryPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 500


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


def _with_details(households: QuerySet[Household]) -> QuerySet[Household]:
    return households.select_related("commune", "province").prefetch_related(
        "extra_phones", "certifications", "growing_area_codes", "consent_purposes"
    )


def _commune(code: str | None) -> AdministrativeUnit | None:
    if not code:
        return None
    return (
        AdministrativeUnit.objects.select_related("province")
        .filter(level="commune", valid_until__isnull=True, code=code)
        .first()
    )


HOUSEHOLD_FILTERS = [
    OpenApiParameter(
        "q", OpenApiTypes.STR, description="Name or village without diacritics, or phone digits."
    ),
    OpenApiParameter("commune", OpenApiTypes.STR, description="Code of a current commune."),
    OpenApiParameter(
        "certification",
        OpenApiTypes.STR,
        enum=CertificationKind.values,
        description="Only households with a certificate of this kind valid today.",
    ),
]


class HouseholdListView(GenericAPIView[Household]):
    """Households of the caller's area, and registration of new ones."""

    permission_classes = [IsAuthenticated]
    serializer_class = HouseholdSerializer
    pagination_class = RegistryPagination
    filter_backends: list[Any] = []

    @extend_schema(
        operation_id="households_list",
        summary="List households in your area",
        description=(
            "Active households the caller may see (officers: their area; partners: the "
            "households they registered that also consent to partner sharing), newest first, "
            "that consent to the registry. The citizen ID is only ever returned masked."
        ),
        parameters=HOUSEHOLD_FILTERS,
        responses={200: HouseholdSerializer(many=True), 400: BAD_REQUEST},
    )
    def get(self, request: Request) -> Response:
        commune = None
        if request.query_params.get("commune"):
            commune = _commune(request.query_params["commune"])
            if commune is None:
                return _refusal(
                    ValidationError({"commune": _("Không có xã, phường hiện hành với mã này.")})
                )
        certification = request.query_params.get("certification", "")
        if certification and certification not in CertificationKind.values:
            return _refusal(ValidationError({"certification": _("Loại chứng nhận không hợp lệ.")}))
        households = _with_details(
            selectors.households_shared_with(
                request.user,
                selectors.household_list(
                    user=request.user,
                    query=request.query_params.get("q", ""),
                    commune=commune,
                    certification=certification,
                ),
            )
        )
        page = self.paginate_queryset(households)
        return self.get_paginated_response(HouseholdSerializer(page, many=True).data)

    @extend_schema(
        operation_id="households_create",
        summary="Register a household with its consent",
        description=(
            "Registers a household in a current commune. The consent must include the "
            "`registry` purpose. Send an `Idempotency-Key` header (or an `external_reference`) "
            "so that a retried request returns the household already created (200) instead "
            "of a second one; the same key with a different body is refused (422). A possible "
            "duplicate of an existing household is flagged for officers to merge."
        ),
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                OpenApiTypes.STR,
                location=OpenApiParameter.HEADER,
                description="Any unique text of at most 100 characters per request you mean once.",
            )
        ],
        request=HouseholdWriteSerializer,
        responses={
            201: HouseholdSerializer,
            200: OpenApiResponse(
                HouseholdSerializer, description="A retry: the household created before."
            ),
            400: BAD_REQUEST,
            403: OpenApiResponse(
                ErrorSerializer, description="You may not register in this commune."
            ),
            422: OpenApiResponse(
                ErrorSerializer, description="Idempotency key reused with another body."
            ),
        },
    )
    def post(self, request: Request) -> Response:
        user = _user(request)
        key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        if len(key) > MAX_KEY_LENGTH:
            return _refusal(
                ValidationError({"idempotency_key": _("Khoá chống trùng dài tối đa 100 ký tự.")})
            )
        digest = request_digest(request.data)
        if key:
            previous = HouseholdCreateRequest.objects.filter(user=user, key=key).first()
            if previous is not None:
                return self._replay(previous, digest)
        serializer = HouseholdWriteSerializer(data=request.data)
        if not serializer.is_valid():
            return Response(
                {"detail": _("Dữ liệu gửi lên không hợp lệ."), "errors": serializer.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        data = serializer.validated_data
        reference = data.get("external_reference", "").strip()
        if reference:
            existing = Household.objects.filter(
                registered_by=user, external_reference=reference
            ).first()
            if existing is not None:
                return self._answer(existing, status.HTTP_200_OK)
        commune = _commune(data["commune"])
        if commune is None:
            return _refusal(
                ValidationError({"commune": _("Không có xã, phường hiện hành với mã này.")})
            )
        consent = data["consent"]
        try:
            with transaction.atomic():
                household = services.household_register(
                    registered_by=user,
                    head_name=data["head_name"],
                    phone=data["phone"],
                    extra_phones=data.get("extra_phones", []),
                    citizen_id=data.get("citizen_id", ""),
                    commune=commune,
                    address_as_written=data.get("address_as_written", ""),
                    village=data.get("village", ""),
                    main_produce=data.get("main_produce", ""),
                    farm_area_hectares=data.get("farm_area_hectares"),
                    bank_bin=data.get("bank_bin", ""),
                    bank_account_number=data.get("bank_account_number", ""),
                    bank_account_holder=data.get("bank_account_holder", ""),
                    external_reference=reference,
                    registered_via="api",
                    consent=services.ConsentInput(
                        purposes=consent["purposes"],
                        method=consent["method"],
                        data_types=consent.get("data_types", []),
                        given_at=consent.get("given_at"),
                        witness_name=consent.get("witness_name", ""),
                    ),
                )
                if key:
                    HouseholdCreateRequest.objects.create(
                        user=user, key=key, request_digest=digest, household=household
                    )
        except ValidationError as error:
            return _refusal(error)
        except PermissionDenied as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        except IntegrityError:
            # A concurrent retry won the race: answer what it created.
            previous = (
                HouseholdCreateRequest.objects.filter(user=user, key=key).first() if key else None
            )
            if previous is not None:
                return self._replay(previous, digest)
            existing = Household.objects.filter(
                registered_by=user, external_reference=reference
            ).first()
            if reference and existing is not None:
                return self._answer(existing, status.HTTP_200_OK)
            raise
        return self._answer(household, status.HTTP_201_CREATED)

    def _replay(self, previous: HouseholdCreateRequest, digest: str) -> Response:
        if previous.request_digest != digest:
            return Response(
                {"detail": _("Khoá chống trùng này đã dùng cho một yêu cầu khác.")},
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        response = self._answer(previous.household, status.HTTP_200_OK)
        response["Idempotent-Replayed"] = "true"
        return response

    def _answer(self, household: Household, code: int) -> Response:
        fresh = _with_details(Household.objects.filter(pk=household.pk)).get()
        return Response(HouseholdSerializer(fresh).data, status=code)


class HouseholdDetailView(GenericAPIView[Household]):
    permission_classes = [IsAuthenticated]
    serializer_class = HouseholdSerializer

    @extend_schema(
        operation_id="households_retrieve",
        summary="One household",
        responses={200: HouseholdSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        households = selectors.households_shared_with(
            request.user, visible_households(request.user)
        )
        household = get_object_or_404(_with_details(households), pk=pk)
        return Response(HouseholdSerializer(household).data)

    @extend_schema(
        operation_id="households_update",
        summary="Change a household",
        description=(
            "Only the fields sent change. Refused once the household withdrew its registry consent."
        ),
        request=HouseholdUpdateSerializer,
        responses={
            200: HouseholdSerializer,
            400: BAD_REQUEST,
            403: OpenApiResponse(ErrorSerializer),
            404: NOT_FOUND,
        },
    )
    def patch(self, request: Request, pk: int) -> Response:
        household = get_object_or_404(visible_households(request.user), pk=pk)
        if not editable_households(request.user).filter(pk=pk).exists():
            return Response(
                {"detail": _("Bạn không được sửa hồ sơ hộ này.")}, status=status.HTTP_403_FORBIDDEN
            )
        serializer = HouseholdUpdateSerializer(data=request.data, partial=True)
        if not serializer.is_valid():
            return Response(
                {"detail": _("Dữ liệu gửi lên không hợp lệ."), "errors": serializer.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        changes = dict(serializer.validated_data)
        if "commune" in changes:
            commune = _commune(changes["commune"])
            if commune is None:
                return _refusal(
                    ValidationError({"commune": _("Không có xã, phường hiện hành với mã này.")})
                )
            changes["commune"] = commune
        try:
            services.household_update(
                updated_by=_user(request), household=household, changes=changes
            )
        except ValidationError as error:
            return _refusal(error)
        except PermissionDenied as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        fresh = _with_details(Household.objects.filter(pk=pk)).get()
        return Response(HouseholdSerializer(fresh).data)


class CooperativeListView(GenericAPIView[Any]):
    permission_classes = [IsAuthenticated]
    serializer_class = CooperativeSerializer
    pagination_class = RegistryPagination
    filter_backends: list[Any] = []

    @extend_schema(
        operation_id="cooperatives_list",
        summary="List cooperatives in your area",
        parameters=[
            OpenApiParameter(
                "q", OpenApiTypes.STR, description="Name without diacritics or registration number."
            ),
            OpenApiParameter("commune", OpenApiTypes.STR, description="Code of a current commune."),
        ],
        responses={200: CooperativeSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        commune = _commune(request.query_params.get("commune"))
        if request.query_params.get("commune") and commune is None:
            return _refusal(
                ValidationError({"commune": _("Không có xã, phường hiện hành với mã này.")})
            )
        cooperatives = selectors.cooperative_list(
            user=request.user, query=request.query_params.get("q", ""), commune=commune
        ).annotate(member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
        page = self.paginate_queryset(cooperatives)
        return self.get_paginated_response(CooperativeSerializer(page, many=True).data)


class CooperativeDetailView(GenericAPIView[Any]):
    permission_classes = [IsAuthenticated]
    serializer_class = CooperativeSerializer

    @extend_schema(
        operation_id="cooperatives_retrieve",
        summary="One cooperative",
        responses={200: CooperativeSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        cooperatives = selectors.cooperative_list(user=request.user).annotate(
            member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True))
        )
        return Response(CooperativeSerializer(get_object_or_404(cooperatives, pk=pk)).data)
