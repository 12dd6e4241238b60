"""Read-only admin of the outbox: messages are written by the sender and removed by purging."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from nongsan.messaging.models import OutboundMessage
from nongsan.messaging.selectors import recipient_key


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "shown_recipient", "purpose", "status", "attempts"]
    list_filter = ["channel", "status"]
    search_fields = ["recipient", "purpose"]
    ordering = ["-created_at", "-pk"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = readonly_fields = (
        "channel",
        "shown_recipient",
        "purpose",
        "language",
        "subject",
        "shown_body",
        "backend",
        "status",
        "error",
        "provider_message_id",
        "attempts",
        "created_at",
        "sent_at",
    )

    @admin.display(description=_("người nhận"), ordering="recipient")
    def shown_recipient(self, message: OutboundMessage) -> str:
        return message.recipient if message.stayed_local else message.masked_recipient

    @admin.display(description=_("nội dung"))
    def shown_body(self, message: OutboundMessage) -> str:
        """The body only of a message that never left this machine: others may hold a code."""
        if message.stayed_local:
            return message.body
        return str(_("Đã gửi qua nhà cung cấp, nội dung được ẩn."))

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[OutboundMessage], search_term: str
    ) -> tuple[QuerySet[OutboundMessage], bool]:
        """A phone number finds its messages however it is typed ("0912 345 678")."""
        term = search_term.strip()
        if not term:
            return queryset, False
        matches = Q(recipient=recipient_key(term)) | Q(recipient__contains=term)
        return queryset.filter(matches | Q(purpose__contains=term)), False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
