"""Pages of trade; config/urls.py mounts them at /thu-mua/."""

from django.urls import path

from nongsan.trade import views

app_name = "trade"

urlpatterns = [
    path("", views.home, name="home"),
    path("yeu-cau/moi/", views.request_create, name="request-create"),
    path("yeu-cau/<int:pk>/", views.request_detail, name="request"),
    path("yeu-cau/<int:pk>/de-nghi/", views.offer_make, name="offer-make"),
    path("de-nghi/<int:pk>/tra-loi/", views.offer_answer, name="offer-answer"),
    path("thoa-thuan/<int:pk>/", views.deal_detail, name="deal"),
]
