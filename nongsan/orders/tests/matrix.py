"""Orders in the permission matrix: an order placed with a seller of a commune.

Officers of the seller's area see it (read only); another area's officers and assistants,
strangers and anonymous visitors do not, through the querysets, the pages and the API.
"""

from __future__ import annotations

from django.urls import reverse

from nongsan.accounts.models import Role
from nongsan.common.testing.permission_matrix import ScopedModel, register
from nongsan.orders.permissions import editable_orders, visible_orders
from nongsan.orders.tests.factories import on_sale, placed_order

register(
    ScopedModel(
        label="orders.order",
        create_in=lambda commune: placed_order(on_sale(commune)),
        visible=visible_orders,
        editable=editable_orders,
        seen_by=frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.MINISTRY}),
        page_urls=lambda row: [reverse("orders:order", args=[row.pk])],
        write_urls=lambda row: [reverse("orders:order-status", args=[row.pk])],
        api_urls=lambda row: [reverse("api-order-detail", args=[row.pk])],
    )
)
