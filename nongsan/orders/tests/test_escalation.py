"""Orders nobody confirms climb from the seller to the assistant to the commune officer,
then are cancelled; the clock is driven by passing ``now``."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from nongsan.accounts.models import Role
from nongsan.accounts.services import assistance_assign_household
from nongsan.accounts.tests.factories import grant
from nongsan.messaging.models import OutboundMessage
from nongsan.orders.models import OrderStatus
from nongsan.orders.services import order_transition, orders_escalate
from nongsan.orders.tasks import orders_escalate_task, reservations_expire_task
from nongsan.orders.tests.factories import last_event, on_sale, placed_order, seller_household
from nongsan.producers.tests.factories import make_user, staff_user

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def placed_at():
    return timezone.now().replace(microsecond=0)


def _order_with_helpers(placed_at):
    order = placed_order(now=placed_at)
    assistant = make_user()
    grant(assistant, Role.ASSISTANT, order.commune)
    assistance_assign_household(
        assigned_by=staff_user(), assistant=assistant, household=seller_household(order)
    )
    officer = make_user()
    grant(officer, Role.COMMUNE_OFFICER, order.commune)
    return order, assistant, officer


def _sent(purpose: str) -> list[str]:
    return list(
        OutboundMessage.objects.filter(purpose=purpose)
        .order_by("pk")
        .values_list("recipient", flat=True)
    )


def test_nothing_happens_before_the_reminder_time(admin_units, placed_at):
    order = placed_order(now=placed_at)
    assert orders_escalate(now=placed_at + 5 * HOUR)["reminded"] == 0
    order.refresh_from_db()
    assert order.escalation_level == 0


def test_the_seller_is_reminded_after_six_hours_once(admin_units, placed_at):
    order, _assistant, _officer = _order_with_helpers(placed_at)
    assert orders_escalate(now=placed_at + 6 * HOUR)["reminded"] == 1
    assert orders_escalate(now=placed_at + 7 * HOUR)["reminded"] == 0
    assert _sent("order_reminder") == [seller_household(order).phone]
    assert _sent("order_escalation") == []


def test_then_the_assistant_then_the_commune_officer(admin_units, placed_at):
    _order, assistant, officer = _order_with_helpers(placed_at)
    orders_escalate(now=placed_at + 6 * HOUR)
    assert orders_escalate(now=placed_at + 12 * HOUR)["assistant"] == 1
    assert _sent("order_escalation") == [assistant.phone]
    assert orders_escalate(now=placed_at + 18 * HOUR)["officer"] == 1
    assert _sent("order_escalation") == [assistant.phone, officer.phone]


def test_at_the_deadline_the_order_is_cancelled_and_the_buyer_told(admin_units, placed_at):
    row = on_sale(stock_quantity=3)
    order = placed_order(row, quantity=3, now=placed_at)
    assert orders_escalate(now=placed_at + 24 * HOUR)["cancelled"] == 1
    order.refresh_from_db()
    row.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert row.stock_quantity == 3
    assert order.buyer_phone in _sent("order_cancelled")
    assert last_event(order).actor_role == "system"


def test_a_confirmed_order_is_not_chased(admin_units, placed_at):
    order = placed_order(now=placed_at)
    order_transition(order=order, to_status=OrderStatus.CONFIRMED, by=staff_user())
    assert orders_escalate(now=placed_at + 30 * HOUR) == {
        "reminded": 0,
        "assistant": 0,
        "officer": 0,
        "cancelled": 0,
    }


def test_the_time_limits_come_from_settings(admin_units, placed_at, settings):
    settings.ORDERS_REMIND_SELLER_AFTER = datetime.timedelta(minutes=30)
    placed_order(now=placed_at)
    assert orders_escalate(now=placed_at + HOUR)["reminded"] == 1


def test_the_tasks_run_the_services(admin_units):
    placed_order(now=timezone.now() - 30 * HOUR)
    result = orders_escalate_task.enqueue().return_value
    assert result is not None
    assert result["cancelled"] == 1
    assert reservations_expire_task.enqueue().return_value == 0
