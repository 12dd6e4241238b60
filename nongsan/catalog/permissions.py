"""Who may see and change which listings and lots.

Everyone sees active listings inside their harvest window whose seller's marketplace consent
stands (and lots of listings that were published). Signed-in people also see what they may
change: the seller's own listings (the household's account, the cooperative's manager), the
households an assistant is assigned to, and the area of commune and province officers; the
ministry sees every listing and changes none; staff administrators everything.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from nongsan.accounts.models import Assistance
from nongsan.accounts.permissions import OFFICER_ROLES, user_scope
from nongsan.catalog.models import Listing, ListingPhoto, ListingStatus, Lot
from nongsan.producers.models import (
    ConsentPurpose,
    Cooperative,
    Household,
    HouseholdStatus,
    Purpose,
)
from nongsan.producers.permissions import EDITING_OFFICER_ROLES, is_staff_administrator


def _is_signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _marketplace_consent(field: str) -> Exists:
    return Exists(
        ConsentPurpose.objects.filter(
            household=OuterRef(field), purpose=Purpose.MARKETPLACE, withdrawn_at__isnull=True
        )
    )


def sellable() -> Q:
    """Listings whose seller may be shown: an active household (or grower) whose marketplace
    consent stands, or an active cooperative. Withdrawing consent hides them at once."""
    household = Q(household__isnull=True) | (
        Q(household__status=HouseholdStatus.ACTIVE) & Q(_marketplace_consent("household"))
    )
    cooperative = Q(cooperative__isnull=True) | Q(cooperative__is_active=True)
    grower = Q(grower__isnull=True) | Q(_marketplace_consent("grower"))
    return household & cooperative & grower


def shown_publicly(today: datetime.date) -> Q:
    """The condition of ``public_listings`` on a listing."""
    return Q(sellable(), status=ListingStatus.ACTIVE, available_until__gte=today)


def public_listings(*, today: datetime.date | None = None) -> QuerySet[Listing]:
    """What the marketplace shows: active, not past its window, seller shown with consent."""
    return Listing.objects.filter(shown_publicly(today or timezone.localdate()))


def _assisted_households(user: Any) -> QuerySet[Household]:
    return Household.objects.filter(
        Q(assistances__assistant=user, assistances__ended_at__isnull=True)
        | Q(user__assisted_by__assistant=user, user__assisted_by__ended_at__isnull=True)
    )


def _scoped(user: Any, officer_roles: frozenset[str]) -> QuerySet[Listing]:
    listings = Listing.objects.all()
    if not _is_signed_in(user):
        return listings.none()
    if is_staff_administrator(user):
        return listings
    scope = user_scope(user, roles=officer_roles)
    if scope.is_national:
        return listings
    condition = (
        Q(household__user=user)
        | Q(cooperative__manager=user)
        | Q(household__in=_assisted_households(user).values("pk"))
    )
    if not scope.is_empty:
        condition |= scope.q()
    return listings.filter(pk__in=Listing.objects.filter(condition).values("pk"))


def visible_listings(user: Any) -> QuerySet[Listing]:
    public = public_listings().values("pk")
    if not _is_signed_in(user):
        return Listing.objects.filter(pk__in=public)
    return Listing.objects.filter(
        Q(pk__in=public) | Q(pk__in=_scoped(user, OFFICER_ROLES).values("pk"))
    )


def editable_listings(user: Any) -> QuerySet[Listing]:
    """Listings ``user`` may change, publish, pause or add lots and photos to."""
    return _scoped(user, EDITING_OFFICER_ROLES)


def visible_lots(user: Any) -> QuerySet[Lot]:
    """Lots of listings that were published (their label may be scanned long after the
    season) while the seller may be shown, plus every lot of a listing ``user`` may see."""
    published = Listing.objects.filter(sellable(), published_at__isnull=False).values("pk")
    if not _is_signed_in(user):
        return Lot.objects.filter(listing__in=published)
    return Lot.objects.filter(
        Q(listing__in=published) | Q(listing__in=_scoped(user, OFFICER_ROLES).values("pk"))
    )


def editable_lots(user: Any) -> QuerySet[Lot]:
    return Lot.objects.filter(listing__in=editable_listings(user).values("pk"))


def visible_listing_photos(user: Any) -> QuerySet[ListingPhoto]:
    return ListingPhoto.objects.filter(listing__in=visible_listings(user).values("pk"))


def editable_listing_photos(user: Any) -> QuerySet[ListingPhoto]:
    """Photos ``user`` may remove or reorder: those of listings they may change."""
    return ListingPhoto.objects.filter(listing__in=editable_listings(user).values("pk"))


def can_sell_for(
    user: Any, *, household: Household | None = None, cooperative: Cooperative | None = None
) -> bool:
    """Whether ``user`` may list for this seller: the household's own account, an assistant
    assigned to it (the household having agreed), the cooperative's manager, editing officers
    of the seller's area, staff administrators."""
    if not _is_signed_in(user):
        return False
    if is_staff_administrator(user):
        return True
    seller = household or cooperative
    if seller is None:
        return False
    if user_scope(user, roles=EDITING_OFFICER_ROLES).covers(
        province_id=seller.province_id, commune_id=seller.commune_id
    ):
        return True
    if household is not None:
        if household.user_id == user.pk:
            return True
        return Assistance.objects.filter(
            Q(household=household) | Q(seller_id=household.user_id, seller__isnull=False),
            assistant=user,
            ended_at__isnull=True,
        ).exists() and _registry_consent(household)
    assert cooperative is not None  # noqa: S101 - one of the two is given
    return bool(cooperative.manager_id == user.pk)


def _registry_consent(household: Household) -> bool:
    return ConsentPurpose.objects.filter(
        household=household, purpose=Purpose.REGISTRY, withdrawn_at__isnull=True
    ).exists()
