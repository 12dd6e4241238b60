"""The project's pages with the registry mounted where config/urls.py will mount it."""

from django.urls import include, path

urlpatterns = [
    path("ho-san-xuat/", include("nongsan.producers.urls")),
    path("api/v1/", include("nongsan.producers.api_urls")),
    path("", include("config.urls")),
]
