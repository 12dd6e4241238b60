"""Public pages of the geography, mounted at /dia-ban/ by config/urls.py."""

from django.urls import path

from nongsan.geo import views

app_name = "geo"
urlpatterns = [
    path("", views.province_list, name="province-list"),
    path("<str:code>/", views.unit_detail, name="unit-detail"),
]
