"""The project's pages with the audit trail mounted where config/urls.py will mount it."""

from django.urls import include, path

urlpatterns = [
    path("nhat-ky/", include("nongsan.audit.urls")),
    path("", include("config.urls")),
]
