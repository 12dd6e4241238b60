"""REST endpoints of trade: buy requests and their ranked matches, supply offers, offers
(make, accept, counter, reject) and deals (share contact, reveal it, place the order).
Thin: parse, call one service or selector, serialize. Reads start from the visible_* sets."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from nongsan.accounts.models import User
from nongsan.catalog.models import Listing
from nongsan.common.api import ErrorSerializer
from nongsan.geo.models import AdministrativeUnit
from nongsan.harvests.models import HarvestAnnouncement
from nongsan.producers.models import Cooperative, Household
from nongsan.trade import selectors, services
from nongsan.trade.models import BuyRequest, Deal, Offer, SupplyOffer
from nongsan.trade.serializers import (
    BuyRequestSerializer,
    BuyRequestWriteSerializer,
    ContactSerializer,
    DealOrderSerializer,
    DealSerializer,
    MatchesSerializer,
    OfferAnswerSerializer,
    OfferSerializer,
    OfferWriteSerializer,
    SupplyOfferSerializer,
    SupplyOfferWriteSerializer,
)

BAD_REQUEST = OpenApiResponse(ErrorSerializer, description="The data were refused; see errors.")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="Not yours to do.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Nothing such that you may see.")


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


def _invalid(errors: Any) -> Response:
    return Response(
        {"detail": _("Dữ liệu gửi lên không hợp lệ."), "errors": errors},
        status=status.HTTP_400_BAD_REQUEST,
    )


def _forbidden(error: PermissionDenied) -> Response:
    return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)


def _unit(level: str, code: str) -> AdministrativeUnit | None:
    return AdministrativeUnit.objects.filter(
        level=level, valid_until__isnull=True, code=code
    ).first()


class Pagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200


class BuyRequestListView(GenericAPIView[BuyRequest]):
    permission_classes = [IsAuthenticated]
    serializer_class = BuyRequestSerializer
    pagination_class = Pagination
    queryset = BuyRequest.objects.none()  # for the schema only

    @extend_schema(
        summary="Buy requests you may see (yours, those targeting where you sell, your area)",
        operation_id="buy_requests_list",
        responses=BuyRequestSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        rows = selectors.buy_request_list(_user(request))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(BuyRequestSerializer(page, many=True).data)

    @extend_schema(
        summary="Post a buy request (traders and businesses)",
        description=(
            "Produce types by id, slug or any name or synonym (a name fitting several types "
            "is refused). Leave the highest price empty for 'make me an offer'. Sellers whose "
            "supply matches best are told by SMS."
        ),
        request=BuyRequestWriteSerializer,
        responses={201: BuyRequestSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def post(self, request: Request) -> Response:
        serializer = BuyRequestWriteSerializer(data=request.data)
        if not serializer.is_valid():
            return _invalid(serializer.errors)
        data = dict(serializer.validated_data)
        codes = data.pop("target_provinces", [])
        targets = [_unit("province", code) for code in codes]
        if any(target is None for target in targets):
            return _refusal(
                ValidationError({"target_provinces": _("Không có tỉnh hiện hành với mã này.")})
            )
        try:
            row = services.buy_request_create(
                buyer=_user(request),
                commune=_unit("commune", data.pop("commune")),
                target_provinces=[target for target in targets if target is not None],
                **data,
            )
        except ValidationError as error:
            return _refusal(error)
        except PermissionDenied as error:
            return _forbidden(error)
        row = selectors.buy_request_list(_user(request)).get(pk=row.pk)
        return Response(BuyRequestSerializer(row).data, status=status.HTTP_201_CREATED)


class BuyRequestDetailView(GenericAPIView[BuyRequest]):
    permission_classes = [IsAuthenticated]
    serializer_class = BuyRequestSerializer

    @extend_schema(summary="One buy request", responses={200: BuyRequestSerializer, 404: NOT_FOUND})
    def get(self, request: Request, pk: int) -> Response:
        row = selectors.buy_request_list(_user(request)).filter(pk=pk).first()
        if row is None:
            raise Http404
        return Response(BuyRequestSerializer(row).data)


class BuyRequestMatchesView(GenericAPIView[BuyRequest]):
    permission_classes = [IsAuthenticated]
    serializer_class = MatchesSerializer

    @extend_schema(
        summary="The request's 20 best supply matches, explained, and a bundle of small sellers",
        description=(
            "Supply offers, announced harvests and listings sold by the kg, ranked by produce "
            "(asked or alternative), quantity coverage, window overlap, distance from the "
            "delivery province, required certifications and seller reliability; each with its "
            "reasons in Vietnamese and English. Only the request's buyer sees its matches."
        ),
        responses={200: MatchesSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        user = _user(request)
        row = selectors.buy_request_list(user, mine=not user.is_superuser).filter(pk=pk).first()
        if row is None:
            raise Http404
        data = selectors.request_matches_view(row, today=timezone.localdate())
        return Response(MatchesSerializer(data).data)


class SupplyOfferListView(GenericAPIView[SupplyOffer]):
    permission_classes = [IsAuthenticated]
    serializer_class = SupplyOfferSerializer
    pagination_class = Pagination
    queryset = SupplyOffer.objects.none()  # for the schema only

    @extend_schema(
        summary="Supply offers you may see (traders: all; sellers: theirs; officers: their area)",
        operation_id="supply_offers_list",
        responses=SupplyOfferSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.supply_offer_list(_user(request)))
        return self.get_paginated_response(SupplyOfferSerializer(page, many=True).data)

    @extend_schema(
        summary="Offer tonnes to traders, from a listing, an announced harvest, or on its own",
        request=SupplyOfferWriteSerializer,
        responses={201: SupplyOfferSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def post(self, request: Request) -> Response:
        serializer = SupplyOfferWriteSerializer(data=request.data)
        if not serializer.is_valid():
            return _invalid(serializer.errors)
        data = dict(serializer.validated_data)
        sources: dict[str, Any] = {
            "household": Household,
            "cooperative": Cooperative,
            "listing": Listing,
            "announcement": HarvestAnnouncement,
        }
        for name, model in sources.items():
            if name in data:
                data[name] = model.objects.filter(pk=data[name]).first()
                if data[name] is None:
                    return _refusal(ValidationError({name: _("Không tìm thấy.")}))
        if not any(data.get(name) for name in sources):
            return _refusal(
                ValidationError(
                    {"household": _("Hãy cho biết hộ, hợp tác xã, tin đăng hoặc đợt thu hoạch.")}
                )
            )
        if "produce_type" in data:
            try:
                data["produce_type"] = services.produce_types_resolve([data["produce_type"]])[0]
            except ValidationError as error:
                return _refusal(ValidationError({"produce_type": error.messages}))
        try:
            row = services.supply_offer_create(created_by=_user(request), **data)
        except ValidationError as error:
            return _refusal(error)
        except PermissionDenied as error:
            return _forbidden(error)
        return Response(SupplyOfferSerializer(row).data, status=status.HTTP_201_CREATED)


def _offer_response(user: User, pk: int, code: int = status.HTTP_200_OK) -> Response:
    row = selectors.offer_list(user).get(pk=pk)
    return Response(OfferSerializer(row, context={"now": timezone.now()}).data, status=code)


class OfferListView(GenericAPIView[Offer]):
    permission_classes = [IsAuthenticated]
    serializer_class = OfferSerializer
    pagination_class = Pagination
    queryset = Offer.objects.none()  # for the schema only

    @extend_schema(
        summary="Offers you made, received or follow (status as it reads now)",
        operation_id="offers_list",
        responses=OfferSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.offer_list(_user(request)))
        context = {"now": timezone.now()}
        return self.get_paginated_response(OfferSerializer(page, many=True, context=context).data)

    @extend_schema(
        summary="Make an offer to a matched seller (the request's buyer)",
        description="The seller has TRADE_OFFER_HOURS (48) hours to accept, counter or reject.",
        request=OfferWriteSerializer,
        responses={201: OfferSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        user = _user(request)
        serializer = OfferWriteSerializer(data=request.data)
        if not serializer.is_valid():
            return _invalid(serializer.errors)
        data = dict(serializer.validated_data)
        buy_request = selectors.buy_request_list(user).filter(pk=data.pop("buy_request")).first()
        if buy_request is None:
            raise Http404
        try:
            offer = services.offer_make(buyer=user, buy_request=buy_request, **data)
        except ValidationError as error:
            return _refusal(error)
        except PermissionDenied as error:
            return _forbidden(error)
        return _offer_response(user, offer.pk, status.HTTP_201_CREATED)


class OfferDetailView(GenericAPIView[Offer]):
    permission_classes = [IsAuthenticated]
    serializer_class = OfferSerializer

    @extend_schema(summary="One offer", responses={200: OfferSerializer, 404: NOT_FOUND})
    def get(self, request: Request, pk: int) -> Response:
        if not selectors.offer_list(_user(request)).filter(pk=pk).exists():
            raise Http404
        return _offer_response(_user(request), pk)


class OfferAnswerView(GenericAPIView[Offer]):
    permission_classes = [IsAuthenticated]
    serializer_class = OfferAnswerSerializer

    @extend_schema(
        summary="Accept, counter or reject an offer (the side that did not make it)",
        description="Accept returns the deal; counter returns the new offer; reject the offer.",
        request=OfferAnswerSerializer,
        responses={
            200: OfferSerializer,
            201: DealSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        offer = selectors.offer_list(user).filter(pk=pk).first()
        if offer is None:
            raise Http404
        serializer = OfferAnswerSerializer(data=request.data)
        if not serializer.is_valid():
            return _invalid(serializer.errors)
        data = dict(serializer.validated_data)
        action = data.pop("action")
        try:
            if action == "accept":
                deal = services.offer_accept(user=user, offer=offer)
                row = selectors.deal_list(user).get(pk=deal.pk)
                return Response(DealSerializer(row).data, status=status.HTTP_201_CREATED)
            if action == "reject":
                services.offer_reject(user=user, offer=offer)
                return _offer_response(user, offer.pk)
            counter = services.offer_counter(
                user=user,
                offer=offer,
                quantity_tonnes=data.get("quantity_tonnes", offer.quantity_tonnes),
                price_vnd_per_kg=data.get("price_vnd_per_kg", ""),
                delivery_from=data.get("delivery_from"),
                delivery_until=data.get("delivery_until"),
                message=data.get("message", ""),
            )
        except ValidationError as error:
            return _refusal(error)
        except PermissionDenied as error:
            return _forbidden(error)
        return _offer_response(user, counter.pk, status.HTTP_201_CREATED)


class DealListView(GenericAPIView[Deal]):
    permission_classes = [IsAuthenticated]
    serializer_class = DealSerializer
    pagination_class = Pagination
    queryset = Deal.objects.none()  # for the schema only

    @extend_schema(
        summary="Deals you are a party to or follow",
        operation_id="deals_list",
        responses=DealSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.deal_list(_user(request)))
        return self.get_paginated_response(DealSerializer(page, many=True).data)


def _deal(request: Request, pk: int) -> Deal:
    row = selectors.deal_list(_user(request)).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


class DealDetailView(GenericAPIView[Deal]):
    permission_classes = [IsAuthenticated]
    serializer_class = DealSerializer

    @extend_schema(summary="One deal", responses={200: DealSerializer, 404: NOT_FOUND})
    def get(self, request: Request, pk: int) -> Response:
        return Response(DealSerializer(_deal(request, pk)).data)


class DealContactView(GenericAPIView[Deal]):
    permission_classes = [IsAuthenticated]
    serializer_class = ContactSerializer

    @extend_schema(
        summary="Agree to share your contact with the other side of a deal",
        request=None,
        responses={200: DealSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        try:
            deal = services.deal_contact_share(user=_user(request), deal=_deal(request, pk))
        except PermissionDenied as error:
            return _forbidden(error)
        return Response(DealSerializer(_deal(request, deal.pk)).data)

    @extend_schema(
        summary="The other side's name and phone, once both sides agreed (audited)",
        responses={200: ContactSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        try:
            contact = services.deal_contact_reveal(user=_user(request), deal=_deal(request, pk))
        except PermissionDenied as error:
            return _forbidden(error)
        return Response(ContactSerializer(contact).data)


class DealOrderView(GenericAPIView[Deal]):
    permission_classes = [IsAuthenticated]
    serializer_class = DealOrderSerializer

    @extend_schema(
        summary="Turn a deal into a marketplace order at the agreed price (the buyer)",
        request=DealOrderSerializer,
        responses={201: DealSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        serializer = DealOrderSerializer(data=request.data)
        if not serializer.is_valid():
            return _invalid(serializer.errors)
        deal = _deal(request, pk)
        try:
            services.deal_order_place(buyer=_user(request), deal=deal, **serializer.validated_data)
        except ValidationError as error:
            return _refusal(error)
        except PermissionDenied as error:
            return _forbidden(error)
        return Response(DealSerializer(_deal(request, pk)).data, status=status.HTTP_201_CREATED)
