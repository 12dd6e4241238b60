"""API routes of the programme; config/urls.py includes them under /api/v1/."""

from django.urls import path

from nongsan.programme import api

urlpatterns = [
    path("indicators/", api.IndicatorListView.as_view(), name="api-indicator-list"),
    path("kpis/", api.KpiView.as_view(), name="api-kpis"),
    path("targets/", api.TargetListView.as_view(), name="api-target-list"),
    path("targets/<int:pk>/", api.TargetDetailView.as_view(), name="api-target-detail"),
    path("partner-figures/", api.PartnerFigureListView.as_view(), name="api-partner-figure-list"),
]
