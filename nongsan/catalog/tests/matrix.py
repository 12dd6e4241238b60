"""The catalog in the permission matrix: a draft listing and a lot of it, in a commune.

Drafts are not public, so another area's officers and assistants, strangers and anonymous
visitors must not see them; the listing's page and API answer 404 to them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.urls import NoReverseMatch, reverse

from nongsan.accounts.models import Role
from nongsan.catalog.models import ListingPhoto, Lot
from nongsan.catalog.permissions import (
    editable_listing_photos,
    editable_listings,
    editable_lots,
    visible_listing_photos,
    visible_listings,
    visible_lots,
)
from nongsan.catalog.tests.factories import listing, lot, selling_household
from nongsan.common.testing.permission_matrix import ScopedModel, register

OFFICERS = frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.MINISTRY})


def _mounted(name: str, *args: object) -> list[str]:
    try:
        return [reverse(name, args=list(args))]
    except NoReverseMatch:
        return []


def _lot_urls(row: Model) -> list[str]:
    assert isinstance(row, Lot)  # noqa: S101 - the matrix passes what create_in made
    return _mounted("api-lot-detail", row.code) + _mounted("catalog:lot-page", row.code)


register(
    ScopedModel(
        label="catalog.listing",
        create_in=lambda commune: listing(selling_household(commune)),
        visible=visible_listings,
        editable=editable_listings,
        seen_by=OFFICERS,
        page_urls=lambda row: _mounted("catalog:listing-page", row.pk),
        write_urls=lambda row: (
            _mounted("catalog:listing-status", row.pk)
            + _mounted("catalog:listing-edit", row.pk)
            + _mounted("catalog:listing-edit-page", row.pk)
            + _mounted("catalog:listing-photo-add", row.pk)
            + _mounted("catalog:listing-lot-add", row.pk)
        ),
        api_urls=lambda row: _mounted("api-listing-detail", row.pk),
    )
)
register(
    ScopedModel(
        label="catalog.lot",
        create_in=lambda commune: lot(listing(selling_household(commune))),
        visible=visible_lots,
        editable=editable_lots,
        seen_by=OFFICERS,
        page_urls=_lot_urls,
    )
)


def _photo_in(commune: Any) -> ListingPhoto:
    """A photo row of a draft listing; no file is written (the matrix never opens it)."""
    row = listing(selling_household(commune))
    return ListingPhoto.objects.create(
        listing=row,
        small="listings/matrix-small.webp",
        large="listings/matrix-large.webp",
        small_width=320,
        small_height=240,
        large_width=800,
        large_height=600,
        province_id=row.province_id,
        commune_id=row.commune_id,
    )


def _photo_urls(photo: Model) -> list[str]:
    assert isinstance(photo, ListingPhoto)  # noqa: S101 - the matrix passes what create_in made
    return _mounted("catalog:listing-photo-remove", photo.listing_id, photo.pk) + _mounted(
        "catalog:listing-photo-move", photo.listing_id, photo.pk
    )


register(
    ScopedModel(
        label="catalog.listingphoto",
        create_in=_photo_in,
        visible=visible_listing_photos,
        editable=editable_listing_photos,
        seen_by=OFFICERS,
        page_urls=lambda photo: _mounted(
            "catalog:listing-edit-page", getattr(photo, "listing_id", 0)
        ),
        write_urls=_photo_urls,
    )
)
