"""API routes of the catalog; config/urls.py includes them under /api/v1/."""

from django.urls import path

from nongsan.catalog import api

urlpatterns = [
    path("produce-types/", api.ProduceTypeListView.as_view(), name="api-produce-type-list"),
    path("listings/", api.ListingListView.as_view(), name="api-listing-list"),
    path("listings/<int:pk>/", api.ListingDetailView.as_view(), name="api-listing-detail"),
    path(
        "listings/<int:pk>/photos/",
        api.ListingPhotoCreateView.as_view(),
        name="api-listing-photo-create",
    ),
    path(
        "listings/<int:pk>/lots/", api.ListingLotCreateView.as_view(), name="api-listing-lot-create"
    ),
    path("lots/<str:code>/", api.LotDetailView.as_view(), name="api-lot-detail"),
]
