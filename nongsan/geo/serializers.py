"""JSON shapes of the administrative-unit API.

Every unit in a response carries its validity next to its code, because a bare code is
ambiguous across the 2025 reform (code 24 was Bắc Giang until 30/06/2025 and is Bắc Ninh now).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from nongsan.geo.address import (
    STATUS_AMBIGUOUS,
    STATUS_NEEDS_CHOICE,
    STATUS_NOT_FOUND,
    STATUS_RESOLVED,
)
from nongsan.geo.models import AdministrativeUnit, UnitLevel, UnitName, UnitSuccession, UnitType


def unit_day(unit: AdministrativeUnit) -> str:
    """A day on which ``unit`` was valid, for links that must reach this unit and not another."""
    if unit.valid_until is not None:
        return unit.valid_until.isoformat()
    if unit.valid_from is not None:
        return unit.valid_from.isoformat()
    return ""


class UnitReferenceSerializer(serializers.ModelSerializer[AdministrativeUnit]):
    """A unit named by code and validity, with a link to its detail on a day it was valid."""

    level = serializers.ChoiceField(choices=UnitLevel.choices)
    unit_type = serializers.ChoiceField(choices=UnitType.choices)
    unit_type_display = serializers.CharField(source="get_unit_type_display", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = AdministrativeUnit
        fields = [
            "code",
            "level",
            "unit_type",
            "unit_type_display",
            "name",
            "short_name",
            "valid_from",
            "valid_until",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, unit: AdministrativeUnit) -> str:
        query = {"level": unit.level, "valid_on": unit_day(unit)}
        path = reverse("api-admin-unit-detail", kwargs={"code": unit.code})
        path = f"{path}?{urlencode({key: value for key, value in query.items() if value})}"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class PlacedUnitSerializer(UnitReferenceSerializer):
    """A unit with the province (and, for a legacy commune, the district) it lay in."""

    province = UnitReferenceSerializer(read_only=True, allow_null=True)
    district = UnitReferenceSerializer(read_only=True, allow_null=True)

    class Meta(UnitReferenceSerializer.Meta):
        fields = [*UnitReferenceSerializer.Meta.fields, "province", "district"]
        read_only_fields = fields


class AdministrativeUnitSerializer(UnitReferenceSerializer):
    """One unit of a list: identity, names, validity and where it sits."""

    english_name = serializers.CharField(read_only=True)
    is_current = serializers.BooleanField(read_only=True)
    parent = UnitReferenceSerializer(read_only=True, allow_null=True)
    province = UnitReferenceSerializer(read_only=True, allow_null=True)

    class Meta(UnitReferenceSerializer.Meta):
        fields = [
            *UnitReferenceSerializer.Meta.fields,
            "english_name",
            "is_current",
            "parent",
            "province",
        ]
        read_only_fields = fields


class _SuccessionSerializer(serializers.ModelSerializer[UnitSuccession]):
    kind = serializers.ChoiceField(choices=UnitSuccession.Kind.choices)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    effective_date = serializers.DateField(source="change.effective_date", read_only=True)

    class Meta:
        model = UnitSuccession
        fields = ["unit", "kind", "kind_display", "is_partial", "note", "effective_date"]
        read_only_fields = fields


class PredecessorSerializer(_SuccessionSerializer):
    """A unit this one came from; ``is_partial`` when only part of it came here."""

    unit = PlacedUnitSerializer(source="predecessor", read_only=True)


class SuccessorSerializer(_SuccessionSerializer):
    """A unit this one went into; ``is_partial`` when it was split over several."""

    unit = PlacedUnitSerializer(source="successor", read_only=True)


class UnitNameSerializer(serializers.ModelSerializer[UnitName]):
    """A name and type the unit carried over a span of dates."""

    unit_type = serializers.ChoiceField(choices=UnitType.choices)
    unit_type_display = serializers.CharField(source="get_unit_type_display", read_only=True)

    class Meta:
        model = UnitName
        fields = ["name", "unit_type", "unit_type_display", "valid_from", "valid_until"]
        read_only_fields = fields


class AdministrativeUnitDetailSerializer(serializers.Serializer[Any]):
    """A unit with its history, read from :class:`nongsan.geo.selectors.UnitHistory`."""

    code = serializers.CharField(source="unit.code", read_only=True)
    level = serializers.ChoiceField(source="unit.level", choices=UnitLevel.choices, read_only=True)
    unit_type = serializers.ChoiceField(
        source="unit.unit_type", choices=UnitType.choices, read_only=True
    )
    unit_type_display = serializers.CharField(source="unit.get_unit_type_display", read_only=True)
    name = serializers.CharField(source="unit.name", read_only=True)
    short_name = serializers.CharField(source="unit.short_name", read_only=True)
    english_name = serializers.CharField(source="unit.english_name", read_only=True)
    valid_from = serializers.DateField(source="unit.valid_from", read_only=True, allow_null=True)
    valid_until = serializers.DateField(source="unit.valid_until", read_only=True, allow_null=True)
    is_current = serializers.BooleanField(source="unit.is_current", read_only=True)
    parent = UnitReferenceSerializer(source="unit.parent", read_only=True, allow_null=True)
    province = UnitReferenceSerializer(source="unit.province", read_only=True, allow_null=True)
    district = UnitReferenceSerializer(source="unit.district", read_only=True, allow_null=True)
    predecessors = PredecessorSerializer(many=True, read_only=True)
    successors = SuccessorSerializer(many=True, read_only=True)
    names = UnitNameSerializer(many=True, read_only=True)
    legacy_districts = UnitReferenceSerializer(many=True, read_only=True)


class AddressCandidateSerializer(serializers.Serializer[Any]):
    """One current commune an address may mean, with how sure the resolver is."""

    commune = UnitReferenceSerializer(read_only=True)
    province = UnitReferenceSerializer(read_only=True, help_text="The commune's province.")
    confidence = serializers.FloatField(read_only=True, min_value=0, max_value=1)
    matched_via = serializers.CharField(
        read_only=True, help_text="Which parts matched, e.g. legacy commune + legacy district."
    )
    matched_name = serializers.CharField(
        read_only=True, help_text="The unit that matched, as it was named then."
    )
    needs_choice = serializers.BooleanField(
        read_only=True, help_text="One of several successors of a split legacy commune."
    )


class AddressResolutionSerializer(serializers.Serializer[Any]):
    """The resolver's answer: a status, a message for people, and ranked candidates."""

    status = serializers.ChoiceField(
        choices=[STATUS_RESOLVED, STATUS_AMBIGUOUS, STATUS_NEEDS_CHOICE, STATUS_NOT_FOUND],
        read_only=True,
    )
    message = serializers.CharField(read_only=True)
    village = serializers.CharField(read_only=True, allow_blank=True, allow_null=True)
    candidates = AddressCandidateSerializer(many=True, read_only=True)
