"""Who may see an export: only the person who asked for it (others get a 404)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from nongsan.exports.models import ExportJob


def visible_export_jobs(user: Any) -> QuerySet[ExportJob]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ExportJob.objects.none()
    return ExportJob.objects.filter(requester=user)
