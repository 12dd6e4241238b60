"""API routes of the registry; config/urls.py includes them under /api/v1/."""

from django.urls import path

from nongsan.producers import api

urlpatterns = [
    path("households/", api.HouseholdListView.as_view(), name="api-household-list"),
    path("households/<int:pk>/", api.HouseholdDetailView.as_view(), name="api-household-detail"),
    path("cooperatives/", api.CooperativeListView.as_view(), name="api-cooperative-list"),
    path(
        "cooperatives/<int:pk>/", api.CooperativeDetailView.as_view(), name="api-cooperative-detail"
    ),
]
