"""Nobody changes history: not the ORM, not a queryset bypass, not raw SQL, on both databases."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, models, transaction
from django.db.models.deletion import ProtectedError

from nongsan.accounts.tests.factories import UserFactory
from nongsan.audit.database import (
    check_guard_triggers,
    expected_guard_triggers,
    installed_guard_triggers,
)
from nongsan.audit.models import AppendOnlyError, AuditEntry
from nongsan.audit.services import audit_record
from nongsan.audit.tests.factories import AuditEntryFactory

pytestmark = pytest.mark.django_db

TABLE = AuditEntry._meta.db_table


def _unchanged(entry: AuditEntry) -> bool:
    stored = AuditEntry.objects.get(pk=entry.pk)
    return stored.action == entry.action and stored.target_repr == entry.target_repr


def test_the_queryset_refuses_update_and_delete():
    entry = AuditEntryFactory.create()

    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x.y")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["action"])
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update_or_create(pk=entry.pk, defaults={"action": "x.y"})
    assert _unchanged(entry)


def test_an_entry_cannot_be_saved_again_or_deleted():
    entry = AuditEntryFactory.create()
    entry.action = "changed.action"

    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.save(update_fields=["action"])
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).action != "changed.action"


def test_a_new_entry_built_with_an_existing_id_does_not_overwrite_it():
    entry = AuditEntryFactory.create(action="first.action")

    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry(pk=entry.pk, action="second.action").save()
    assert AuditEntry.objects.get(pk=entry.pk).action == "first.action"


def test_related_managers_refuse_too():
    """Django's internals use the base manager, which is the append-only one."""
    assert AuditEntry._base_manager.__class__ is AuditEntry.objects.__class__
    entry = AuditEntryFactory.create()
    with pytest.raises(AppendOnlyError):
        AuditEntry._base_manager.filter(pk=entry.pk).delete()


def test_bulk_create_appends_but_never_upserts():
    created = AuditEntry.objects.bulk_create([AuditEntry(action="bulk.one")])
    assert len(created) == 1
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_create(
            [AuditEntry(action="bulk.two")],
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["action"],
        )


def test_the_database_refuses_an_update_that_bypasses_the_queryset():
    entry = AuditEntryFactory.create()

    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        models.QuerySet.update(AuditEntry.objects.filter(pk=entry.pk), action="bypass.update")
    assert _unchanged(entry)


def test_the_database_refuses_a_delete_that_bypasses_the_queryset():
    entry = AuditEntryFactory.create()

    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk)._raw_delete(connection.alias)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_database_refuses_raw_sql_updates_and_deletes():
    entry = AuditEntryFactory.create()

    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {TABLE} SET action = %s WHERE id = %s", ["raw.sql", entry.pk])  # noqa: S608
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk])  # noqa: S608
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
    assert _unchanged(entry)


def test_the_triggers_are_installed_and_the_system_check_passes():
    expected = expected_guard_triggers(connection)

    assert expected, connection.vendor
    assert expected <= installed_guard_triggers(connection)
    assert check_guard_triggers(databases=[connection.alias]) == []


class _RollBack(Exception):
    pass


def _check_without_triggers() -> list:
    """The system check's answer with the triggers dropped, then dropped no more."""
    on_table = f" ON {TABLE}" if connection.vendor == "postgresql" else ""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                for name in expected_guard_triggers(connection):
                    cursor.execute(f"DROP TRIGGER {name}{on_table}")
            raise _RollBack(check_guard_triggers(databases=[connection.alias]))
    except _RollBack as rollback:
        return list(rollback.args[0])


def test_the_system_check_reports_a_trail_left_without_its_triggers():
    """As after a SQLite table rebuild, which drops a table's triggers with it."""
    errors = _check_without_triggers()

    assert [error.id for error in errors] == ["audit.W001"]
    assert check_guard_triggers(databases=[connection.alias]) == []


def test_a_user_with_audit_history_cannot_be_deleted():
    user = UserFactory.create()
    audit_record(action="test.something", actor=user)

    with pytest.raises(ProtectedError):
        user.delete()
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert AuditEntry.objects.filter(actor=user).count() == 1


def test_a_user_without_audit_history_can_still_be_deleted():
    user = UserFactory.create()
    user.delete()
    assert user.pk is None


def test_a_person_acted_for_is_protected_as_well():
    seller = UserFactory.create()
    audit_record(action="test.something", on_behalf_of=seller)

    with pytest.raises(ProtectedError):
        seller.delete()


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_whole_database_and_the_guard_comes_back():
    """Transactional tests flush between tests; the guard must survive it."""
    AuditEntryFactory.create()

    call_command("flush", interactive=False, verbosity=0)

    assert not AuditEntry.objects.exists()
    assert expected_guard_triggers(connection) <= installed_guard_triggers(connection)
    entry = AuditEntryFactory.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        models.QuerySet.update(AuditEntry.objects.filter(pk=entry.pk), action="after.flush")
    # Leave an entry behind: the teardown flush of this test must cope with it too.
