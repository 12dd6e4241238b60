"""The audit trail in Django's admin: read-only for everyone, superusers included."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from nongsan.audit.models import AuditEntry
from nongsan.audit.permissions import visible_audit_entries


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = (
        "occurred_at",
        "action",
        "actor",
        "on_behalf_of_label",
        "target_repr",
        "is_reveal",
        "province",
        "commune",
        "ip",
    )
    list_filter = ("action", "is_reveal", "target_type")
    list_select_related = ("actor", "province", "commune", "target_type")
    search_fields = (
        "action",
        "target_repr",
        "=target_id",
        "=request_id",
        "actor__full_name",
        "on_behalf_of_label",
    )
    date_hierarchy = "occurred_at"
    ordering = ("-occurred_at", "-id")
    # Counting a trail of millions of rows on every page is not worth the exact figure.
    show_full_result_count = False
    raw_id_fields = ("actor", "on_behalf_of", "province", "commune")

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEntry]:
        """Even in the admin, a staff member sees only the entries of their own area."""
        return visible_audit_entries(request.user).select_related(*self.list_select_related)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in AuditEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
