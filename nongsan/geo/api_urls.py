"""API routes of the geography, mounted at /api/v1/ by config/urls.py."""

from django.urls import path

from nongsan.geo import api

urlpatterns = [
    path("admin-units/", api.AdministrativeUnitListView.as_view(), name="api-admin-unit-list"),
    # Before the detail route, so "resolve" is never read as a unit code.
    path("admin-units/resolve/", api.AddressResolveView.as_view(), name="api-admin-unit-resolve"),
    path(
        "admin-units/<str:code>/",
        api.AdministrativeUnitDetailView.as_view(),
        name="api-admin-unit-detail",
    ),
]
