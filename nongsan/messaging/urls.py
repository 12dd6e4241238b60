"""The outbox page, mounted at /tin-nhan/ by config/urls.py."""

from django.urls import path

from nongsan.messaging import views

app_name = "messaging"
urlpatterns = [
    path("", views.outbox, name="outbox"),
]
