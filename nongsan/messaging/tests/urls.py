"""The outbox at /tin-nhan/ and the rest of the site, so the page shell's links resolve."""

from django.urls import include, path

urlpatterns = [
    path("tin-nhan/", include("nongsan.messaging.urls")),
    path("", include("config.urls")),
]
