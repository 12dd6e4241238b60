"""The harvest calendar in the admin, read-only: corrections go through the service (page
form), so they are audited and kept from the loader."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nongsan.harvests.models import (
    CalendarEntry,
    Campaign,
    ForecastSnapshot,
    GlutAlert,
    HarvestAnnouncement,
)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CalendarEntry)
class CalendarEntryAdmin(ReadOnlyAdmin):
    list_display = ["produce_type", "province", "region", "season_name", "harvest_from_month"]
    list_select_related = ["produce_type", "province"]


@admin.register(HarvestAnnouncement)
class HarvestAnnouncementAdmin(ReadOnlyAdmin):
    list_display = ["produce_type", "province", "harvest_from", "harvest_until", "tonnes", "status"]
    list_select_related = ["produce_type", "province"]


@admin.register(ForecastSnapshot)
class ForecastSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["produce_type", "province", "week_start", "expected_tonnes", "computed_at"]
    list_select_related = ["produce_type", "province"]


@admin.register(GlutAlert)
class GlutAlertAdmin(ReadOnlyAdmin):
    list_display = ["produce_type", "province", "week_start", "kind", "severity"]
    list_select_related = ["produce_type", "province"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["title", "produce_type", "province", "starts_on", "ends_on", "target_tonnes"]
    list_select_related = ["produce_type", "province"]
