"""API routes of the price board; config/urls.py includes them under /api/v1/."""

from django.urls import path

from nongsan.prices import api

urlpatterns = [
    path("prices/", api.DailyStatisticListView.as_view(), name="api-price-list"),
    path("price-reports/", api.PriceReportListView.as_view(), name="api-price-report-list"),
]
