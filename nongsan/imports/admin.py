"""Import jobs in the admin: for support, read-only (jobs change only through their services)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from nongsan.imports.models import ImportJob, ImportRow


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = (
        "original_name",
        "status",
        "province",
        "commune",
        "uploaded_by",
        "total_rows",
        "imported_rows",
        "error_rows",
        "created_at",
    )
    list_filter = ("status", "province")
    search_fields = ("original_name", "uploaded_by__phone", "uploaded_by__full_name")
    list_select_related = ("province", "commune", "uploaded_by")
    date_hierarchy = "created_at"


@admin.register(ImportRow)
class ImportRowAdmin(ReadOnlyAdmin):
    list_display = ("job", "row_number", "status", "household")
    list_filter = ("status",)
    search_fields = ("job__original_name", "household__head_name")
    list_select_related = ("job", "household")
    raw_id_fields = ("job", "household")
