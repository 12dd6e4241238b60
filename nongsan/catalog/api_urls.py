"""API routes of the catalog; config/urls.py includes them under /api/v1/."""

from django.urls import path

from nongsan.catalog import api

urlpatterns = [
    path("produce-types/", api.ProduceTypeListView.as_view(), name="api-produce-type-list"),
    path("listings/", api.ListingListView.as_view(), name="api-listing-list"),
    path("listings/<int:pk>/", api.ListingDetailView.as_view(), name="api-listing-detail"),
    path("lots/<str:code>/", api.LotDetailView.as_view(), name="api-lot-detail"),
]
