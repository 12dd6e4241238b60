"""Trade in the permission matrix: a buy request placed in a commune (buying in its
province), a supply offer, an offer and a deal with a seller of a commune.

Officers of the area see them; assistants of the area see a buy request (it targets where
they sell) but not another seller's offers; another area sees nothing, through the
querysets, the pages and the API.
"""

from __future__ import annotations

from django.urls import reverse

from nongsan.accounts.models import Role
from nongsan.catalog.tests.factories import selling_household
from nongsan.common.testing.permission_matrix import ScopedModel, register
from nongsan.producers.tests.factories import staff_user
from nongsan.trade import services
from nongsan.trade.permissions import (
    editable_buy_requests,
    editable_supply_offers,
    visible_buy_requests,
    visible_deals,
    visible_offers,
    visible_supply_offers,
)
from nongsan.trade.tests.factories import buy_request, harvest, offer_on, supply_offer

OFFICERS = frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.MINISTRY})


def _offer_in(commune):
    seller = selling_household(commune)
    return offer_on(buy_request(commune=commune), harvest(seller=seller))


def _deal_in(commune):
    return services.offer_accept(user=staff_user(), offer=_offer_in(commune))


register(
    ScopedModel(
        label="trade.buyrequest",
        create_in=lambda commune: buy_request(commune=commune),
        visible=visible_buy_requests,
        editable=editable_buy_requests,
        seen_by=OFFICERS | {Role.ASSISTANT},
        page_urls=lambda row: [reverse("trade:request", args=[row.pk])],
        api_urls=lambda row: [
            reverse("api-buy-request-detail", args=[row.pk]),
            reverse("api-buy-request-matches", args=[row.pk]),
        ],
    )
)
register(
    ScopedModel(
        label="trade.supplyoffer",
        create_in=lambda commune: supply_offer(selling_household(commune)),
        visible=visible_supply_offers,
        editable=editable_supply_offers,
        seen_by=OFFICERS,
    )
)
register(
    ScopedModel(
        label="trade.offer",
        create_in=_offer_in,
        visible=visible_offers,
        seen_by=OFFICERS,
        write_urls=lambda row: [reverse("trade:offer-answer", args=[row.pk])],
        api_urls=lambda row: [reverse("api-offer-detail", args=[row.pk])],
    )
)
register(
    ScopedModel(
        label="trade.deal",
        create_in=_deal_in,
        visible=visible_deals,
        seen_by=OFFICERS,
        page_urls=lambda row: [reverse("trade:deal", args=[row.pk])],
        api_urls=lambda row: [
            reverse("api-deal-detail", args=[row.pk]),
            reverse("api-deal-contact", args=[row.pk]),
        ],
    )
)
