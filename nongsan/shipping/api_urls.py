"""API routes of shipping; config/urls.py includes them under /api/v1/."""

from django.urls import path

from nongsan.shipping import api

urlpatterns = [
    path("shipping/quote/", api.ShippingQuoteView.as_view(), name="api-shipping-quote"),
    path(
        "shipments/<int:pk>/events/",
        api.ShipmentEventsView.as_view(),
        name="api-shipment-events",
    ),
]
