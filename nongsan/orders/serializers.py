"""How orders look in the API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from nongsan.orders.models import Checkout, Order, OrderEvent, OrderItem, OrderStatus, PaymentMethod
from nongsan.shipping.models import Service


class OrderItemSerializer(serializers.ModelSerializer[OrderItem]):
    class Meta:
        model = OrderItem
        fields = ["listing", "title", "quantity", "unit", "unit_price_vnd", "line_total_vnd"]


class OrderEventSerializer(serializers.ModelSerializer[OrderEvent]):
    class Meta:
        model = OrderEvent
        fields = ["from_status", "to_status", "actor_role", "note", "occurred_at"]


class OrderSerializer(serializers.ModelSerializer[Order]):
    items = OrderItemSerializer(many=True, read_only=True)
    seller = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "id",
            "reference",
            "checkout",
            "status",
            "payment_method",
            "payment_status",
            "shipping_service",
            "seller",
            "goods_vnd",
            "shipping_vnd",
            "total_vnd",
            "placed_at",
            "status_changed_at",
            "items",
        ]

    def get_seller(self, order: Order) -> str:
        return str(order.seller)


class OrderDetailSerializer(OrderSerializer):
    events = OrderEventSerializer(many=True, read_only=True)

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "events"]


class CheckoutSerializer(serializers.ModelSerializer[Checkout]):
    orders = OrderSerializer(many=True, read_only=True)

    class Meta:
        model = Checkout
        fields = ["id", "payment_method", "created_at", "orders"]


class CheckoutLineSerializer(serializers.Serializer[Any]):
    listing = serializers.IntegerField(min_value=1)
    quantity = serializers.CharField(max_length=20, help_text="In the listing's unit: 2, 1,5")


class CheckoutWriteSerializer(serializers.Serializer[Any]):
    lines = serializers.ListField(child=CheckoutLineSerializer(), allow_empty=False, max_length=50)
    buyer_name = serializers.CharField(max_length=150)
    buyer_phone = serializers.CharField(max_length=30)
    delivery_address = serializers.CharField(max_length=300)
    delivery_commune = serializers.CharField(
        max_length=10, help_text="Code of a current commune or ward."
    )
    payment_method = serializers.ChoiceField(choices=PaymentMethod.choices)
    shipping_service = serializers.ChoiceField(
        choices=Service.choices,
        required=False,
        allow_blank=True,
        help_text="Quote each order with the cheapest carrier; leave out to arrange delivery.",
    )


class OrderStatusWriteSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=OrderStatus.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
