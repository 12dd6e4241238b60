"""Keeping ``ListingSearchRow`` in step with ``Listing``: one statement per batch, both vendors.

A listing that is on sale or sold out has a row; any other has none. The catalog services
call ``search_rows_refresh`` inside their transaction after writing a listing, the produce
type loader after renaming a type, and ``manage.py rebuild_search_rows`` (or demo data written
straight to the tables) calls ``search_rows_rebuild``. See docs/decisions/0024-search-at-scale.md.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from nongsan.catalog.models import Listing, ListingSearchRow, ListingStatus, ProduceType

__all__ = ["LISTED_STATUSES", "search_rows_rebuild", "search_rows_refresh"]

# ``orders`` moves a listing between these two by itself (sold out, restocked on a cancel),
# so both keep their row and the search checks the status on the listing.
LISTED_STATUSES = (ListingStatus.ACTIVE.value, ListingStatus.SOLD_OUT.value)
_BATCH = 500
_REBUILD_BATCH = 50_000
_COLUMNS = (
    "listing_id",
    "produce_type_id",
    "category",
    "province_id",
    "commune_id",
    "household_id",
    "cooperative_id",
    "price_vnd",
    "available_from",
    "available_until",
    "published_at",
    "title_folded",
    "produce_folded",
    "document",
)
_SOURCES = (
    "l.id",
    "l.produce_type_id",
    "t.category",
    "l.province_id",
    "l.commune_id",
    "l.household_id",
    "l.cooperative_id",
    "l.price_vnd",
    "l.available_from",
    "l.available_until",
    "l.published_at",
    "l.title_folded",
    "l.produce_folded",
    "l.search_document",
)


def _insert_select(where: str) -> str:
    row_table = ListingSearchRow._meta.db_table
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in _COLUMNS)
    statuses = ", ".join(f"'{status}'" for status in LISTED_STATUSES)
    return (
        f"INSERT INTO {quote(row_table)} ({columns}) "  # noqa: S608 - names from the models
        f"SELECT {', '.join(_SOURCES)} FROM {quote(Listing._meta.db_table)} l "
        f"JOIN {quote(ProduceType._meta.db_table)} t ON t.id = l.produce_type_id "
        f"WHERE l.status IN ({statuses}) AND {where}"
    )


def search_rows_refresh(listing_ids: Iterable[int]) -> None:
    """Make the rows of these listings say what the listings say now (or remove them)."""
    ids = sorted(set(listing_ids))
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(ids), _BATCH):
            chunk = ids[start : start + _BATCH]
            marks = ", ".join(["%s"] * len(chunk))
            ListingSearchRow.objects.filter(listing_id__in=chunk).delete()
            cursor.execute(_insert_select(f"l.id IN ({marks})"), chunk)


def search_rows_rebuild(*, first_id: int | None = None) -> int:
    """Rewrite the rows of every listing (from ``first_id`` on, for rows written in bulk),
    a batch of ids per transaction; returns how many rows exist afterwards."""
    bounds = Listing.objects.order_by("pk")
    if first_id is not None:
        bounds = bounds.filter(pk__gte=first_id)
    low = bounds.values_list("pk", flat=True).first()
    high = bounds.order_by("-pk").values_list("pk", flat=True).first()
    if low is not None and high is not None:
        for start in range(low, high + 1, _REBUILD_BATCH):
            end = start + _REBUILD_BATCH
            with transaction.atomic(), connection.cursor() as cursor:
                ListingSearchRow.objects.filter(listing_id__gte=start, listing_id__lt=end).delete()
                cursor.execute(_insert_select("l.id >= %s AND l.id < %s"), [start, end])
    return ListingSearchRow.objects.count()
