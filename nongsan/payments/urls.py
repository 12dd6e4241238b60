"""Pages of payments, mounted at /thanh-toan/."""

from django.urls import path

from nongsan.payments import views

app_name = "payments"
urlpatterns = [
    path("doi-soat/", views.reconciliation, name="reconciliation"),
]
