"""Admin for the catalog: read-only. Listings and lots change through the services (checked,
consented, audited, indexed for search); produce types come from the curated file
(``manage.py load_produce_types``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nongsan.catalog.models import (
    Listing,
    ListingCreateRequest,
    ListingPhoto,
    ListingPriceTier,
    ListingSearchRow,
    Lot,
    ProduceType,
)
from nongsan.common.text import fold


class ReadOnlyAdmin(admin.ModelAdmin):
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ProduceType)
class ProduceTypeAdmin(ReadOnlyAdmin):
    list_display = [
        "icon",
        "name_vi",
        "name_en",
        "category",
        "unit",
        "shelf_life_days",
        "is_active",
    ]
    list_filter = ["category", "unit", "is_active"]
    search_fields = ["slug", "search_folded"]

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        return super().get_search_results(request, queryset, fold(search_term))


@admin.register(Listing)
class ListingAdmin(ReadOnlyAdmin):
    list_display = ["title", "produce_type", "price_vnd", "unit", "status", "commune", "province"]
    list_filter = ["status", "produce_type__category", "created_at"]
    search_fields = ["search_document"]
    list_select_related = ["produce_type", "commune", "province"]
    raw_id_fields = ["household", "cooperative", "grower", "province", "commune", "created_by"]

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        return super().get_search_results(request, queryset, fold(search_term))


@admin.register(ListingSearchRow)
class ListingSearchRowAdmin(ReadOnlyAdmin):
    """The search's narrow rows (``manage.py rebuild_search_rows`` rebuilds them)."""

    list_display = ["listing", "produce_type", "province", "price_vnd", "published_at"]
    list_filter = ["category", "published_at"]
    search_fields = ["title_folded", "produce_folded"]
    raw_id_fields = ["listing", "produce_type", "province", "commune", "household", "cooperative"]

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        return super().get_search_results(request, queryset, fold(search_term))


@admin.register(ListingPriceTier)
class ListingPriceTierAdmin(ReadOnlyAdmin):
    list_display = ["listing", "min_quantity", "price_vnd"]
    list_filter = ["province"]
    search_fields = ["listing__title"]
    raw_id_fields = ["listing", "province", "commune"]


@admin.register(ListingPhoto)
class ListingPhotoAdmin(ReadOnlyAdmin):
    list_display = ["listing", "large", "large_width", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["listing__title"]
    raw_id_fields = ["listing", "province", "commune"]


@admin.register(Lot)
class LotAdmin(ReadOnlyAdmin):
    list_display = ["code", "listing", "harvested_on", "quantity", "unit", "commune"]
    list_filter = ["harvested_on", "unit"]
    search_fields = ["code", "growing_area_code"]
    raw_id_fields = ["listing", "province", "commune", "created_by"]


@admin.register(ListingCreateRequest)
class ListingCreateRequestAdmin(ReadOnlyAdmin):
    list_display = ["key", "user", "listing", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["key"]
    raw_id_fields = ["user", "listing"]
