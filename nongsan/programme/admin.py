"""Admin: indicators (add a rate over existing measures), targets and partner figures (read
here, written through the services so they are checked and audited), roll-up runs."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nongsan.programme.models import (
    CrosswalkWeight,
    Fact,
    Indicator,
    PartnerFigure,
    RollupRun,
    Target,
)


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
    search_fields = ["unit__name", "indicator__code", "note"]
    raw_id_fields = ["unit", "province", "commune"]


@admin.register(PartnerFigure)
class PartnerFigureAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "channel", "unit", "month", "value", "reported_by"]
    list_filter = ["channel", "indicator"]
    search_fields = ["unit__name", "indicator__code", "note"]
    raw_id_fields = ["unit", "province", "commune"]


@admin.register(RollupRun)
class RollupRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "finished_at", "status", "rows"]
    list_filter = ["status", "started_at"]
    search_fields = ["error"]


@admin.register(Fact)
class FactAdmin(ReadOnlyAdmin):
    list_display = ["measure", "period_kind", "period_start", "level", "commune", "value"]
    list_filter = ["geography", "level", "period_kind", "measure", "source"]
    search_fields = ["province__name", "commune__name"]
    raw_id_fields = ["province", "commune", "channel"]


@admin.register(CrosswalkWeight)
class CrosswalkWeightAdmin(ReadOnlyAdmin):
    list_display = ["legacy_commune", "current_commune", "forward_share", "backward_share"]
    list_filter = ["forward_estimated", "backward_estimated"]
    search_fields = ["legacy_commune__name", "current_commune__name"]
    raw_id_fields = ["legacy_commune", "legacy_province", "current_commune", "current_province"]
