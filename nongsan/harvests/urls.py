"""Pages of the harvest calendar; config/urls.py mounts them at /lich-mua-vu/."""

from django.urls import path

from nongsan.harvests import views

app_name = "harvests"

urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("giai-cuu/<int:pk>/", views.campaign_page, name="campaign"),
    path("canh-bao/", views.glut_alert_list, name="glut-alerts"),
    path("muc/<int:pk>/sua/", views.calendar_entry_edit, name="entry-edit"),
]
