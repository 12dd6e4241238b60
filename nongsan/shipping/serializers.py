"""How shipping quotes and tracking events look in the API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from nongsan.shipping.models import TrackingEvent, TrackingKind


class QuoteLineSerializer(serializers.Serializer[Any]):
    listing = serializers.IntegerField(min_value=1)
    quantity = serializers.CharField(max_length=20, help_text="In the listing's unit: 2, 1,5")


class QuoteRequestSerializer(serializers.Serializer[Any]):
    lines = serializers.ListField(child=QuoteLineSerializer(), allow_empty=False, max_length=50)
    delivery_commune = serializers.CharField(
        max_length=10, help_text="Code of a current commune or ward."
    )


class ServiceOptionSerializer(serializers.Serializer[Any]):
    service = serializers.CharField()
    service_label = serializers.CharField()
    carrier = serializers.CharField(allow_null=True, help_text="Code of the cheapest carrier.")
    price_vnd = serializers.IntegerField(allow_null=True)
    transit_days = serializers.IntegerField(allow_null=True)
    refusal = serializers.CharField(help_text="Why this service cannot carry it (or empty).")

    def to_representation(self, option: Any) -> dict[str, Any]:
        quote = option.quote
        return {
            "service": option.service,
            "service_label": option.label,
            "carrier": quote.carrier.code if quote else None,
            "price_vnd": quote.price_vnd if quote else None,
            "transit_days": quote.transit_days if quote else None,
            "refusal": option.refusal,
        }


class SellerQuoteSerializer(serializers.Serializer[Any]):
    seller_kind = serializers.CharField(help_text="household or cooperative")
    seller_id = serializers.IntegerField()
    seller_name = serializers.CharField(source="seller")
    zone = serializers.CharField()
    weight_grams = serializers.IntegerField(allow_null=True)
    refusal = serializers.CharField()
    options = ServiceOptionSerializer(many=True)


class QuoteResponseSerializer(serializers.Serializer[Any]):
    sellers = SellerQuoteSerializer(many=True)


class TrackingEventSerializer(serializers.ModelSerializer[TrackingEvent]):
    kind_label = serializers.SerializerMethodField(
        help_text="The kind's name in the request's language (Accept-Language)."
    )

    class Meta:
        model = TrackingEvent
        fields = [
            "id",
            "kind",
            "kind_label",
            "description",
            "location",
            "reason",
            "external_id",
            "occurred_at",
        ]

    def get_kind_label(self, event: TrackingEvent) -> str:
        return str(event.get_kind_display())


class TrackingEventWriteSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=TrackingKind.choices)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    location = serializers.CharField(max_length=150, required=False, allow_blank=True)
    reason = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Required when failed."
    )
    external_id = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="The carrier's own id of this event: a repeated push is recorded once.",
    )
    occurred_at = serializers.DateTimeField(
        required=False, help_text="When it happened (ISO 8601 with offset); now if left out."
    )
