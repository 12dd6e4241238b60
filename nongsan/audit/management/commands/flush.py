"""``manage.py flush``, able to empty the audit trail on SQLite as it already can on PostgreSQL.

Django's own command, unchanged, except that on SQLite the append-only triggers are lifted
while it runs (see :func:`nongsan.audit.database.sqlite_guard_lifted`). Without this, any
transactional test that wrote an audit entry could not be cleaned up on SQLite.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections

from nongsan.audit.database import sqlite_guard_lifted


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        with sqlite_guard_lifted(connection):
            super().handle(**options)
