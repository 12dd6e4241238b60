"""insert_rows writes what bulk_create writes, and gives the rows their keys."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from nongsan.common.bulk_insert import insert_rows
from nongsan.imports.models import ImportJob, ImportRow, RowStatus
from nongsan.producers.models import Household, RegistrationChannel
from nongsan.producers.tests.factories import current_commune, staff_user

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2026, 7, 1, 1, 2, 3, tzinfo=datetime.UTC)


def _households(commune: Any, user: Any, start: int, count: int) -> list[Household]:
    return [
        Household(
            head_name=f"Hộ Thử {number}",
            head_name_folded=f"ho thu {number}",
            phone=f"+8491200{number:04d}",
            province=commune.province,
            commune=commune,
            farm_area_hectares=Decimal("1.25") if number % 2 else None,
            registered_via=RegistrationChannel.IMPORT,
            registered_by=user,
            created_at=WHEN,
            updated_at=WHEN,
        )
        for number in range(start, start + count)
    ]


def _values(queryset: Any) -> list[dict[str, Any]]:
    return [
        {key: value for key, value in row.items() if key not in ("id", "head_name", "phone")}
        | {"name_tail": row["head_name"][-4:]}
        for row in queryset.order_by("pk").values()
    ]


def test_insert_rows_writes_what_bulk_create_writes(admin_units):
    commune, user = current_commune(), staff_user()
    Household.objects.bulk_create(_households(commune, user, 0, 5))
    expected = _values(Household.objects.all())
    Household.objects.all().delete()
    inserted = insert_rows(Household, _households(commune, user, 0, 5))
    assert _values(Household.objects.all()) == expected
    assert [row.pk for row in inserted] == list(
        Household.objects.order_by("pk").values_list("pk", flat=True)
    )
    assert all(not row._state.adding for row in inserted)
    assert Household.objects.get(pk=inserted[1].pk).farm_area_hectares == Decimal("1.25")
    assert Household.objects.get(pk=inserted[0].pk).created_at == WHEN


def test_insert_rows_splits_large_batches_and_keeps_keys_in_order(admin_units, monkeypatch):
    from nongsan.common import bulk_insert

    monkeypatch.setattr(bulk_insert, "_MAX_ROWS_PER_STATEMENT", 7)
    commune, user = current_commune(), staff_user()
    rows = insert_rows(Household, _households(commune, user, 0, 30))
    stored = dict(Household.objects.values_list("pk", "head_name"))
    assert [stored[row.pk] for row in rows] == [row.head_name for row in rows]


def test_insert_rows_stores_json_as_json(admin_units):
    job = ImportJob.objects.create(
        uploaded_by=staff_user(), original_name="a.xlsx", file="imports/a.xlsx", sha256="0" * 64
    )
    data = {"head_name": "Lê Thị Một", "phone": "+84912000001", "nested": [1, "hai"]}
    rows = insert_rows(
        ImportRow,
        [
            ImportRow(job=job, row_number=2, status=RowStatus.VALID, data=data),
            ImportRow(job=job, row_number=3, status=RowStatus.ERROR, errors=["Cột A: sai"]),
        ],
    )
    assert ImportRow.objects.get(pk=rows[0].pk).data == data
    assert ImportRow.objects.get(pk=rows[1].pk).errors == ["Cột A: sai"]
    assert ImportRow.objects.get(pk=rows[1].pk).status == "error"


def test_insert_rows_refuses_saved_rows_and_leaves_nothing_half_written(admin_units):
    commune, user = current_commune(), staff_user()
    saved = insert_rows(Household, _households(commune, user, 0, 1))
    with pytest.raises(ValueError, match="new Household rows only"):
        insert_rows(Household, saved)
    broken = _households(commune, user, 1, 3)
    broken[2].head_name_folded = None  # type: ignore[assignment]  # NOT NULL: refused
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(Household, broken)
    assert Household.objects.count() == 1


def test_insert_rows_takes_an_empty_list():
    assert insert_rows(Household, []) == []


def test_insert_values_takes_plain_rows_and_fills_defaults(admin_units):
    from nongsan.audit.models import AuditEntry
    from nongsan.common.bulk_insert import insert_values

    commune = current_commune()
    keys = insert_values(
        AuditEntry,
        [
            {"action": "tests.one", "changes": {"a": [None, 1]}, "commune_id": commune.pk},
            {"action": "tests.two"},
        ],
    )
    first, second = (AuditEntry.objects.get(pk=key) for key in keys)
    assert (first.action, second.action) == ("tests.one", "tests.two")
    assert first.changes == {"a": [None, 1]}
    assert second.changes == {}  # the field's default
    assert first.commune == commune
    assert first.occurred_at is not None
    assert insert_values(AuditEntry, []) == []
