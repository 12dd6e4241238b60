"""Reads of the payments app: where a transfer for an order goes, what staff must reconcile."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from nongsan.payments.models import BankNotification, NotificationOutcome
from nongsan.payments.vietqr import build_payload


@dataclass(frozen=True)
class TransferAccount:
    bank_bin: str
    account_number: str
    holder: str
    is_platform: bool


def platform_account() -> TransferAccount | None:
    """The platform's collecting account (setting ``PAYMENTS_PLATFORM_ACCOUNT``), if any."""
    account = getattr(settings, "PAYMENTS_PLATFORM_ACCOUNT", None)
    if not account:
        return None
    return TransferAccount(
        bank_bin=account["bin"],
        account_number=account["account"],
        holder=account.get("holder", ""),
        is_platform=True,
    )


def transfer_account_for(row: Any) -> TransferAccount | None:
    """Where a buyer's transfer goes for a listing or an order: the platform's account when
    one is configured (it then pays sellers out), otherwise the selling household's own."""
    platform = platform_account()
    if platform is not None:
        return platform
    household = getattr(row, "household", None)
    if household is not None and household.bank_bin and household.bank_account_number:
        return TransferAccount(
            bank_bin=household.bank_bin,
            account_number=household.bank_account_number,
            holder=household.bank_account_holder,
            is_platform=False,
        )
    return None


def order_payment_payload(order: Any) -> str | None:
    """The VietQR text for paying ``order``: its total, its reference as the description."""
    account = transfer_account_for(order)
    if account is None:
        return None
    return build_payload(account.bank_bin, account.account_number, order.total_vnd, order.reference)


def notifications_to_reconcile() -> QuerySet[BankNotification]:
    """Notices that credited nothing and nobody has resolved yet, oldest first."""
    return (
        BankNotification.objects.exclude(outcome=NotificationOutcome.CREDITED)
        .filter(resolved_at__isnull=True)
        .select_related("order")
        .order_by("received_at", "pk")
    )
