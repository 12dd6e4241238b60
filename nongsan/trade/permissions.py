"""Who may see and change buy requests, supply offers, offers and deals.

- A buy request: its buyer; sellers (households' accounts, their assistants, cooperative
  managers) of the provinces it targets while it is open; officers of its area; staff.
- A supply offer: the seller side; traders (it is offered to them); officers of its area.
- An offer or a deal: the buyer, the seller side, officers of the seller's area (read only).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from nongsan.accounts.models import Assistance, Role
from nongsan.accounts.permissions import OFFICER_ROLES, has_role, user_scope
from nongsan.catalog.permissions import can_sell_for
from nongsan.geo.models import AdministrativeUnit
from nongsan.producers.models import ConsentPurpose, Cooperative, Household, Purpose
from nongsan.producers.permissions import EDITING_OFFICER_ROLES, is_staff_administrator
from nongsan.trade.models import BuyRequest, Deal, Offer, RequestStatus, SupplyOffer


def _is_signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_trader(user: Any) -> bool:
    """Traders and businesses post buy requests and make offers."""
    return _is_signed_in(user) and (is_staff_administrator(user) or has_role(user, Role.TRADER))


def _assisted_household_ids(user: Any) -> QuerySet[Any]:
    return Assistance.objects.filter(
        assistant=user,
        ended_at__isnull=True,
        household__isnull=False,
        household__in=ConsentPurpose.objects.filter(
            purpose=Purpose.REGISTRY, withdrawn_at__isnull=True
        ).values("household"),
    ).values("household")


def household_side(user: Any) -> Q:
    """Rows of a household that is the user's own or one they assist."""
    return Q(household__user=user) | Q(household__in=_assisted_household_ids(user))


def seller_side(user: Any, prefix: str = "") -> Q:
    """Rows sold by a household of the user, one they assist, or a cooperative they manage."""
    return (
        Q(**{f"{prefix}household__user": user})
        | Q(**{f"{prefix}household__in": _assisted_household_ids(user)})
        | Q(**{f"{prefix}cooperative__manager": user})
    )


def seller_province_ids(user: Any) -> set[int]:
    """Provinces where the user sells: their households', those they assist, their
    cooperatives', and the provinces of their assistant grants."""
    if not _is_signed_in(user):
        return set()
    provinces = set(
        Household.objects.filter(
            Q(user=user) | Q(pk__in=_assisted_household_ids(user))
        ).values_list("province_id", flat=True)
    )
    provinces |= set(Cooperative.objects.filter(manager=user).values_list("province_id", flat=True))
    scope = user_scope(user, roles=[Role.ASSISTANT])
    provinces |= set(scope.province_ids)
    provinces |= set(
        AdministrativeUnit.objects.filter(pk__in=sorted(scope.commune_ids)).values_list(
            "province_id", flat=True
        )
    )
    return {province for province in provinces if province is not None}


def visible_buy_requests(user: Any) -> QuerySet[BuyRequest]:
    requests = BuyRequest.objects.select_related("province", "commune", "buyer")
    if not _is_signed_in(user):
        return requests.none()
    if is_staff_administrator(user):
        return requests
    scope = user_scope(user, roles=OFFICER_ROLES)
    if scope.is_national:
        return requests
    condition = Q(buyer=user)
    if not scope.is_empty:
        condition |= scope.q()
    provinces = seller_province_ids(user)
    if provinces:
        condition |= Q(status=RequestStatus.OPEN) & (
            Q(is_nationwide=True)
            | Q(
                pk__in=BuyRequest.target_provinces.through.objects.filter(
                    administrativeunit_id__in=sorted(provinces)
                ).values("buyrequest_id")
            )
        )
    return requests.filter(condition)


def editable_buy_requests(user: Any) -> QuerySet[BuyRequest]:
    requests = BuyRequest.objects.all()
    if not _is_signed_in(user):
        return requests.none()
    if is_staff_administrator(user):
        return requests
    return requests.filter(buyer=user)


def _scoped_to_seller(user: Any, roles: frozenset[str]) -> Q | None:
    """The seller side or the officers' area; None for national officers (everything)."""
    condition = seller_side(user)
    scope = user_scope(user, roles=roles)
    if scope.is_national:
        return None
    if not scope.is_empty:
        condition |= scope.q()
    return condition


def visible_supply_offers(user: Any) -> QuerySet[SupplyOffer]:
    offers = SupplyOffer.objects.select_related("produce_type", "province", "commune")
    if not _is_signed_in(user):
        return offers.none()
    if is_staff_administrator(user) or has_role(user, Role.TRADER):
        return offers
    condition = _scoped_to_seller(user, OFFICER_ROLES)
    return offers if condition is None else offers.filter(condition).distinct()


def editable_supply_offers(user: Any) -> QuerySet[SupplyOffer]:
    offers = SupplyOffer.objects.all()
    if not _is_signed_in(user):
        return offers.none()
    if is_staff_administrator(user):
        return offers
    condition = _scoped_to_seller(user, EDITING_OFFICER_ROLES)
    return offers if condition is None else offers.filter(condition).distinct()


def visible_offers(user: Any) -> QuerySet[Offer]:
    offers = Offer.objects.select_related("buy_request", "household", "cooperative")
    if not _is_signed_in(user):
        return offers.none()
    if is_staff_administrator(user):
        return offers
    seller = _scoped_to_seller(user, OFFICER_ROLES)
    if seller is None:
        return offers
    condition = Q(buy_request__buyer=user) | seller
    return offers.filter(pk__in=Offer.objects.filter(condition).values("pk"))


def visible_deals(user: Any) -> QuerySet[Deal]:
    deals = Deal.objects.select_related("produce_type", "household", "cooperative", "buyer")
    if not _is_signed_in(user):
        return deals.none()
    if is_staff_administrator(user):
        return deals
    seller = _scoped_to_seller(user, OFFICER_ROLES)
    if seller is None:
        return deals
    condition = Q(buyer=user) | seller
    return deals.filter(pk__in=Deal.objects.filter(condition).values("pk"))


def can_answer_for_seller(user: Any, row: Any) -> bool:
    """Whether ``user`` speaks for the seller of an offer or deal (the household's account,
    an assistant it agreed to, the cooperative's manager, editing officers, staff)."""
    return can_sell_for(user, household=row.household, cooperative=row.cooperative)
