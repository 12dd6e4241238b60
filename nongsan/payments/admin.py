"""Admin for payments: read-only; notices arrive through the webhook, payouts through the
order lifecycle."""

from __future__ import annotations

from django.contrib import admin

from nongsan.catalog.admin import ReadOnlyAdmin
from nongsan.payments.models import BankNotification, Payout


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = ["order", "amount_vnd", "due_at", "status"]
    list_filter = ["status", "due_at"]
    search_fields = ["order__reference"]
    list_select_related = ["order"]
    raw_id_fields = ["order", "province", "commune"]


@admin.register(BankNotification)
class BankNotificationAdmin(ReadOnlyAdmin):
    list_display = ["notification_id", "amount_vnd", "reference", "outcome", "received_at"]
    list_filter = ["outcome", "received_at"]
    search_fields = ["notification_id", "reference", "description"]
    raw_id_fields = ["order"]
