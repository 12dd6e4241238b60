from django.contrib.auth.views import LogoutView
from django.urls import path

from nongsan.accounts import views

app_name = "accounts"
urlpatterns = [
    path("dang-ky/", views.sign_up, name="sign-up"),
    path("xac-nhan/", views.confirm, name="confirm"),
    path("dang-nhap/", views.PhoneLoginView.as_view(), name="login"),
    path("dang-xuat/", LogoutView.as_view(), name="logout"),
    path("quen-mat-khau/", views.password_reset_request, name="password-reset"),
    path("dat-lai-mat-khau/", views.password_reset_complete, name="password-reset-complete"),
    path("ho-so/", views.profile, name="profile"),
    path("doi-so-dien-thoai/", views.phone_change, name="phone-change"),
    path("phan-quyen/", views.grant_list, name="grants"),
    path("phan-quyen/<int:grant_id>/thu-hoi/", views.grant_revoke, name="grant-revoke"),
]
