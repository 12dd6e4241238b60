"""API shapes of households and cooperatives. The citizen ID goes in, never comes out
except masked; bank account numbers come out masked too."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from nongsan.producers.models import (
    Certification,
    ConsentMethod,
    Cooperative,
    DataType,
    Household,
    Purpose,
)


class CertificationSerializer(serializers.ModelSerializer[Certification]):
    is_valid_now = serializers.BooleanField(read_only=True)

    class Meta:
        model = Certification
        fields = [
            "kind",
            "ocop_stars",
            "number",
            "issuer",
            "issued_on",
            "expires_on",
            "is_valid_now",
        ]


class HouseholdSerializer(serializers.ModelSerializer[Household]):
    province = serializers.CharField(source="province.code", read_only=True)
    commune = serializers.CharField(source="commune.code", read_only=True)
    commune_name = serializers.CharField(source="commune.name", read_only=True)
    citizen_id = serializers.CharField(source="citizen_id_masked", read_only=True)
    bank_account_number = serializers.CharField(source="bank_account_masked", read_only=True)
    extra_phones = serializers.SerializerMethodField()
    certifications = CertificationSerializer(many=True, read_only=True)
    growing_area_codes = serializers.SerializerMethodField()
    consent_purposes = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = [
            "id",
            "head_name",
            "phone",
            "extra_phones",
            "citizen_id",
            "province",
            "commune",
            "commune_name",
            "address_as_written",
            "village",
            "main_produce",
            "farm_area_hectares",
            "bank_bin",
            "bank_account_number",
            "bank_account_holder",
            "certifications",
            "growing_area_codes",
            "consent_purposes",
            "status",
            "external_reference",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_extra_phones(self, household: Household) -> list[str]:
        return [row.phone for row in household.extra_phones.all()]

    def get_growing_area_codes(self, household: Household) -> list[str]:
        return [row.code for row in household.growing_area_codes.all()]

    def get_consent_purposes(self, household: Household) -> list[str]:
        return sorted(
            {row.purpose for row in household.consent_purposes.all() if row.withdrawn_at is None}
        )


class ConsentInputSerializer(serializers.Serializer[Any]):
    purposes = serializers.ListField(
        child=serializers.ChoiceField(choices=Purpose.choices), allow_empty=False
    )
    method = serializers.ChoiceField(
        choices=[
            (ConsentMethod.IN_APP.value, ConsentMethod.IN_APP.label),
            (ConsentMethod.SPOKEN.value, ConsentMethod.SPOKEN.label),
            (ConsentMethod.PARTNER.value, ConsentMethod.PARTNER.label),
        ],
        help_text="Signed paper needs a photo: record it through the page, not the API.",
    )
    data_types = serializers.ListField(
        child=serializers.ChoiceField(choices=DataType.choices), required=False
    )
    given_at = serializers.DateTimeField(required=False)
    witness_name = serializers.CharField(required=False, allow_blank=True, max_length=150)


class HouseholdWriteSerializer(serializers.Serializer[Any]):
    """What a partner sends; the services validate and normalise it (Vietnamese messages)."""

    head_name = serializers.CharField(max_length=150)
    phone = serializers.CharField(max_length=40)
    extra_phones = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=10
    )
    citizen_id = serializers.CharField(
        required=False, allow_blank=True, max_length=40, write_only=True
    )
    commune = serializers.CharField(
        max_length=5, help_text="Code of a current commune (after 1 July 2025)."
    )
    address_as_written = serializers.CharField(required=False, allow_blank=True, max_length=300)
    village = serializers.CharField(required=False, allow_blank=True, max_length=120)
    main_produce = serializers.CharField(required=False, allow_blank=True, max_length=200)
    farm_area_hectares = serializers.DecimalField(
        max_digits=10, decimal_places=4, required=False, allow_null=True
    )
    bank_bin = serializers.CharField(required=False, allow_blank=True, max_length=6)
    bank_account_number = serializers.CharField(required=False, allow_blank=True, max_length=30)
    bank_account_holder = serializers.CharField(required=False, allow_blank=True, max_length=100)
    external_reference = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Your own id of the household: sending it again returns the same household.",
    )
    consent = ConsentInputSerializer(
        help_text=str(_("Sự đồng ý của hộ; bắt buộc có mục đích registry khi tạo mới."))
    )


class HouseholdUpdateSerializer(HouseholdWriteSerializer):
    """Every field optional; consent changes go through their own services."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.pop("consent")
        self.fields.pop("external_reference")
        for field in self.fields.values():
            field.required = False


class CooperativeSerializer(serializers.ModelSerializer[Cooperative]):
    province = serializers.CharField(source="province.code", read_only=True)
    commune = serializers.CharField(source="commune.code", read_only=True)
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Cooperative
        fields = [
            "id",
            "name",
            "registration_number",
            "province",
            "commune",
            "address",
            "phone",
            "is_active",
            "member_count",
            "created_at",
        ]
        read_only_fields = fields
