"""API routes of the harvests app; config/urls.py includes them under /api/v1/."""

from django.urls import path

from nongsan.harvests import api

urlpatterns = [
    path("crop-calendar/", api.CalendarListView.as_view(), name="api-crop-calendar-list"),
    path("plantings/", api.PlantingListView.as_view(), name="api-planting-list"),
    path("harvests/", api.AnnouncementListView.as_view(), name="api-harvest-list"),
    path("harvests/<int:pk>/", api.AnnouncementDetailView.as_view(), name="api-harvest-detail"),
    path("glut-alerts/", api.GlutAlertListView.as_view(), name="api-glut-alert-list"),
    path("campaigns/", api.CampaignListView.as_view(), name="api-campaign-list"),
    path("forecasts/", api.ForecastView.as_view(), name="api-forecast-list"),
]
