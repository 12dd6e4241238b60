"""Who may read the outbox: staff only, because message bodies hold one-time codes."""

from __future__ import annotations

from typing import Any


def can_read_outbox(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)
