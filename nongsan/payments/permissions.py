"""Who may see payment records: staff administrators only (bank notices carry other
people's transfer descriptions; payouts are money owed to sellers)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from nongsan.payments.models import BankNotification, Payout
from nongsan.producers.permissions import is_staff_administrator


def visible_bank_notifications(user: Any) -> QuerySet[BankNotification]:
    if is_staff_administrator(user):
        return BankNotification.objects.all()
    return BankNotification.objects.none()


def editable_bank_notifications(user: Any) -> QuerySet[BankNotification]:
    return visible_bank_notifications(user)


def visible_payouts(user: Any) -> QuerySet[Payout]:
    if is_staff_administrator(user):
        return Payout.objects.all()
    return Payout.objects.none()
