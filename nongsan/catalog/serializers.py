"""API shapes of produce types, listings and lots. Prices are whole đồng (integers),
quantities decimal strings, dates ISO."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from nongsan.catalog.models import Listing, ListingStatus, Lot, ProduceType, SellingUnit
from nongsan.producers.models import Certification


class ProduceTypeSerializer(serializers.ModelSerializer[ProduceType]):
    synonyms = serializers.SerializerMethodField()

    class Meta:
        model = ProduceType
        fields = ["slug", "category", "name_vi", "name_en", "synonyms", "unit", "icon",
                  "shelf_life_days"]  # fmt: skip

    def get_synonyms(self, produce_type: ProduceType) -> list[str]:
        return produce_type.synonyms


class CertificationShownSerializer(serializers.ModelSerializer[Certification]):
    kind = serializers.CharField(help_text="vietgap, globalgap, organic or ocop.")

    class Meta:
        model = Certification
        fields = ["kind", "ocop_stars", "number", "issuer", "issued_on", "expires_on"]


class PriceTierSerializer(serializers.Serializer[Any]):
    min_quantity = serializers.DecimalField(max_digits=12, decimal_places=3)
    price_vnd = serializers.IntegerField(min_value=1)


class UnitSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()


class SellerSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(help_text="`household` or `cooperative`.")
    id = serializers.IntegerField()
    name = serializers.CharField()


class PhotoSerializer(serializers.Serializer[Any]):
    small = serializers.CharField()
    small_width = serializers.IntegerField()
    large = serializers.CharField()
    large_width = serializers.IntegerField()


def seller_of(listing: Listing) -> dict[str, Any]:
    if listing.household is not None:
        return {"kind": "household", "id": listing.household_id, "name": str(listing.household)}
    return {"kind": "cooperative", "id": listing.cooperative_id, "name": str(listing.cooperative)}


def certifications_of(listing: Listing) -> list[Certification]:
    """The seller's certificates valid today (``with_card_details`` prefetches only those)."""
    owner: Any = listing.household or listing.cooperative
    today = timezone.localdate()
    return [c for c in owner.certifications.all() if c.is_valid_on(today)]


class ListingSerializer(serializers.ModelSerializer[Listing]):
    produce_type = ProduceTypeSerializer(read_only=True)
    seller = serializers.SerializerMethodField()
    province = serializers.SerializerMethodField()
    commune = serializers.SerializerMethodField()
    price_tiers = PriceTierSerializer(many=True, read_only=True)
    certifications = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    in_season = serializers.SerializerMethodField()

    class Meta:
        model = Listing
        fields = [
            "id", "title", "description", "produce_type", "seller", "province", "commune",
            "price_vnd", "unit", "price_tiers", "stock_quantity", "minimum_order_quantity",
            "available_from", "available_until", "in_season", "certifications",
            "growing_area_code", "status", "photos", "published_at",
        ]  # fmt: skip

    @extend_schema_field(SellerSerializer)
    def get_seller(self, listing: Listing) -> dict[str, Any]:
        return seller_of(listing)

    @extend_schema_field(UnitSerializer)
    def get_province(self, listing: Listing) -> dict[str, str]:
        return {"code": listing.province.code, "name": listing.province.name}

    @extend_schema_field(UnitSerializer)
    def get_commune(self, listing: Listing) -> dict[str, str]:
        return {"code": listing.commune.code, "name": listing.commune.name}

    @extend_schema_field(CertificationShownSerializer(many=True))
    def get_certifications(self, listing: Listing) -> Any:
        return CertificationShownSerializer(certifications_of(listing), many=True).data

    @extend_schema_field(PhotoSerializer(many=True))
    def get_photos(self, listing: Listing) -> list[dict[str, Any]]:
        return [
            {
                "small": photo.small.url,
                "small_width": photo.small_width,
                "large": photo.large.url,
                "large_width": photo.large_width,
            }
            for photo in listing.photos.all()
        ]

    def get_in_season(self, listing: Listing) -> bool:
        return listing.is_in_season_on(timezone.localdate())


class ListingWriteSerializer(serializers.Serializer[Any]):
    """What a seller or assistant sends; the service checks everything else."""

    household = serializers.IntegerField(required=False, help_text="Selling household id.")
    cooperative = serializers.IntegerField(required=False, help_text="Selling cooperative id.")
    grower = serializers.IntegerField(
        required=False, help_text="For a cooperative: the member household it sells for."
    )
    produce_type = serializers.SlugField(max_length=60)
    title = serializers.CharField(max_length=500, required=False, allow_blank=True)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    price_vnd = serializers.IntegerField(min_value=1)
    unit = serializers.ChoiceField(choices=SellingUnit.choices, required=False)
    stock_quantity = serializers.DecimalField(max_digits=12, decimal_places=3)
    minimum_order_quantity = serializers.DecimalField(
        max_digits=12, decimal_places=3, required=False
    )
    available_from = serializers.DateField()
    available_until = serializers.DateField()
    growing_area_code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    price_tiers = PriceTierSerializer(many=True, required=False)
    publish = serializers.BooleanField(
        required=False, default=False, help_text="Put it on sale at once."
    )


class ListingUpdateSerializer(serializers.Serializer[Any]):
    produce_type = serializers.SlugField(max_length=60, required=False)
    title = serializers.CharField(max_length=500, required=False, allow_blank=True)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    price_vnd = serializers.IntegerField(min_value=1, required=False)
    unit = serializers.ChoiceField(choices=SellingUnit.choices, required=False)
    stock_quantity = serializers.DecimalField(max_digits=12, decimal_places=3, required=False)
    minimum_order_quantity = serializers.DecimalField(
        max_digits=12, decimal_places=3, required=False
    )
    available_from = serializers.DateField(required=False)
    available_until = serializers.DateField(required=False)
    growing_area_code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    price_tiers = PriceTierSerializer(many=True, required=False)
    status = serializers.ChoiceField(
        choices=[ListingStatus.ACTIVE, ListingStatus.PAUSED],
        required=False,
        help_text="`active` publishes, `paused` pauses.",
    )


class LotSerializer(serializers.ModelSerializer[Lot]):
    """What the traceability page says about a lot, for apps that scan its QR code."""

    produce_type = serializers.CharField(source="listing.produce_type.name_vi")
    listing = serializers.IntegerField(source="listing_id")
    grown_by = serializers.SerializerMethodField()
    province = serializers.CharField(source="province.name")
    commune = serializers.CharField(source="commune.name")
    certifications = serializers.SerializerMethodField()

    class Meta:
        model = Lot
        fields = [
            "code", "listing", "produce_type", "grown_by", "province", "commune",
            "growing_area_code", "harvested_on", "quantity", "unit", "certifications",
        ]  # fmt: skip

    def get_grown_by(self, lot: Lot) -> str:
        listing = lot.listing
        return str(listing.grower or listing.household or listing.cooperative)

    @extend_schema_field(CertificationShownSerializer(many=True))
    def get_certifications(self, lot: Lot) -> Any:
        return CertificationShownSerializer(certifications_of(lot.listing), many=True).data
