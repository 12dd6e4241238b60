"""API routes of the onboarding programme; config/urls.py includes them under /api/v1/."""

from django.urls import path

from nongsan.onboarding import api

urlpatterns = [
    path(
        "households/<int:pk>/channels/",
        api.HouseholdChannelsView.as_view(),
        name="api-household-channels",
    ),
    path(
        "training-sessions/",
        api.TrainingSessionListView.as_view(),
        name="api-training-session-list",
    ),
    path(
        "training-sessions/<int:pk>/",
        api.TrainingSessionDetailView.as_view(),
        name="api-training-session-detail",
    ),
]
