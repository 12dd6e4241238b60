"""What every API endpoint shares: one shape for refusals, so partners parse one format."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from rest_framework import serializers

# Partners retry a create with the same key; the same key with another body is refused.
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 100


def request_digest(data: Any) -> str:
    """A fingerprint of a request body, to tell a retry from a different request."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
