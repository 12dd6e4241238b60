"""Admin: indicators (add a rate over existing measures), targets and partner figures (read
here, written through the services so they are checked and audited), roll-up runs."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nongsan.programme.models import Indicator, PartnerFigure, RollupRun, Target


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin[Indicator]):
    list_display = ["code", "name", "measure", "denominator", "display", "is_active", "position"]
    list_filter = ["is_active", "display", "is_per_channel"]
    search_fields = ["code", "name"]


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "unit", "period_kind", "period_start", "value", "set_by", "set_at"]
    list_filter = ["period_kind", "indicator"]
    raw_id_fields = ["unit", "province", "commune"]


@admin.register(PartnerFigure)
class PartnerFigureAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "channel", "unit", "month", "value", "reported_by"]
    list_filter = ["channel", "indicator"]
    raw_id_fields = ["unit", "province", "commune"]


@admin.register(RollupRun)
class RollupRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "finished_at", "status", "rows"]
