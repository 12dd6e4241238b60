"""Export pages; config/urls.py mounts them at /xuat-tep/."""

from django.urls import path

from nongsan.exports import views

app_name = "exports"

urlpatterns = [
    path("", views.job_list, name="job-list"),
    path("tao/", views.job_create, name="job-create"),
    path("<int:pk>/", views.job_detail, name="job-detail"),
    path("<int:pk>/trang-thai/", views.job_status, name="job-status"),
    path("<int:pk>/tai-ve/", views.job_download, name="job-download"),
]
