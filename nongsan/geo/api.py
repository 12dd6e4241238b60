"""REST endpoints for administrative units: search, detail with history, address resolution.

Thin on purpose: each endpoint parses its parameters with :mod:`nongsan.geo.filters` (the same
messages as the pages), calls one selector or the resolver, and serializes the answer.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response

from nongsan.common.api import ErrorSerializer
from nongsan.geo import selectors
from nongsan.geo.address import MAX_ADDRESS_LENGTH, STATUS_INVALID, resolve_address
from nongsan.geo.filters import MAX_QUERY_LENGTH, InvalidQuery, parse_day, parse_level, parse_search
from nongsan.geo.models import AdministrativeUnit, UnitLevel
from nongsan.geo.serializers import (
    AddressResolutionSerializer,
    AdministrativeUnitDetailSerializer,
    AdministrativeUnitSerializer,
)

MAX_CANDIDATES = 20

VALID_ON_PARAMETER = OpenApiParameter(
    "valid_on",
    OpenApiTypes.DATE,
    description=(
        "The day the units must have been valid on, YYYY-MM-DD; today in Vietnam when absent. "
        "Codes are reused across the 2025 reform: 24 is Bắc Giang on 2025-01-01 and Bắc Ninh "
        "on 2025-08-01."
    ),
)
LEVEL_PARAMETER = OpenApiParameter(
    "level",
    OpenApiTypes.STR,
    enum=UnitLevel.values,
    description="province, district (legacy geography only) or commune.",
)
BAD_REQUEST = OpenApiResponse(ErrorSerializer, description="A parameter could not be understood.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No unit had this code on that day.")


def _refusal(error: InvalidQuery) -> Response:
    """A 400 answer naming the refused parameter."""
    return Response(
        {"detail": error.message, "parameter": error.parameter},
        status=status.HTTP_400_BAD_REQUEST,
    )


class UnitPagination(LimitOffsetPagination):
    """Offset pages of at most 500 units, so one request cannot ask for the whole country."""

    default_limit = 50
    max_limit = 500


class AdministrativeUnitListView(GenericAPIView[AdministrativeUnit]):
    """Search administrative units by folded name or code, on a given day."""

    serializer_class = AdministrativeUnitSerializer
    pagination_class = UnitPagination
    filter_backends: list[Any] = []

    @extend_schema(
        operation_id="admin_units_list",
        summary="Search administrative units",
        description=(
            "Units valid on `valid_on`, searched without diacritics (`luc ngan` finds Lục Ngạn) "
            "or by the start of the code, ranked exact match first, then names starting with "
            "the query, then in Vietnamese alphabetical order."
        ),
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                description=(
                    "Search text, with or without diacritics, at most "
                    f"{MAX_QUERY_LENGTH} characters."
                ),
            ),
            LEVEL_PARAMETER,
            VALID_ON_PARAMETER,
            OpenApiParameter(
                "parent",
                OpenApiTypes.STR,
                description=(
                    "Code of a unit valid on the same day: only units under it are listed "
                    "(directly, or through a legacy district)."
                ),
            ),
        ],
        responses={200: AdministrativeUnitSerializer(many=True), 400: BAD_REQUEST},
    )
    def get(self, request: Request) -> Response:
        try:
            q = parse_search(request.query_params.get("q"))
            level = parse_level(request.query_params.get("level"))
            day = parse_day(request.query_params.get("valid_on"))
            parent = self._parent(request.query_params.get("parent"), day)
        except InvalidQuery as error:
            return _refusal(error)
        units = selectors.unit_list(
            q=q, level=level, valid_on=day, parent=parent, user=request.user
        )
        page = self.paginate_queryset(units)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    def _parent(self, code: str | None, day: datetime.date | None) -> AdministrativeUnit | None:
        """The unit named by ``?parent=``; an unknown one is refused, not ignored."""
        if code is None or not code.strip():
            return None
        try:
            return selectors.unit_get(code=code, valid_on=day, user=self.request.user)
        except AdministrativeUnit.DoesNotExist as error:
            raise InvalidQuery("parent", str(error)) from error


class AdministrativeUnitDetailView(GenericAPIView[AdministrativeUnit]):
    """One administrative unit on a given day, with what it came from and went into."""

    serializer_class = AdministrativeUnitDetailSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    @extend_schema(
        operation_id="admin_units_retrieve",
        summary="An administrative unit with its history",
        description=(
            "The unit that had `code` on `valid_on`, its parent and province, the units it "
            "came from (`predecessors`) and went into (`successors`) with the kind of change "
            "and whether only part of a unit moved, its dated names, and for a current commune "
            "the legacy districts it lies in."
        ),
        parameters=[
            OpenApiParameter(
                "code",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="2 digits for a province, 3 for a legacy district, 5 for a commune.",
            ),
            VALID_ON_PARAMETER,
            LEVEL_PARAMETER,
        ],
        responses={200: AdministrativeUnitDetailSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def get(self, request: Request, code: str) -> Response:
        try:
            level = parse_level(request.query_params.get("level"))
            day = parse_day(request.query_params.get("valid_on"))
        except InvalidQuery as error:
            return _refusal(error)
        try:
            unit = selectors.unit_get(code=code, level=level, valid_on=day, user=request.user)
        except AdministrativeUnit.DoesNotExist as error:
            return Response({"detail": str(error)}, status=status.HTTP_404_NOT_FOUND)
        serializer = self.get_serializer(selectors.unit_history(unit))
        return Response(serializer.data)


class AddressResolveView(GenericAPIView[AdministrativeUnit]):
    """Free-text address to current communes with a confidence each."""

    serializer_class = AddressResolutionSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    @extend_schema(
        operation_id="admin_units_resolve",
        summary="Resolve a free-text address to current communes",
        description=(
            "Addresses as people write them, with or without diacritics, abbreviated "
            "(`X.`, `P.`, `H.`, `TP.` …), in the legacy or the current geography. A legacy "
            "commune that was split returns every successor with `needs_choice`; equal matches "
            "come back as ranked candidates, never as a silent guess."
        ),
        parameters=[
            OpenApiParameter(
                "address",
                OpenApiTypes.STR,
                required=True,
                description=f"The address, at most {MAX_ADDRESS_LENGTH} characters.",
                examples=[
                    OpenApiExample(
                        "legacy", value="thôn Kép, xã Hồng Giang, h. Lục Ngạn, Bắc Giang"
                    ),
                    OpenApiExample("no diacritics", value="xa nghia phuong, tinh bac ninh"),
                ],
            ),
            OpenApiParameter(
                "valid_on",
                OpenApiTypes.DATE,
                description=(
                    "The day the address was written, YYYY-MM-DD: names of the geography valid "
                    "then win when a reading is ambiguous. Candidates are always current "
                    "communes."
                ),
            ),
            OpenApiParameter(
                "limit",
                OpenApiTypes.INT,
                description=f"How many candidates at most, 1 to {MAX_CANDIDATES}; 5 if absent.",
            ),
        ],
        responses={200: AddressResolutionSerializer, 400: BAD_REQUEST},
    )
    def get(self, request: Request) -> Response:
        try:
            address = self._address(request.query_params.get("address"))
            day = parse_day(request.query_params.get("valid_on"))
            limit = self._limit(request.query_params.get("limit"))
        except InvalidQuery as error:
            return _refusal(error)
        resolution = resolve_address(address, on=day, limit=limit)
        if resolution.status == STATUS_INVALID:
            return _refusal(InvalidQuery("address", resolution.message))
        return Response(self.get_serializer(resolution).data)

    @staticmethod
    def _address(raw: str | None) -> str:
        """The address text, refused when missing, blank or too long to be an address."""
        if raw is None or not raw.strip():
            raise InvalidQuery("address", _("Hãy nhập địa chỉ cần tra cứu (tham số address)."))
        if len(raw) > MAX_ADDRESS_LENGTH:
            raise InvalidQuery(
                "address",
                _("Địa chỉ quá dài: tối đa %(limit)d ký tự.") % {"limit": MAX_ADDRESS_LENGTH},
            )
        return raw

    @staticmethod
    def _limit(raw: str | None) -> int:
        """How many candidates to return, between 1 and :data:`MAX_CANDIDATES`."""
        if raw is None or not raw.strip():
            return 5
        if raw.strip().isdigit() and 1 <= int(raw) <= MAX_CANDIDATES:
            return int(raw)
        raise InvalidQuery(
            "limit",
            _("Số ứng viên “%(value)s” không hợp lệ: cần một số từ 1 đến %(limit)d.")
            % {"value": raw.strip()[:20], "limit": MAX_CANDIDATES},
        )
