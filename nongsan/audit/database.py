"""The database's own guard of the audit trail: triggers that refuse UPDATE and DELETE.

The triggers are created by migration ``0002_append_only_triggers``. On SQLite, Django
rebuilds a table to alter it (create, copy, drop, rename), which drops its triggers: a later
migration that alters ``AuditEntry`` must recreate them. The system check ``audit.W001``
(``manage.py check --database default``, also run by ``migrate``) and a test catch a trail
left unguarded. It warns rather than fails, so that ``migrate`` can still apply the migration
that puts the triggers back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core import checks
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from nongsan.audit.models import AuditEntry

GUARD_MIGRATION = ("audit", "0002_append_only_triggers")
POSTGRESQL_TRIGGERS = frozenset({"audit_entry_append_only"})
SQLITE_TRIGGERS = frozenset({"audit_entry_no_update", "audit_entry_no_delete"})


def installed_guard_triggers(connection: Any) -> set[str]:
    """The names of the append-only triggers present on the audit table."""
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [table],
            )
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [table],
            )
        else:
            return set()
        return {name for (name,) in cursor.fetchall()}


def expected_guard_triggers(connection: Any) -> frozenset[str]:
    if connection.vendor == "postgresql":
        return POSTGRESQL_TRIGGERS
    if connection.vendor == "sqlite":
        return SQLITE_TRIGGERS
    return frozenset()


def check_guard_triggers(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list:
    """System check: the audit table of each checked database still has its triggers."""
    warnings = []
    for alias in databases or ():
        connection = connections[alias]
        if GUARD_MIGRATION not in MigrationRecorder(connection).applied_migrations():
            continue  # not migrated yet: migrate installs them
        missing = expected_guard_triggers(connection) - installed_guard_triggers(connection)
        if missing:
            warnings.append(
                checks.Warning(
                    f"the audit trail of database {alias!r} lacks its append-only "
                    f"triggers: {', '.join(sorted(missing))}",
                    hint="Recreate them in a migration (see nongsan/audit/database.py).",
                    id="audit.W001",
                )
            )
    return warnings


@contextmanager
def sqlite_guard_lifted(connection: Any) -> Iterator[None]:
    """Drop the SQLite triggers for the block and put the same ones back afterwards.

    Only ``manage.py flush`` uses this, because on SQLite it empties tables with DELETE
    (PostgreSQL uses TRUNCATE, which row triggers do not see): wiping the whole database is
    an administrator's deliberate act, which the test suite repeats between transactional
    tests.
    """
    if connection.vendor != "sqlite":
        yield
        return
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            [table],
        )
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, sql in triggers:
                cursor.execute(sql)
