"""Admin for shipping: read-only; rate tables come from their file
(``manage.py load_shipping_rates``), tracking from carrier staff through the service."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from nongsan.catalog.admin import ReadOnlyAdmin
from nongsan.shipping.models import (
    Carrier,
    CollectionPoint,
    ConsolidatedPickup,
    PickupShare,
    ShippingRate,
    TrackingEvent,
)


@admin.register(Carrier)
class CarrierAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]


@admin.register(ShippingRate)
class ShippingRateAdmin(ReadOnlyAdmin):
    list_display = ["carrier", "service", "zone", "max_weight_grams", "price_vnd", "transit_days"]
    list_filter = ["carrier", "service", "zone"]
    search_fields = ["carrier__name"]
    list_select_related = ["carrier"]


@admin.register(TrackingEvent)
class TrackingEventAdmin(ReadOnlyAdmin):
    list_display = ["order", "kind", "label", "location", "occurred_at"]
    list_filter = ["kind", "occurred_at"]
    search_fields = ["order__reference", "description"]
    list_select_related = ["order"]
    raw_id_fields = ["order", "recorded_by", "province", "commune"]

    @admin.display(description=_("diễn biến"))
    def label(self, event: TrackingEvent) -> str:
        return event.label


@admin.register(CollectionPoint)
class CollectionPointAdmin(admin.ModelAdmin[CollectionPoint]):
    """Staff set up a commune's collection point here; its province follows the commune."""

    list_display = ["name", "commune", "province", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "address", "commune__name"]
    raw_id_fields = ["commune"]
    readonly_fields = ["province"]

    def save_model(self, request: Any, obj: CollectionPoint, form: Any, change: bool) -> None:
        province = obj.commune.province
        if province is not None:
            obj.province = province
        super().save_model(request, obj, form, change)


@admin.register(ConsolidatedPickup)
class ConsolidatedPickupAdmin(ReadOnlyAdmin):
    list_display = ["collection_point", "destination_province", "carrier", "cost_vnd", "created_at"]
    list_filter = ["service", "zone", "created_at"]
    search_fields = ["collection_point__name", "destination_province__name"]
    raw_id_fields = ["collection_point", "destination_province", "created_by"]


@admin.register(PickupShare)
class PickupShareAdmin(ReadOnlyAdmin):
    list_display = ["pickup", "order", "weight_grams", "share_vnd"]
    list_filter = ["pickup__created_at"]
    search_fields = ["order__reference"]
    raw_id_fields = ["pickup", "order", "province", "commune"]
