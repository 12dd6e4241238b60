"""The harvests app in the admin, read-only: writes go through the services (pages and API),
so they are validated, audited and kept from the loader."""

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
    Planting,
    WeeklySupply,
)

PRODUCE_SEARCH = ["produce_type__name_vi", "produce_type__slug", "province__name"]


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
    search_fields = [*PRODUCE_SEARCH, "season_name", "place_detail"]
    list_filter = ["region", "is_lunar", "harvest_from_month"]


@admin.register(Planting)
class PlantingAdmin(ReadOnlyAdmin):
    list_display = ["produce_type", "province", "commune", "planted_on", "area_ha", "status"]
    list_select_related = ["produce_type", "province", "commune"]
    search_fields = [*PRODUCE_SEARCH, "commune__name"]
    list_filter = ["status", "planted_on"]


@admin.register(HarvestAnnouncement)
class HarvestAnnouncementAdmin(ReadOnlyAdmin):
    list_display = ["produce_type", "province", "harvest_from", "harvest_until", "tonnes", "status"]
    list_select_related = ["produce_type", "province"]
    search_fields = [*PRODUCE_SEARCH, "commune__name"]
    list_filter = ["status", "loss_reason", "harvest_from"]


@admin.register(ForecastSnapshot)
class ForecastSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["produce_type", "province", "week_start", "expected_tonnes", "computed_at"]
    list_select_related = ["produce_type", "province"]
    search_fields = PRODUCE_SEARCH
    list_filter = ["week_start", "computed_at"]


@admin.register(GlutAlert)
class GlutAlertAdmin(ReadOnlyAdmin):
    list_display = ["produce_type", "province", "week_start", "kind", "severity"]
    list_select_related = ["produce_type", "province"]
    search_fields = PRODUCE_SEARCH
    list_filter = ["kind", "severity", "week_start"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["title", "produce_type", "province", "starts_on", "ends_on", "target_tonnes"]
    list_select_related = ["produce_type", "province"]
    search_fields = [*PRODUCE_SEARCH, "title"]
    list_filter = ["starts_on"]


@admin.register(WeeklySupply)
class WeeklySupplyAdmin(ReadOnlyAdmin):
    """The forecast's roll-up (``manage.py rebuild_weekly_supply`` rebuilds it)."""

    list_display = ["produce_type", "province", "week_start", "tonnes", "households"]
    search_fields = PRODUCE_SEARCH
    list_filter = ["week_start"]
    raw_id_fields = ["produce_type", "province"]
