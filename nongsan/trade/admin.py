from django.contrib import admin

from nongsan.trade.models import BuyRequest, Deal, Offer, SupplyOffer


@admin.register(BuyRequest)
class BuyRequestAdmin(admin.ModelAdmin[BuyRequest]):
    list_display = ["title", "buyer_name", "province", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["buyer", "province", "commune"]


@admin.register(SupplyOffer)
class SupplyOfferAdmin(admin.ModelAdmin[SupplyOffer]):
    list_display = ["produce_type", "quantity_tonnes", "province", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["household", "cooperative", "province", "commune", "listing", "announcement"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin[Offer]):
    list_display = ["pk", "buy_request", "from_side", "status", "expires_at"]
    list_filter = ["status"]
    raw_id_fields = ["buy_request", "household", "cooperative", "province", "commune", "previous"]


@admin.register(Deal)
class DealAdmin(admin.ModelAdmin[Deal]):
    list_display = ["pk", "produce_type", "quantity_tonnes", "price_vnd_per_kg", "created_at"]
    raw_id_fields = ["offer", "buy_request", "household", "cooperative", "province", "commune"]
