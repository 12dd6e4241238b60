"""Provincial reports in the admin, read-only: every change goes through the services, so it
is checked, timestamped and audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nongsan.reports.models import ProvincialReport, ReportEvent, ReportReminder


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ProvincialReport)
class ProvincialReportAdmin(ReadOnlyAdmin):
    list_display = ["province", "period_kind", "period_start", "status", "submitted_at"]
    list_filter = ["period_kind", "status"]
    search_fields = ["province__name", "summary"]
    list_select_related = ["province"]


@admin.register(ReportReminder)
class ReportReminderAdmin(ReadOnlyAdmin):
    list_display = ["province", "period_kind", "period_start", "kind", "sent_at", "recipients"]
    list_filter = ["kind", "period_kind"]
    search_fields = ["province__name"]
    list_select_related = ["province"]


@admin.register(ReportEvent)
class ReportEventAdmin(ReadOnlyAdmin):
    list_display = ["report", "from_status", "to_status", "actor", "occurred_at"]
    list_filter = ["to_status", "occurred_at"]
    search_fields = ["report__province__name", "comment"]
    raw_id_fields = ["report", "actor", "province"]
    list_select_related = ["report__province", "actor"]
