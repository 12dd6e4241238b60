"""The audit trail page for officers, mounted at /nhat-ky/ by config/urls.py."""

from django.urls import path

from nongsan.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="entry-list"),
]
