"""Admin pieces shared by the apps whose rows only their services write."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class NothingWritten:
    """No add, change or delete from the admin: the services check the rules and audit."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(NothingWritten, admin.ModelAdmin):
    """Rows written only by services: shown, searched, never added, changed or deleted here."""


class ReadOnlyInline(NothingWritten, admin.TabularInline):
    """An inline of such rows, equally read-only."""

    extra = 0
