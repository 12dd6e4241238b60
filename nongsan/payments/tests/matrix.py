"""Payouts in the permission matrix: money owed to a seller is for staff only."""

from __future__ import annotations

from django.utils import timezone

from nongsan.common.testing.permission_matrix import ScopedModel, register
from nongsan.orders.tests.factories import on_sale, placed_order
from nongsan.payments.permissions import visible_payouts
from nongsan.payments.services import payout_schedule

register(
    ScopedModel(
        label="payments.payout",
        create_in=lambda commune: payout_schedule(
            order=placed_order(on_sale(commune)), now=timezone.now()
        ),
        visible=visible_payouts,
    )
)
