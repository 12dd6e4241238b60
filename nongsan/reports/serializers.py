"""API shapes of provincial reports."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from nongsan.reports.models import ProvincialReport
from nongsan.reports.periods import PeriodKind


class ReportFigureSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text="None: no figure this period.")
    target = serializers.FloatField(allow_null=True)
    progress = serializers.FloatField(allow_null=True, help_text="Actual over target (1.0 = met).")
    source = serializers.CharField(  # type: ignore[assignment]
        help_text="platform: measured by this platform; partner: reported by a partner."
    )
    estimated = serializers.BooleanField()


class ReportSerializer(serializers.ModelSerializer[ProvincialReport]):
    province = serializers.CharField(source="province.code", help_text="Current province code.")
    province_name = serializers.CharField(source="province.name")
    period = serializers.CharField(source="period.code", help_text="2026-03 or 2026-Q1.")
    figures = ReportFigureSerializer(
        many=True,
        help_text="The figures frozen at submission (empty while the report is a draft).",
    )

    class Meta:
        model = ProvincialReport
        fields = [
            "id",
            "province",
            "province_name",
            "period",
            "period_kind",
            "period_start",
            "period_end",
            "due_on",
            "status",
            "summary",
            "difficulties",
            "proposals",
            "next_plan",
            "figures",
            "figures_taken_at",
            "return_comment",
            "created_at",
            "updated_at",
            "submitted_at",
            "decided_at",
        ]
        read_only_fields = fields


class NarrativeSerializer(serializers.Serializer[Any]):
    summary = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    difficulties = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    proposals = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    next_plan = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class ReportCreateSerializer(NarrativeSerializer):
    province = serializers.CharField(max_length=10, help_text="Current province code, e.g. 01.")
    period = serializers.CharField(max_length=10, help_text="2026-03 (month) or 2026-Q1 (quarter).")


class ReturnSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(
        allow_blank=True, trim_whitespace=False, help_text="Why the report goes back."
    )


PERIOD_KINDS = PeriodKind.values
