"""Admin for orders: read-only. Orders change through the services (stock, timeline, audit
and notices go with every step); the admin is for looking things up."""

from __future__ import annotations

from django.contrib import admin

from nongsan.catalog.admin import ReadOnlyAdmin
from nongsan.orders.models import (
    CartItem,
    Checkout,
    CheckoutRequest,
    Order,
    OrderEvent,
    OrderItem,
    Review,
    StockReservation,
)


@admin.register(Checkout)
class CheckoutAdmin(ReadOnlyAdmin):
    list_display = ["pk", "buyer_name", "payment_method", "created_at"]
    list_filter = ["payment_method", "created_at"]
    search_fields = ["buyer_name", "buyer_phone", "orders__reference"]
    raw_id_fields = ["buyer", "delivery_province", "delivery_commune"]


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "status",
        "payment_method",
        "payment_status",
        "total_vnd",
        "placed_at",
    ]
    list_filter = ["status", "payment_method", "payment_status", "placed_at"]
    search_fields = ["reference", "buyer_phone"]
    list_select_related = ["household", "cooperative"]
    raw_id_fields = [
        "checkout",
        "buyer",
        "household",
        "cooperative",
        "province",
        "commune",
        "delivery_province",
        "delivery_commune",
        "carrier",
    ]


@admin.register(OrderItem)
class OrderItemAdmin(ReadOnlyAdmin):
    list_display = ["order", "title", "quantity", "unit", "line_total_vnd"]
    list_filter = ["unit"]
    search_fields = ["title", "order__reference"]
    list_select_related = ["order"]
    raw_id_fields = ["order", "listing", "province", "commune"]


@admin.register(StockReservation)
class StockReservationAdmin(ReadOnlyAdmin):
    list_display = ["order", "listing", "quantity", "status", "expires_at"]
    list_filter = ["status"]
    search_fields = ["order__reference"]
    list_select_related = ["order", "listing"]
    raw_id_fields = ["order", "listing", "province", "commune"]


@admin.register(OrderEvent)
class OrderEventAdmin(ReadOnlyAdmin):
    list_display = ["order", "from_status", "to_status", "actor_role", "occurred_at"]
    list_filter = ["to_status", "actor_role"]
    search_fields = ["order__reference", "note"]
    list_select_related = ["order"]
    raw_id_fields = ["order", "actor", "province", "commune"]


@admin.register(CheckoutRequest)
class CheckoutRequestAdmin(ReadOnlyAdmin):
    list_display = ["key", "owner", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["key", "owner"]
    raw_id_fields = ["checkout"]


@admin.register(CartItem)
class CartItemAdmin(ReadOnlyAdmin):
    list_display = ["user", "listing", "quantity", "added_at"]
    list_filter = ["added_at"]
    search_fields = ["listing__title"]
    list_select_related = ["user", "listing"]
    raw_id_fields = ["user", "listing"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["order", "stars", "created_at", "replied_at"]
    list_filter = ["stars", "created_at"]
    search_fields = ["order__reference", "text"]
    raw_id_fields = ["order", "buyer", "household", "cooperative", "replied_by"]
