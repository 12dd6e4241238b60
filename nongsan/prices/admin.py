"""Prices in the admin, read-only: reports and reviews go through the services."""

from __future__ import annotations

from django.contrib import admin

from nongsan.harvests.admin import PRODUCE_SEARCH, ReadOnlyAdmin
from nongsan.prices.models import DailyPriceStatistic, PriceReport


@admin.register(PriceReport)
class PriceReportAdmin(ReadOnlyAdmin):
    list_display = ["produce_type", "province", "kind", "price_vnd", "reported_on", "status"]
    list_select_related = ["produce_type", "province"]
    search_fields = [*PRODUCE_SEARCH, "market_name"]
    list_filter = ["kind", "status", "source", "reported_on"]


@admin.register(DailyPriceStatistic)
class DailyPriceStatisticAdmin(ReadOnlyAdmin):
    list_display = ["produce_type", "province", "kind", "day", "modal_vnd", "report_count"]
    list_select_related = ["produce_type", "province"]
    search_fields = PRODUCE_SEARCH
    list_filter = ["kind", "day"]
