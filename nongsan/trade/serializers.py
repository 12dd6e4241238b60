"""How trade looks in the API: requests, supply offers, ranked matches, offers and deals."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from nongsan.orders.models import PaymentMethod
from nongsan.trade.models import (
    BuyRequest,
    CandidateKind,
    Deal,
    DeliveryMode,
    Grade,
    Offer,
    PaymentTerms,
    SupplyOffer,
)


class BuyRequestSerializer(serializers.ModelSerializer[BuyRequest]):
    produce_types = serializers.SerializerMethodField()
    alternative_produce_types = serializers.SerializerMethodField()
    certifications = serializers.SerializerMethodField()
    province = serializers.CharField(source="province.code", read_only=True)
    commune = serializers.CharField(source="commune.code", read_only=True)
    target_provinces = serializers.SerializerMethodField()

    class Meta:
        model = BuyRequest
        fields = [
            "id", "title", "buyer_name", "produce_types", "alternative_produce_types",
            "quantity_min_tonnes", "quantity_max_tonnes", "grade", "certifications",
            "delivery_from", "delivery_until", "delivery_mode", "province", "commune",
            "is_nationwide", "target_provinces", "price_min_vnd_per_kg", "price_max_vnd_per_kg",
            "payment_terms", "note", "status", "created_at",
        ]  # fmt: skip

    def _types(self, row: BuyRequest, primary: bool) -> list[str]:
        return [
            link.produce_type.slug
            for link in row.buyrequestproduce_set.all()
            if link.is_primary == primary
        ]

    def get_produce_types(self, row: BuyRequest) -> list[str]:
        return self._types(row, True)

    def get_alternative_produce_types(self, row: BuyRequest) -> list[str]:
        return self._types(row, False)

    def get_certifications(self, row: BuyRequest) -> list[str]:
        return row.certification_kinds

    def get_target_provinces(self, row: BuyRequest) -> list[str]:
        return [unit.code for unit in row.target_provinces.all()]


class BuyRequestWriteSerializer(serializers.Serializer[Any]):
    produce_types = serializers.ListField(
        child=serializers.CharField(max_length=100),
        max_length=5,
        help_text="Produce type ids, slugs or names (synonyms too: 'khóm' is pineapple).",
    )
    alternative_produce_types = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=5, required=False
    )
    quantity_min_tonnes = serializers.CharField(max_length=20)
    quantity_max_tonnes = serializers.CharField(max_length=20)
    grade = serializers.ChoiceField(choices=Grade.choices, required=False)
    certifications = serializers.ListField(
        child=serializers.CharField(max_length=20), max_length=4, required=False
    )
    delivery_from = serializers.CharField(max_length=10)
    delivery_until = serializers.CharField(max_length=10)
    delivery_mode = serializers.ChoiceField(choices=DeliveryMode.choices)
    delivery_address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    commune = serializers.CharField(max_length=5, help_text="Current commune code.")
    target_provinces = serializers.ListField(
        child=serializers.CharField(max_length=5), max_length=34, required=False
    )
    is_nationwide = serializers.BooleanField(required=False, default=False)
    price_min_vnd_per_kg = serializers.CharField(max_length=12, required=False, allow_blank=True)
    price_max_vnd_per_kg = serializers.CharField(
        max_length=12, required=False, allow_blank=True, help_text="Empty: make me an offer."
    )
    payment_terms = serializers.ChoiceField(choices=PaymentTerms.choices)
    buyer_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    title = serializers.CharField(max_length=150, required=False, allow_blank=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class MatchSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=CandidateKind.choices)
    source_id = serializers.IntegerField()
    seller = serializers.CharField()
    province = serializers.CharField()
    quantity_tonnes = serializers.DecimalField(max_digits=12, decimal_places=3)
    price_vnd_per_kg = serializers.IntegerField(allow_null=True)
    score = serializers.FloatField()
    factors = serializers.DictField(child=serializers.FloatField())
    reasons_vi = serializers.ListField(child=serializers.CharField())
    reasons_en = serializers.ListField(child=serializers.CharField())


class BundleSerializer(serializers.Serializer[Any]):
    sellers = serializers.IntegerField()
    total_tonnes = serializers.DecimalField(max_digits=12, decimal_places=3)
    coverage = serializers.FloatField()
    reason_vi = serializers.CharField()
    reason_en = serializers.CharField()
    members = MatchSerializer(many=True)


class MatchesSerializer(serializers.Serializer[Any]):
    considered = serializers.IntegerField(help_text="Candidates scored after the prefilter.")
    matches = MatchSerializer(many=True)
    bundle = BundleSerializer(allow_null=True)


class SupplyOfferSerializer(serializers.ModelSerializer[SupplyOffer]):
    produce_type = serializers.CharField(source="produce_type.slug", read_only=True)
    province = serializers.CharField(source="province.code", read_only=True)
    seller = serializers.SerializerMethodField()

    class Meta:
        model = SupplyOffer
        fields = [
            "id", "seller", "produce_type", "province", "listing", "announcement",
            "quantity_tonnes", "available_from", "available_until", "price_vnd_per_kg",
            "grade", "note", "status", "created_at",
        ]  # fmt: skip

    def get_seller(self, row: SupplyOffer) -> str:
        return str(row.seller)


class SupplyOfferWriteSerializer(serializers.Serializer[Any]):
    household = serializers.IntegerField(required=False)
    cooperative = serializers.IntegerField(required=False)
    produce_type = serializers.CharField(max_length=100, required=False)
    listing = serializers.IntegerField(required=False)
    announcement = serializers.IntegerField(required=False)
    quantity_tonnes = serializers.CharField(max_length=20)
    available_from = serializers.CharField(max_length=10)
    available_until = serializers.CharField(max_length=10)
    price_vnd_per_kg = serializers.CharField(max_length=12, required=False, allow_blank=True)
    grade = serializers.ChoiceField(choices=Grade.choices, required=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class OfferSerializer(serializers.ModelSerializer[Offer]):
    seller = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()

    class Meta:
        model = Offer
        fields = [
            "id", "buy_request", "seller", "candidate_kind", "candidate_source_id", "previous",
            "from_side", "quantity_tonnes", "price_vnd_per_kg", "grade", "delivery_from",
            "delivery_until", "delivery_mode", "message", "status", "expires_at", "created_at",
        ]  # fmt: skip

    def get_seller(self, row: Offer) -> str:
        return str(row.seller)

    def get_status(self, row: Offer) -> str:
        """As it reads now: a pending offer past its time is expired."""
        return row.status_at(self.context["now"])


class OfferWriteSerializer(serializers.Serializer[Any]):
    buy_request = serializers.IntegerField()
    candidate_kind = serializers.ChoiceField(choices=CandidateKind.choices)
    candidate_source_id = serializers.IntegerField()
    quantity_tonnes = serializers.CharField(max_length=20)
    price_vnd_per_kg = serializers.CharField(max_length=12)
    delivery_from = serializers.CharField(max_length=10, required=False)
    delivery_until = serializers.CharField(max_length=10, required=False)
    message = serializers.CharField(max_length=300, required=False, allow_blank=True)


class OfferAnswerSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=["accept", "counter", "reject"])
    quantity_tonnes = serializers.CharField(max_length=20, required=False)
    price_vnd_per_kg = serializers.CharField(max_length=12, required=False)
    delivery_from = serializers.CharField(max_length=10, required=False)
    delivery_until = serializers.CharField(max_length=10, required=False)
    message = serializers.CharField(max_length=300, required=False, allow_blank=True)


class DealSerializer(serializers.ModelSerializer[Deal]):
    produce_type = serializers.CharField(source="produce_type.slug", read_only=True)
    seller = serializers.SerializerMethodField()
    order = serializers.CharField(source="order.reference", read_only=True, allow_null=True)
    contacts_shared = serializers.BooleanField(read_only=True)

    class Meta:
        model = Deal
        fields = [
            "id", "buy_request", "offer", "seller", "produce_type", "quantity_tonnes",
            "price_vnd_per_kg", "total_vnd", "grade", "delivery_from", "delivery_until",
            "delivery_mode", "payment_terms", "contacts_shared", "order", "created_at",
        ]  # fmt: skip

    def get_seller(self, row: Deal) -> str:
        return str(row.seller)


class ContactSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    phone = serializers.CharField()


class DealOrderSerializer(serializers.Serializer[Any]):
    delivery_address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    payment_method = serializers.ChoiceField(choices=PaymentMethod.choices)
