"""The project's pages with imports mounted where config/urls.py will mount them."""

from django.urls import include, path

urlpatterns = [
    path("nhap-du-lieu/", include("nongsan.imports.urls")),
    path("", include("config.urls")),
]
