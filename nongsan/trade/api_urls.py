"""API routes of trade; config/urls.py includes them under /api/v1/."""

from django.urls import path

from nongsan.trade import api

urlpatterns = [
    path("buy-requests/", api.BuyRequestListView.as_view(), name="api-buy-request-list"),
    path(
        "buy-requests/<int:pk>/", api.BuyRequestDetailView.as_view(), name="api-buy-request-detail"
    ),
    path(
        "buy-requests/<int:pk>/matches/",
        api.BuyRequestMatchesView.as_view(),
        name="api-buy-request-matches",
    ),
    path("supply-offers/", api.SupplyOfferListView.as_view(), name="api-supply-offer-list"),
    path("offers/", api.OfferListView.as_view(), name="api-offer-list"),
    path("offers/<int:pk>/", api.OfferDetailView.as_view(), name="api-offer-detail"),
    path("offers/<int:pk>/answer/", api.OfferAnswerView.as_view(), name="api-offer-answer"),
    path("deals/", api.DealListView.as_view(), name="api-deal-list"),
    path("deals/<int:pk>/", api.DealDetailView.as_view(), name="api-deal-detail"),
    path("deals/<int:pk>/contact/", api.DealContactView.as_view(), name="api-deal-contact"),
    path("deals/<int:pk>/order/", api.DealOrderView.as_view(), name="api-deal-order"),
]
