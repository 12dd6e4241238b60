"""What every API endpoint shares: one shape for refusals, so partners parse one format."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class ErrorSerializer(serializers.Serializer[Any]):
    """Every refusal of the API: one sentence for people, naming what was wrong."""

    detail = serializers.CharField()
    parameter = serializers.CharField(
        required=False, help_text="The query parameter that was refused, when one was."
    )
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Field name → messages, when submitted data were refused.",
    )
