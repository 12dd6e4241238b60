"""Export jobs in the admin, read-only (files are the requester's: no download link here)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nongsan.exports.models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin[Any]):
    list_display = ["pk", "kind", "format", "status", "requester", "created_at", "finished_at"]
    list_filter = ["status", "format", "kind"]
    search_fields = ["title", "requester__phone", "error"]
    exclude = ["file"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
