"""The project's pages with onboarding mounted where config/urls.py will mount it."""

from django.urls import include, path

urlpatterns = [
    path("lo-trinh/", include("nongsan.onboarding.urls")),
    path("api/v1/", include("nongsan.onboarding.api_urls")),
    path("", include("config.urls")),
]
