"""API routes of exports; config/urls.py includes them under /api/v1/."""

from django.urls import path

from nongsan.exports import api

urlpatterns = [
    path("exports/", api.ExportCreateView.as_view(), name="api-export-create"),
    path("exports/<int:pk>/", api.ExportDetailView.as_view(), name="api-export-detail"),
    path("exports/<int:pk>/file/", api.ExportFileView.as_view(), name="api-export-file"),
]
