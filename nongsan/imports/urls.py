"""Import and export pages; config/urls.py mounts them at /nhap-du-lieu/."""

from django.urls import path

from nongsan.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.job_list, name="job-list"),
    path("<int:pk>/ghep-cot/", views.job_mapping, name="job-mapping"),
    path("<int:pk>/", views.job_detail, name="job-detail"),
    path("<int:pk>/tien-do/", views.job_progress, name="job-progress"),
    path("<int:pk>/bao-cao.xlsx", views.job_report, name="job-report"),
    path("<int:pk>/nhap/", views.job_confirm, name="job-confirm"),
    path("xuat-so-dang-ky/", views.registry_export, name="registry-export"),
]
