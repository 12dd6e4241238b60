"""Pages of the price board; config/urls.py mounts them at /gia/."""

from django.urls import path

from nongsan.prices import views

app_name = "prices"

urlpatterns = [
    path("", views.board, name="board"),
    path("du-lieu.json", views.chart_data, name="chart-data"),
    path("bao-gia/", views.report_create, name="report-create"),
    path("nhap-tep/", views.report_import, name="report-import"),
    path("can-xem-xet/", views.flagged_list, name="flagged"),
    path("bao-gia/<int:pk>/xem-xet/", views.report_review, name="report-review"),
]
