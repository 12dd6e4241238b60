"""Onboarding pages; config/urls.py mounts them at /lo-trinh/."""

from django.urls import path

from nongsan.onboarding import views

app_name = "onboarding"
urlpatterns = [
    path("", views.funnel_page, name="funnel"),
    path("ho/<int:pk>/", views.household_stages, name="household-stages"),
    path("tap-huan/", views.session_list, name="session-list"),
    path("tap-huan/<int:pk>/", views.session_detail, name="session-detail"),
    path("tap-huan/<int:pk>/diem-danh/", views.attendance_record, name="attendance-record"),
]
