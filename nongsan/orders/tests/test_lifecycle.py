"""The order lifecycle: every step checked, attributed, audited and told."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nongsan.accounts.models import Role
from nongsan.accounts.services import assistance_assign_household
from nongsan.accounts.tests.factories import grant
from nongsan.audit.models import AuditEntry
from nongsan.catalog.models import ListingStatus
from nongsan.messaging.models import OutboundMessage
from nongsan.orders.models import OrderEvent, OrderStatus, PaymentStatus, ReservationStatus
from nongsan.orders.services import order_transition
from nongsan.orders.tests.factories import (
    buyer,
    last_event,
    on_sale,
    placed_order,
    postal_staff,
    seller_household,
)
from nongsan.payments.models import Payout
from nongsan.producers.tests.factories import make_user, staff_user

pytestmark = pytest.mark.django_db

S = OrderStatus


def _seller(order):
    """The household's own account, created on the fly."""
    household = order.household
    if household.user is None:
        household.user = make_user()
        household.save(update_fields=["user"])
    return household.user


def _carrier():
    return postal_staff()


def test_a_seller_confirms_and_the_stock_is_committed(admin_units):
    order = placed_order()
    order_transition(order=order, to_status=S.CONFIRMED, by=_seller(order))
    order.refresh_from_db()
    assert order.status == S.CONFIRMED
    assert order.reservations.get().status == ReservationStatus.COMMITTED
    event = last_event(order)
    assert (event.from_status, event.to_status, event.actor_role) == (
        "placed",
        "confirmed",
        "seller",
    )
    assert AuditEntry.objects.filter(action="orders.order_transition").count() == 1
    assert OutboundMessage.objects.filter(
        purpose="order_confirmed", recipient=order.buyer_phone
    ).exists()


def test_the_whole_journey_of_a_cod_order_ends_with_a_payout(admin_units):
    order = placed_order()
    seller, carrier, who = _seller(order), _carrier(), order.buyer
    steps = [
        (S.CONFIRMED, seller),
        (S.PACKED, seller),
        (S.HANDED_TO_CARRIER, seller),
        (S.IN_TRANSIT, carrier),
        (S.DELIVERED, carrier),
        (S.COMPLETED, who),
    ]
    for status, person in steps:
        order_transition(order=order, to_status=status, by=person)
    order.refresh_from_db()
    assert order.status == S.COMPLETED
    assert order.payment_status == PaymentStatus.PAID
    assert [event.to_status for event in order.events.all()] == ["placed"] + [s for s, _p in steps]
    payout = Payout.objects.get(order=order)
    assert payout.amount_vnd == order.goods_vnd


def test_a_step_cannot_be_skipped(admin_units):
    order = placed_order()
    with pytest.raises(ValidationError, match="Không thể chuyển đơn"):
        order_transition(order=order, to_status=S.DELIVERED, by=staff_user())
    order.refresh_from_db()
    assert order.status == S.PLACED
    assert not OrderEvent.objects.filter(to_status=S.DELIVERED).exists()


def test_an_unknown_status_is_refused_in_vietnamese(admin_units):
    with pytest.raises(ValidationError, match="Không có trạng thái đơn"):
        order_transition(order=placed_order(), to_status="teleported", by=staff_user())


def test_the_buyer_cannot_confirm_their_own_order(admin_units):
    order = placed_order()
    with pytest.raises(PermissionDenied):
        order_transition(order=order, to_status=S.CONFIRMED, by=order.buyer)


def test_a_stranger_cannot_cancel_an_order(admin_units):
    order = placed_order()
    with pytest.raises(PermissionDenied):
        order_transition(order=order, to_status=S.CANCELLED, by=buyer())


def test_the_seller_cannot_mark_delivery_only_the_carrier_can(admin_units):
    order = placed_order()
    seller = _seller(order)
    for status in (S.CONFIRMED, S.PACKED, S.HANDED_TO_CARRIER):
        order_transition(order=order, to_status=status, by=seller)
    with pytest.raises(PermissionDenied):
        order_transition(order=order, to_status=S.IN_TRANSIT, by=seller)
    order_transition(order=order, to_status=S.IN_TRANSIT, by=_carrier())


def test_an_assistant_confirms_on_behalf_of_the_household(admin_units):
    order = placed_order()
    assistant = make_user()
    grant(assistant, Role.ASSISTANT, order.commune)
    assistance_assign_household(
        assigned_by=staff_user(), assistant=assistant, household=seller_household(order)
    )
    order_transition(order=order, to_status=S.CONFIRMED, by=assistant)
    event = last_event(order)
    assert (event.actor, event.actor_role) == (assistant, "seller")


def test_cancelling_gives_the_stock_back_and_tells_the_seller(admin_units):
    row = on_sale(stock_quantity=2)
    order = placed_order(row, quantity=2)
    row.refresh_from_db()
    assert row.status == ListingStatus.SOLD_OUT
    order_transition(order=order, to_status=S.CANCELLED, by=order.buyer, note="Đặt nhầm")
    row.refresh_from_db()
    assert (row.stock_quantity, row.status) == (2, ListingStatus.ACTIVE)
    assert last_event(order).note == "Đặt nhầm"
    assert OutboundMessage.objects.filter(purpose="order_cancelled").count() == 2


def test_a_confirmed_order_cancelled_by_the_seller_restocks(admin_units):
    row = on_sale(stock_quantity=10)
    order = placed_order(row, quantity=4)
    seller = _seller(order)
    order_transition(order=order, to_status=S.CONFIRMED, by=seller)
    order_transition(order=order, to_status=S.CANCELLED, by=seller)
    row.refresh_from_db()
    assert row.stock_quantity == 10


def test_the_buyer_cannot_cancel_once_confirmed(admin_units):
    order = placed_order()
    order_transition(order=order, to_status=S.CONFIRMED, by=_seller(order))
    with pytest.raises(PermissionDenied):
        order_transition(order=order, to_status=S.CANCELLED, by=order.buyer)


def test_an_unpaid_order_cannot_be_refunded(admin_units):
    order = placed_order()
    order_transition(order=order, to_status=S.CANCELLED, by=order.buyer)
    with pytest.raises(ValidationError, match="chưa được thanh toán"):
        order_transition(order=order, to_status=S.REFUNDED, by=staff_user())


def test_a_too_long_note_is_refused(admin_units):
    order = placed_order()
    with pytest.raises(ValidationError, match="300 ký tự"):
        order_transition(order=order, to_status=S.CANCELLED, by=order.buyer, note="x" * 301)
    order.refresh_from_db()
    assert order.status == S.PLACED
