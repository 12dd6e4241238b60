"""Pages of the programme dashboards, under /chuong-trinh/."""

from django.urls import path

from nongsan.programme import views

app_name = "programme"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tinh/<str:code>/", views.province, name="province"),
    path("xa/<str:code>/", views.commune, name="commune"),
    path("ban-do.json", views.map_data, name="map-data"),
    path("bieu-do.json", views.series, name="series"),
    path("so-sanh/", views.compare, name="compare"),
    path("chi-tieu/", views.targets, name="targets"),
    path("so-lieu-doi-tac/", views.partner_figures, name="partner-figures"),
]
