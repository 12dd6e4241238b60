"""Pages of shipping for postal staff, mounted at /van-chuyen/."""

from django.urls import path

from nongsan.shipping import views

app_name = "shipping"
urlpatterns = [
    path("gom-hang/", views.pickups_page, name="pickups"),
    path("don/", views.deliveries_page, name="deliveries"),
    path("don/<int:pk>/", views.delivery_page, name="delivery"),
]
