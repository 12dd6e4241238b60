"""Pages of orders, mounted at /don-hang/."""

from django.urls import path

from nongsan.orders import guest_views, views

app_name = "orders"
urlpatterns = [
    path("", views.my_orders, name="mine"),
    path("gio-hang/", views.cart_page, name="cart"),
    path("gio-hang/them/", views.cart_add, name="cart-add"),
    path("dat-hang/", views.checkout_page, name="checkout"),
    path("khach/", guest_views.guest_start, name="guest-start"),
    path("khach/dat-hang/", guest_views.guest_checkout, name="guest-checkout"),
    path("khach/<str:token>/", guest_views.guest_orders, name="guest-orders"),
    path("<int:pk>/", views.order_page, name="order"),
    path("<int:pk>/trang-thai/", views.order_status, name="order-status"),
    path("<int:pk>/danh-gia/", views.review_write, name="review-write"),
    path("<int:pk>/tra-loi-danh-gia/", views.review_reply, name="review-reply"),
]
