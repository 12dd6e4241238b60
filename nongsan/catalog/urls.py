"""Marketplace pages; config/urls.py mounts them at the site root (Vietnamese paths)."""

from django.urls import path

from nongsan.catalog import views

app_name = "catalog"
urlpatterns = [
    path("cho/", views.market, name="market"),
    path("cho/<int:pk>/", views.listing_page, name="listing-page"),
    path("cho/mua-nay/", views.in_season, name="in-season"),
    path("cho/<int:pk>/trang-thai/", views.listing_status, name="listing-status"),
    path("cho/<int:pk>/sua/", views.listing_edit, name="listing-edit"),
    path("cho/<int:pk>/anh/", views.listing_photo_add, name="listing-photo-add"),
    path("cho/<int:pk>/chinh-sua/", views.listing_edit_page, name="listing-edit-page"),
    path(
        "cho/<int:pk>/anh/<int:photo_pk>/xoa/",
        views.listing_photo_remove,
        name="listing-photo-remove",
    ),
    path(
        "cho/<int:pk>/anh/<int:photo_pk>/chuyen/",
        views.listing_photo_move,
        name="listing-photo-move",
    ),
    path("cho/<int:pk>/lo/", views.listing_lot_add, name="listing-lot-add"),
    path("cho/dang-ban/", views.sell, name="sell-start"),
    path("cho/dang-ban/<int:step>/", views.sell, name="sell"),
    path("san-pham/<slug:slug>/", views.produce_type_page, name="produce-type-page"),
    path("gian-hang/<int:pk>/", views.household_shop, name="household-shop"),
    path("gian-hang/<int:pk>/nhan-lo.pdf", views.lot_labels, name="lot-labels"),
    path("gian-hang/hop-tac-xa/<int:pk>/", views.cooperative_shop, name="cooperative-shop"),
    path("truy-xuat/<str:code>/", views.lot_page, name="lot-page"),
    path("truy-xuat/<str:code>/qr.svg", views.lot_qr_svg, name="lot-qr-svg"),
    path("truy-xuat/<str:code>/qr.png", views.lot_qr_png, name="lot-qr-png"),
]
