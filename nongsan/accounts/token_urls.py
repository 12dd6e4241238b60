"""A person's API tokens, mounted at /tai-khoan/ma-truy-cap/ by config/urls.py."""

from django.urls import path

from nongsan.accounts import token_views

app_name = "tokens"
urlpatterns = [
    path("", token_views.token_list, name="list"),
    path("tao-moi/", token_views.token_create, name="create"),
    path("<int:token_id>/thu-hoi/", token_views.token_revoke, name="revoke"),
]
