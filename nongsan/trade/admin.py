from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nongsan.trade.models import (
    BuyRequest,
    BuyRequestProduce,
    Deal,
    DemandSlot,
    Offer,
    SupplyCandidate,
    SupplyOffer,
)


@admin.register(BuyRequest)
class BuyRequestAdmin(admin.ModelAdmin[BuyRequest]):
    list_display = ["title", "buyer_name", "province", "status", "created_at"]
    list_filter = ["status", "delivery_mode", "is_nationwide"]
    search_fields = ["title", "buyer_name", "commune__name"]
    raw_id_fields = ["buyer", "province", "commune"]


@admin.register(SupplyOffer)
class SupplyOfferAdmin(admin.ModelAdmin[SupplyOffer]):
    list_display = ["produce_type", "quantity_tonnes", "province", "status", "created_at"]
    list_filter = ["status", "produce_type__category"]
    search_fields = ["household__head_name", "cooperative__name", "produce_type__name_vi"]
    raw_id_fields = ["household", "cooperative", "province", "commune", "listing", "announcement"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin[Offer]):
    list_display = ["pk", "buy_request", "from_side", "status", "expires_at"]
    list_filter = ["status", "from_side"]
    search_fields = ["buy_request__title", "household__head_name", "cooperative__name"]
    raw_id_fields = ["buy_request", "household", "cooperative", "province", "commune", "previous"]


@admin.register(Deal)
class DealAdmin(admin.ModelAdmin[Deal]):
    list_display = ["pk", "produce_type", "quantity_tonnes", "price_vnd_per_kg", "created_at"]
    list_filter = ["delivery_mode", "created_at"]
    search_fields = ["buy_request__title", "household__head_name", "cooperative__name"]
    raw_id_fields = ["offer", "buy_request", "household", "cooperative", "province", "commune"]


# The matching's own tables: derived rows, shown for looking into a match, never edited.
@admin.register(BuyRequestProduce)
class BuyRequestProduceAdmin(admin.ModelAdmin[BuyRequestProduce]):
    list_display = ["buy_request", "produce_type", "is_primary"]
    list_filter = ["is_primary"]
    search_fields = ["buy_request__title", "produce_type__name_vi"]
    raw_id_fields = ["buy_request", "produce_type"]


@admin.register(DemandSlot)
class DemandSlotAdmin(admin.ModelAdmin[DemandSlot]):
    list_display = ["buy_request", "produce_type", "province", "tonnes_per_day"]
    list_filter = ["is_primary"]
    search_fields = ["buy_request__title", "produce_type__name_vi"]
    raw_id_fields = ["buy_request", "produce_type", "province", "demand_province"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SupplyCandidate)
class SupplyCandidateAdmin(admin.ModelAdmin[SupplyCandidate]):
    list_display = ["kind", "source_id", "produce_type", "province_code", "quantity_kg"]
    list_filter = ["kind"]
    search_fields = ["province_code", "produce_type__name_vi"]
    raw_id_fields = ["household", "cooperative", "produce_type", "province", "commune"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
