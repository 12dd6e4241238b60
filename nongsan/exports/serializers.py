"""API shapes of exports."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from nongsan.exports.models import ExportFormat, ExportJob
from nongsan.exports.services import export_downloadable, export_expires_at


class ExportRequestSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(max_length=40, help_text="A registered kind: report, dashboard…")
    format = serializers.ChoiceField(choices=ExportFormat.choices)
    params = serializers.JSONField(
        required=False, default=dict, help_text='The kind\'s parameters, e.g. {"report": 12}.'
    )


class ExportJobSerializer(serializers.ModelSerializer[ExportJob]):
    download_url = serializers.SerializerMethodField()
    expires_at = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "kind",
            "params",
            "format",
            "status",
            "title",
            "error",
            "created_at",
            "finished_at",
            "expires_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, job: ExportJob) -> str | None:
        if not export_downloadable(job):
            return None
        return reverse("api-export-file", args=[job.pk])

    def get_expires_at(self, job: ExportJob) -> str | None:
        moment = export_expires_at(job)
        return moment.isoformat() if moment else None
