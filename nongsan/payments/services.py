"""Writes of the payments app: scheduling payouts of cash on delivery and recording the
bank's transfer notices without ever crediting one twice."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from nongsan.audit.services import audit_record
from nongsan.orders.models import Order, OrderStatus, PaymentMethod, PaymentStatus
from nongsan.payments.models import BankNotification, NotificationOutcome, Payout

DEFAULT_PAYOUT_HOLD = datetime.timedelta(days=3)
_REFERENCE = re.compile(r"DH[A-Z0-9]{8}")


def payout_schedule(*, order: Order, now: datetime.datetime) -> Payout:
    """Owe the seller the goods money of a delivered cash-on-delivery order, after a hold."""
    hold = getattr(settings, "PAYMENTS_PAYOUT_HOLD", DEFAULT_PAYOUT_HOLD)
    with transaction.atomic():
        payout, created = Payout.objects.get_or_create(
            order=order,
            defaults={
                "amount_vnd": order.goods_vnd,
                "due_at": now + hold,
                "province_id": order.province_id,
                "commune_id": order.commune_id,
            },
        )
        if created:
            audit_record(
                action="payments.payout_schedule",
                target=payout,
                changes={"amount_vnd": [None, payout.amount_vnd]},
            )
    return payout


def reference_in(description: str) -> str:
    """The order reference a buyer's transfer description carries (banks add their own
    words and may drop spaces or change case)."""
    match = _REFERENCE.search(re.sub(r"[^A-Za-z0-9]", "", description or "").upper())
    return match.group(0) if match else ""


def bank_notification_record(
    *,
    notification_id: str,
    amount_vnd: int,
    description: str,
    sent_at: datetime.datetime,
    body: dict[str, Any],
    now: datetime.datetime | None = None,
) -> tuple[BankNotification, bool]:
    """Record one transfer notice and credit its order when everything matches.

    Answers the notice and whether it is new: a repeated ``notification_id`` returns the
    first record and changes nothing. A wrong amount, an unknown reference or an order
    already paid is recorded for reconciliation and credits nothing.
    """
    now = now or timezone.now()
    existing = BankNotification.objects.filter(notification_id=notification_id).first()
    if existing is not None:
        return existing, False
    reference = reference_in(description)
    try:
        with transaction.atomic():
            order = (
                Order.objects.select_for_update(of=("self",))
                .filter(reference=reference, payment_method=PaymentMethod.VIETQR)
                .first()
                if reference
                else None
            )
            if order is None:
                outcome = NotificationOutcome.UNKNOWN_REFERENCE
            elif order.payment_status != PaymentStatus.UNPAID:
                outcome = NotificationOutcome.ALREADY_PAID
            elif amount_vnd != order.total_vnd:
                outcome = NotificationOutcome.AMOUNT_MISMATCH
            else:
                outcome = NotificationOutcome.CREDITED
            notice = BankNotification.objects.create(
                notification_id=notification_id,
                received_at=now,
                sent_at=sent_at,
                amount_vnd=amount_vnd,
                description=description[:300],
                reference=reference,
                order=order,
                outcome=outcome,
                body=body,
            )
            if order is not None and outcome == NotificationOutcome.CREDITED:
                order.payment_status = PaymentStatus.PAID
                order.save(update_fields=["payment_status"])
                if order.status == OrderStatus.PLACED:
                    # Paid: the stock stays held until the seller's confirmation deadline.
                    from nongsan.orders.conf import limit

                    order.reservations.filter(status="held").update(
                        expires_at=order.placed_at + limit("ORDERS_CONFIRMATION_DEADLINE")
                    )
                audit_record(
                    action="payments.order_paid",
                    target=order,
                    actor=None,
                    changes={"payment_status": [PaymentStatus.UNPAID, PaymentStatus.PAID]},
                )
    except IntegrityError:
        # The same notice arrived twice at once: the other request recorded it.
        return BankNotification.objects.get(notification_id=notification_id), False
    return notice, True
