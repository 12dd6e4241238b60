"""API routes of orders; config/urls.py includes them under /api/v1/."""

from django.urls import path

from nongsan.orders import api

urlpatterns = [
    path("checkouts/", api.CheckoutCreateView.as_view(), name="api-checkout-create"),
    path("orders/", api.OrderListView.as_view(), name="api-order-list"),
    path("orders/<int:pk>/", api.OrderDetailView.as_view(), name="api-order-detail"),
    path("orders/<int:pk>/status/", api.OrderStatusView.as_view(), name="api-order-status"),
]
