"""REST endpoints of the catalog: produce types, the listing search (the same ranking as the
marketplace pages), one listing, lots by their printed code; sellers and the assistants of
households create and change listings. Thin: parse, call one selector or service, serialize.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from nongsan.accounts.models import User
from nongsan.catalog import selectors, services
from nongsan.catalog.models import Listing, ListingCreateRequest, ListingStatus, ProduceCategory
from nongsan.catalog.permissions import editable_listings, visible_listings
from nongsan.catalog.search import (
    MAX_PAGE_SIZE,
    Sort,
    listing_search,
    search_arguments,
    with_card_details,
)
from nongsan.catalog.serializers import (
    ListingSerializer,
    ListingUpdateSerializer,
    ListingWriteSerializer,
    LotSerializer,
    ProduceTypeSerializer,
)
from nongsan.common.api import IDEMPOTENCY_HEADER, MAX_KEY_LENGTH, ErrorSerializer, request_digest
from nongsan.producers.models import CertificationKind
from nongsan.producers.permissions import visible_cooperatives, visible_households

BAD_REQUEST = OpenApiResponse(ErrorSerializer, description="The data were refused; see errors.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such listing that you may see.")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="You may not change this listing.")


def _refusal(error: ValidationError, code: int = status.HTTP_400_BAD_REQUEST) -> Response:
    errors = (
        error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    )
    detail = " ".join(message for messages in errors.values() for message in messages)
    body: dict[str, Any] = {"detail": detail, "errors": errors}
    if len(errors) == 1 and hasattr(error, "error_dict"):
        body["parameter"] = next(iter(errors))
    return Response(body, status=code)


def _invalid(serializer: drf_serializers.Serializer[Any]) -> Response:
    return Response(
        {"detail": _("Dữ liệu gửi lên không hợp lệ."), "errors": serializer.errors},
        status=status.HTTP_400_BAD_REQUEST,
    )


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - IsAuthenticated guarantees it
    return user


def _fresh(pk: int) -> Listing:
    return with_card_details(Listing.objects.filter(pk=pk)).get()


class ProduceTypePagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = 500


class ProduceTypeListView(GenericAPIView[Any]):
    permission_classes = [AllowAny]
    serializer_class = ProduceTypeSerializer
    pagination_class = ProduceTypePagination
    filter_backends: list[Any] = []

    @extend_schema(
        operation_id="produce_types_list",
        summary="Produce types of the catalog",
        description="Active produce types; `q` matches any name or synonym without diacritics.",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Name or synonym, e.g. `khom`."),
            OpenApiParameter("category", OpenApiTypes.STR, enum=ProduceCategory.values),
        ],
        responses={200: ProduceTypeSerializer(many=True), 400: BAD_REQUEST},
    )
    def get(self, request: Request) -> Response:
        category = request.query_params.get("category", "")
        if category and category not in ProduceCategory.values:
            return _refusal(ValidationError({"category": _("Nhóm sản phẩm không hợp lệ.")}))
        try:
            types = selectors.produce_type_list(
                query=request.query_params.get("q", ""), category=category
            )
        except ValidationError as error:
            return _refusal(error)
        page = self.paginate_queryset(types)
        return self.get_paginated_response(ProduceTypeSerializer(page, many=True).data)


class SearchPageSerializer(drf_serializers.Serializer[Any]):
    count = drf_serializers.IntegerField()
    count_is_capped = drf_serializers.BooleanField(
        help_text="true when more listings match than are counted: count is then a lower"
        " bound (1000), pages stop there and facets count the 1000 best matches"
    )
    page = drf_serializers.IntegerField()
    page_size = drf_serializers.IntegerField()
    page_count = drf_serializers.IntegerField()
    results = ListingSerializer(many=True)
    facets = drf_serializers.DictField(
        child=drf_serializers.DictField(), help_text="province, category, certification counts"
    )


LISTING_FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Words, with or without diacritics."),
    OpenApiParameter("province", OpenApiTypes.STR, description="Code of a current province."),
    OpenApiParameter("commune", OpenApiTypes.STR, description="Code of a current commune."),
    OpenApiParameter("category", OpenApiTypes.STR, enum=ProduceCategory.values),
    OpenApiParameter("certification", OpenApiTypes.STR, enum=CertificationKind.values),
    OpenApiParameter("in_season", OpenApiTypes.BOOL, description="Harvest window includes today."),
    OpenApiParameter("price_min", OpenApiTypes.INT, description="Đồng per unit."),
    OpenApiParameter("price_max", OpenApiTypes.INT, description="Đồng per unit."),
    OpenApiParameter("household", OpenApiTypes.INT, description="Selling household id."),
    OpenApiParameter("cooperative", OpenApiTypes.INT, description="Selling cooperative id."),
    OpenApiParameter("sort", OpenApiTypes.STR, enum=list(Sort.ALL)),
    OpenApiParameter(
        "mine",
        OpenApiTypes.BOOL,
        description="Listings you may change, in every status (drafts, paused, expired).",
    ),
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("page_size", OpenApiTypes.INT, description=f"At most {MAX_PAGE_SIZE}."),
]


class ListingListView(GenericAPIView[Any]):
    permission_classes = [AllowAny]
    serializer_class = ListingSerializer
    filter_backends: list[Any] = []

    def get_permissions(self) -> list[Any]:
        if self.request.method == "POST":
            return [IsAuthenticated()]
        return [AllowAny()]

    @extend_schema(
        operation_id="listings_search",
        summary="Search listings on sale",
        description=(
            "Listings on sale, ranked as on the marketplace pages: words match the start of "
            "words in the title, the produce type's names and synonyms, or the description, "
            "without diacritics; in season and certified first among equals."
        ),
        parameters=LISTING_FILTERS,
        responses={200: SearchPageSerializer, 400: BAD_REQUEST},
    )
    def get(self, request: Request) -> Response:
        base = None
        if request.query_params.get("mine", "") in ("1", "true"):
            if not request.user.is_authenticated:
                return Response(
                    {"detail": _("Hãy đăng nhập để xem các tin đăng bạn quản lý.")},
                    status=status.HTTP_403_FORBIDDEN,
                )
            base = editable_listings(request.user)
        try:
            result = listing_search(**search_arguments(request.query_params), base=base)
        except ValidationError as error:
            return _refusal(error)
        facets = {key: value for key, value in result.facets.items() if key != "province_names"}
        return Response(
            {
                "count": result.total,
                "count_is_capped": result.total_is_capped,
                "page": result.page,
                "page_size": result.page_size,
                "page_count": result.page_count,
                "results": ListingSerializer(result.listings, many=True).data,
                "facets": facets,
            }
        )

    @extend_schema(
        operation_id="listings_create",
        summary="List produce for a household or a cooperative",
        description=(
            "The household's own account, an assistant assigned to it, the cooperative's "
            "manager or an officer of the area creates a draft (or, with `publish`, a listing "
            "on sale). The household must have agreed to selling on the marketplace."
        ),
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                OpenApiTypes.STR,
                location=OpenApiParameter.HEADER,
                description="Any unique text of at most 100 characters per listing you mean once.",
            )
        ],
        request=ListingWriteSerializer,
        responses={
            201: ListingSerializer,
            200: OpenApiResponse(
                ListingSerializer, description="A retry: the listing made before."
            ),
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
            422: OpenApiResponse(ErrorSerializer, description="Key reused with another body."),
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
            previous = ListingCreateRequest.objects.filter(user=user, key=key).first()
            if previous is not None:
                return self._replay(previous, digest)
        serializer = ListingWriteSerializer(data=request.data)
        if not serializer.is_valid():
            return _invalid(serializer)
        data = dict(serializer.validated_data)
        if ("household" in data) == ("cooperative" in data):
            return _refusal(
                ValidationError({"household": _("Hãy chọn đúng một hộ hoặc một hợp tác xã bán.")})
            )
        sellers: dict[str, Any] = {}
        if "household" in data:
            sellers["household"] = get_object_or_404(
                visible_households(user), pk=data.pop("household")
            )
        else:
            sellers["cooperative"] = get_object_or_404(
                visible_cooperatives(user), pk=data.pop("cooperative")
            )
        if "grower" in data:
            if "cooperative" not in sellers:
                return _refusal(
                    ValidationError({"grower": _("Chỉ hợp tác xã mới bán thay hộ thành viên.")})
                )
            grower = sellers["cooperative"].members.filter(pk=data.pop("grower")).first()
            if grower is None:
                return _refusal(
                    ValidationError(
                        {"grower": _("Hộ này không phải thành viên mà hợp tác xã được bán thay.")}
                    )
                )
            sellers["grower"] = grower
        publish = data.pop("publish", False)
        if "price_tiers" in data:
            data["price_tiers"] = [dict(tier) for tier in data["price_tiers"]]
        try:
            with transaction.atomic():
                listing = services.listing_create(created_by=user, **sellers, **data)
                if publish:
                    listing = services.listing_publish(published_by=user, listing=listing)
                if key:
                    ListingCreateRequest.objects.create(
                        user=user, key=key, request_digest=digest, listing=listing
                    )
        except ValidationError as error:
            return _refusal(error)
        except PermissionDenied as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        except IntegrityError:
            # A concurrent retry with the same key won the race: answer what it created.
            previous = ListingCreateRequest.objects.filter(user=user, key=key).first()
            if key and previous is not None:
                return self._replay(previous, digest)
            raise
        return Response(ListingSerializer(_fresh(listing.pk)).data, status=status.HTTP_201_CREATED)

    def _replay(self, previous: ListingCreateRequest, digest: str) -> Response:
        if previous.request_digest != digest:
            return Response(
                {"detail": _("Khoá chống trùng này đã dùng cho một yêu cầu khác.")},
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        response = Response(ListingSerializer(_fresh(previous.listing_id)).data)
        response["Idempotent-Replayed"] = "true"
        return response


class ListingDetailView(GenericAPIView[Any]):
    permission_classes = [AllowAny]
    serializer_class = ListingSerializer

    def get_permissions(self) -> list[Any]:
        if self.request.method == "PATCH":
            return [IsAuthenticated()]
        return [AllowAny()]

    @extend_schema(
        operation_id="listings_retrieve",
        summary="One listing",
        description="A listing on sale, or one of yours (drafts, paused) or of your area.",
        responses={200: ListingSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(ListingSerializer(selectors.listing_get(user=request.user, pk=pk)).data)

    @extend_schema(
        operation_id="listings_update",
        summary="Change, publish or pause a listing",
        description="Only the fields sent change; `status` `active` publishes, `paused` pauses.",
        request=ListingUpdateSerializer,
        responses={200: ListingSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def patch(self, request: Request, pk: int) -> Response:
        user = _user(request)
        listing = get_object_or_404(visible_listings(user), pk=pk)
        if not editable_listings(user).filter(pk=pk).exists():
            return Response(
                {"detail": _("Bạn không được sửa tin đăng này.")}, status=status.HTTP_403_FORBIDDEN
            )
        serializer = ListingUpdateSerializer(data=request.data, partial=True)
        if not serializer.is_valid():
            return _invalid(serializer)
        changes = dict(serializer.validated_data)
        new_status = changes.pop("status", None)
        if "price_tiers" in changes:
            changes["price_tiers"] = [dict(tier) for tier in changes["price_tiers"]]
        try:
            with transaction.atomic():
                if changes:
                    listing = services.listing_update(
                        updated_by=user, listing=listing, changes=changes
                    )
                if new_status == ListingStatus.ACTIVE:
                    services.listing_publish(published_by=user, listing=listing)
                elif new_status == ListingStatus.PAUSED:
                    services.listing_pause(paused_by=user, listing=listing)
        except ValidationError as error:
            return _refusal(error)
        except PermissionDenied as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        return Response(ListingSerializer(_fresh(pk)).data)


class LotDetailView(GenericAPIView[Any]):
    permission_classes = [AllowAny]
    serializer_class = LotSerializer

    @extend_schema(
        operation_id="lots_retrieve",
        summary="A lot by its printed code (traceability)",
        responses={200: LotSerializer, 404: OpenApiResponse(ErrorSerializer)},
    )
    def get(self, request: Request, code: str) -> Response:
        return Response(LotSerializer(selectors.lot_get(user=request.user, code=code)).data)


class LotCreateSerializer(drf_serializers.Serializer[Any]):
    harvested_on = drf_serializers.DateField()
    quantity = drf_serializers.DecimalField(max_digits=12, decimal_places=3)
    code = drf_serializers.CharField(max_length=40, required=False, allow_blank=True)


class ListingLotCreateView(GenericAPIView[Any]):
    permission_classes = [IsAuthenticated]
    serializer_class = LotSerializer

    @extend_schema(
        operation_id="listings_lots_create",
        summary="Record a harvest lot of a listing",
        description="A code is made when none is sent; it is what the label's QR code names.",
        request=LotCreateSerializer,
        responses={201: LotSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        listing = get_object_or_404(visible_listings(user), pk=pk)
        serializer = LotCreateSerializer(data=request.data)
        if not serializer.is_valid():
            return _invalid(serializer)
        try:
            lot = services.lot_create(created_by=user, listing=listing, **serializer.validated_data)
        except ValidationError as error:
            return _refusal(error)
        except PermissionDenied as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        fresh = selectors.lot_get(user=user, code=lot.code)
        return Response(LotSerializer(fresh).data, status=status.HTTP_201_CREATED)


class PhotoUploadSerializer(drf_serializers.Serializer[Any]):
    photo = drf_serializers.FileField(help_text="JPEG, PNG or WebP, at most 10 MB.")


class ListingPhotoCreateView(GenericAPIView[Any]):
    permission_classes = [IsAuthenticated]
    serializer_class = ListingSerializer
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="listings_photos_create",
        summary="Add a photo to a listing",
        description=(
            "Checked, turned upright, stripped of EXIF and GPS, stored as 320 and 800 px WebP. "
            "Answers the listing with its photos."
        ),
        request={"multipart/form-data": PhotoUploadSerializer},
        responses={201: ListingSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        listing = get_object_or_404(visible_listings(user), pk=pk)
        upload = request.FILES.get("photo")
        try:
            if upload is None:
                raise ValidationError({"photo": [_("Hãy chọn một ảnh.")]})
            services.listing_photo_add(added_by=user, listing=listing, upload=upload)
        except ValidationError as error:
            return _refusal(error)
        except PermissionDenied as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        return Response(ListingSerializer(_fresh(pk)).data, status=status.HTTP_201_CREATED)
