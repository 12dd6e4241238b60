"""Registry pages; config/urls.py mounts them at /ho-san-xuat/."""

from django.urls import path

from nongsan.producers import views

app_name = "producers"
urlpatterns = [
    path("", views.household_list, name="household-list"),
    path("dang-ky/", views.household_register, name="household-register"),
    path("dang-ky/goi-y-dia-chi/", views.address_suggestions, name="address-suggestions"),
    path("<int:pk>/", views.household_detail, name="household-detail"),
    path("<int:pk>/xem-cccd/", views.household_reveal_citizen_id, name="household-reveal"),
    path("<int:pk>/du-lieu.json", views.household_export, name="household-export"),
    path("<int:pk>/rut-dong-y/", views.consent_withdraw, name="consent-withdraw"),
]
