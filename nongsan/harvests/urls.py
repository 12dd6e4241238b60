"""Pages of the harvest calendar; config/urls.py mounts them at /lich-mua-vu/."""

from django.urls import path

from nongsan.harvests import views

app_name = "harvests"

urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("giai-cuu/<int:pk>/", views.campaign_page, name="campaign"),
    path("giai-cuu/<int:pk>/tien-do/", views.campaign_progress, name="campaign-progress"),
    path("canh-bao/", views.glut_alert_list, name="glut-alerts"),
    path("muc/<int:pk>/sua/", views.calendar_entry_edit, name="entry-edit"),
    path("canh-bao/<int:pk>/giai-cuu/", views.campaign_from_alert, name="campaign-new"),
    path("thu-hoach/", views.my_harvests, name="my-harvests"),
    path("thu-hoach/bao/", views.announcement_new, name="announcement-new"),
    path("thu-hoach/<int:pk>/", views.announcement_detail, name="announcement"),
    path("vu-trong/ghi/", views.planting_new, name="planting-new"),
]
