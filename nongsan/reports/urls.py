"""Pages of the provincial reports; config/urls.py mounts them at /bao-cao/."""

from django.urls import path

from nongsan.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("lap/", views.report_open, name="open"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/sua/", views.report_edit, name="edit"),
    path("<int:pk>/nop/", views.report_submit, name="submit"),
    path("<int:pk>/duyet/", views.report_approve, name="approve"),
    path("<int:pk>/tra-lai/", views.report_return, name="return"),
]
