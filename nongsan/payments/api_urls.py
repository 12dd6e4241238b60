"""API routes of payments; config/urls.py includes them under /api/v1/."""

from django.urls import path

from nongsan.payments import api

urlpatterns = [
    path("payments/webhook/", api.PaymentWebhookView.as_view(), name="api-payment-webhook"),
]
